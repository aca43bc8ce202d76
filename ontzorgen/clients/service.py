# SPDX-License-Identifier: EUPL-1.2
"""Households, payees and contracts: import, find.

An import is all-or-nothing: every problem in the file is collected (record, field, reason) and
if there is one, :class:`~ontzorgen.errors.InvalidInput` is raised and the unit of work rolls
back, so nothing is stored. Messages never repeat a value (it may be a BSN or an IBAN).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from pydantic import ValidationError
from sqlalchemy import Column, Table, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.auth.scope import require_household, require_in_gemeente
from ontzorgen.bijstand.facts import FactError
from ontzorgen.clients import models as m
from ontzorgen.clients.facts import HouseholdRows, load_rows, to_facts
from ontzorgen.clients.schemas import (
    AccountIn,
    AmountIn,
    ExtensionIn,
    HandoverIn,
    HouseholdIn,
    ImportFile,
    PayeeAccountIn,
    PayeeIn,
    RightEndIn,
)
from ontzorgen.db import Base, after_commit, allocate_ids, insert_rows
from ontzorgen.errors import FieldProblem, InvalidInput, NotFound
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.service import get_gemeente, policy_of
from ontzorgen.logs import get_logger
from ontzorgen.validation import MAX_ID, field_path, is_storable
from ontzorgen.validation import problems_from_validation as validation_problems

log = get_logger(__name__)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import stored."""

    gemeente: str
    payees: int
    households: int
    persons: int
    contracts: int


def _location(loc: Iterable[int | str]) -> tuple[str | None, str]:
    """Split a pydantic error location into the record (``households[2]``) and the field."""
    parts = list(loc)
    record: str | None = None
    if len(parts) >= 2 and parts[0] in ("households", "payees") and isinstance(parts[1], int):
        record = f"{parts[0]}[{parts[1]}]"
        parts = parts[2:]
    return record, field_path(parts) or "(record)"


def problems_from_validation(error: ValidationError) -> list[FieldProblem]:
    """Every problem pydantic found, in Dutch, without the offending values."""
    return validation_problems(error, split=_location)


def _decode(raw: bytes) -> str:
    """The file as text: UTF-8 (with or without BOM), the encoding the format prescribes."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InvalidInput(
            "file",
            f"geen UTF-8 (regel {line}, byte {error.start + 1}); sla het bestand op als "
            "UTF-8 (Windows-1252 of Latin-1 is niet toegestaan)",
        ) from None


def parse_import(raw: bytes | str | dict[str, Any]) -> ImportFile:
    """Read and validate an import file; every problem is listed in one InvalidInput."""
    if isinstance(raw, bytes):
        raw = _decode(raw)
    if isinstance(raw, str):
        if not raw.strip():
            raise InvalidInput("file", "het bestand is leeg")
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as error:
            raise InvalidInput(
                "file", f"geen geldige JSON (regel {error.lineno}, kolom {error.colno})"
            ) from None
        except (ValueError, RecursionError):
            # An integer of thousands of digits, or nesting too deep to read.
            raise InvalidInput(
                "file", "geen leesbare JSON (getal te lang of te diep genest)"
            ) from None
    if not isinstance(raw, dict):
        raise InvalidInput("file", 'moet een JSON-object zijn ({"format": …})')
    try:
        return ImportFile.model_validate(raw)
    except ValidationError as error:
        raise InvalidInput(problems=problems_from_validation(error)) from None


def _duplicates(values: Iterable[str]) -> set[str]:
    return {value for value, count in Counter(values).items() if count > 1}


def _existing(session: Session, column: Any, gemeente_id: int, values: set[str]) -> set[str]:
    if not values:
        return set()
    table = column.class_
    query = select(column).where(table.gemeente_id == gemeente_id, column.in_(values))
    return set(session.scalars(query))


def _check_consented_categories(gemeente: Gemeente, data: ImportFile) -> list[FieldProblem]:
    """A contract with a consent ground (category ``other``) that the gemeente's policy does not
    withhold would be consented to and never paid: refuse it, naming the policy parameter."""
    withheld = set(policy_of(gemeente).withheld_categories)
    return [
        FieldProblem(
            f"contracts[{j}].category",
            f"categorie {c.category.value} wordt in gemeente {gemeente.code} niet ingehouden "
            "(beleidsparameter withheld_categories); neem de categorie op in het beleid of "
            "laat dit contract weg",
            f"households[{i}]",
        )
        for i, h in enumerate(data.households)
        for j, c in enumerate(h.contracts)
        if c.consent_ground is not None and c.category not in withheld
    ]


def _check_references(session: Session, gemeente: Gemeente, data: ImportFile) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    payee_refs = [p.reference for p in data.payees]
    household_refs = [h.reference for h in data.households]
    contract_refs = [c.reference for h in data.households for c in h.contracts]
    right_refs = [h.right.reference for h in data.households]
    bsns = [p.bsn for h in data.households for p in h.persons]
    doubles = {
        "payee": _duplicates(payee_refs),
        "household": _duplicates(household_refs),
        "contract": _duplicates(contract_refs),
        "right": _duplicates(right_refs),
    }
    stored = {
        "payee": _existing(session, m.Payee.reference, gemeente.id, set(payee_refs)),
        "household": _existing(session, m.Household.reference, gemeente.id, set(household_refs)),
        "contract": _existing(session, m.Contract.reference, gemeente.id, set(contract_refs)),
        "right": _existing(session, m.BijstandRight.reference, gemeente.id, set(right_refs)),
    }
    double_bsns = _duplicates(bsns)
    stored_bsns = _existing(session, m.Person.bsn, gemeente.id, set(bsns))
    known_payees = set(payee_refs) | _existing(
        session,
        m.Payee.reference,
        gemeente.id,
        {c.payee for h in data.households for c in h.contracts},
    )
    allow_opt_out = policy_of(gemeente).allow_opt_out

    def check(kind: str, ref: str, record: str, field: str) -> None:
        if ref in doubles[kind]:
            problems.append(FieldProblem(field, "komt meer dan eens voor in het bestand", record))
        if ref in stored[kind]:
            problems.append(FieldProblem(field, "bestaat al in deze gemeente", record))

    for i, payee in enumerate(data.payees):
        check("payee", payee.reference, f"payees[{i}]", "reference")
    for i, h in enumerate(data.households):
        record = f"households[{i}]"
        check("household", h.reference, record, "reference")
        check("right", h.right.reference, record, "right.reference")
        for j, person in enumerate(h.persons):
            if person.bsn in double_bsns:
                problems.append(
                    FieldProblem(
                        f"persons[{j}].bsn", "BSN komt meer dan eens voor in het bestand", record
                    )
                )
            if person.bsn in stored_bsns:
                problems.append(
                    FieldProblem(
                        f"persons[{j}].bsn",
                        "een persoon met dit BSN bestaat al in deze gemeente",
                        record,
                    )
                )
        for j, contract in enumerate(h.contracts):
            check("contract", contract.reference, record, f"contracts[{j}].reference")
            if contract.payee not in known_payees:
                problems.append(
                    FieldProblem(f"contracts[{j}].payee", "onbekende betaalontvanger", record)
                )
        if h.opt_out is not None and not allow_opt_out:
            problems.append(
                FieldProblem("opt_out", "het beleid van de gemeente staat geen opt-out toe", record)
            )
    return problems


def _payee_row(gemeente_id: int, p: PayeeIn) -> m.Payee:
    return m.Payee(
        gemeente_id=gemeente_id,
        reference=p.reference,
        kind=p.kind,
        name=p.name,
        iban=p.iban,
        bic=p.bic,
        street=p.street,
        building_number=p.building_number,
        postcode=p.postcode,
        town=p.town,
        country=p.country,
    )


def _household_rows(
    gemeente_id: int, h: HouseholdIn, payee_ids: dict[str, int], payee_names: dict[int, str]
) -> HouseholdRows:
    household = m.Household(
        gemeente_id=gemeente_id,
        reference=h.reference,
        leefvorm=h.leefvorm.value,
        kostendelende_medebewoners=h.kostendelende_medebewoners,
        vestigingsdatum=h.vestigingsdatum,
        iban=h.iban,
        iban_name=h.iban_name,
        opt_out_reason=h.opt_out.reason if h.opt_out else None,
        opt_out_from=h.opt_out.effective_from if h.opt_out else None,
    )
    persons = [
        m.Person(
            gemeente_id=gemeente_id,
            household=household,
            role=p.role.value,
            bsn=p.bsn,
            name=p.name,
            name_own_script=p.name_own_script,
            date_of_birth=p.date_of_birth,
            preferred_language=p.preferred_language,
            doelgroep=p.doelgroep.value,
            permit_asiel_bepaalde_tijd=p.permit_asiel_bepaalde_tijd,
            inburgeringsplichtig_wi2021=p.inburgeringsplichtig_wi2021,
        )
        for p in h.persons
    ]
    right = m.BijstandRight(
        gemeente_id=gemeente_id,
        reference=h.right.reference,
        start=h.right.start,
        end=h.right.end,
        leefvorm=h.right.leefvorm.value,
        kostendelers=h.right.kostendelers,
    )
    contracts = [
        m.Contract(
            gemeente_id=gemeente_id,
            household=household,
            payee_id=payee_ids[c.payee],
            reference=c.reference,
            category=c.category.value,
            payment_reference=c.payment_reference,
            start=c.start,
            end=c.end,
            handover_date=c.handover_date,
            consent_ground=c.consent_ground.value if c.consent_ground else None,
            consent_reason=c.consent_reason,
        )
        for c in h.contracts
    ]
    return HouseholdRows(
        household=household,
        persons=persons,
        rights=[right],
        supplied=[],
        contracts=contracts,
        amounts={},
        voorschotten=[
            m.Voorschot(gemeente_id=gemeente_id, paid_on=v.paid_on, amount_cents=v.amount_cents)
            for v in h.voorschotten
        ],
        deductions=[
            m.Deduction(
                gemeente_id=gemeente_id,
                kind=d.kind.value,
                reason=d.reason,
                amount_cents=d.amount_cents,
                first_period=d.first_period,
                last_period=d.last_period,
            )
            for d in h.deductions
        ],
        extensions=[
            m.WindowExtension(
                gemeente_id=gemeente_id,
                ground=e.ground.value,
                reason=e.reason,
                end_date=e.end_date,
            )
            for e in h.extensions
        ],
        payee_names=payee_names,
    )


def _insert_objects(session: Session, objects: Sequence[Base]) -> None:
    """Insert ORM objects of one class set-based (``insert_rows``: COPY on PostgreSQL, one
    executemany on SQLite), without the session's unit of work: their ids are allocated in
    one statement. The objects stay detached, with their ids; they serve the fact check."""
    if not objects:
        return
    table = cast(Table, type(objects[0]).__table__)
    columns = [c for c in table.columns if c.server_default is None]
    for obj, id_ in zip(objects, allocate_ids(session, table, len(objects)), strict=True):
        obj.id = id_  # type: ignore[attr-defined]

    def value(obj: Base, column: Column[Any]) -> Any:
        found = getattr(obj, column.key)
        default = column.default
        if found is None and isinstance(default, ScalarElementColumnDefault):
            return default.arg
        return found

    insert_rows(
        session,
        table,
        [c.name for c in columns],
        [tuple(value(obj, c) for c in columns) for obj in objects],
    )


def _store_households(session: Session, data: ImportFile, all_rows: list[HouseholdRows]) -> None:
    """Insert every household's rows set-based: a few statements per table, whatever the
    number of households (an import of 1,000 costs as many statements as one of ten)."""
    _insert_objects(session, [rows.household for rows in all_rows])
    for rows in all_rows:
        household_id = rows.household.id
        owned: list[
            m.Person | m.BijstandRight | m.Contract | m.Voorschot | m.Deduction
            | m.WindowExtension
        ] = [*rows.persons, *rows.rights, *rows.contracts, *rows.voorschotten,
             *rows.deductions, *rows.extensions]  # fmt: skip
        for row in owned:
            row.household_id = household_id
    _insert_objects(session, [p for rows in all_rows for p in rows.persons])
    _insert_objects(session, [r for rows in all_rows for r in rows.rights])
    _insert_objects(session, [c for rows in all_rows for c in rows.contracts])
    for kind in ("voorschotten", "deductions", "extensions"):
        _insert_objects(session, [o for rows in all_rows for o in getattr(rows, kind)])
    for h, rows in zip(data.households, all_rows, strict=True):
        right = rows.rights[0]
        rows.supplied = [
            m.SuppliedAmount(
                right_id=right.id,
                period=s.period,
                amount_cents=s.amount_cents,
                vt_accrual_cents=s.vt_accrual_cents,
                reference=s.reference,
            )
            for s in h.right.supplied_amounts
        ]
        for contract, contract_in in zip(rows.contracts, h.contracts, strict=True):
            rows.amounts[contract.id] = [
                m.ContractAmount(
                    contract_id=contract.id, valid_from=a.valid_from, amount_cents=a.amount_cents
                )
                for a in contract_in.amounts
            ]
    _insert_objects(session, [s for rows in all_rows for s in rows.supplied])
    _insert_objects(
        session,
        [a for rows in all_rows for amounts in rows.amounts.values() for a in amounts],
    )


def import_households(
    session: Session, actor: Actor, raw: bytes | str | dict[str, Any]
) -> ImportSummary:
    """Import a file of payees and households (all-or-nothing)."""
    data = parse_import(raw)
    gemeente = get_gemeente(session, data.gemeente)
    require_in_gemeente(session, actor, gemeente.id, Permission.HOUSEHOLD_WRITE, "gemeente")
    problems = _check_references(session, gemeente, data) + _check_consented_categories(
        gemeente, data
    )
    if problems:
        raise InvalidInput(problems=problems)

    payees = [_payee_row(gemeente.id, p) for p in data.payees]
    session.flush()
    _insert_objects(session, payees)
    payee_ids = {p.reference: p.id for p in payees}
    wanted = {c.payee for h in data.households for c in h.contracts} - set(payee_ids)
    if wanted:
        payee_ids.update(
            session.execute(
                select(m.Payee.reference, m.Payee.id).where(
                    m.Payee.gemeente_id == gemeente.id, m.Payee.reference.in_(wanted)
                )
            ).all()
        )
    payee_names = dict(
        session.execute(
            select(m.Payee.id, m.Payee.name).where(m.Payee.id.in_(payee_ids.values()))
        ).all()
    )
    all_rows = [_household_rows(gemeente.id, h, payee_ids, payee_names) for h in data.households]
    _store_households(session, data, all_rows)
    for i, rows in enumerate(all_rows):
        try:
            to_facts(rows)
        except FactError as error:
            problems.append(FieldProblem(error.field, error.reason, f"households[{i}]"))
    if problems:
        raise InvalidInput(problems=problems)  # the unit of work rolls everything back
    session.flush()
    summary = ImportSummary(
        gemeente=gemeente.code,
        payees=len(payees),
        households=len(data.households),
        persons=sum(len(h.persons) for h in data.households),
        contracts=sum(len(h.contracts) for h in data.households),
    )
    audit.record_households(
        session, actor, "huishouden.ingelezen", gemeente_id=gemeente.id,
        household_ids=select(m.Household.id).where(
            m.Household.gemeente_id == gemeente.id,
            m.Household.reference.in_([h.reference for h in data.households]),
        ),
        ref="import",
    )  # fmt: skip
    # Logged once the import has committed: a rolled-back import stored nothing.
    after_commit(
        session,
        partial(
            log.info,
            "import.stored",
            actor=actor.user_id,
            gemeente=gemeente.code,
            households=summary.households,
            contracts=summary.contracts,
        ),
    )
    return summary


def readable_household(
    session: Session,
    actor: Actor,
    ref: str | int,
    gemeente: str | None = None,
    permission: Permission = Permission.HOUSEHOLD_READ,
) -> m.Household:
    """The household, if ``actor`` may see it (else not found) and has ``permission`` on it."""
    found = find_household(session, ref, gemeente)
    require_household(session, actor, found, permission)
    return found


def _changing(session: Session, actor: Actor, household: m.Household, action: str) -> None:
    """Check that ``actor`` may change ``household``, and log the change."""
    require_household(session, actor, household, Permission.HOUSEHOLD_WRITE)
    audit.record(
        session, actor, action, gemeente_id=household.gemeente_id, household_id=household.id
    )


def find_household(session: Session, ref: str | int, gemeente: str | None = None) -> m.Household:
    """A household by id, or by the gemeente's own reference (with the gemeente when ambiguous)."""
    query = select(m.Household)
    if gemeente is not None:
        query = query.where(m.Household.gemeente_id == get_gemeente(session, gemeente).id)
    if isinstance(ref, int):
        if not 0 < ref <= MAX_ID:
            raise NotFound("huishouden niet gevonden")
        found = list(session.scalars(query.where(m.Household.id == ref)))
    elif not is_storable(ref):
        raise NotFound("huishouden niet gevonden")
    else:
        found = list(session.scalars(query.where(m.Household.reference == ref)))
        if not found and ref.isascii() and ref.isdigit() and int(ref) <= MAX_ID:
            found = list(session.scalars(query.where(m.Household.id == int(ref))))
    if not found:
        raise NotFound("huishouden niet gevonden")
    if len(found) > 1:
        raise InvalidInput(
            "gemeente", "deze referentie bestaat in meer gemeenten: noem de gemeente"
        )
    return found[0]


def find_contract(session: Session, gemeente_code: str, reference: str) -> m.Contract:
    """A contract by the gemeente's own reference."""
    gemeente = get_gemeente(session, gemeente_code)
    if not is_storable(reference):
        raise NotFound("contract niet gevonden")
    contract = session.scalar(
        select(m.Contract).where(
            m.Contract.gemeente_id == gemeente.id, m.Contract.reference == reference
        )
    )
    if contract is None:
        raise NotFound("contract niet gevonden")
    return contract


def add_contract_amount(
    session: Session, actor: Actor, gemeente_code: str, reference: str, change: AmountIn
) -> m.ContractAmount:
    """A new monthly amount from a date on (a rent increase): history is never edited.

    Only a date after every existing version is accepted, so that months already planned or
    paid keep the amount they had.
    """
    contract = find_contract(session, gemeente_code, reference)
    _changing(
        session, actor, session.get_one(m.Household, contract.household_id),
        "contract.bedrag_toegevoegd",
    )  # fmt: skip
    latest = session.scalar(
        select(func.max(m.ContractAmount.valid_from)).where(
            m.ContractAmount.contract_id == contract.id
        )
    )
    if latest is not None and change.valid_from <= latest:
        raise InvalidInput(
            "valid_from", f"moet na de laatste wijziging liggen ({latest.isoformat()})"
        )
    if contract.end is not None and change.valid_from > contract.end:
        raise InvalidInput("valid_from", "ligt na het einde van het contract")
    amount = m.ContractAmount(
        contract_id=contract.id, valid_from=change.valid_from, amount_cents=change.amount_cents
    )
    session.add(amount)
    session.flush()
    log.info("contract.amount_added", actor=actor.user_id, contract_id=contract.id,
             valid_from=change.valid_from.isoformat())  # fmt: skip
    return amount


def set_household_account(
    session: Session, actor: Actor, household: m.Household, account: AccountIn
) -> m.Household:
    """Record the household's own bank account (often opened weeks after arrival): from the
    next run on, leefgeld is paid to it instead of being held."""
    _changing(session, actor, household, "huishouden.rekening_gewijzigd")
    household.iban = account.iban
    household.iban_name = account.iban_name
    session.flush()
    log.info("household.account_set", actor=actor.user_id, household_id=household.id)
    return household


def _check_facts(session: Session, household: m.Household) -> None:
    """The household's facts still hold after a change (else InvalidInput; nothing is kept)."""
    session.flush()
    rows = load_rows(session, household.gemeente_id, [household.id])
    try:
        to_facts(rows[0])
    except FactError as error:
        raise InvalidInput(error.field, error.reason) from None


def end_bijstand(
    session: Session, actor: Actor, household: m.Household, change: RightEndIn
) -> m.BijstandRight:
    """Record the last day of the household's bijstand: the ontzorgen window ends with it and
    the remaining vakantietoeslag is paid out in that month (Pw art. 45 lid 1)."""
    _changing(session, actor, household, "bijstand.beeindigd")
    right = session.scalar(
        select(m.BijstandRight)
        .where(m.BijstandRight.household_id == household.id)
        .order_by(m.BijstandRight.start.desc())
    )
    if right is None:
        raise NotFound("het huishouden heeft geen recht op bijstand")
    right.end = change.end
    _check_facts(session, household)
    log.info("bijstand.ended", actor=actor.user_id, household_id=household.id)
    return right


def extend_window(
    session: Session, actor: Actor, household: m.Household, extension: ExtensionIn
) -> m.WindowExtension:
    """Extend the ontzorgen window beyond six months, with its ground (consent or art. 57)."""
    _changing(session, actor, household, "ontzorgen.verlengd")
    row = m.WindowExtension(
        gemeente_id=household.gemeente_id, household_id=household.id,
        ground=extension.ground.value, reason=extension.reason, end_date=extension.end_date,
    )  # fmt: skip
    session.add(row)
    _check_facts(session, household)
    log.info("window.extended", actor=actor.user_id, household_id=household.id)
    return row


def hand_over_contract(
    session: Session, actor: Actor, gemeente_code: str, reference: str, change: HandoverIn
) -> m.Contract:
    """From this date the household pays this vaste last itself (the afbouwplan)."""
    contract = find_contract(session, gemeente_code, reference)
    _changing(
        session, actor, session.get_one(m.Household, contract.household_id), "contract.overgedragen"
    )
    contract.handover_date = change.handover_date
    _check_facts(session, session.get_one(m.Household, contract.household_id))
    log.info("contract.handed_over", actor=actor.user_id, contract_id=contract.id)
    return contract


def change_payee_account(
    session: Session, actor: Actor, gemeente_code: str, reference: str, change: PayeeAccountIn
) -> m.Payee:
    """A landlord's or supplier's new bank account (payments from the next run on)."""
    gemeente = get_gemeente(session, gemeente_code)
    require_in_gemeente(session, actor, gemeente.id, Permission.HOUSEHOLD_WRITE, "gemeente")
    if not is_storable(reference):
        raise NotFound("betaalontvanger niet gevonden")
    payee = session.scalar(
        select(m.Payee).where(m.Payee.gemeente_id == gemeente.id, m.Payee.reference == reference)
    )
    if payee is None:
        raise NotFound("betaalontvanger niet gevonden")
    payee.iban, payee.bic = change.iban, change.bic
    session.flush()
    audit.record(session, actor, "betaalontvanger.rekening_gewijzigd", gemeente_id=gemeente.id,
                 ref=f"betaalontvanger:{payee.id}")  # fmt: skip
    log.info("payee.account_changed", actor=actor.user_id, payee_id=payee.id)
    return payee
