# SPDX-License-Identifier: EUPL-1.2
"""The statement benchmark: "Mijn maand" of a household with two years of history.

    python benchmarks/statement_bench.py [--months 24] [--repeat 20]

Builds the demo (48 households) in a temporary SQLite file, runs 24 monthly payment runs
(prepared, approved and exported by the same services the run desk uses), then serves
``GET /mijn-maand`` for the inburgeraar of DEMO-0001 and prints the median server time of the
page, the number of SQL statements of one page, and as its last line ``median_ms: X``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy import event, select
from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ontzorgen import migrate  # noqa: E402
from ontzorgen.api.app import create_app  # noqa: E402
from ontzorgen.auth.sessions import COOKIE, start_session  # noqa: E402
from ontzorgen.auth.users import actor_for_household  # noqa: E402
from ontzorgen.bijstand.period import Period  # noqa: E402
from ontzorgen.clients.models import Household  # noqa: E402
from ontzorgen.clock import FixedClock  # noqa: E402
from ontzorgen.config import Settings  # noqa: E402
from ontzorgen.db import make_engine, make_session_factory, unit_of_work  # noqa: E402
from ontzorgen.demo import APPROVER, PREPARER, run_demo  # noqa: E402
from ontzorgen.runs.files import export_run  # noqa: E402
from ontzorgen.runs.service import approve_run, create_run, prepare_run  # noqa: E402

START = date(2026, 12, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        migrate.upgrade(url)
        clock = FixedClock(START)
        factory = make_session_factory(make_engine(url), clock=clock)
        run_demo(factory, today=START, now=datetime.combine(START, clock_time(12), UTC))
        period = Period(2027, 1)
        built = time.perf_counter()
        for _ in range(args.months - 1):
            period = period.next()
            today = period.previous().first_day
            now = datetime.combine(today, clock_time(12), UTC)
            with unit_of_work(factory) as session:
                run_id = create_run(session, PREPARER, "9999", period.label()).id
            with unit_of_work(factory) as session:
                prepare_run(session, PREPARER, run_id, today=today, now=now)
            with unit_of_work(factory) as session:
                approve_run(session, APPROVER, run_id, today=today, now=now)
            with unit_of_work(factory) as session:
                export_run(session, PREPARER, run_id, today=today, now=now)
        print(f"history: {args.months} months in {time.perf_counter() - built:.1f} s")
        with unit_of_work(factory) as session:
            household = session.scalars(
                select(Household.id).where(Household.reference == "DEMO-0001")
            ).one()
            token = start_session(
                session, actor_for_household(session, household, channel="web")
            ).token
        settings = Settings(database_url=url, environment="development", cookie_secure=False,
                            login_rate_per_minute=10_000, log_json=False)  # fmt: skip
        app = create_app(settings, clock=clock)
        with TestClient(app) as client:
            client.cookies.set(COOKIE, token)
            engine = app.state.session_factory.kw["bind"]
            statements: list[str] = []
            listener = lambda *a: statements.append(str(a[2]))  # noqa: E731
            event.listen(engine, "before_cursor_execute", listener)
            first = client.get("/mijn-maand?taal=nl")
            event.remove(engine, "before_cursor_execute", listener)
            assert first.status_code == 200, first.text[:500]
            assert "Mijn maand" in first.text, "not logged in"
            assert period.label() in first.text
            # Interleaved, so both see the same machine: the page, and as its baseline the
            # accessibility statement for the same login (the whole stack: session, template,
            # language; no household data).
            timings, baseline = [], []
            for _ in range(args.repeat):
                for path, into in (("/mijn-maand?taal=nl", timings),
                                   ("/toegankelijkheid?taal=nl", baseline)):  # fmt: skip
                    started = time.perf_counter()
                    response = client.get(path)
                    into.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200
        median, base = statistics.median(timings), statistics.median(baseline)
        print(f"statements per page: {len(statements)}")
        print(f"min_ms: {min(timings):.1f}")
        print(f"median_ms: {median:.1f}")
        print(f"baseline_median_ms: {base:.1f} (the accessibility statement, same login)")
        print(f"ratio: {median / base:.2f}")


if __name__ == "__main__":
    main()
