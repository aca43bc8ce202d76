# SPDX-License-Identifier: EUPL-1.2
"""No BSN, name or IBAN of a person in any log line, over a full flow through the CLI."""

from __future__ import annotations

import json
import logging
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from ontzorgen.bijstand.period import Period
from ontzorgen.clock import SystemClock
from ontzorgen.logs import configure_logging, get_logger
from tests.conftest import CALENDAR_DAYS
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


def _flat(text: str) -> str:
    """The CLI's output without the line breaks of the terminal's width."""
    return " ".join(text.split())


@pytest.mark.parametrize("today", [None, *CALENDAR_DAYS], ids=str)
def test_full_flow_logs_no_personal_data(
    database_url: str, tmp_path: Path, today: date | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The full CLI flow on the real day (None) and on each fixed day (ONTZORGEN_TODAY): the
    demo pays the month after the day, the test's own run the month after that."""
    log_file = tmp_path / "ontzorgen.log"  # the CLI keeps its log lines off the person's screen
    monkeypatch.setenv("ONTZORGEN_LOG_FILE", str(log_file))
    day = today or SystemClock().today()
    demo_month = Period.of(day).next()
    data = example_import()
    data["gemeente"] = "9999"  # the demo gemeente
    file = tmp_path / "import.json"
    file.write_text(json.dumps(data))

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        result = run_cli(*args, database_url=database_url, cwd=tmp_path, today=today)
        logs.append(result.stderr)
        if args[0] in ("demo", "plan", "run"):
            assert result.returncode == 0, result.stderr
        return result

    logs: list[str] = []
    cli("db", "upgrade")
    demo = cli("demo")
    assert f"voor {demo_month.label()} (de maand na {day:%d-%m-%Y})" in _flat(demo.stdout)
    for login, role in (("jan", "inkomen-medewerker"), ("piet", "accordeerder")):
        cli("user", "add", login, "--name", login, "--gemeente", "9999", "--role", role)
    cli("import", str(file), "--as", "jan")
    cli("plan", "--household", "HH-2026-0001", "--period", "2026-12", "--as", "jan")
    cli("plan", "--household", "HH-2026-0002", "--period", "2026-12", "--json", "--as", "jan")
    cli("import", str(file), "--as", "jan")  # refused: errors must not repeat values either
    period = demo_month.next().label()
    prepared = cli("run", "prepare", "--gemeente", "9999", "--period", period, "--as", "jan")
    found = re.search(rf"Betaalrun (\d+) .* periode {period}", _flat(prepared.stdout))
    assert found is not None, prepared.stdout
    run_id = found.group(1)
    approved = cli("run", "approve", run_id, "--as", "piet")
    assert f"Betaalrun {run_id} geaccordeerd door piet." in _flat(approved.stdout)
    cli("run", "export", run_id, "--out", str(tmp_path / "pain.xml"), "--as", "jan")
    cli("run", "show", run_id, "--as", "piet")
    log_text = "\n".join([*logs, log_file.read_text(encoding="utf-8")])
    assert '"event": "import.stored"' in log_text  # the flow did log
    assert '"event": "run.approved"' in log_text
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
