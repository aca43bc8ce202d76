# SPDX-License-Identifier: EUPL-1.2
"""Hostile input through the API: every POST and PUT route answers a clear Dutch 4xx naming the
field, never a 500, and stores nothing (property-based, hypothesis)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ontzorgen.api.app import create_app
from ontzorgen.config import Settings
from ontzorgen.db import make_engine
from tests.api_auth import api_app, bearer
from tests.clients.test_api import GEMEENTE
from tests.factories import DATA, example_import
from tests.hostile import (
    JSON_VALUES,
    ODD_TEXT,
    assert_clear_problem,
    encoded,
    mutated,
    row_count,
)

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# A valid body for every POST/PUT route, to mutate; a new route without one fails the test.
VALID_BODIES: dict[str, Any] = {
    "/api/v1/gemeenten": {**GEMEENTE, "code": "0363"},
    "/api/v1/imports": example_import(),
    "/api/v1/gemeenten/{gemeente}/contracten/{contract}/bedragen": {
        "valid_from": "2027-02-01",
        "amount_cents": 75000,
    },
    "/api/v1/gemeenten/{gemeente}/huishoudens/{household}/rekening": {
        "iban": "NL91ABNA0417164300",
        "iban_name": "Y. Al-Hamdan",
    },
    "/api/v1/gemeenten/{gemeente}/huishoudens/{household}/bijstand/einde": {"end": "2027-03-31"},
    "/api/v1/gemeenten/{gemeente}/huishoudens/{household}/verlengingen": {
        "ground": "consent",
        "reason": "Verzoek van de inwoner",
        "end_date": "2027-09-30",
    },
    "/api/v1/gemeenten/{gemeente}/contracten/{contract}/overdracht": {
        "handover_date": "2027-04-01"
    },
    "/api/v1/gemeenten/{gemeente}/betaalontvangers/{payee}/rekening": {
        "iban": "NL91ABNA0417164300"
    },
    "/api/v1/betaalruns": {"gemeente": "0439", "period": "2027-01"},
    "/api/v1/betaalruns/{run_id}/accordering": {},
    "/api/v1/betaalruns/{run_id}/export": {"version": "pain.001.001.09"},
    "/api/v1/betaalruns/{run_id}/annulering": {"reason": "Fout in de huur"},
    "/api/v1/gemeenten/{gemeente}/bankbestanden": {
        "filename": "camt053.xml",
        "content_base64": base64.b64encode(
            (DATA / "bank" / "genkgo-camt" / "camt053.v2.minimal.xml").read_bytes()
        ).decode(),
    },
    "/api/v1/gemeenten/{gemeente}/besluiten": {
        "action": "vasthouden",
        "reason": "Wacht op het juiste IBAN",
        "payment_id": 1,
    },
    "/api/v1/gemeenten/{gemeente}/perioden/{period}/afsluiting": {},
    "/api/v1/gemeenten/{gemeente}/besluiten/{decision_id}/accordering": {},
    "/api/v1/gemeenten/{gemeente}/gebruikers": {
        "login": "nieuw.lid",
        "display_name": "Nieuw Lid",
        "roles": ["budgetcoach"],
    },
    "/api/v1/gemeenten/{gemeente}/gebruikers/{login}/rollen": {"roles": ["accountant"]},
    "/api/v1/gemeenten/{gemeente}/huishoudens/{household}/coach": {"coach": "tester"},
}
VALID_PATH = {
    "gemeente": "0439",
    "household": "HH-2026-0002",
    "contract": "C-0002-HUUR",
    "payee": "WS-WATERLAND",
    "run_id": "1",
    "period": "2026-12",
    "decision_id": "1",
    "login": "tester",
}


def _write_routes() -> list[tuple[str, str]]:
    app = create_app(Settings(database_url="sqlite:///unused.sqlite3"))
    return sorted(
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
        if method in ("post", "put")
    )


WRITE_ROUTES = _write_routes()


@pytest.fixture
def loaded(database_url: str) -> Iterator[tuple[TestClient, str]]:
    with TestClient(api_app(Settings(database_url=database_url)), headers=bearer()) as client:
        assert client.post("/api/v1/gemeenten", json=GEMEENTE).status_code == 201
        assert client.post("/api/v1/imports", json=example_import()).status_code == 201
        yield client, database_url


def test_every_write_route_has_a_valid_body_to_mutate() -> None:
    assert {path for _method, path in WRITE_ROUTES} == set(VALID_BODIES)


@st.composite
def hostile_requests(draw: st.DrawFn) -> tuple[str, str, bytes]:
    method, template = draw(st.sampled_from(WRITE_ROUTES))
    path = template
    for name, value in VALID_PATH.items():
        segment = draw(st.one_of(st.just(value), ODD_TEXT.filter(bool), st.just("9" * 25)))
        path = path.replace(
            "{" + name + "}", quote(segment.encode("utf-8", "surrogatepass"), safe="")
        )
    body = draw(st.one_of(mutated(VALID_BODIES[template]), JSON_VALUES))
    content = draw(st.one_of(st.just(json.dumps(body).encode()), encoded(body)))
    return method, path, content


def _answer_is_clear(
    client: TestClient, engine_url: str, method: str, path: str, content: bytes
) -> None:
    engine = make_engine(engine_url)
    try:
        before = row_count(engine)
        response = client.request(
            method, path, content=content, headers={"Content-Type": "application/json"}
        )
        if response.status_code < 400:
            return  # a mutation that is still valid input
        assert response.headers["content-type"] == "application/problem+json", response.text
        assert_clear_problem(response.status_code, response.json())
        assert row_count(engine) == before, "a refused request stored something"
    finally:
        engine.dispose()


@SETTINGS
@given(request=hostile_requests())
def test_hostile_bodies_get_a_clear_dutch_4xx_and_store_nothing(
    loaded: tuple[TestClient, str], request: tuple[str, str, bytes]
) -> None:
    client, url = loaded
    _answer_is_clear(client, url, *request)


@settings(SETTINGS, max_examples=40)
@given(body=mutated(example_import()))
def test_mutated_imports_are_refused_clearly_or_stored_whole(
    loaded: tuple[TestClient, str], body: Any
) -> None:
    client, url = loaded
    _answer_is_clear(client, url, "POST", "/api/v1/imports", json.dumps(body).encode())


@pytest.mark.parametrize(
    ("place", "value", "field"),
    [
        ("amount", 10**20, "contracts[0].amounts[0].amount_cents"),
        ("amount", 10**15, "contracts[0].amounts[0].amount_cents"),
        ("amount", 1_000_001, "contracts[0].amounts[0].amount_cents"),
        ("kostendelers", 10**20, "right.kostendelers"),
        ("name", "Aman\x00Haile", "persons[0].name"),
    ],
)
def test_out_of_range_values_are_named_in_dutch(
    loaded: tuple[TestClient, str], place: str, value: Any, field: str
) -> None:
    client, _url = loaded
    data = example_import()
    household = data["households"][0]
    household["reference"] = "HH-NIEUW"
    if place == "amount":
        household["contracts"][0]["amounts"][0]["amount_cents"] = value
    elif place == "kostendelers":
        household["right"]["kostendelers"] = value
    else:
        household["persons"][0]["name"] = value
    response = client.post("/api/v1/imports", json={**data, "payees": []})
    assert response.status_code == 422, response.text
    names = [(p.get("record"), p["name"]) for p in response.json()["invalidParams"]]
    assert ("households[0]", field) in names
    assert_clear_problem(422, response.json())


def test_a_windows_1252_body_is_named_as_not_utf8(loaded: tuple[TestClient, str]) -> None:
    client, _url = loaded
    body = json.dumps({**example_import(), "payees": []})  # ASCII, with one "ö" added:
    response = client.post(
        "/api/v1/imports",
        content=body.replace("Haile", "Hailö").encode("cp1252"),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.text
    assert "UTF-8" in response.json()["detail"]
    assert_clear_problem(400, response.json())


READ_PATHS = [
    "/api/v1/gemeenten/{x}",
    "/api/v1/gemeenten/{x}/huishoudens/{x}/maandplannen/2026-12",
    "/api/v1/gemeenten/0439/huishoudens/{x}/maandplannen/{x}",
    "/api/v1/betaalruns/{x}",
    "/api/v1/betaalruns/{x}/bestand",
]


@settings(SETTINGS, max_examples=20)
@given(
    template=st.sampled_from(READ_PATHS),
    segment=st.one_of(ODD_TEXT.filter(bool), st.sampled_from(["\x00", "a\x00b", "9" * 25])),
)
def test_hostile_path_segments_are_not_found_never_a_500(
    loaded: tuple[TestClient, str], template: str, segment: str
) -> None:
    # A NUL in a look-up made PostgreSQL refuse the query (HTTP 500) before.
    client, _url = loaded
    response = client.get(
        template.replace("{x}", quote(segment.encode("utf-8", "surrogatepass"), safe=""))
    )
    if response.status_code != 200:
        assert_clear_problem(response.status_code, response.json())


@pytest.mark.parametrize("segment", ["%00", "a%00b", "%ED%A0%80"])
def test_a_nul_or_broken_character_in_a_path_is_not_found(
    loaded: tuple[TestClient, str], segment: str
) -> None:
    client, _url = loaded
    for template in READ_PATHS:
        response = client.get(template.replace("{x}", segment))
        assert_clear_problem(response.status_code, response.json())
    for method, template in WRITE_ROUTES:
        if "{" not in template:
            continue
        path = template
        for name in VALID_PATH:
            path = path.replace("{" + name + "}", segment)
        response = client.request(method, path, json=VALID_BODIES[template])
        assert_clear_problem(response.status_code, response.json())
