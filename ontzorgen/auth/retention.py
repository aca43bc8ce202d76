# SPDX-License-Identifier: EUPL-1.2
"""Retention: remove the personal data of households whose ontzorgen ended before a cut-off.

The rule and its grounds are in docs/privacy.md; the cut-off is the gemeente's choice, given
by whoever runs it (a beheerder of the gemeente, or the installation's operator). What stays:
every amount, every ledger line, the ids and the gemeente's own references (household,
contract, run, EndToEndId), so the books still add up and the audit trail still says who did
what. What goes: BSNs, names, dates of birth (to 1 January of the year), IBANs, addresses, the
free-text reasons and remittance, in every table and in the stored SEPA files.

The append-only tables accept this only while the retention switch is on (migration 0010);
it is on for this function's own statements and off again before it returns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission
from ontzorgen.auth.audit import record
from ontzorgen.auth.retention_xml import MARKER, pseudonymise
from ontzorgen.bank.models import BankDecision, BankFile, BankItem, BankReissue, PaymentEvent
from ontzorgen.clients.facts import parse_period
from ontzorgen.clients.models import (
    BijstandRight,
    Contract,
    Deduction,
    Household,
    Person,
    RetentionSwitch,
    WindowExtension,
)
from ontzorgen.db import session_now
from ontzorgen.errors import NotFound
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.logs import get_logger
from ontzorgen.runs.models import Payment, PaymentRun, RunFile, RunLine

log = get_logger(__name__)

ACTION = "persoonsgegevens.verwijderd"
_OPEN_RUN_STATES = ("queued", "prepared", "approved")
_SUSPENSE = ("geweigerd", "teruggekomen")


@dataclass(frozen=True, slots=True)
class RetentionResult:
    """What a retention run did (or, dry, would do): household references only."""

    before: date
    dry_run: bool
    removed: tuple[str, ...]  # households whose personal data was (or would be) removed
    waiting: int  # households whose ontzorgen ended, but with money still open
    files: int  # stored SEPA files whose content was (or would be) pseudonymised


def pseudonym_bsn(person_id: int) -> str:
    """Nine characters, unique per person, never a valid BSN (it has a letter)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    value, out = person_id, ""
    while value:
        value, rest = divmod(value, 36)
        out = digits[rest] + out
    return "x" + out.rjust(8, "0")[-8:]


def _ended_on(session: Session, gemeente_id: int) -> dict[int, date]:
    """Per household not yet removed: the last day its ontzorgen had an effect, if it ended.

    That is the latest of the end of each bijstand right (the ontzorgen window never reaches
    beyond it), the last day of the last period paid or booked, and the last bank status or
    decision. A household with a right that has not ended (its window may have: the gemeente
    still pays its bijstand), or one never ontzorgd, is absent.
    """
    households = session.scalars(
        select(Household.id).where(
            Household.gemeente_id == gemeente_id, Household.personal_data_removed_on.is_(None)
        )
    ).all()
    rights: dict[int, list[BijstandRight]] = defaultdict(list)
    for right in session.scalars(
        select(BijstandRight).where(BijstandRight.gemeente_id == gemeente_id)
    ):
        rights[right.household_id].append(right)
    last_day: dict[int, date] = {}

    def later(household_id: int, day: date | None) -> None:
        if day is not None and (household_id not in last_day or day > last_day[household_id]):
            last_day[household_id] = day

    for table in (Payment, RunLine):
        for household_id, period in session.execute(
            select(table.household_id, func.max(table.period))
            .where(table.gemeente_id == gemeente_id)
            .group_by(table.household_id)
        ):
            later(household_id, parse_period(period).last_day)
    for household_id, day in session.execute(
        select(Payment.household_id, func.max(PaymentEvent.event_date))
        .join(Payment, Payment.id == PaymentEvent.payment_id)
        .where(PaymentEvent.gemeente_id == gemeente_id)
        .group_by(Payment.household_id)
    ):
        later(household_id, day)
    for decided_for, moment in session.execute(
        select(BankDecision.household_id, func.max(BankDecision.decided_at))
        .where(BankDecision.gemeente_id == gemeente_id, BankDecision.household_id.is_not(None))
        .group_by(BankDecision.household_id)
    ):
        if decided_for is not None and moment is not None:
            later(decided_for, moment.date())
    ended: dict[int, date] = {}
    for household_id in households:
        own = rights.get(household_id, [])
        if any(right.end is None for right in own):
            continue  # the bijstand goes on
        for right in own:
            later(household_id, right.end)
        if household_id in last_day:
            ended[household_id] = last_day[household_id]
    return ended


def _money_open(session: Session, gemeente_id: int) -> set[int]:
    """Households with a payment in a run not yet exported, or money in suspense (rejected or
    returned, with no decision carried out): their data is still needed to pay."""
    in_flight = set(
        session.scalars(
            select(Payment.household_id)
            .join(PaymentRun, PaymentRun.id == Payment.run_id)
            .where(Payment.gemeente_id == gemeente_id, PaymentRun.state.in_(_OPEN_RUN_STATES))
        )
    )
    newest = (
        select(func.max(BankDecision.id))
        .where(BankDecision.payment_id == PaymentEvent.payment_id)
        .correlate(PaymentEvent)
        .scalar_subquery()
    )
    suspense = session.execute(
        select(Payment.household_id, BankDecision.action, BankReissue.id)
        .select_from(PaymentEvent)
        .join(Payment, Payment.id == PaymentEvent.payment_id)
        .outerjoin(BankDecision, BankDecision.id == newest)
        .outerjoin(BankReissue, BankReissue.decision_id == BankDecision.id)
        .where(PaymentEvent.gemeente_id == gemeente_id, PaymentEvent.status.in_(_SUSPENSE))
    )
    for household_id, action, reissue in suspense:
        if action is None or action == "vasthouden" or reissue is None:
            in_flight.add(household_id)
    return in_flight


@contextmanager
def _switch(session: Session) -> Iterator[None]:
    """The retention switch of migration 0010, on for this transaction only."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SELECT set_config('ontzorgen.retention', 'on', true)"))
    else:
        session.execute(insert(RetentionSwitch).values(id=1))
    try:
        yield
    finally:
        if postgres:
            session.execute(text("SELECT set_config('ontzorgen.retention', 'off', true)"))
        else:
            session.execute(delete(RetentionSwitch))


def _remove(session: Session, household_id: int, today: date) -> None:
    """Pseudonymise one household's rows (its stored files are done after)."""
    for person in session.scalars(select(Person).where(Person.household_id == household_id)):
        session.execute(
            update(Person)
            .where(Person.id == person.id)
            .values(bsn=pseudonym_bsn(person.id), name=MARKER, name_own_script=None,
                    date_of_birth=date(person.date_of_birth.year, 1, 1))
        )  # fmt: skip
    session.execute(
        update(Household)
        .where(Household.id == household_id)
        .values(iban=None, iban_name=None, street=None, building_number=None, postcode=None,
                town=None, personal_data_removed_on=today)
    )  # fmt: skip
    session.execute(
        update(Household)
        .where(Household.id == household_id, Household.opt_out_reason.is_not(None))
        .values(opt_out_reason=MARKER)
    )
    session.execute(
        update(Contract)
        .where(Contract.household_id == household_id)
        .values(payment_reference=MARKER)
    )
    session.execute(
        update(Contract)
        .where(Contract.household_id == household_id, Contract.consent_reason.is_not(None))
        .values(consent_reason=MARKER)
    )
    for table in (Deduction, WindowExtension):
        session.execute(
            update(table).where(table.household_id == household_id).values(reason=MARKER)
        )
    # The append-only tables: only what migration 0010 lets change, only to the markers.
    session.execute(
        update(Payment)
        .where(Payment.household_id == household_id, Payment.kind == "leefgeld")
        .values(creditor_name=MARKER, creditor_iban=MARKER, street=None, building_number=None,
                postcode=None, town=None)
    )  # fmt: skip
    session.execute(
        update(Payment).where(Payment.household_id == household_id).values(remittance=MARKER)
    )
    payment_ids = select(Payment.id).where(Payment.household_id == household_id)
    decided_items = select(BankDecision.bank_item_id).where(
        BankDecision.household_id == household_id, BankDecision.bank_item_id.is_not(None)
    )
    items = or_(BankItem.payment_id.in_(payment_ids), BankItem.id.in_(decided_items))
    session.execute(
        update(BankItem)
        .where(items)
        .values(counterparty_name=None, counterparty_iban=None, remittance=None)
    )
    session.execute(
        update(BankDecision)
        .where(
            or_(BankDecision.household_id == household_id, BankDecision.payment_id.in_(payment_ids))
        )
        .values(reason=MARKER)
    )


def _keys(session: Session, household_ids: list[int]) -> tuple[set[str], set[str]]:
    """The EndToEndIds and bank references of these households' transactions."""
    e2e = set(
        session.scalars(
            select(Payment.end_to_end_id).where(Payment.household_id.in_(household_ids))
        )
    )
    decided = select(BankDecision.bank_item_id).where(BankDecision.household_id.in_(household_ids))
    refs = {
        ref
        for ref in session.scalars(
            select(BankItem.acct_svcr_ref).where(
                BankItem.id.in_(decided), BankItem.acct_svcr_ref.is_not(None)
            )
        )
        if ref
    }
    return e2e, refs


def _pseudonymise_files(
    session: Session, files: set[tuple[str, int]], e2e: set[str], refs: set[str], *, write: bool
) -> int:
    changed = 0
    for kind, file_id in sorted(files):
        table = RunFile if kind == "run" else BankFile
        content = session.scalar(select(table.content).where(table.id == file_id))
        if content is None:
            continue
        new = pseudonymise(content, e2e, refs)
        if new != content:
            changed += 1
            if write:
                session.execute(update(table).where(table.id == file_id).values(content=new))
    return changed


def apply_retention(
    session: Session, actor: Actor, gemeente_code: str, before: date, *, dry_run: bool = False
) -> RetentionResult:
    """Remove the personal data of every household of the gemeente whose ontzorgen ended
    before ``before`` (dry run: only say which). A household with money still open waits."""
    actor.require_administration(Permission.GEMEENTE_MANAGE, gemeente_code)
    gemeente = session.scalars(select(Gemeente).where(Gemeente.code == gemeente_code)).first()
    if gemeente is None:
        raise NotFound(f"gemeente {gemeente_code} bestaat niet")
    ended = {h: day for h, day in _ended_on(session, gemeente.id).items() if day < before}
    open_money = _money_open(session, gemeente.id)
    due = sorted(h for h in ended if h not in open_money)
    references = {
        household_id: reference
        for household_id, reference in session.execute(
            select(Household.id, Household.reference).where(Household.id.in_(due))
        )
    }
    e2e, refs = _keys(session, due)
    files: set[tuple[str, int]] = set()
    for household_id in due:
        files |= _files_of(session, household_id)
    if dry_run:
        count = _pseudonymise_files(session, files, e2e, refs, write=False)
    else:
        today = session_now(session).date()
        with _switch(session):
            for household_id in due:
                _remove(session, household_id, today)
            count = _pseudonymise_files(session, files, e2e, refs, write=True)
        for household_id in due:
            record(session, actor, ACTION, gemeente_id=gemeente.id, household_id=household_id,
                   ref=f"voor {before.isoformat()}")  # fmt: skip
    log.info("retention.applied", gemeente=gemeente_code, before=before.isoformat(),
             dry_run=dry_run, households=len(due), files=count)  # fmt: skip
    return RetentionResult(
        before=before,
        dry_run=dry_run,
        removed=tuple(references[h] for h in due),
        waiting=len([h for h in ended if h in open_money]),
        files=count,
    )


def _files_of(session: Session, household_id: int) -> set[tuple[str, int]]:
    payment_ids = select(Payment.id).where(Payment.household_id == household_id)
    decided = select(BankDecision.bank_item_id).where(BankDecision.household_id == household_id)
    run_files = session.scalars(
        select(RunFile.id).join(Payment, Payment.run_id == RunFile.run_id)
        .where(Payment.household_id == household_id)
    )  # fmt: skip
    bank_files = session.scalars(
        select(BankItem.bank_file_id).where(
            or_(BankItem.payment_id.in_(payment_ids), BankItem.id.in_(decided))
        )
    )
    return {("run", i) for i in run_files} | {("bank", i) for i in bank_files}
