# SPDX-License-Identifier: EUPL-1.2
"""Effects after the commit: what is logged or printed about an approval, an export or an
import happened, because it is said only once its unit of work has committed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker
from structlog.testing import capture_logs
from typer.testing import CliRunner

from ontzorgen import cli
from ontzorgen.clients.service import import_households
from ontzorgen.config import get_settings
from ontzorgen.db import unit_of_work
from ontzorgen.runs.files import export_run
from ontzorgen.runs.models import PaymentRun
from ontzorgen.runs.service import approve_run, create_run, prepare_run
from tests.factories import CLERK, actor_for, at_noon, example_import, make_gemeente

TODAY = date(2026, 11, 23)
APPROVER = actor_for("accordeerder")
AT: dict[str, Any] = {"today": TODAY, "now": at_noon(TODAY)}


class Boom(Exception):
    """Something failing after the service returned, before the commit."""


@pytest.fixture
def prepared(session_factory: sessionmaker[Session]) -> int:
    with unit_of_work(session_factory) as session:
        make_gemeente(session)
        import_households(session, CLERK, example_import())
        run_id = create_run(session, CLERK, "0439", "2026-12").id
        prepare_run(session, CLERK, run_id, today=TODAY, now=at_noon(TODAY))
    return run_id


def _rolled_back(factory: sessionmaker[Session], action: Callable[[Session], object]) -> None:
    """Do ``action`` in a unit of work that then fails before its commit."""
    with unit_of_work(factory) as session:
        action(session)
        raise Boom


def _events(logs: list[dict[str, Any]]) -> list[str]:
    return [str(entry["event"]) for entry in logs]


def _state(session_factory: sessionmaker[Session], run_id: int) -> str:
    with unit_of_work(session_factory) as session:
        return session.get_one(PaymentRun, run_id).state


def test_a_rolled_back_approval_logs_nothing(
    session_factory: sessionmaker[Session], prepared: int
) -> None:
    with capture_logs() as logs, pytest.raises(Boom):
        _rolled_back(session_factory, lambda s: approve_run(s, APPROVER, prepared, **AT))
    assert "run.approved" not in _events(logs)
    assert _state(session_factory, prepared) == "prepared"
    with capture_logs() as logs, unit_of_work(session_factory) as session:
        approve_run(session, APPROVER, prepared, today=TODAY, now=at_noon(TODAY))
        assert "run.approved" not in _events(logs)  # not yet: nothing has committed
    assert _events(logs).count("run.approved") == 1


def test_a_rolled_back_export_logs_nothing(
    session_factory: sessionmaker[Session], prepared: int
) -> None:
    with unit_of_work(session_factory) as session:
        approve_run(session, APPROVER, prepared, today=TODAY, now=at_noon(TODAY))
    with capture_logs() as logs, pytest.raises(Boom):
        _rolled_back(session_factory, lambda s: export_run(s, CLERK, prepared, **AT))
    assert "run.exported" not in _events(logs)
    assert _state(session_factory, prepared) == "approved"
    with capture_logs() as logs, unit_of_work(session_factory) as session:
        export_run(session, CLERK, prepared, today=TODAY, now=at_noon(TODAY))
    assert _events(logs).count("run.exported") == 1


def test_a_rolled_back_import_logs_nothing(session_factory: sessionmaker[Session]) -> None:
    with unit_of_work(session_factory) as session:
        make_gemeente(session)
    with capture_logs() as logs, pytest.raises(Boom):
        _rolled_back(session_factory, lambda s: import_households(s, CLERK, example_import()))
    assert "import.stored" not in _events(logs)
    with capture_logs() as logs, unit_of_work(session_factory) as session:
        import_households(session, CLERK, example_import())
    assert _events(logs).count("import.stored") == 1


@pytest.fixture
def cli_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ONTZORGEN_DATABASE_URL", database_url)
    monkeypatch.setenv("ONTZORGEN_TODAY", TODAY.isoformat())
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("cli_database")
def test_the_cli_says_geaccordeerd_only_after_the_commit(
    session_factory: sessionmaker[Session], prepared: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()

    def failing_commit(self: Session) -> None:
        raise Boom("the database refused the commit")

    with monkeypatch.context() as patch:
        patch.setattr(Session, "commit", failing_commit)
        with capture_logs() as logs:
            failed = runner.invoke(cli.app, ["run", "approve", str(prepared), "--as", "piet"])
    assert isinstance(failed.exception, Boom)
    assert "geaccordeerd" not in failed.output
    assert "run.approved" not in _events(logs)
    assert _state(session_factory, prepared) == "prepared"

    approved = runner.invoke(cli.app, ["run", "approve", str(prepared), "--as", "piet"])
    assert approved.exit_code == 0, approved.output
    assert f"Betaalrun {prepared} geaccordeerd door piet." in " ".join(approved.output.split())
    assert _state(session_factory, prepared) == "approved"
