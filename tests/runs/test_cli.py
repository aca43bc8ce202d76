# SPDX-License-Identifier: EUPL-1.2
"""The run and sepa commands as a user runs them (real processes, both databases)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.db import unit_of_work
from ontzorgen.sepa.schemas import validate_xsd
from tests.factories import DATA, make_gemeente
from tests.skeleton.test_cli import run_cli

SAMPLES = DATA / "sepa"


def test_run_lifecycle_from_the_command_line(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with unit_of_work(session_factory) as session:
        make_gemeente(session)

    def cli(*args: str) -> str:
        result = run_cli(*args, database_url=database_url, cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    cli("import", str(DATA / "import" / "purmerend-december-2026.json"))
    prepared = cli("run", "prepare", "--gemeente", "0439", "--period", "2026-12", "--as", "jan")
    assert "Status: voorbereid" in prepared
    assert "OZ-0439-202612-R1-VL-" in prepared
    refused = run_cli("run", "approve", "1", "--as", "jan", database_url=database_url,
                      cwd=tmp_path)  # fmt: skip
    assert refused.returncode == 1
    assert "vier ogen" in refused.stderr
    cli("run", "approve", "1", "--as", "piet")
    out = tmp_path / "pain.001.xml"
    cli("run", "export", "1", "--out", str(out), "--as", "jan")
    assert validate_xsd(out.read_bytes(), "pain.001.001.09") == []
    checked = cli("sepa", "check", str(out))
    assert "geen problemen in 6 betalingen" in checked
    shown = json.loads(cli("run", "show", "1", "--json"))
    assert (shown["state"], shown["payments"], shown["total_cents"]) == ("exported", 6, 217143)
    second = run_cli("run", "prepare", "--gemeente", "0439", "--period", "2026-12",
                     database_url=database_url, cwd=tmp_path)  # fmt: skip
    assert second.returncode == 1
    assert "al een reguliere betaalrun" in second.stderr


def test_sepa_check_exit_codes(tmp_path: Path) -> None:
    ing = SAMPLES / "nl-banks-pain001" / "ing-pain.001.001.03-voorbeeldbestand.xml"
    url = "sqlite:///unused.sqlite3"
    with_dates = run_cli("sepa", "check", str(ing), "--today", "2026-11-23",
                         database_url=url, cwd=tmp_path)  # fmt: skip
    assert with_dates.returncode == 1
    assert "execution-date-past" in with_dates.stdout
    without = run_cli("sepa", "check", str(ing), "--no-date-check", database_url=url,
                      cwd=tmp_path)  # fmt: skip
    assert without.returncode == 0
    assert "WAARSCHUWING" in without.stdout
    missing = run_cli("sepa", "check", str(tmp_path / "none.xml"), database_url=url,
                      cwd=tmp_path)  # fmt: skip
    assert missing.returncode == 2
