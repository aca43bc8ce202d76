# SPDX-License-Identifier: EUPL-1.2
"""The app: health with a database check, OpenAPI, problem+json errors, the unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import version

import pytest
from fastapi.testclient import TestClient

from ontzorgen.config import Settings
from tests.api_auth import api_app, bearer

GEMEENTE = {
    "code": "0439",
    "name": "Purmerend",
    "debtor_name": "Gemeente Purmerend",
    "debtor_iban": "NL14BNGH0285001234",
    "policy": {
        "minimum_leefgeld_cents": 30000,
        "minimum_leefgeld_per_extra_member_cents": 10000,
    },
}


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(api_app(Settings(database_url=database_url)), headers=bearer()) as client:
        yield client


def test_healthz_checks_the_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_healthz_reports_an_unreachable_database(tmp_path: object) -> None:
    settings = Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    with TestClient(api_app(settings), headers=bearer()) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_openapi_lists_versioned_routes(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert "/api/v1/gemeenten" in document["paths"]
    assert client.get("/healthz").headers["API-Version"] == version("ontzorgen")


def test_create_gemeente_derives_bic_and_commits(client: TestClient) -> None:
    created = client.post("/api/v1/gemeenten", json=GEMEENTE)
    assert created.status_code == 201, created.text
    assert created.json()["debtor_bic"] == "BNGHNL2G"
    assert client.get("/api/v1/gemeenten/0439").json()["name"] == "Purmerend"


def test_bad_iban_is_a_problem_naming_the_field_and_nothing_is_stored(
    client: TestClient,
) -> None:
    response = client.post(
        "/api/v1/gemeenten", json={**GEMEENTE, "debtor_iban": "NL15BNGH0285001234"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["invalidParams"][0]["name"] == "debtor_iban"
    assert "IBAN" in problem["invalidParams"][0]["reason"]
    assert client.get("/api/v1/gemeenten").json() == []


def test_domain_error_is_problem_json(client: TestClient) -> None:
    assert client.post("/api/v1/gemeenten", json=GEMEENTE).status_code == 201
    duplicate = client.post("/api/v1/gemeenten", json=GEMEENTE)
    assert duplicate.status_code == 409
    assert duplicate.json()["type"] == "urn:ontzorgen:probleem:conflict"
    missing = client.get("/api/v1/gemeenten/0001")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
