# SPDX-License-Identifier: EUPL-1.2
"""Export: the approved run as one pain.001 file, checked, stored once and immutable."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.db import after_commit
from ontzorgen.errors import Conflict, FieldProblem, InvalidInput, NotFound
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.service import policy_of
from ontzorgen.logs import get_logger
from ontzorgen.runs.export import build_message
from ontzorgen.runs.models import Payment, PaymentRun, RunFile, state_label
from ontzorgen.runs.service import audit_run, lock_run, readable_run
from ontzorgen.runs.verify import verify_approved_payments
from ontzorgen.sepa.check import check_pain001
from ontzorgen.sepa.writer import Pain001Version, SepaExportError, write_pain001

log = get_logger(__name__)


def stored_file(session: Session, run: PaymentRun) -> RunFile | None:
    """The file exported for a run, if any."""
    return session.scalar(select(RunFile).where(RunFile.run_id == run.id))


def exported_file(session: Session, actor: Actor, run_id: int) -> RunFile:
    """The stored file of an exported run; NotFound before export. The file holds the names
    and IBANs of every household paid, so fetching it is logged for each of them."""
    run = readable_run(session, actor, run_id, Permission.BANK_DETAILS_READ)
    file = stored_file(session, run)
    if file is None:
        raise NotFound(f"betaalrun {run_id} is nog niet geëxporteerd")
    audit.record_households(
        session, actor, "betaalbestand.gedownload", gemeente_id=run.gemeente_id,
        household_ids=select(Payment.household_id).where(
            Payment.run_id == run.id, Payment.active.is_(True), Payment.household_id.is_not(None)
        ),
        ref=f"run:{run.id}",
    )  # fmt: skip
    return file


def export_run(
    session: Session,
    actor: Actor,
    run_id: int,
    *,
    version: Pain001Version = "pain.001.001.09",
    today: date,
    now: datetime,
) -> RunFile:
    """Write, check and store the run's pain.001. Exporting again returns the same file.

    Before the file is written, the stored payments are checked against the approved digest
    and against the ledger (:mod:`ontzorgen.runs.verify`): a mismatch is a Conflict and no
    file.
    """
    readable_run(session, actor, run_id, Permission.RUN_EXPORT)
    run = lock_run(session, run_id)
    if run.state == "exported":
        existing = stored_file(session, run)
        assert existing is not None
        if existing.message_version != version:
            raise Conflict(
                f"betaalrun {run.id} is al geëxporteerd als {existing.message_version}; "
                "een tweede bestand met nieuwe kenmerken wordt nooit gemaakt"
            )
        return existing
    if run.state != "approved":
        raise Conflict(
            f"betaalrun {run.id} is {state_label(run.state)}; "
            "alleen een geaccordeerde run wordt geëxporteerd"
        )
    if not run.payment_count:
        # A correction that only records claims: there is nothing for the bank.
        raise Conflict(
            f"betaalrun {run.id} heeft geen betalingen: er is geen betaalbestand te maken; "
            "wat hij boekte (vorderingen) staat in het grootboek"
        )
    verify_approved_payments(session, run)
    gemeente = session.get_one(Gemeente, run.gemeente_id)
    message = build_message(
        session,
        gemeente,
        run,
        now.replace(microsecond=0),
        policy_of(gemeente).category_purpose,
    )
    try:
        content = write_pain001(message, version=version)
    except SepaExportError as error:
        raise InvalidInput(problems=[_problem(text) for text in error.problems]) from None
    report = check_pain001(content, today=today)
    if not report.ok:
        raise InvalidInput(problems=[_problem(f"{p.where}: {p.message}") for p in report.errors])
    file = RunFile(
        gemeente_id=run.gemeente_id,
        run_id=run.id,
        message_version=version,
        filename=f"{run.msg_id}.xml",
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        created_by=actor.user_id,
    )
    session.add(file)
    session.flush()  # the file first: the database lets a run be exported only with its file
    run.state = "exported"
    run.exported_by = actor.user_id
    run.exported_at = now
    session.flush()
    # Logged once the file has committed: a rolled-back export stored no file.
    after_commit(
        session,
        partial(
            log.info,
            "run.exported",
            run_id=run.id,
            sha256=file.sha256,
            payments=report.number_of_transactions,
        ),
    )
    audit_run(session, actor, run, "betaalbestand.aangemaakt", at=now)
    return file


def _problem(text: str) -> FieldProblem:
    return FieldProblem("export", text)
