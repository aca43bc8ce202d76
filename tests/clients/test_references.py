# SPDX-License-Identifier: EUPL-1.2
"""References the gemeente gives (household, contract, payee) can be addressed by every
interface: the CLI and each API path. What cannot be one URL path segment is refused at import
with a Dutch reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ontzorgen import cli
from ontzorgen.config import Settings, get_settings
from tests.api_auth import api_app, bearer
from tests.clients.test_api import GEMEENTE
from tests.factories import example_import

ALLOWED = st.from_regex(r"\A[A-Za-z0-9._-]{1,35}\Z").filter(lambda r: r not in (".", ".."))


def _with_references(household: str, contract: str, payee: str) -> dict[str, Any]:
    """The example import with the first household's, its huur contract's and its landlord's
    references replaced."""
    data = example_import()
    data["payees"][0]["reference"] = payee
    for h in data["households"]:
        for c in h["contracts"]:
            if c["payee"] == "WS-WATERLAND":
                c["payee"] = payee
    first = data["households"][0]
    first["reference"] = household
    first["contracts"][0]["reference"] = contract
    return data


def _reachable_everywhere(url: str, household: str, contract: str, payee: str) -> None:
    with TestClient(api_app(Settings(database_url=url)), headers=bearer()) as client:
        assert client.post("/api/v1/gemeenten", json=GEMEENTE).status_code == 201
        tester = {"login": "tester", "display_name": "Tester", "roles": ["inkomen-medewerker"]}
        assert client.post("/api/v1/gemeenten/0439/gebruikers", json=tester).status_code == 201
        stored = client.post("/api/v1/imports", json=_with_references(household, contract, payee))
        assert stored.status_code == 201, stored.text
        h, c, p = (quote(r, safe="") for r in (household, contract, payee))
        plan = client.get(f"/api/v1/gemeenten/0439/huishoudens/{h}/maandplannen/2026-12")
        assert plan.status_code == 200, plan.text
        assert plan.json()["household_reference"] == household
        amount = {"valid_from": "2027-08-01", "amount_cents": 75000}
        added = client.post(f"/api/v1/gemeenten/0439/contracten/{c}/bedragen", json=amount)
        assert added.status_code == 201, added.text
        account = {"iban": "NL91ABNA0417164300"}
        moved = client.put(f"/api/v1/gemeenten/0439/betaalontvangers/{p}/rekening", json=account)
        assert moved.status_code == 204, moved.text
    get_settings.cache_clear()
    try:
        shown = CliRunner().invoke(
            cli.app,
            ["plan", f"--household={household}", "--period", "2026-12", "--json"],
            env={"ONTZORGEN_DATABASE_URL": url, "ONTZORGEN_USER": "tester"},
        )
    finally:
        get_settings.cache_clear()
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["household_reference"] == household


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(references=st.lists(ALLOWED, min_size=3, max_size=3))
def test_every_accepted_reference_is_reachable_by_api_and_cli(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory, references: list[str]
) -> None:
    household, contract, payee = references
    assume(household != "HH-2026-0002")
    assume(contract not in {"C-0001-STROOM", "C-0001-WATER", "C-0001-ZORG", "C-0002-HUUR"})
    assume(payee not in {"ENERGIE-NOORD", "WATER-NH", "ZILVERPOLIS"})
    target = tmp_path_factory.mktemp("ref") / "ontzorgen.sqlite3"  # a fresh database each time
    shutil.copyfile(sqlite_template, target)
    _reachable_everywhere(f"sqlite:///{target}", household, contract, payee)


@pytest.mark.parametrize("reference", ["-HH.1_a", "...", "1", "a" * 35, ".x", "x."])
def test_edge_references_are_reachable(database_url: str, reference: str) -> None:
    _reachable_everywhere(database_url, reference, f"C{reference}"[:35], f"P{reference}"[:35])


@pytest.mark.parametrize(
    ("reference", "says"),
    [
        ("HH/2026/1", "geen '/'"),
        ("HH\\2026", "'\\'"),
        ("..", "de map erboven"),
        (".", "deze map"),
        ("HH 2026", "spatie"),
        ("HH%2F1", "URL"),
        ("HH\x00", "URL"),
        ("HH?1", "URL"),
        ("HH#1", "URL"),
        ("", "mag niet leeg zijn"),
        ("x" * 36, "ten hoogste 35 tekens"),
    ],
)
def test_unaddressable_references_are_refused_saying_why(
    database_url: str, reference: str, says: str
) -> None:
    with TestClient(api_app(Settings(database_url=database_url)), headers=bearer()) as client:
        assert client.post("/api/v1/gemeenten", json=GEMEENTE).status_code == 201
        refused = client.post(
            "/api/v1/imports", json=_with_references(reference, "C-NIEUW", "P-NIEUW")
        )
        assert refused.status_code == 422, refused.text
        params = refused.json()["invalidParams"]
        assert [p["reason"] for p in params if p["name"] == "reference"], params
        reason = next(p["reason"] for p in params if p["name"] == "reference")
        assert says in reason
