# SPDX-License-Identifier: EUPL-1.2
"""Import and monthly plan through the API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ontzorgen.config import Settings
from tests.api_auth import api_app, bearer
from tests.factories import example_import

GEMEENTE = {
    "code": "0439",
    "name": "Purmerend",
    "debtor_name": "Gemeente Purmerend",
    "debtor_iban": "NL14BNGH0285001234",
    "policy": {"minimum_leefgeld_cents": 30000, "minimum_leefgeld_per_extra_member_cents": 10000},
}


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(api_app(Settings(database_url=database_url)), headers=bearer()) as client:
        assert client.post("/api/v1/gemeenten", json=GEMEENTE).status_code == 201
        yield client


def test_import_then_plan_by_reference(client: TestClient) -> None:
    created = client.post("/api/v1/imports", json=example_import())
    assert created.status_code == 201, created.text
    assert created.json()["households"] == 2
    plan = client.get("/api/v1/gemeenten/0439/huishoudens/HH-2026-0001/maandplannen/2026-12")
    assert plan.status_code == 200, plan.text
    body = plan.json()
    huur = next(line for line in body["lines"] if line.get("category") == "huur")
    assert (huur["amount_cents"], huur["rule"]) == (71200, "Pw art. 56a lid 2")
    assert body["totals_cents"]["leefgeld"] == 133143 - 71200 - 9500 - 2500 - 15800


def test_bad_import_is_problem_json_naming_record_and_field(client: TestClient) -> None:
    data = example_import()
    bsn = data["households"][0]["persons"][0]["bsn"] = "111222334"
    response = client.post("/api/v1/imports", json=data)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    params = response.json()["invalidParams"]
    assert params == [
        {
            "name": "persons[0].bsn",
            "reason": "geen geldig BSN (9 cijfers met elfproef)",
            "record": "households[0]",
        }
    ]
    assert bsn not in response.text
    assert (
        client.get(
            "/api/v1/gemeenten/0439/huishoudens/HH-2026-0001/maandplannen/2026-12"
        ).status_code
        == 404
    )


def test_bad_period_names_the_field(client: TestClient) -> None:
    client.post("/api/v1/imports", json=example_import())
    response = client.get("/api/v1/gemeenten/0439/huishoudens/HH-2026-0001/maandplannen/dec")
    assert response.status_code == 422
    assert response.json()["invalidParams"][0]["name"] == "period"


def test_rent_increase_is_a_new_version_from_a_date(client: TestClient) -> None:
    client.post("/api/v1/imports", json=example_import())
    url = "/api/v1/gemeenten/0439/contracten/C-0002-HUUR/bedragen"
    added = client.post(url, json={"valid_from": "2027-03-01", "amount_cents": 86520})
    assert added.status_code == 201, added.text
    refused = client.post(url, json={"valid_from": "2027-02-01", "amount_cents": 1})
    assert refused.status_code == 422
    assert refused.json()["invalidParams"][0]["name"] == "valid_from"
    plans = "/api/v1/gemeenten/0439/huishoudens/HH-2026-0002/maandplannen"
    february = client.get(f"{plans}/2027-02").json()
    march = client.get(f"{plans}/2027-03").json()
    huur = [
        next(line["amount_cents"] for line in plan["lines"] if line.get("category") == "huur")
        for plan in (february, march)
    ]
    assert huur == [84000, 86520]


def test_a_new_own_account_releases_the_held_leefgeld(client: TestClient) -> None:
    client.post("/api/v1/imports", json=example_import())
    url = "/api/v1/gemeenten/0439/huishoudens/HH-2026-0002"
    before = client.get(f"{url}/maandplannen/2026-12").json()["totals_cents"]
    assert before["held"] > 0
    bad = client.put(f"{url}/rekening", json={"iban": "NL00INGB0000000000", "iban_name": "Y"})
    assert bad.status_code == 422
    assert bad.json()["invalidParams"][0]["name"] == "iban"
    assert "NL00INGB" not in bad.text
    ok = client.put(f"{url}/rekening", json={"iban": "NL66ASNB0707070707", "iban_name": "Y."})
    assert ok.status_code == 204, ok.text
    after = client.get(f"{url}/maandplannen/2026-12").json()["totals_cents"]
    assert (after["held"], after["leefgeld"]) == (0, before["held"])


def test_bijstand_ends_early_and_the_window_with_it(client: TestClient) -> None:
    client.post("/api/v1/imports", json=example_import())
    url = "/api/v1/gemeenten/0439/huishoudens/HH-2026-0001"
    before = client.put(f"{url}/bijstand/einde", json={"end": "2026-11-30"})
    assert before.status_code == 422  # before the right starts: the fact check refuses it
    assert before.json()["invalidParams"][0]["name"] == "BijstandRight.end"
    assert client.put(f"{url}/bijstand/einde", json={"end": "2027-01-31"}).status_code == 204
    january = client.get(f"{url}/maandplannen/2027-01").json()
    assert january["window"]["end"] == "2027-01-31"
    assert january["totals_cents"]["vt_payout"] == 2 * 7007  # December and January
    assert client.get(f"{url}/maandplannen/2027-02").status_code == 422


def test_extension_needs_a_ground_and_handover_stops_withholding(client: TestClient) -> None:
    client.post("/api/v1/imports", json=example_import())
    url = "/api/v1/gemeenten/0439/huishoudens/HH-2026-0001"
    no_ground = client.post(f"{url}/verlengingen", json={"reason": "x", "end_date": "2027-08-31"})
    assert no_ground.status_code == 422
    assert no_ground.json()["invalidParams"][0]["name"] == "ground"
    extended = client.post(
        f"{url}/verlengingen",
        json={"ground": "consent", "reason": "toestemming 2027-05-20", "end_date": "2027-08-31"},
    )
    assert extended.status_code == 201, extended.text
    june = client.get(f"{url}/maandplannen/2027-06").json()
    assert {line.get("category") for line in june["lines"] if line["kind"] == "withholding"} == {
        "huur", "stroom", "water", "zorgverzekering",
    }  # fmt: skip
    handed = client.put(
        "/api/v1/gemeenten/0439/contracten/C-0001-STROOM/overdracht",
        json={"handover_date": "2027-06-01"},
    )
    assert handed.status_code == 204
    june = client.get(f"{url}/maandplannen/2027-06").json()
    assert "stroom" not in {
        line.get("category") for line in june["lines"] if line["kind"] == "withholding"
    }


def test_a_payee_changes_bank_account(client: TestClient) -> None:
    client.post("/api/v1/imports", json=example_import())
    url = "/api/v1/gemeenten/0439/betaalontvangers/WATER-NH/rekening"
    assert client.put(url, json={"iban": "NL67INGB0006543211"}).status_code == 422
    assert client.put(url, json={"iban": "NL66ASNB0707070707"}).status_code == 204
    assert (
        client.put(
            "/api/v1/gemeenten/0439/betaalontvangers/NOBODY/rekening",
            json={"iban": "NL66ASNB0707070707"},
        ).status_code
        == 404
    )
