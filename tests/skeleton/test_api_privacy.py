# SPDX-License-Identifier: EUPL-1.2
"""No BSN in any URL or response, and no BSN, person's name or IBAN in any log line or error
message, over a full flow through the API (import, plan, run prepare/approve/export, bank
files, payment status, reconciliation, audit CSV) and the CLI, on both databases.

Log events are captured before rendering (structlog's capture), so the masking processor of
ontzorgen/logs.py cannot hide a leak from this test: the code itself must not log them."""

from __future__ import annotations

import base64
import json
import logging
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import structlog
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen import jobs
from ontzorgen.clock import FixedClock
from ontzorgen.config import Settings
from ontzorgen.db import unit_of_work
from tests.api_auth import api_app, bearer
from tests.bank.testbank import Credit, camt053, pain002, read_pain001
from tests.factories import example_import, make_gemeente
from tests.skeleton.test_cli import run_cli


def _people(data: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The import's BSNs, and its names and IBANs of persons."""
    bsns: set[str] = set()
    other: set[str] = set()
    for household in data["households"]:
        for person in household["persons"]:
            bsns.add(person["bsn"])
            other |= {person["name"], *(p for p in person["name"].split() if len(p) > 3)}
        other |= {v for v in (household.get("iban"), household.get("iban_name")) if v}
    return bsns, other


class Recorder:
    """A test client that keeps every URL, response body and error message it saw."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.urls: list[str] = []
        self.bodies: list[str] = []
        self.errors: list[str] = []

    def __call__(self, method: str, url: str, expect: int | str, **kwargs: Any) -> Any:
        """``expect`` is a status code, or ``"4xx"`` for any refusal."""
        answer = self.client.request(method, url, **kwargs)
        self.urls.append(str(answer.request.url))
        body = answer.content.decode("utf-8", "replace")
        self.bodies.append(body)
        if answer.status_code >= 400:
            self.errors.append(body)
        ok = 400 <= answer.status_code < 500 if expect == "4xx" else answer.status_code == expect
        assert ok, (url, answer.status_code, body)
        return answer


def test_full_api_and_cli_flow_leaks_no_personal_data(
    session_factory: sessionmaker[Session],
    database_url: str,
    backend: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = example_import()
    bsns, other = _people(data)
    with unit_of_work(session_factory) as session:
        make_gemeente(session)
    app = api_app(Settings(database_url=database_url), clock=FixedClock(date(2026, 11, 23)))
    caplog.set_level(logging.DEBUG)
    with structlog.testing.capture_logs() as events, TestClient(app, headers=bearer()) as client:
        call = Recorder(client)
        jan, piet, carla = bearer("jan"), bearer("piet"), bearer("carla")
        call("POST", "/api/v1/imports", 201, json=data, headers=jan)
        call("POST", "/api/v1/imports", "4xx", json=data, headers=jan)  # refused: already there
        broken = example_import()
        broken["households"][0]["persons"][0]["bsn"] = "628194822"  # fails the elfproef
        broken["households"][0]["iban"] = "NL12TRIO0198765433"
        call("POST", "/api/v1/imports", 422, json=broken, headers=jan)
        for household in ("HH-2026-0001", "HH-2026-0002"):
            call("GET", f"/api/v1/gemeenten/0439/huishoudens/{household}/maandplannen/2026-12", 200)
        call("GET", "/api/v1/gemeenten/0439/huishoudens/HH-9999/maandplannen/2026-12", 404)
        wrong = {"iban": "NL12TRIO0198765433", "iban_name": "Yusuf Al-Hamdan"}
        call("PUT", "/api/v1/gemeenten/0439/huishoudens/HH-2026-0002/rekening", 422,
             json=wrong, headers=jan)  # fmt: skip
        run = call("POST", "/api/v1/betaalruns", 201, headers=jan,
                   json={"gemeente": "0439", "period": "2026-12"})  # fmt: skip
        if backend == "postgresql":
            jobs.run_worker(database_url, wait=False)
        run_id = run.json()["run_id"]
        call("POST", f"/api/v1/betaalruns/{run_id}/accordering", 403, headers=jan)  # four eyes
        call("POST", f"/api/v1/betaalruns/{run_id}/accordering", 200, headers=piet)
        call("POST", f"/api/v1/betaalruns/{run_id}/export", 200, json={}, headers=jan)
        content = call("GET", f"/api/v1/betaalruns/{run_id}/bestand", 200).content
        order = read_pain001(content)
        refund = Credit(2150, "Aman Haile", "NL12TRIO0198765432", "terug van Aman Haile")
        files = [("pain.002.xml", pain002(content))]
        files += [
            (f"camt.053-{b.execution_date}.xml",
             camt053(content, booking_date=b.execution_date, pmt_inf_ids=[b.pmt_inf_id],
                     extra_credits=[refund] if n == 0 else ()))
            for n, b in enumerate(order.batches)
        ]  # fmt: skip
        for name, body in files:
            upload = {"filename": name, "content_base64": base64.b64encode(body).decode()}
            call("POST", "/api/v1/gemeenten/0439/bankbestanden", 201, json=upload, headers=carla)
        call("POST", "/api/v1/gemeenten/0439/bankbestanden", 201, json=upload, headers=carla)
        payments = call("GET", f"/api/v1/betaalruns/{run_id}/betalingen", 200).json()
        for payment in payments["payments"]:
            call("GET", f"/api/v1/gemeenten/0439/betalingen/{payment['payment_id']}", 200)
        call("GET", "/api/v1/gemeenten/0439/afstemming/2026-12", 200)
        call("GET", "/api/v1/gemeenten/0439/afstemming/2026-12?format=csv", 200)
        call("GET", f"/api/v1/betaalruns/{run_id}/afstemming", 200)
        call("GET", "/api/v1/gemeenten/0439/open-posten", 200)
        call("GET", "/api/v1/gemeenten/0439/auditlog", 200)
        call("GET", "/api/v1/gemeenten/0439/auditlog?huishouden=HH-2026-0001", 200)

    monkeypatch.setenv("ONTZORGEN_LOG_FILE", str(tmp_path / "cli.log"))
    cli_out: list[str] = []
    cli_logs: list[str] = []
    for args in (
        ("plan", "--household", "HH-2026-0001", "--period", "2026-12", "--json"),
        ("plan", "--household", "HH-2026-0002", "--period", "2026-12"),
        ("run", "payments", str(run_id)),
        ("reconcile", "--gemeente", "0439", "--period", "2026-12"),
        ("bank", "open", "--gemeente", "0439"),
        ("audit", "--gemeente", "0439"),
        ("retention", "apply", "--gemeente", "0439", "--before", "2030-01-01", "--dry-run"),
    ):
        result = run_cli(*args, database_url=database_url, cwd=tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        cli_out.append(result.stdout)
        cli_logs.append(result.stderr)
    cli_logs.append((tmp_path / "cli.log").read_text(encoding="utf-8"))

    logged = "\n".join([json.dumps(events, default=str), caplog.text, *cli_logs])
    assert '"event": "import.stored"' in logged or "import.stored" in logged  # it did log
    assert "bank.imported" in logged
    assert len(call.errors) == 5
    everywhere = "\n".join([*call.urls, *call.bodies, *cli_out, logged])
    assert {bsn for bsn in bsns if bsn in everywhere} == set()
    private = "\n".join([logged, *call.errors, *call.urls])
    assert {value for value in other if value in private} == set()
