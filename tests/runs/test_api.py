# SPDX-License-Identifier: EUPL-1.2
"""The run lifecycle through the API, on both databases."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen import jobs
from ontzorgen.bijstand.period import Period
from ontzorgen.clients.service import import_households
from ontzorgen.config import Settings
from ontzorgen.db import unit_of_work
from ontzorgen.sepa.execution_date import is_business_day
from tests.api_auth import api_app, bearer
from tests.factories import CLERK, example_import, make_gemeente, months_between, shifted

JANUARY = Period(2027, 1)  # the month the example households are paid in this file
JAN = bearer("jan")
PIET = bearer("piet")


def _client(
    database_url: str, session_factory: sessionmaker[Session], months: int = 0
) -> Iterator[TestClient]:
    with unit_of_work(session_factory) as session:
        make_gemeente(session, payment_day=28)
        import_households(session, CLERK, shifted(example_import(), months))
    with TestClient(api_app(Settings(database_url=database_url)), headers=bearer()) as client:
        yield client


@pytest.fixture
def client(database_url: str, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    yield from _client(database_url, session_factory)


@pytest.fixture
def dated_client(
    calendar_day: date, database_url: str, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    """The example households moved so that their January 2027 is the month after the day."""
    yield from _client(
        database_url, session_factory, months_between(JANUARY, Period.of(calendar_day).next())
    )


def _prepared(client: TestClient, backend: str, database_url: str, period: str = "2027-01") -> int:
    created = client.post(
        "/api/v1/betaalruns", json={"gemeente": "0439", "period": period}, headers=JAN
    )
    assert created.status_code == 201, created.text
    if backend == "postgresql":
        jobs.run_worker(database_url, wait=False)
    run_id: int = created.json()["run_id"]
    assert client.get(f"/api/v1/betaalruns/{run_id}").json()["state"] == "prepared"
    return run_id


# The vaste lasten leave on the 28th of the month before (a business day here), or today when
# that day has passed: worked out by hand for each day.
VASTE_LASTEN_DATE = {
    date(2026, 12, 1): "2026-12-28",  # Monday between Christmas and New Year
    date(2026, 12, 31): "2026-12-31",  # 28 December has passed: today, TARGET2 is open
    date(2027, 6, 30): "2027-06-30",  # 28 June has passed: today, a Wednesday
    date(2028, 2, 29): "2028-02-29",  # 28 February has passed: the leap day, a Tuesday
}


def test_lifecycle_through_the_api(
    dated_client: TestClient, calendar_day: date, backend: str, database_url: str
) -> None:
    """The whole lifecycle on each fixed day, through the API's own clock (the system clock,
    moved to the day): next month's run is prepared, approved and exported."""
    client = dated_client
    period = Period.of(calendar_day).next()
    run_id = _prepared(client, backend, database_url, period.label())
    refused = client.post(f"/api/v1/betaalruns/{run_id}/accordering", headers=JAN)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert "vier ogen" in refused.json()["detail"]
    assert client.get(f"/api/v1/betaalruns/{run_id}/bestand").status_code == 404
    approved = client.post(f"/api/v1/betaalruns/{run_id}/accordering", headers=PIET)
    assert approved.json()["approved_by"] == "piet"
    exported = client.post(f"/api/v1/betaalruns/{run_id}/export", headers=JAN).json()
    again = client.post(f"/api/v1/betaalruns/{run_id}/export", headers=JAN).json()
    assert exported == again
    download = client.get(f"/api/v1/betaalruns/{run_id}/bestand")
    assert hashlib.sha256(download.content).hexdigest() == exported["sha256"]
    assert download.headers["Digest"] == f"sha-256={exported['sha256']}"
    shown = client.get(f"/api/v1/betaalruns/{run_id}").json()
    assert shown["state"] == "exported"
    assert shown["period"] == period.label()
    assert {b["execution_date"] for b in shown["batches"] if b["kind"] == "vaste_last"} == {
        VASTE_LASTEN_DATE[calendar_day]
    }
    # No payment leaves before the day or on a day the banks are closed (TARGET2).
    dates = {date.fromisoformat(b["execution_date"]) for b in shown["batches"]}
    assert dates
    assert all(day >= calendar_day and is_business_day(day) for day in dates)


def test_cancel_through_the_api_needs_a_reason(
    client: TestClient, backend: str, database_url: str
) -> None:
    run_id = _prepared(client, backend, database_url)
    missing = client.post(f"/api/v1/betaalruns/{run_id}/annulering", json={}, headers=JAN)
    assert missing.status_code == 422
    assert missing.json()["invalidParams"][0]["name"] == "reason"
    cancelled = client.post(
        f"/api/v1/betaalruns/{run_id}/annulering", json={"reason": "test"}, headers=JAN
    )
    assert cancelled.json()["state"] == "cancelled"


def test_a_correction_run_through_the_api_pays_the_difference(
    client: TestClient, backend: str, database_url: str
) -> None:
    # It collided with the corrected run's payments before (IntegrityError, HTTP 500).
    run_id = _prepared(client, backend, database_url)
    client.post(f"/api/v1/betaalruns/{run_id}/accordering", headers=PIET)
    client.post(f"/api/v1/betaalruns/{run_id}/export", headers=JAN)
    added = client.post(
        "/api/v1/gemeenten/0439/contracten/C-0002-HUUR/bedragen",
        json={"valid_from": "2027-01-01", "amount_cents": 85000},
        headers=JAN,
    )
    assert added.status_code == 201, added.text
    created = client.post(
        "/api/v1/betaalruns",
        json={"gemeente": "0439", "period": "2027-01", "correction_of": run_id,
              "reason": "huurverhoging te laat doorgegeven"},
        headers=JAN,
    )  # fmt: skip
    assert created.status_code == 201, created.text
    correction: int = created.json()["run_id"]
    if backend == "postgresql":
        jobs.run_worker(database_url, wait=False)
    shown = client.get(f"/api/v1/betaalruns/{correction}").json()
    assert (shown["state"], shown["kind"], shown["payments"], shown["total_cents"]) == (
        "prepared", "correction", 1, 1000,
    )  # fmt: skip
    assert (
        client.post(f"/api/v1/betaalruns/{correction}/accordering", headers=PIET).status_code == 200
    )
    exported = client.post(f"/api/v1/betaalruns/{correction}/export", headers=JAN)
    assert exported.status_code == 200, exported.text
    # A correction of a run that is not exported is a clear 409, not a 500.
    again = client.post(
        "/api/v1/betaalruns",
        json={"gemeente": "0439", "period": "2027-01", "correction_of": 999, "reason": "x"},
        headers=JAN,
    )
    assert again.status_code == 404
