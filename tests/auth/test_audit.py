# SPDX-License-Identifier: EUPL-1.2
"""The audit log and four eyes on decisions: append-only and checked by the database itself,
written with every change and every view of a household's data, and an access that cannot be
logged does not happen (both databases)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.auth.models import AuditEvent
from ontzorgen.bank.decisions import approve_decision, decide
from ontzorgen.bank.importer import import_records
from ontzorgen.bank.models import DecisionApproval
from ontzorgen.clients.models import Household
from ontzorgen.clients.service import import_households
from ontzorgen.config import Settings
from ontzorgen.errors import NotPermitted
from ontzorgen.runs.models import Payment, PaymentRun
from tests.api_auth import api_app, bearer
from tests.bank.conftest import ACCOUNTANT, APPROVER, NOV_23, exported_december
from tests.bank.records import pain002
from tests.factories import CLERK, at_noon, example_import, make_gemeente
from tests.runs.test_tamper import _refused
from tests.skeleton.test_cli import run_cli

PLAN = "/api/v1/gemeenten/0439/huishoudens/HH-2026-0001/maandplannen/2026-12"


@pytest.fixture
def imported(session: Session) -> None:
    make_gemeente(session)
    import_households(session, CLERK, example_import())
    session.commit()


@pytest.mark.usefixtures("imported")
def test_the_audit_log_only_grows(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent))
    _refused(session_factory, "UPDATE audit_event SET user_id = 'niemand'", "ontzorgen:immutable")
    _refused(session_factory, "DELETE FROM audit_event", "ontzorgen:immutable")


@pytest.fixture
def decided(session: Session) -> int:
    """A returned huur payment and an accountant's decision to pay it again."""
    run_id, _ = exported_december(session)
    huur = session.scalars(
        select(Payment).where(Payment.run_id == run_id).order_by(Payment.id)
    ).first()
    assert huur is not None
    msg_id = session.get_one(PaymentRun, run_id).msg_id
    assert msg_id is not None
    import_records(session, ACCOUNTANT, "0439", b"p", pain002(msg_id, [(huur, "AC04")]),
                   filename="p.xml", today=NOV_23, now=at_noon(NOV_23))  # fmt: skip
    decision = decide(session, ACCOUNTANT, "0439", action="herbetalen", reason="juiste IBAN",
                      payment_id=huur.id, now=at_noon(NOV_23))  # fmt: skip
    session.commit()
    return decision.id


def test_four_eyes_on_a_decision_in_the_service_and_in_the_database(
    session: Session, session_factory: sessionmaker[Session], decided: int
) -> None:
    with pytest.raises(NotPermitted, match="vier ogen"):
        approve_decision(session, ACCOUNTANT, "0439", decided, now=at_noon(NOV_23))
    session.rollback()
    # Raw SQL: the approver is the decider, or a forged decided_by to get around the CHECK.
    insert = (
        "INSERT INTO decision_approval (gemeente_id, decision_id, decided_by, approved_by, "
        "approved_at) VALUES (1, {d}, '{by}', '{approver}', CURRENT_TIMESTAMP)"
    )
    _refused(session_factory, insert.format(d=decided, by="accountant", approver="accountant"),
             r"(?i)check|four_eyes")  # fmt: skip
    _refused(session_factory, insert.format(d=decided, by="iemand", approver="accountant"),
             "ontzorgen:four_eyes")  # fmt: skip
    approval = approve_decision(session, APPROVER, "0439", decided, now=at_noon(NOV_23))
    session.commit()
    assert (approval.decided_by, approval.approved_by) == ("accountant", "accordeerder")
    _refused(session_factory, "UPDATE decision_approval SET approved_by = 'accountant'",
             "ontzorgen:immutable")  # fmt: skip
    _refused(session_factory, "DELETE FROM decision_approval", "ontzorgen:immutable")
    with session_factory() as check:
        assert check.scalar(select(func.count()).select_from(DecisionApproval)) == 1


@pytest.mark.usefixtures("imported")
def test_viewing_a_plan_is_logged_with_who_and_which_household(
    database_url: str, session_factory: sessionmaker[Session]
) -> None:
    with TestClient(api_app(Settings(database_url=database_url)), headers=bearer("anna")) as api:
        assert api.get(PLAN).status_code == 200
    with session_factory() as session:
        household = session.scalars(
            select(Household.id).where(Household.reference == "HH-2026-0001")
        ).one()
        viewed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "maandplan.bekeken")
        ).all()
    assert [(e.user_id, e.channel, e.household_id, e.object_ref) for e in viewed] == [
        ("anna", "api", household, "periode:2026-12")
    ]


@pytest.mark.usefixtures("imported")
def test_an_access_that_cannot_be_logged_does_not_happen(
    backend: str, database_url: str, session_factory: sessionmaker[Session]
) -> None:
    with session_factory() as session:  # the audit log breaks: every insert into it fails
        if backend == "sqlite":
            session.execute(text(
                "CREATE TRIGGER audit_broken BEFORE INSERT ON audit_event "
                "BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END"
            ))  # fmt: skip
        else:
            session.execute(text(
                "CREATE FUNCTION audit_broken() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$"
            ))  # fmt: skip
            session.execute(text(
                "CREATE TRIGGER audit_broken BEFORE INSERT ON audit_event "
                "FOR EACH ROW EXECUTE FUNCTION audit_broken()"
            ))  # fmt: skip
        session.commit()
    app = api_app(Settings(database_url=database_url))
    with TestClient(app, headers=bearer(), raise_server_exceptions=False) as api:
        viewed = api.get(PLAN)
        assert viewed.status_code >= 500
        assert "HH-2026-0001" not in viewed.text
        assert "Haile" not in viewed.text
        changed = api.put(
            "/api/v1/gemeenten/0439/huishoudens/HH-2026-0001/rekening",
            json={"iban": "NL91ABNA0417164300", "iban_name": "A. Haile"},
        )
        assert changed.status_code >= 500
    with session_factory() as session:
        assert (
            session.scalars(
                select(Household.iban).where(Household.reference == "HH-2026-0001")
            ).one()
            != "NL91ABNA0417164300"
        )


@pytest.mark.usefixtures("imported")
def test_the_privacy_officer_gets_who_looked_at_one_household_as_csv(
    database_url: str, tmp_path: object
) -> None:
    with TestClient(api_app(Settings(database_url=database_url)), headers=bearer("anna")) as api:
        api.get(PLAN)
        api.get("/api/v1/gemeenten/0439/huishoudens/HH-2026-0002/maandplannen/2026-12")
        response = api.get("/api/v1/gemeenten/0439/auditlog", params={"huishouden": "HH-2026-0001"},
                           headers=bearer("privacy"))  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text), delimiter=";"))
    assert {r["huishouden"] for r in rows} == {"HH-2026-0001"}
    assert ("anna", "maandplan.bekeken") in {(r["gebruiker"], r["handeling"]) for r in rows}
    # The CLI asks as a named user; the operating-system user is recorded beside it.
    cli = run_cli("audit", "--gemeente", "0439", "--household", "HH-2026-0001", "--as", "jan",
                  database_url=database_url, cwd=tmp_path)  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    lines = list(csv.DictReader(io.StringIO(cli.stdout), delimiter=";"))
    assert ("privacy", "auditlog.bekeken") in {(r["gebruiker"], r["handeling"]) for r in lines}


@pytest.mark.usefixtures("imported")
def test_the_cli_acts_only_as_an_existing_user_and_records_the_os_user(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: object
) -> None:
    unknown = run_cli("plan", "--household", "HH-2026-0001", "--period", "2026-12", "--as",
                      "onbekend", database_url=database_url, cwd=tmp_path)  # fmt: skip
    assert unknown.returncode == 1
    assert "gebruiker onbekend bestaat niet" in unknown.stderr
    shown = run_cli("plan", "--household", "HH-2026-0001", "--period", "2026-12", "--as", "jan",
                    database_url=database_url, cwd=tmp_path)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    with session_factory() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "maandplan.bekeken")
        ).one()
    assert (event.user_id, event.channel) == ("jan", "cli")
    assert event.os_user
