# SPDX-License-Identifier: EUPL-1.2
"""The services behind the accountant's desk: the look at a bank file agrees with what the
import then books and stores nothing; the ledger reads are scoped; the upload store keeps a
file for its own session only."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ontzorgen.auth import Role, staff
from ontzorgen.auth.models import AuditEvent
from ontzorgen.bank import desk
from ontzorgen.bank.importer import import_bank_file
from ontzorgen.bank.models import BankFile, BankItem
from ontzorgen.bank.preview import preview_bank_file
from ontzorgen.errors import DomainError, InvalidInput, NotFound
from ontzorgen.runs.models import Payment
from ontzorgen.sepa import testbank
from ontzorgen.web import uploads
from ontzorgen.web.uploads import UploadStore
from tests.bank.conftest import ACCOUNTANT, NOV_23
from tests.factories import TEST_CLOCK, at_noon

COACH = staff("coach", [Role.BUDGETCOACH], ["0439"], channel="web")


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _statement(session: Session, run_id: int, pain001: bytes) -> bytes:
    first, second = session.scalars(
        select(Payment.end_to_end_id).where(Payment.run_id == run_id).order_by(Payment.id).limit(2)
    ).all()
    return testbank.camt053(
        pain001, booking_date=NOV_23, rejected={first: "AC01"}, returned={second: "AC04"},
        extra_credits=(testbank.Credit(1234, "Iemand", "NL91ABNA0417164300", "onbekend"),),
    )  # fmt: skip


def test_the_look_agrees_with_the_import_and_stores_nothing(
    session: Session, december: tuple[int, bytes]
) -> None:
    run_id, pain001 = december
    content = _statement(session, run_id, pain001)
    before = (_count(session, BankFile), _count(session, BankItem))
    preview = preview_bank_file(session, ACCOUNTANT, "0439", content)
    assert (_count(session, BankFile), _count(session, BankItem)) == before
    assert preview.already_imported is None
    assert preview.credit_cents > 1234
    summary = import_bank_file(session, ACCOUNTANT, "0439", content, filename="c.xml",
                               today=NOV_23, now=at_noon(NOV_23))  # fmt: skip
    counts = preview.outcome_counts
    assert counts.get("nog_te_bepalen", 0) == summary.counts["unidentified"] == 1
    assert counts["betaling"] == summary.counts["booked"] + summary.counts["returned"]
    again = preview_bank_file(session, ACCOUNTANT, "0439", content)
    assert again.already_imported == summary.bank_file_id


@pytest.mark.parametrize(
    "content",
    [b"", b"geen xml", b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'],
)
def test_a_bad_file_is_refused_in_dutch(
    session: Session, december: tuple[int, bytes], content: bytes
) -> None:
    with pytest.raises(InvalidInput) as refused:
        preview_bank_file(session, ACCOUNTANT, "0439", content)
    assert refused.value.problems[0].field == "bestand"
    assert _count(session, BankFile) == 0


def test_the_desk_reads_need_the_ledger_permission(
    session: Session, december: tuple[int, bytes]
) -> None:
    for read in (
        lambda: desk.bank_files(session, COACH, "0439"),
        lambda: desk.readable_trial_balance(session, COACH, "0439", "2026-12"),
        lambda: desk.household_ledger(session, COACH, "0439", "HH-2026-0001", "2026-12"),
        lambda: preview_bank_file(session, COACH, "0439", b"<x/>"),
    ):
        with pytest.raises(DomainError) as refused:
            read()
        assert refused.value.status in (403, 404)


def test_trial_balance_and_household_ledger(session: Session, december: tuple[int, bytes]) -> None:
    trial = desk.readable_trial_balance(session, ACCOUNTANT, "0439", "2026-12")
    assert trial.lines
    assert trial.total.cents == 0
    view = desk.household_ledger(session, ACCOUNTANT, "0439", "HH-2026-0001", "2026-12")
    assert view.accounts
    assert view.statement.lines
    logged = session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "grootboek.bekeken")
    )
    assert logged == 1
    with pytest.raises(NotFound):
        desk.household_ledger(session, ACCOUNTANT, "0439", "HH-BESTAAT-NIET", "2026-12")


def test_an_upload_is_kept_for_its_own_session_only(tmp_path: Path) -> None:
    store = UploadStore(TEST_CLOCK, tmp_path / "uploads")
    assert oct(os.stat(store.folder).st_mode & 0o777) == "0o700"
    pending = store.put("sessie-a", "0439", "camt.xml", b"<Document/>")
    assert store.take("sessie-b", "0439", pending.key) is None  # another session
    assert store.take("sessie-a", "0363", pending.key) is None  # another gemeente
    assert store.take("sessie-a", "0439", "../../etc/passwd") is None
    found = store.take("sessie-a", "0439", pending.key)
    assert found is not None
    assert found[1] == b"<Document/>"
    newer = store.put("sessie-a", "0439", "camt2.xml", b"<Document>2</Document>")
    assert store.take("sessie-a", "0439", pending.key) is None  # replaced by the newer one
    store.drop(newer.key)
    assert store.take("sessie-a", "0439", newer.key) is None


class _MovingClock:
    """A clock the test moves on."""

    def __init__(self) -> None:
        self.instant = TEST_CLOCK.now()

    def now(self) -> datetime:
        return self.instant

    def today(self) -> date:
        return self.instant.date()


def test_an_upload_expires_by_the_apps_clock(tmp_path: Path) -> None:
    clock = _MovingClock()
    store = UploadStore(clock, tmp_path / "uploads")
    pending = store.put("sessie-a", "0439", "camt.xml", b"<Document/>")
    clock.instant += timedelta(seconds=uploads.PENDING_SECONDS - 1)
    assert store.take("sessie-a", "0439", pending.key) is not None  # not yet
    clock.instant += timedelta(seconds=2)
    assert store.take("sessie-a", "0439", pending.key) is None
    assert list(store.folder.iterdir()) == []


def test_the_upload_limit_is_the_importers_limit() -> None:
    from ontzorgen.config import MAX_BANK_UPLOAD_BYTES, Settings
    from ontzorgen.sepa.bankfile import MAX_BANK_FILE_BYTES

    assert MAX_BANK_UPLOAD_BYTES == MAX_BANK_FILE_BYTES
    assert Settings(database_url="sqlite://").bank_upload_max_bytes == MAX_BANK_FILE_BYTES
