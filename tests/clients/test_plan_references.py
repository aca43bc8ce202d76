# SPDX-License-Identifier: EUPL-1.2
"""The plan's JSON names the gemeente's own references beside the internal ids (CLI and API)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.clients.service import import_households
from ontzorgen.config import Settings
from ontzorgen.db import unit_of_work
from tests.api_auth import api_app, bearer
from tests.factories import CLERK, example_import, make_gemeente
from tests.skeleton.test_cli import run_cli

EXPECTED = {
    ("huur", "C-0001-HUUR", "WS-WATERLAND"),
    ("stroom", "C-0001-STROOM", "ENERGIE-NOORD"),
    ("water", "C-0001-WATER", "WATER-NH"),
    ("zorgverzekering", "C-0001-ZORG", "ZILVERPOLIS"),
}


def _references(plan: dict[str, Any]) -> set[tuple[str, str, str]]:
    lines = [line for line in plan["lines"] if "contract_id" in line]
    assert all("payee_id" in line for line in lines)
    return {
        (line["category"], line["contract_reference"], line["payee_reference"]) for line in lines
    }


def test_the_plan_json_gives_contract_and_payee_references(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with unit_of_work(session_factory) as session:
        make_gemeente(session)
        import_households(session, CLERK, example_import())
    shown = run_cli("plan", "--household", "HH-2026-0001", "--period", "2026-12", "--json",
                    database_url=database_url, cwd=tmp_path)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    from_cli = json.loads(shown.stdout)
    assert _references(from_cli) == EXPECTED
    with TestClient(api_app(Settings(database_url=database_url)), headers=bearer()) as client:
        from_api = client.get(
            "/api/v1/gemeenten/0439/huishoudens/HH-2026-0001/maandplannen/2026-12"
        ).json()
    assert _references(from_api) == EXPECTED
    assert from_api == from_cli
