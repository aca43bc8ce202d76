# SPDX-License-Identifier: EUPL-1.2
"""People read run states in Dutch; the database and the API's ``state`` keep the machine value."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ontzorgen.errors import Conflict
from ontzorgen.runs.files import export_run
from ontzorgen.runs.models import RUN_STATE_LABELS, RUN_STATES
from ontzorgen.runs.overview import overview_text, run_overview
from ontzorgen.runs.service import approve_run, cancel_run, prepare_run
from tests.factories import CLERK, actor_for, at_noon
from tests.runs.test_api import PIET, _prepared, client  # noqa: F401
from tests.runs.test_lifecycle import APPROVER, TODAY, prepared  # noqa: F401

READER = actor_for("lezer")

ENGLISH = re.compile(r"\b(queued|prepared|approved|exported|cancelled|failed)\b")


def test_every_state_has_a_dutch_label() -> None:
    assert set(RUN_STATE_LABELS) == set(RUN_STATES)
    assert not any(ENGLISH.search(label) for label in RUN_STATE_LABELS.values())


def test_the_overview_shows_the_dutch_state(session: Session, prepared: int) -> None:  # noqa: F811
    overview = run_overview(session, READER, prepared)
    text = overview_text(overview)
    assert "Status: voorbereid" in text
    assert "Soort: regulier" in text
    assert overview.as_dict()["state"] == "prepared"
    assert overview.as_dict()["state_label"] == "voorbereid"


def test_a_refused_transition_names_the_states_in_dutch(
    session: Session,
    prepared: int,  # noqa: F811
) -> None:
    approve_run(session, APPROVER, prepared, today=TODAY, now=at_noon(TODAY))
    session.commit()
    with pytest.raises(Conflict) as again:
        approve_run(session, APPROVER, prepared, today=TODAY, now=at_noon(TODAY))
    assert again.value.detail == (
        f"betaalrun {prepared} is geaccordeerd; accorderen kan alleen als de run voorbereid is"
    )
    with pytest.raises(Conflict) as repeat:
        prepare_run(session, CLERK, prepared, today=TODAY, now=at_noon(TODAY))
    assert "voorbereiden kan alleen als de run in de wachtrij is" in repeat.value.detail
    export_run(session, CLERK, prepared, today=TODAY, now=at_noon(TODAY))
    session.commit()
    with pytest.raises(Conflict) as late:
        cancel_run(session, CLERK, prepared, "te laat", today=TODAY, now=at_noon(TODAY))
    assert late.value.detail == (
        f"betaalrun {prepared} is geëxporteerd; annuleren kan alleen als de run in de wachtrij, "
        "voorbereid, geaccordeerd of mislukt is"
    )
    for error in (again, repeat, late):
        assert not ENGLISH.search(error.value.detail)


def test_the_api_gives_the_state_and_its_dutch_label(
    client: TestClient,  # noqa: F811
    backend: str,
    database_url: str,
) -> None:
    run_id = _prepared(client, backend, database_url)
    shown = client.get(f"/api/v1/betaalruns/{run_id}").json()
    assert (shown["state"], shown["state_label"], shown["kind_label"]) == (
        "prepared",
        "voorbereid",
        "regulier",
    )
    assert client.post(f"/api/v1/betaalruns/{run_id}/accordering", headers=PIET).status_code == 200
    refused = client.post(f"/api/v1/betaalruns/{run_id}/accordering", headers=PIET)
    assert refused.status_code == 409
    assert "is geaccordeerd; accorderen kan alleen" in refused.json()["detail"]
    assert not ENGLISH.search(refused.json()["detail"])
