# SPDX-License-Identifier: EUPL-1.2
"""An inburgeraar logs in through the DigiD broker: their own household only, and the BSN of
the login in no log line, no response and no session row."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from ontzorgen.auth import SYSTEM
from ontzorgen.auth.models import LoginSession
from ontzorgen.clients.models import Household
from ontzorgen.clients.service import import_households
from tests.auth.conftest import World, login
from tests.factories import example_import

BSN = "628194821"  # Aman Haile, the only person of HH-2026-0001 in the example import
PLAN = "/api/v1/gemeenten/0439/huishoudens/{}/maandplannen/2026-12"


def test_inburgeraar_sees_only_their_household_and_the_bsn_shows_nowhere(
    world: World, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    with world.session() as session:
        import_households(session, SYSTEM, example_import())
    world.provider.set_user("digid-aman", {"bsn": BSN})
    answers = [login(world, "digid-aman", path="/login/digid")]
    assert answers[0].status_code == 303, answers[0].text
    answers.append(own := world.client.get(PLAN.format("HH-2026-0001")))
    assert own.status_code == 200, own.text
    answers.append(other := world.client.get(PLAN.format("HH-2026-0002")))
    assert other.status_code in (403, 404)
    answers.append(start := world.client.get("/"))
    assert "U bent ingelogd" in start.text
    assert "Mijn maand" in start.text
    answers.append(world.client.get("/api/v1/gemeenten"))
    for answer in answers:
        assert BSN not in answer.text
        assert BSN not in str(answer.headers)
    with world.session() as session:
        own_id = session.scalars(
            select(Household.id).where(Household.reference == "HH-2026-0001")
        ).one()
        row = session.scalars(select(LoginSession)).one()
        assert row.household_ids == str(own_id)
        assert row.user_id is None
        assert BSN not in row.subject_label
    logged = caplog.text + "".join(capsys.readouterr())
    assert "login.succeeded" in logged  # the capture saw the app's lines
    assert BSN not in logged


def test_a_bsn_without_a_household_is_a_dutch_403_and_nothing_is_stored(world: World) -> None:
    world.provider.set_user("digid-onbekend", {"bsn": "111222333"})
    answer = login(world, "digid-onbekend", path="/login/digid")
    assert answer.status_code == 403
    assert "geen huishouden" in answer.text
    assert "111222333" not in answer.text
    with world.session() as session:
        assert session.scalars(select(LoginSession)).first() is None


def test_a_digid_login_without_a_bsn_claim_is_refused(world: World) -> None:
    world.provider.set_user("digid-zonder", {"name": "Iemand"})
    answer = login(world, "digid-zonder", path="/login/digid")
    assert answer.status_code == 400
    assert "BSN" in answer.text
