# SPDX-License-Identifier: EUPL-1.2
"""The run desk's pages without a browser, in the matrix world (two gemeenten, an exported
December run in each): another gemeente's run is "niet gevonden", forged and bad forms change
nothing, household reads are logged, the file is the stored one."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.api.app import create_app
from ontzorgen.auth.models import AuditEvent
from ontzorgen.auth.sessions import COOKIE
from ontzorgen.config import Settings
from ontzorgen.db import make_engine, make_session_factory
from ontzorgen.runs.models import PaymentRun, RunFile
from tests.auth.matrix_world import APP_CLOCK, HOME, OTHER, OWN_HOUSEHOLD, World, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("rundesk"))


@pytest.fixture
def app(world: World, tmp_path: Path) -> Iterator[tuple[TestClient, sessionmaker[Session]]]:
    copy = tmp_path / "case.sqlite3"
    shutil.copyfile(world.template, copy)
    url = f"sqlite:///{copy}"
    application = create_app(Settings(database_url=url, login_rate_per_minute=10_000),
                             clock=APP_CLOCK)  # fmt: skip
    engine = make_engine(url)
    factory = make_session_factory(engine, clock=APP_CLOCK)
    application.state.session_factory = factory
    with TestClient(application, follow_redirects=False) as client:
        yield client, factory
    engine.dispose()


def _as(client: TestClient, world: World, role: str) -> str:
    """Log the client in as ``role``; returns the session's CSRF token."""
    login = world.logins[role]
    client.cookies.set(COOKIE, login.token)
    return login.csrf_token


def _runs(factory: sessionmaker[Session]) -> list[tuple[int, str]]:
    with factory() as session:
        runs = session.scalars(select(PaymentRun).order_by(PaymentRun.id))
        return [(r.id, r.state) for r in runs]


def test_another_gemeentes_run_is_not_found(
    world: World, app: tuple[TestClient, sessionmaker[Session]]
) -> None:
    client, _ = app
    _as(client, world, "inkomen-medewerker")
    other = world.data[OTHER].run_id
    for path in (f"/betaalruns/{other}", f"/betaalruns/{other}/overzicht",
                 f"/betaalruns/{other}/huishoudens", f"/betaalruns/{other}/bestand",
                 f"/betaalruns/{other}/huishoudens/{OWN_HOUSEHOLD}"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Niet gevonden" in response.text, path
        assert OTHER not in response.text.split("<main", 1)[1], "nothing of the other gemeente"
    assert client.get(f"/betaalruns/{other}/voortgang").status_code == 404
    for path in ("/betaalruns/0", "/betaalruns/abc", "/betaalruns/99999999999999999999999"):
        assert client.get(path).status_code == 404
    listed = client.get("/betaalruns").text
    assert f'/betaalruns/{world.data[HOME].run_id}"' in listed
    assert f'/betaalruns/{other}"' not in listed


def test_forged_csrf_and_a_bad_period_change_nothing(
    world: World, app: tuple[TestClient, sessionmaker[Session]]
) -> None:
    client, factory = app
    before = _runs(factory)
    token = _as(client, world, "inkomen-medewerker")
    run_id = world.data[HOME].run_id
    for path, form in (
        ("/betaalruns", {"gemeente": HOME, "period": "2027-01"}),
        (f"/betaalruns/{run_id}/annulering", {"reason": "zomaar"}),
        (f"/betaalruns/{run_id}/correctie", {"correction_reason": "zomaar"}),
    ):
        for forged in ({"csrf_token": "vervalst"}, {}):
            response = client.post(path, data={**forged, **form})
            assert response.status_code == 403, path
            assert "Verzoek geweigerd" in response.text
    response = client.post("/betaalruns", data={"csrf_token": token, "gemeente": HOME,
                                                "period": "januari"})  # fmt: skip
    assert response.status_code == 422
    assert re.search(r'id="fout-period"', response.text)
    assert 'aria-invalid="true"' in response.text
    assert "Controleer het formulier" in response.text
    # A second regular run of a month that has one: refused with the service's reason.
    response = client.post("/betaalruns", data={"csrf_token": token, "gemeente": HOME,
                                                "period": "2026-12"})  # fmt: skip
    assert response.status_code == 409
    assert "maak een correctierun met een reden" in response.text
    # A correction without a reason: a field error.
    response = client.post(f"/betaalruns/{run_id}/correctie",
                           data={"csrf_token": token, "correction_reason": " "})  # fmt: skip
    assert response.status_code == 422
    assert 'id="fout-correction_reason"' in response.text
    assert _runs(factory) == before


def test_the_accordeerder_cannot_export_or_cancel_and_sees_why(
    world: World, app: tuple[TestClient, sessionmaker[Session]]
) -> None:
    client, factory = app
    token = _as(client, world, "accordeerder")
    run_id = world.data[HOME].run_id
    response = client.post(f"/betaalruns/{run_id}/annulering",
                           data={"csrf_token": token, "reason": "zomaar"})  # fmt: skip
    assert response.status_code == 403
    assert "betaalrun annuleren" in response.text
    response = client.post(f"/betaalruns/{run_id}/accordering", data={"csrf_token": token})
    assert response.status_code == 409  # already exported: the state is the reason
    assert "geëxporteerd" in response.text
    assert dict(_runs(factory))[run_id] == "exported"


def test_reads_of_households_are_logged_and_the_file_is_the_stored_one(
    world: World, app: tuple[TestClient, sessionmaker[Session]]
) -> None:
    client, factory = app
    _as(client, world, "accountant")
    run_id = world.data[HOME].run_id

    def logged(action: str) -> int:
        with factory() as session:
            return int(session.scalar(
                select(func.count()).where(AuditEvent.action == action)
            ) or 0)  # fmt: skip

    listed = client.get(f"/betaalruns/{run_id}/huishoudens")
    assert listed.status_code == 200
    assert OWN_HOUSEHOLD in listed.text
    assert logged("betaalrun.huishoudens.bekeken") >= 2  # one per household listed
    plan = client.get(f"/betaalruns/{run_id}/huishoudens/{OWN_HOUSEHOLD}")
    assert plan.status_code == 200
    assert "Het plan, regel voor regel" in plan.text
    assert logged("maandplan.bekeken") == 1
    progress = client.get(f"/betaalruns/{run_id}/voortgang").json()
    assert progress["finished"] is True
    assert progress["percent"] == 100
    assert progress["state"] == "exported"
    download = client.get(f"/betaalruns/{run_id}/bestand")
    assert download.status_code == 200
    with factory() as session:
        stored = session.scalars(select(RunFile).where(RunFile.run_id == run_id)).one()
        assert download.content == stored.content
    assert logged("betaalbestand.gedownload") >= 1
