# SPDX-License-Identifier: EUPL-1.2
"""The accountant's cycle through the API, on both databases: upload the bank's answers,
statuses, decisions, a correction run, the reconciliation (JSON and CSV) and the period close."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen import jobs
from ontzorgen.clients.service import import_households
from ontzorgen.clock import FixedClock
from ontzorgen.config import Settings
from ontzorgen.db import unit_of_work
from tests.api_auth import api_app, bearer
from tests.bank.testbank import Credit, camt053, camt054, pain002, read_pain001
from tests.factories import CLERK, example_import, make_gemeente

JAN = bearer("jan")
PIET = bearer("piet")
CARLA = bearer("carla")


def _approve(client: TestClient, decision: int) -> None:
    """Four eyes: the one who decided cannot approve; a second person does."""
    path = f"/api/v1/gemeenten/0439/besluiten/{decision}/accordering"
    own = client.post(path, json={}, headers=CARLA)
    assert own.status_code == 403, own.text
    assert "vier ogen" in own.json()["detail"]
    approved = client.post(path, json={}, headers=PIET)
    assert approved.status_code == 201, approved.text
    assert approved.json() == {"id": decision, "decided_by": "carla", "approved_by": "piet"}


def _app(database_url: str, day: date) -> TestClient:
    return TestClient(
        api_app(Settings(database_url=database_url), clock=FixedClock(day)), headers=bearer()
    )


@pytest.fixture
def loaded(session_factory: sessionmaker[Session]) -> None:
    with unit_of_work(session_factory) as session:
        make_gemeente(session)
        import_households(session, CLERK, example_import())


def _run(client: TestClient, backend: str, url: str, body: dict[str, object]) -> int:
    created = client.post("/api/v1/betaalruns", json=body, headers=JAN)
    assert created.status_code == 201, created.text
    if backend == "postgresql":
        jobs.run_worker(url, wait=False)
    run_id: int = created.json()["run_id"]
    assert client.post(f"/api/v1/betaalruns/{run_id}/accordering", headers=PIET).status_code == 200
    exported = client.post(f"/api/v1/betaalruns/{run_id}/export", json={}, headers=JAN)
    assert exported.status_code == 200, exported.text
    return run_id


def _file(client: TestClient, run_id: int) -> bytes:
    found = client.get(f"/api/v1/betaalruns/{run_id}/bestand")
    assert found.status_code == 200, found.text
    return bytes(found.content)


def _upload(client: TestClient, name: str, content: bytes) -> dict[str, object]:
    answer = client.post(
        "/api/v1/gemeenten/0439/bankbestanden",
        json={"filename": name, "content_base64": base64.b64encode(content).decode()},
        headers=CARLA,
    )
    assert answer.status_code == 201, answer.text
    result: dict[str, object] = answer.json()
    return result


def test_the_cycle_through_the_api(loaded: None, database_url: str, backend: str) -> None:
    del loaded
    with _app(database_url, date(2026, 11, 23)) as client:
        run_id = _run(client, backend, database_url, {"gemeente": "0439", "period": "2026-12"})
        content = _file(client, run_id)
        order = read_pain001(content)
        huur = next(p for p in order.payments if p.end_to_end_id.endswith("-H1-C1"))
        rejected = {huur.end_to_end_id: "AC04"}
        assert _upload(client, "pain.002.xml", pain002(content, rejected=rejected))["counts"] == {
            "accepted": 5, "rejected": 1,
        }  # fmt: skip
        water = next(p for p in order.payments if p.end_to_end_id.endswith("-H1-C3"))
        refund = Credit(2150, "Waterbedrijf", "NL91ABNA0417164300", "Teruggave HH-2026-0001")
        for number, batch in enumerate(order.batches):
            statement = camt053(content, booking_date=batch.execution_date,
                                pmt_inf_ids=[batch.pmt_inf_id], rejected=rejected,
                                extra_credits=[refund] if number == 0 else ())  # fmt: skip
            _upload(client, f"camt.053-{batch.execution_date}.xml", statement)
        returned = camt054(content, booking_date=date(2026, 11, 27),
                           returned={water.end_to_end_id: "MD07"})  # fmt: skip
        assert _upload(client, "camt.054.xml", returned)["counts"] == {"returned": 1}
        payments = client.get(f"/api/v1/betaalruns/{run_id}/betalingen").json()
        assert payments["statuses"]["geweigerd"] == {"count": 1, "amount_cents": 71200}
        assert payments["statuses"]["uitgevoerd"]["amount_cents"] == 217143 - 71200 - 2500
        assert payments["statuses"]["teruggekomen"] == {"count": 1, "amount_cents": 2500}
        rejected_id = next(
            p["payment_id"]
            for p in payments["payments"]
            if p["end_to_end_id"] == huur.end_to_end_id
        )
        status = client.get(f"/api/v1/gemeenten/0439/betalingen/{rejected_id}").json()
        assert (status["label"], status["reason"]) == (
            "geweigerd",
            "AC04: de rekening is opgeheven",
        )
        month = client.get("/api/v1/gemeenten/0439/afstemming/2026-12").json()
        assert (month["difference_cents"], month["open_cents"]) == (0, 71200 + 2500)
        assert month["returned_cents"] == 2500
        items = client.get("/api/v1/gemeenten/0439/open-posten").json()["open_items"]
        [credit] = [i for i in items if i["kind"] == "ter_controle"]
        assert credit["amount_cents"] == 2150
        water_id = next(p["payment_id"] for p in payments["payments"]
                        if p["end_to_end_id"] == water.end_to_end_id)  # fmt: skip
        for body in (
            {"action": "aan_huishouden", "reason": "teruggave water", "bank_item_id":
             credit["bank_item_id"], "household_id": 1},
            {"action": "aan_huishouden", "reason": "rekening overleden, naar het huishouden",
             "payment_id": water_id},
        ):  # fmt: skip
            answer = client.post("/api/v1/gemeenten/0439/besluiten", json=body, headers=CARLA)
            assert answer.status_code == 201, answer.text
            _approve(client, answer.json()["id"])
        closing = client.post("/api/v1/gemeenten/0439/perioden/2026-12/afsluiting", json={},
                              headers=CARLA)  # fmt: skip
        assert closing.status_code == 409
        assert "open posten" in closing.json()["detail"]
        decided = client.post(
            "/api/v1/gemeenten/0439/besluiten",
            json={
                "action": "herbetalen",
                "reason": "IBAN gecontroleerd",
                "payment_id": rejected_id,
            },
            headers=CARLA,
        )
        assert decided.status_code == 201, decided.text
        _approve(client, decided.json()["id"])
    with _app(database_url, date(2026, 12, 2)) as client:
        correction = _run(client, backend, database_url, {
            "gemeente": "0439", "period": "2026-12", "correction_of": run_id,
            "reason": "herbetaling na weigering",
        })  # fmt: skip
        _upload(
            client,
            "camt.053-c.xml",
            camt053(_file(client, correction), booking_date=date(2026, 12, 2)),
        )
        month = client.get("/api/v1/gemeenten/0439/afstemming/2026-12").json()
        assert (month["difference_cents"], month["open_items"], month["reissued_cents"]) == (
            0, [], 71200,
        )  # fmt: skip
        assert month["paid_to_household_cents"] == 2500
        # The refund is booked with the first batch, in that month (November on SQLite; the
        # PostgreSQL worker may have moved the execution date).
        booked_in = f"{order.batches[0].execution_date:%Y-%m}"
        refund_month = client.get(f"/api/v1/gemeenten/0439/afstemming/{booked_in}").json()
        assert (refund_month["received_cents"], refund_month["difference_cents"]) == (2150, 0)
        csv_text = client.get("/api/v1/betaalruns/1/afstemming", params={"format": "csv"})
        assert csv_text.headers["content-type"].startswith("text/csv")
        for period in ("2026-11", "2026-12"):
            closed = client.post(f"/api/v1/gemeenten/0439/perioden/{period}/afsluiting",
                                 json={}, headers=CARLA)  # fmt: skip
            assert closed.status_code == 200, closed.text
            assert closed.json()["status"] == "gesloten"


def test_a_broken_upload_is_a_dutch_problem_and_stores_nothing(
    loaded: None, database_url: str
) -> None:
    del loaded
    with _app(database_url, date(2026, 11, 23)) as client:
        bad = client.post(
            "/api/v1/gemeenten/0439/bankbestanden",
            json={"filename": "x.xml", "content_base64": "not base64!"},
        )
        assert bad.status_code == 422
        assert bad.json()["invalidParams"][0]["name"] == "content_base64"
        junk = client.post(
            "/api/v1/gemeenten/0439/bankbestanden",
            json={"filename": "x.xml", "content_base64": base64.b64encode(b"<a>").decode()},
        )
        assert junk.status_code == 422, junk.text
        assert client.get("/api/v1/gemeenten/0439/open-posten").json() == {"open_items": []}
