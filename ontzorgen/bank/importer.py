# SPDX-License-Identifier: EUPL-1.2
"""Import a bank file: match every line to its payment and book what it means, exactly once.

What each line means is in :mod:`ontzorgen.bank.lines`; storing it once in
:mod:`ontzorgen.bank.writer`. Exactly once: a file is imported once per gemeente (its SHA-256),
a bank line once (its ``AcctSvcrRef`` with the EndToEndId), a status once per payment — each
backed by a unique key in the database. The whole file is one unit of work: a malformed file,
or one line that cannot be booked, stores nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.auth.scope import require_in_gemeente
from ontzorgen.bank.lines import LineBooker
from ontzorgen.bank.models import BankFile, BankItem
from ontzorgen.bank.writer import CHUNK, ImportSummary
from ontzorgen.errors import Conflict, InvalidInput, NotFound
from ontzorgen.gemeenten.service import get_gemeente
from ontzorgen.logs import get_logger
from ontzorgen.sepa import feedback as fb
from ontzorgen.sepa.bankfile import BankFileError, read_bank_file

log = get_logger(__name__)

_SAFE_NAME: Final = re.compile(r"[^A-Za-z0-9._-]+")


def _feed(importer: LineBooker, records: Iterable[fb.Record]) -> None:
    entries: list[fb.Entry] = []
    statuses: list[fb.TransactionStatus] = []

    def drain() -> None:
        if entries:
            importer.entries(entries)
            entries.clear()
        if statuses:
            importer.transactions(statuses)
            statuses.clear()

    for record in records:
        match record:
            case fb.Entry():
                entries.append(record)
                if len(entries) >= CHUNK:
                    drain()
            case fb.TransactionStatus():
                statuses.append(record)
                if len(statuses) >= CHUNK:
                    drain()
            case fb.Statement():
                drain()
                importer.statement(record)
            case fb.GroupStatus():
                drain()
                importer.group(record)
            case fb.BatchStatus():
                drain()
                importer.batch(record)
            case fb.FileHeader():
                pass
    drain()
    importer.flush()


def _safe_filename(name: str) -> str:
    cleaned = _SAFE_NAME.sub("_", name.rsplit("/", 1)[-1])[:100]
    return cleaned or "bankbestand.xml"


def import_records(
    session: Session,
    actor: Actor,
    gemeente_ref: str | int,
    data: bytes,
    records: Iterable[fb.Record],
    *,
    filename: str,
    today: date,
    now: datetime,
) -> ImportSummary:
    """Import a bank file read into ``records`` (the first is its FileHeader). See
    :func:`import_bank_file`."""
    gemeente = get_gemeente(session, gemeente_ref)
    require_in_gemeente(session, actor, gemeente.id, Permission.BANK_IMPORT, "gemeente")
    stream = iter(records)
    header = next(stream, None)
    if not isinstance(header, fb.FileHeader):
        raise InvalidInput("bestand", "geen bankbestand: de kop van het bericht ontbreekt")
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = _earlier(session, gemeente.id, sha256)
    if earlier is not None:
        return earlier
    file = BankFile(
        gemeente_id=gemeente.id,
        sha256=sha256,
        kind=header.kind,
        version=header.version[:40],
        msg_id=header.msg_id[:35],
        filename=_safe_filename(filename),
        size=len(data),
        content=data,
        imported_by=actor.user_id,
        imported_at=now,
    )
    if session.get_bind().dialect.name == "postgresql":
        try:
            # Written first: a second import of the same file waits here until the first
            # commits, then finds it (PostgreSQL's unique index) and books nothing.
            with session.begin_nested():
                session.add(file)
                session.flush()
        except IntegrityError:
            again = _earlier(session, gemeente.id, sha256)
            if again is None:
                raise Conflict("dit bankbestand wordt op dit moment al ingelezen") from None
            return again
    else:
        # SQLite has one writer at a time (and pysqlite's SAVEPOINT would commit here).
        session.add(file)
        session.flush()
    summary = ImportSummary(file.id, False, header.kind, header.version, header.msg_id)
    _feed(LineBooker(session, actor, gemeente, file, summary, today, now), stream)
    log.info(
        "bank.imported",
        bank_file_id=file.id,
        kind=header.kind,
        **{k: v for k, v in summary.counts.items()},
    )
    audit.record(session, actor, "bankbestand.ingelezen", gemeente_id=gemeente.id,
                 ref=f"bankbestand:{file.id}", at=now)  # fmt: skip
    return summary


def _earlier(session: Session, gemeente_id: int, sha256: str) -> ImportSummary | None:
    found = session.scalar(
        select(BankFile).where(BankFile.gemeente_id == gemeente_id, BankFile.sha256 == sha256)
    )
    if found is None:
        return None
    summary = import_summary(session, found)
    summary.already_imported = True
    return summary


def readable_bank_file(
    session: Session, actor: Actor, gemeente_ref: str | int, file_id: int
) -> BankFile:
    """An imported bank file of a gemeente where ``actor`` may read the ledger."""
    gemeente = get_gemeente(session, gemeente_ref)
    require_in_gemeente(session, actor, gemeente.id, Permission.LEDGER_READ, "gemeente")
    found = session.get(BankFile, file_id)
    if found is None or found.gemeente_id != gemeente.id:
        raise NotFound(f"bankbestand {file_id} bestaat niet in deze gemeente")
    return found


def import_summary(session: Session, file: BankFile) -> ImportSummary:
    """What a stored import booked, counted from its items."""
    summary = ImportSummary(file.id, False, file.kind, file.version, file.msg_id)
    rows = session.execute(
        select(BankItem.kind, BankItem.amount_cents).where(BankItem.bank_file_id == file.id)
    )
    for kind, cents in rows:
        summary.counts[kind] += 1
        summary.cents[kind] += cents
    return summary


def import_bank_file(
    session: Session,
    actor: Actor,
    gemeente_ref: str | int,
    data: bytes,
    *,
    filename: str,
    today: date,
    now: datetime,
) -> ImportSummary:
    """Read a pain.002, camt.053 or camt.054 and book what it says, all or nothing.

    Importing the same file again changes nothing and returns what the first import booked.
    """
    try:
        return import_records(
            session,
            actor,
            gemeente_ref,
            data,
            read_bank_file(data),
            filename=filename,
            today=today,
            now=now,
        )
    except BankFileError as error:
        where = f"regel {error.line}: " if error.line else ""
        raise InvalidInput(error.element or "bestand", f"{where}{error.message}") from None


__all__ = [
    "ImportSummary",
    "import_bank_file",
    "import_records",
    "import_summary",
]
