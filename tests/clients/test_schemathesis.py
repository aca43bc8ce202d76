# SPDX-License-Identifier: EUPL-1.2
"""Every API operation fuzzed from the app's own OpenAPI schema (schemathesis).

Against a database with a gemeente, the example households, an exported December run (with a
pain.002 imported) and an approved January run: positive and negative examples per operation,
and every answer must be no 5xx, a documented status code, the documented content type and a
body that matches its schema (problem+json included). A failure names the operation and the
request to reproduce it.
"""

from __future__ import annotations

import re
from datetime import date

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.api.app import create_app
from ontzorgen.auth.sessions import COOKIE, CSRF_HEADER, Started, start_session
from ontzorgen.auth.users import load_actor
from ontzorgen.bank.importer import import_bank_file
from ontzorgen.clients.service import import_households
from ontzorgen.clock import FixedClock
from ontzorgen.config import Settings
from ontzorgen.db import set_now, unit_of_work
from ontzorgen.runs.service import approve_run, create_run, prepare_run
from tests.bank.conftest import APPROVER, NOV_23, full_run
from tests.bank.testbank import pain002
from tests.factories import CLERK, at_noon, example_import, make_gemeente

# Per operation, so the whole test stays under a minute on a loaded machine.
EXAMPLES = {"sqlite": 15, "postgresql": 10}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The seeded data: most examples use these values (the first, or the second where there is
# one), the rest are left to the generator (mostly a 404 then).
KNOWN: dict[str, list[str | int]] = {
    "gemeente": ["0439"],
    "ref": ["0439"],
    "household": ["HH-2026-0001", "HH-2026-0002"],
    "contract": ["C-0001-HUUR", "C-0001-ZORG"],
    "payee": ["WS-WATERLAND"],
    "period": ["2026-12", "2027-01"],
    "run_id": [1, 2],
    "file_id": [1],
    "payment_id": [1, 7],
}


APP_CLOCK = FixedClock(date(2026, 12, 20))


def acting_user_headers(login: Started) -> dict[str, str]:
    """Who the fuzzer acts as: "tester" (every staff role in 0439), logged in with a real
    server-side session; its CSRF token goes with every request."""
    return {"Cookie": f"{COOKIE}={login.token}", CSRF_HEADER: login.csrf_token}


def _seed(factory: sessionmaker[Session]) -> Started:
    with unit_of_work(factory) as session:
        make_gemeente(session)
        import_households(session, CLERK, example_import())
        set_now(session, APP_CLOCK.now())  # logged in just now, as the app's clock sees it
        login = start_session(session, load_actor(session, "tester", channel="api"))
    with factory() as session:
        run_id, content = full_run(session, "2026-12", NOV_23)
        import_bank_file(
            session, CLERK, "0439", pain002(content), filename="pain.002.xml", today=NOV_23,
            now=at_noon(NOV_23),
        )  # fmt: skip
        january = create_run(session, CLERK, "0439", "2027-01")
        day = date(2026, 12, 20)
        prepare_run(session, CLERK, january.id, today=day, now=at_noon(day))
        approve_run(session, APPROVER, january.id, today=day, now=at_noon(day))
        session.commit()
        assert run_id < january.id
    return login


def _strategy(operation: APIOperation, login: Started) -> st.SearchStrategy[schemathesis.Case]:
    """Valid and invalid requests of one operation, aimed at the seeded data."""
    names = [n for n in re.findall(r"{(\w+)}", operation.path) if n in KNOWN]
    variants = [{n: KNOWN[n][min(i, len(KNOWN[n]) - 1)] for n in names} for i in (0, 1)]
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        for fixed in [*variants, {}] if names else [{}]:
            try:
                strategies.append(
                    operation.as_strategy(
                        mode, path_parameters=fixed, headers=acting_user_headers(login)
                    )
                )
            except Exception:
                continue
    return st.one_of(strategies)


def _describe(error: BaseException) -> str:
    """Every failure Hypothesis found, with schemathesis' reproduction (curl) in each."""
    if isinstance(error, BaseExceptionGroup):
        return "\n".join(_describe(e) for e in error.exceptions)
    return str(error)


def test_every_operation_keeps_its_contract(
    backend: str, database_url: str, session_factory: sessionmaker[Session]
) -> None:
    login = _seed(session_factory)
    app = create_app(Settings(database_url=database_url), clock=APP_CLOCK)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 28

    for operation in operations:

        @given(case=_strategy(operation, login))
        @settings(
            max_examples=EXAMPLES[backend],
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def fuzz(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CHECKS)

        try:
            fuzz()
        except Exception as error:
            failures.append(f"{operation.label}: {_describe(error)}")
    assert not failures, "\n\n".join(failures)
