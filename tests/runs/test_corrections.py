# SPDX-License-Identifier: EUPL-1.2
"""Held leefgeld reaches the household, and correction runs pay only differences.

On both databases. The example import: HH-2026-0001 (own IBAN, huur € 712,00, leefgeld
€ 341,43 in December) and HH-2026-0002 (no IBAN: € 1.062,02 leefgeld held in December).
"""

from __future__ import annotations

import copy
import threading
from datetime import date

import pytest
from lxml import etree
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.clients import models as cm
from ontzorgen.clients.schemas import AccountIn, RightEndIn
from ontzorgen.clients.service import (
    end_bijstand,
    find_household,
    import_households,
    set_household_account,
)
from ontzorgen.db import unit_of_work
from ontzorgen.errors import Conflict
from ontzorgen.ledger.balances import balance
from ontzorgen.ledger.models import LedgerAccount, LedgerPosting
from ontzorgen.money import Money
from ontzorgen.runs.files import export_run
from ontzorgen.runs.models import Payment, RunLine
from ontzorgen.runs.overview import overview_text, run_overview
from ontzorgen.runs.service import (
    approve_run,
    cancel_run,
    create_run,
    get_run,
    prepare_run,
    run_payments,
)
from ontzorgen.sepa.check import check_pain001
from tests.factories import CLERK, actor_for, at_noon, example_import, make_gemeente

READER = actor_for("lezer")

NOV_23 = date(2026, 11, 23)
DEC_1 = date(2026, 12, 1)
APPROVER = actor_for("accordeerder")
NEW_IBAN = "NL66ASNB0707070707"
NS = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}"


def _full_run(
    session: Session, period: str, today: date, *, corrects: int | None = None
) -> tuple[int, etree._Element]:
    """Create, prepare, approve (four eyes) and export a run; return its id and file."""
    reason = None if corrects is None else "late wijziging"
    run = create_run(session, CLERK, "0439", period, corrects=corrects, reason=reason)
    prepare_run(session, CLERK, run.id, today=today, now=at_noon(today))
    approve_run(session, APPROVER, run.id, today=today, now=at_noon(today))
    file = export_run(session, CLERK, run.id, today=today, now=at_noon(today))
    session.commit()
    assert check_pain001(file.content, today=today).ok
    return run.id, etree.fromstring(file.content)


def _transfers(tree: etree._Element) -> list[tuple[str, int, str, str]]:
    """(creditor, cents, IBAN, remittance) of every transfer in a pain.001."""
    return sorted(
        (
            t.findtext(f"{NS}Cdtr/{NS}Nm") or "",
            Money.parse(t.findtext(f"{NS}Amt/{NS}InstdAmt") or "").cents,
            t.findtext(f"{NS}CdtrAcct/{NS}Id/{NS}IBAN") or "",
            t.findtext(f"{NS}RmtInf/{NS}Ustrd") or t.findtext(f".//{NS}Ref") or "",
        )
        for t in tree.iter(f"{NS}CdtTrfTxInf")
    )


def _account(session: Session, code: str, reference: str) -> int:
    household = find_household(session, reference, "0439")
    account = session.scalar(
        select(LedgerAccount.id).where(LedgerAccount.code == f"{code}/household:{household.id}")
    )
    assert account is not None
    return account


def _owed(session: Session, reference: str) -> Money:
    return -balance(session, _account(session, "te-betalen-huishoudens", reference))


def _bijstand_booked(session: Session) -> int:
    account = session.scalar(
        select(LedgerAccount.id).where(LedgerAccount.code == "bijstand-lasten")
    )
    return int(
        session.scalar(
            select(func.sum(LedgerPosting.amount)).where(LedgerPosting.account_id == account)
        )
        or 0
    )


@pytest.fixture
def december(session: Session) -> int:
    """The example's December run, exported: HH-2026-0002's leefgeld is held."""
    make_gemeente(session)
    import_households(session, CLERK, example_import())
    session.commit()
    run_id, _ = _full_run(session, "2026-12", NOV_23)
    return run_id


def _set_iban(session: Session) -> None:
    household = find_household(session, "HH-2026-0002", "0439")
    set_household_account(
        session, CLERK, household, AccountIn(iban=NEW_IBAN, iban_name="Y. Al-Hamdan")
    )
    session.commit()


def test_the_next_regular_run_pays_the_held_leefgeld_once(session: Session, december: int) -> None:
    assert _owed(session, "HH-2026-0002") == Money(106202)
    _set_iban(session)
    january, tree = _full_run(session, "2027-01", DEC_1)
    paid = [t for t in _transfers(tree) if t[2] == NEW_IBAN]
    assert paid == [
        ("Y. Al-Hamdan", 106202, NEW_IBAN, "Leefgeld januari 2027 Gemeente 0439"),
        ("Y. Al-Hamdan", 106202, NEW_IBAN, "Vastgehouden leefgeld december 2026 Gemeente 0439"),
    ]
    assert _owed(session, "HH-2026-0002") == Money(0)
    released = run_overview(session, READER, january).report["released"]
    assert [(r["household"], r["amount_cents"], r["origin"]) for r in released] == [
        (
            "HH-2026-0002",
            106202,
            [{"period": "2026-12", "runs": [december], "amount_cents": 106202}],
        )
    ]
    assert "vastgehouden: 2026-12 in betaalrun" in str(released[0]["reason"])
    printed = overview_text(run_overview(session, READER, january))
    assert "Vastgehouden leefgeld nu uitbetaald" in printed
    assert "HH-2026-0002" in printed
    # The next run finds nothing owed: the held leefgeld is paid once.
    february = create_run(session, CLERK, "0439", "2027-02")
    prepare_run(session, CLERK, february.id, today=DEC_1, now=at_noon(DEC_1))
    assert run_overview(session, READER, february.id).report["released"] == []


def test_a_cancelled_release_is_released_again_by_the_next_run(
    session: Session, december: int
) -> None:
    _set_iban(session)
    january = create_run(session, CLERK, "0439", "2027-01")
    prepare_run(session, CLERK, january.id, today=DEC_1, now=at_noon(DEC_1))
    assert _owed(session, "HH-2026-0002") == Money(0)
    cancel_run(session, CLERK, january.id, "verkeerde datum", today=DEC_1, now=at_noon(DEC_1))
    assert _owed(session, "HH-2026-0002") == Money(106202)
    again = create_run(session, CLERK, "0439", "2027-01")
    prepare_run(session, CLERK, again.id, today=DEC_1, now=at_noon(DEC_1))
    assert [
        p.amount_cents
        for p in run_payments(session, again)
        if p.category == "vastgehouden leefgeld"
    ] == [106202]


def test_a_correction_releases_held_leefgeld_of_its_own_month(
    session: Session, december: int
) -> None:
    _set_iban(session)
    bijstand = _bijstand_booked(session)
    correction, tree = _full_run(session, "2026-12", DEC_1, corrects=december)
    assert _transfers(tree) == [
        ("Y. Al-Hamdan", 106202, NEW_IBAN, "Vastgehouden leefgeld december 2026 Gemeente 0439")
    ]
    assert _bijstand_booked(session) == bijstand  # nothing granted twice
    assert _owed(session, "HH-2026-0002") == Money(0)
    # January's regular run then has nothing held to pay.
    january = create_run(session, CLERK, "0439", "2027-01")
    prepare_run(session, CLERK, january.id, today=DEC_1, now=at_noon(DEC_1))
    assert not [p for p in run_payments(session, january) if p.category == "vastgehouden leefgeld"]
    assert correction != january.id


def _raise_huur(session: Session, reference: str, cents: int) -> None:
    # A late change for a month already paid (the inkomen system corrected the rent).
    contract = session.scalars(
        select(cm.Contract.id).where(cm.Contract.reference == reference)
    ).one()
    first = session.scalars(
        select(cm.ContractAmount.id)
        .where(cm.ContractAmount.contract_id == contract)
        .order_by(cm.ContractAmount.valid_from)
    ).first()
    session.execute(
        update(cm.ContractAmount).where(cm.ContractAmount.id == first).values(amount_cents=cents)
    )
    session.commit()


def test_a_late_rent_increase_pays_the_extra_and_claims_the_leefgeld(
    session: Session, december: int
) -> None:
    _raise_huur(session, "C-0001-HUUR", 72500)
    bijstand = _bijstand_booked(session)
    correction, tree = _full_run(session, "2026-12", DEC_1, corrects=december)
    assert _transfers(tree) == [
        ("Woonstichting Waterland", 1300, "NL39RABO0300065264", "Huur Koestraat 14")
    ]
    assert _bijstand_booked(session) == bijstand
    report = run_overview(session, READER, correction).report
    assert [(c["household"], c["amount_cents"]) for c in report["claims"]] == [
        ("HH-2026-0001", 1300)
    ]
    assert balance(session, _account(session, "vorderingen", "HH-2026-0001")) == Money(1300)
    assert _owed(session, "HH-2026-0001") == Money(0)
    payments = run_payments(session, get_run(session, correction))
    assert [(p.payment_key.endswith(f":r{correction}"), p.end_to_end_id) for p in payments] == [
        (True, f"OZ2612-R{correction}-H{payments[0].household_id}-C{payments[0].contract_id}")
    ]
    # Nothing changed since: a second correction pays nothing, twice nothing.
    second = create_run(session, CLERK, "0439", "2026-12", corrects=correction, reason="nog eens")
    with pytest.raises(Conflict, match="geen verschil"):
        prepare_run(session, CLERK, second.id, today=DEC_1, now=at_noon(DEC_1))


def test_a_rent_decrease_pays_the_household_and_claims_the_overpaid_rent(
    session: Session, december: int
) -> None:
    _raise_huur(session, "C-0001-HUUR", 70000)
    correction, tree = _full_run(session, "2026-12", DEC_1, corrects=december)
    assert _transfers(tree) == [
        ("A. Haile", 1200, "NL12TRIO0198765432", "Leefgeld correctie december 2026 Gemeente 0439")
    ]
    claims = run_overview(session, READER, correction).report["claims"]
    assert [(c["household"], c["amount_cents"]) for c in claims] == [("HH-2026-0001", 1200)]
    assert "Woonstichting Waterland" in str(claims[0]["reason"])
    assert balance(session, _account(session, "vorderingen", "HH-2026-0001")) == Money(1200)


def test_a_household_added_after_the_regular_run_gets_its_whole_month(
    session: Session, december: int
) -> None:
    data = example_import()
    newcomer = copy.deepcopy(data["households"][0])
    newcomer["reference"] = "HH-2026-0003"
    newcomer["iban"] = "NL91ABNA0417164300"
    newcomer["persons"][0]["bsn"] = "111222333"
    newcomer["right"]["reference"] = "BS-2026-0003"
    for contract in newcomer["contracts"]:
        contract["reference"] = contract["reference"].replace("0001", "0003")
    import_households(session, CLERK, {**data, "payees": [], "households": [newcomer]})
    session.commit()
    bijstand = _bijstand_booked(session)
    correction, tree = _full_run(session, "2026-12", DEC_1, corrects=december)
    assert sorted((t[1], t[2]) for t in _transfers(tree)) == [
        (2500, "NL67INGB0006543210"), (9500, "NL02ABNA0123456789"), (15800, "NL22SNSB0912345678"),
        (34143, "NL91ABNA0417164300"), (71200, "NL39RABO0300065264"),
    ]  # fmt: skip
    # Its bijstand is booked once (as the same facts were in December), the others' not again.
    granted = (RunLine.line_key.in_(("bijstand", "vt_accrual")),)
    first = find_household(session, "HH-2026-0001", "0439").id
    in_december = session.scalar(
        select(func.sum(RunLine.amount_cents)).where(
            *granted, RunLine.run_id == december, RunLine.household_id == first
        )
    )
    in_correction = session.execute(
        select(RunLine.household_id, func.sum(RunLine.amount_cents))
        .where(*granted, RunLine.run_id == correction)
        .group_by(RunLine.household_id)
    ).all()
    newcomer_id = find_household(session, "HH-2026-0003", "0439").id
    assert [tuple(row) for row in in_correction] == [(newcomer_id, in_december)]
    assert _bijstand_booked(session) - bijstand == in_december
    assert run_overview(session, READER, correction).households == 1


def test_cancelling_a_correction_reverses_only_its_own_bookings(
    session: Session, december: int
) -> None:
    _raise_huur(session, "C-0001-HUUR", 72500)
    correction = create_run(session, CLERK, "0439", "2026-12", corrects=december, reason="huur")
    prepare_run(session, CLERK, correction.id, today=DEC_1, now=at_noon(DEC_1))
    assert balance(session, _account(session, "vorderingen", "HH-2026-0001")) == Money(1300)
    cancel_run(session, CLERK, correction.id, "nog niet", today=DEC_1, now=at_noon(DEC_1))
    session.commit()
    assert balance(session, _account(session, "vorderingen", "HH-2026-0001")) == Money(0)
    assert _owed(session, "HH-2026-0002") == Money(106202)  # December's booking stands
    regular = session.scalars(
        select(func.count()).select_from(Payment).where(Payment.run_id == december, Payment.active)
    ).one()
    assert regular == 6
    # And a new correction finds the same difference again.
    _, tree = _full_run(session, "2026-12", DEC_1, corrects=december)
    assert [t[1] for t in _transfers(tree)] == [1300]


def test_a_correction_waits_for_the_runs_it_corrects(session: Session) -> None:
    make_gemeente(session)
    import_households(session, CLERK, example_import())
    run = create_run(session, CLERK, "0439", "2026-12")
    prepare_run(session, CLERK, run.id, today=NOV_23, now=at_noon(NOV_23))
    with pytest.raises(Conflict, match="alleen een geëxporteerde run"):
        create_run(session, CLERK, "0439", "2026-12", corrects=run.id, reason="te vroeg")
    approve_run(session, APPROVER, run.id, today=NOV_23, now=at_noon(NOV_23))
    export_run(session, CLERK, run.id, today=NOV_23, now=at_noon(NOV_23))
    first = create_run(session, CLERK, "0439", "2026-12", corrects=run.id, reason="een")
    second = create_run(session, CLERK, "0439", "2026-12", corrects=run.id, reason="twee")
    _raise_huur(session, "C-0001-HUUR", 72500)
    prepare_run(session, CLERK, first.id, today=DEC_1, now=at_noon(DEC_1))
    session.commit()
    with pytest.raises(Conflict, match="nog niet geëxporteerd"):
        prepare_run(session, CLERK, second.id, today=DEC_1, now=at_noon(DEC_1))


def test_run_lines_cannot_be_changed(session: Session, december: int) -> None:
    for statement in ("UPDATE run_line SET amount_cents = 1", "DELETE FROM run_line"):
        with pytest.raises(DBAPIError, match="immutable"):
            session.execute(text(statement))
        session.rollback()
    assert (session.scalar(select(func.count()).select_from(RunLine)) or 0) > 0


def test_a_right_ended_in_the_paid_month_becomes_claims_without_a_payment(
    session: Session, december: int
) -> None:
    household = find_household(session, "HH-2026-0001", "0439")
    end_bijstand(session, CLERK, household, RightEndIn(end=date(2026, 12, 15)))
    session.commit()
    correction = create_run(session, CLERK, "0439", "2026-12", corrects=december, reason="einde")
    prepare_run(session, CLERK, correction.id, today=DEC_1, now=at_noon(DEC_1))
    assert run_payments(session, correction) == []
    claims = run_overview(session, READER, correction.id).report["claims"]
    # Half a month of bijstand: every vaste last paid in full and part of the leefgeld was
    # too much; each is its own claim, nothing is set off silently.
    assert (
        sum(int(str(c["amount_cents"])) for c in claims)
        == balance(session, _account(session, "vorderingen", "HH-2026-0001")).cents
    )
    assert len(claims) == 5
    assert _owed(session, "HH-2026-0001") == Money(0)
    approve_run(session, APPROVER, correction.id, today=DEC_1, now=at_noon(DEC_1))
    with pytest.raises(Conflict, match="geen betalingen"):
        export_run(session, CLERK, correction.id, today=DEC_1, now=at_noon(DEC_1))
    session.commit()
    # Approved without payments it is done: the next correction compares with it.
    _raise_huur(session, "C-0002-HUUR", 85000)
    _, tree = _full_run(session, "2026-12", DEC_1, corrects=correction.id)
    assert [t[1] for t in _transfers(tree)] == [1000]


def test_held_leefgeld_is_paid_also_after_the_bijstand_ended(
    session: Session, december: int
) -> None:
    household = find_household(session, "HH-2026-0002", "0439")
    end_bijstand(session, CLERK, household, RightEndIn(end=date(2026, 12, 31)))
    _set_iban(session)
    january, tree = _full_run(session, "2027-01", DEC_1)
    assert [t for t in _transfers(tree) if t[2] == NEW_IBAN] == [
        ("Y. Al-Hamdan", 106202, NEW_IBAN, "Vastgehouden leefgeld december 2026 Gemeente 0439")
    ]
    assert _owed(session, "HH-2026-0002") == Money(0)
    assert run_overview(session, READER, january).households == 2


def test_two_corrections_prepared_at_once_pay_the_difference_once(
    backend: str, session: Session, session_factory: sessionmaker[Session], december: int
) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time; the race exists on PostgreSQL")
    _raise_huur(session, "C-0001-HUUR", 72500)
    runs = [
        create_run(session, CLERK, "0439", "2026-12", corrects=december, reason=f"poging {n}").id
        for n in (1, 2)
    ]
    session.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def prepare(run_id: int) -> None:
        barrier.wait()
        try:
            with unit_of_work(session_factory) as own:
                prepare_run(own, CLERK, run_id, today=DEC_1, now=at_noon(DEC_1))
            outcomes.append("prepared")
        except Conflict as error:
            outcomes.append("refused" if "nog niet geëxporteerd" in error.detail else repr(error))
        except Exception as error:  # pragma: no cover - reported by the assertion below
            outcomes.append(repr(error))

    threads = [threading.Thread(target=prepare, args=(run_id,)) for run_id in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["prepared", "refused"], outcomes
    session.expire_all()
    extra = session.scalars(
        select(Payment.amount_cents).where(Payment.run_id.in_(runs), Payment.active)
    ).all()
    assert extra == [1300]
