# SPDX-License-Identifier: EUPL-1.2
"""The date-sensitive flows on each fixed day (tests/conftest.py CALENDAR_DAYS).

The process's clock is moved to the day (time-machine) and every flow takes "today" and "now"
from the system clock, as the entry points do; the households are moved with the day, so each
case is the same case relative to the month being paid.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.bijstand.period import Period
from ontzorgen.clients.service import import_households
from ontzorgen.clock import SystemClock
from ontzorgen.db import unit_of_work
from ontzorgen.demo import run_demo
from ontzorgen.ledger.balances import verify_balances
from ontzorgen.runs.files import export_run
from ontzorgen.runs.models import Payment, PaymentRun, RunFile
from ontzorgen.runs.service import approve_run, create_run, prepare_run
from ontzorgen.sepa.check import check_pain001
from ontzorgen.sepa.execution_date import is_business_day
from tests.factories import (
    CLERK,
    actor_for,
    example_import,
    make_gemeente,
    months_between,
    shifted,
)
from tests.runs.test_vakantietoeslag import _vt_payout_postings

APPROVER = actor_for("accordeerder")


def _lifecycle(session_factory: sessionmaker[Session], period: Period) -> int:
    """Create, prepare, approve (four eyes) and export a run, each step on the clock's day."""
    clock = SystemClock()
    with unit_of_work(session_factory) as session:
        run_id = create_run(session, CLERK, "0439", period.label()).id
        prepare_run(session, CLERK, run_id, today=clock.today(), now=clock.now())
    with unit_of_work(session_factory) as session:
        approve_run(session, APPROVER, run_id, today=clock.today(), now=clock.now())
    with unit_of_work(session_factory) as session:
        export_run(session, CLERK, run_id, today=clock.today(), now=clock.now())
    return run_id


def _dates_are_bankable(session: Session, run_id: int, day: date) -> None:
    dates = set(session.scalars(select(Payment.execution_date).where(Payment.run_id == run_id)))
    assert dates
    # Never in the past, never on a TARGET2 holiday (Christmas, New Year) or in a weekend.
    assert all(d >= day and is_business_day(d) for d in dates), sorted(dates)


def test_the_demo_pays_the_month_after_each_day(
    calendar_day: date, session_factory: sessionmaker[Session]
) -> None:
    clock = SystemClock()
    summary = run_demo(session_factory, today=clock.today(), now=clock.now())
    assert summary.period == Period.of(calendar_day).next().label()
    assert summary.payments > 0
    with unit_of_work(session_factory) as session:
        run = session.get_one(PaymentRun, summary.run_id)
        assert run.approved_at is not None
        assert run.approved_at.date() == calendar_day
        _dates_are_bankable(session, run.id, calendar_day)
    again = run_demo(session_factory, today=clock.today(), now=clock.now())
    assert again.sha256 == summary.sha256


def test_the_window_ends_in_the_month_after_each_day(
    calendar_day: date, session_factory: sessionmaker[Session]
) -> None:
    """The example households' six months end in May 2027; moved so that they end in the
    month being paid, that run still withholds and tells the consulent it is the last."""
    period = Period.of(calendar_day).next()
    with unit_of_work(session_factory) as session:
        gemeente = make_gemeente(session, payment_day=28)
        import_households(
            session, CLERK, shifted(example_import(), months_between(Period(2027, 5), period))
        )
    run_id = _lifecycle(session_factory, period)
    with unit_of_work(session_factory) as session:
        run = session.get_one(PaymentRun, run_id)
        assert run.state == "exported"
        signals = json.loads(run.report or "{}")["signals"]
        ending = {s["household"] for s in signals if s["code"] == "window_ends_this_month"}
        assert ending == {"HH-2026-0001", "HH-2026-0002"}
        categories = set(session.scalars(select(Payment.category).where(Payment.run_id == run_id)))
        assert "huur" in categories  # the last month is still withheld
        _dates_are_bankable(session, run_id, calendar_day)
        content = session.scalars(select(RunFile.content).where(RunFile.run_id == run_id)).one()
        assert check_pain001(content, today=calendar_day).ok
        assert verify_balances(session, gemeente.id) == []


def test_vakantietoeslag_in_the_june_after_each_day(
    calendar_day: date, session_factory: sessionmaker[Session]
) -> None:
    """tests/runs/test_vakantietoeslag.py's case, moved to the first June after the day and
    prepared on the day itself: the same twelve months of VT, charged the same way."""
    june = Period(calendar_day.year + (1 if calendar_day.month >= 6 else 0), 6)
    data = example_import()
    data["households"] = data["households"][:1]
    data["households"][0]["right"]["start"] = "2026-01-01"
    for contract in data["households"][0]["contracts"]:
        contract["start"] = contract["amounts"][0]["valid_from"] = "2026-01-01"
    with unit_of_work(session_factory) as session:
        make_gemeente(session)
        import_households(session, CLERK, shifted(data, months_between(Period(2027, 6), june)))
    _lifecycle(session_factory, Period(june.year, 5))
    june_run = _lifecycle(session_factory, june)
    with unit_of_work(session_factory) as session:
        assert _vt_payout_postings(session) == [
            ("te-betalen-huishoudens", -84084),
            ("vt-reserve", 7007),
            ("bijstand-lasten", 77077),
        ]
        _dates_are_bankable(session, june_run, calendar_day)
