# SPDX-License-Identifier: EUPL-1.2
"""No BSN, name or IBAN of a person in any log line, over a full flow through the CLI."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from ontzorgen.logs import configure_logging, get_logger
from tests.factories import example_import
from tests.skeleton.test_cli import run_cli


def _personal_data(data: dict[str, object]) -> set[str]:
    values: set[str] = set()
    for household in data["households"]:  # type: ignore[attr-defined]
        for person in household["persons"]:
            values |= {person["bsn"], person["name"], *person["name"].split()}
            if person.get("name_own_script"):
                values.add(person["name_own_script"])
        if household.get("iban"):
            values |= {household["iban"], household["iban_name"]}
    return {v for v in values if len(v) > 3}


def test_full_flow_logs_no_personal_data(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_file = tmp_path / "ontzorgen.log"  # the CLI keeps its log lines off the person's screen
    monkeypatch.setenv("ONTZORGEN_LOG_FILE", str(log_file))
    data = example_import()
    data["gemeente"] = "9999"  # the demo gemeente
    file = tmp_path / "import.json"
    file.write_text(json.dumps(data))
    logs = []
    for args in (
        ("db", "upgrade"),
        ("demo",),
        ("import", str(file)),
        ("plan", "--household", "HH-2026-0001", "--period", "2026-12"),
        ("plan", "--household", "HH-2026-0002", "--period", "2026-12", "--json"),
        ("import", str(file)),  # refused: errors must not repeat values either
        ("run", "prepare", "--gemeente", "9999", "--period", "2027-01", "--as", "jan"),
        ("run", "approve", "2", "--as", "piet"),
        ("run", "export", "2", "--out", str(tmp_path / "pain.xml"), "--as", "jan"),
        ("run", "show", "2"),
    ):
        result = run_cli(*args, database_url=database_url, cwd=tmp_path)
        logs.append(result.stderr)
        if args[0] in ("plan", "run"):
            assert result.returncode == 0, result.stderr
    log_text = "\n".join([*logs, log_file.read_text(encoding="utf-8")])
    assert '"event": "import.stored"' in log_text  # the flow did log
    assert '"event": "run.exported"' in log_text
    leaked = {value for value in _personal_data(data) if value in log_text}
    assert leaked == set()


def test_masking_processor_catches_what_slips_through(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", json=True)
    get_logger("test").info("oops", detail="IBAN NL12TRIO0198765432 en BSN 628194821")
    logging.getLogger("stdlib").warning("NL12 TRIO 0198 7654 32 / 628194821")
    err = capsys.readouterr().err
    assert "0198765432" not in err
    assert "628194821" not in err
    assert err.count("[iban]") == 2
