# SPDX-License-Identifier: EUPL-1.2
"""Gemeenten: create, find, list, change (bank account and policy parameters)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from schwifty import IBAN
from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission, audit
from ontzorgen.auth.scope import gemeente_condition, require_gemeente
from ontzorgen.errors import Conflict, FieldProblem, InvalidInput, NotFound, NotPermitted
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.gemeenten.schemas import GemeenteIn, GemeentePatch
from ontzorgen.logs import get_logger
from ontzorgen.validation import MAX_ID, dutch_reason, field_path, is_storable

log = get_logger(__name__)
Model = TypeVar("Model", bound=BaseModel)


def dutch_problems(error: ValidationError) -> list[FieldProblem]:
    """pydantic's problems in Dutch (the shared translation), each naming its field; our own
    validators name the parameter first ("priority: …"), which becomes part of the field."""
    problems: list[FieldProblem] = []
    for e in error.errors(include_input=False, include_url=False):
        field = field_path(e["loc"])
        reason = dutch_reason(e)
        if e["type"] == "value_error":
            name, sep, rest = reason.partition(": ")
            if sep and name.isidentifier():
                field, reason = (f"{field}.{name}" if field else name), rest
        problems.append(FieldProblem(field or "(gemeente)", reason))
    return problems


def validated(model: type[Model], raw: object) -> Model:
    """``raw`` as ``model``, or InvalidInput listing every problem in Dutch."""
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise InvalidInput(problems=dutch_problems(error)) from None


def read_gemeente_file(content: bytes, name: str) -> dict[str, Any]:
    """A gemeente (or changes to one) from a JSON or TOML file, as a plain mapping."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput("file", f"geen UTF-8 (byte {error.start})") from None
    try:
        if name.lower().endswith(".toml"):
            data: object = tomllib.loads(text)
        else:
            data = json.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput("file", f"geen geldige TOML ({error})") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            "file", f"geen geldige JSON (regel {error.lineno}, kolom {error.colno})"
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput("file", "het bestand moet één object (tabel) bevatten")
    return data


def create_gemeente(
    session: Session, actor: Actor, data: GemeenteIn | Mapping[str, Any]
) -> Gemeente:
    """Register a gemeente (the installation's operator or an installation admin; a gemeente's
    own staff cannot create tenants). Its BIC is derived from a Dutch IBAN when not given."""
    if not (actor.system or actor.installation_admin):
        raise NotPermitted("alleen de beheerder van de installatie registreert een gemeente")
    if not isinstance(data, GemeenteIn):
        data = validated(GemeenteIn, data)
    if session.scalar(select(Gemeente.id).where(Gemeente.code == data.code)) is not None:
        raise Conflict(f"gemeente met code {data.code} bestaat al")
    bic = data.debtor_bic or _derived_bic(data.debtor_iban)
    gemeente = Gemeente(
        code=data.code,
        name=data.name,
        debtor_name=data.debtor_name,
        debtor_iban=data.debtor_iban,
        debtor_bic=bic,
        policy=data.policy.model_dump(mode="json"),
    )
    session.add(gemeente)
    session.flush()
    log.info("gemeente.created", actor=actor.user_id, gemeente=gemeente.code)
    audit.record(session, actor, "gemeente.aangemaakt", gemeente_id=gemeente.id)
    return gemeente


def _derived_bic(iban: str) -> str:
    derived = IBAN(iban).bic
    if derived is None:
        raise InvalidInput("debtor_bic", "geen BIC opgegeven en niet af te leiden uit de IBAN")
    return str(derived.compact)


def update_gemeente(
    session: Session, actor: Actor, ref: str, changes: GemeentePatch | Mapping[str, Any]
) -> Gemeente:
    """Change a gemeente's name, bank account or policy parameters (those given; the rest
    keep their value). The result is validated as a whole; on any problem nothing changes.

    A new IBAN without a BIC gets the BIC derived from it. A change of account or policy
    changes the inputs a prepared run was computed from: that run can then not be approved.
    """
    patch = changes if isinstance(changes, GemeentePatch) else validated(GemeentePatch, changes)
    gemeente = get_gemeente(session, ref)
    require_gemeente(session, actor, gemeente.code, Permission.GEMEENTE_MANAGE)
    given = patch.model_dump(mode="json", exclude_unset=True)
    policy = {**gemeente.policy, **given.pop("policy", {})}
    iban = given.get("debtor_iban", gemeente.debtor_iban)
    bic = given.get("debtor_bic")
    if bic is None:
        bic = _derived_bic(iban) if "debtor_iban" in given else gemeente.debtor_bic
    whole = validated(
        GemeenteIn,
        {
            "code": gemeente.code,
            "name": given.get("name", gemeente.name),
            "debtor_name": given.get("debtor_name", gemeente.debtor_name),
            "debtor_iban": iban,
            "debtor_bic": bic,
            "policy": policy,
        },
    )
    gemeente.name, gemeente.debtor_name = whole.name, whole.debtor_name
    gemeente.debtor_iban, gemeente.debtor_bic = whole.debtor_iban, whole.debtor_bic or bic
    gemeente.policy = whole.policy.model_dump(mode="json")
    session.flush()
    changed_policy = [] if patch.policy is None else list(patch.policy.model_fields_set)
    log.info(
        "gemeente.changed",
        actor=actor.user_id,
        gemeente=gemeente.code,
        fields=sorted([*given, *(f"policy.{name}" for name in changed_policy)]),
    )
    audit.record(session, actor, "gemeente.gewijzigd", gemeente_id=gemeente.id)
    return gemeente


def get_gemeente(session: Session, ref: str | int) -> Gemeente:
    """A gemeente by id or by its four-digit CBS code."""
    query = select(Gemeente)
    if isinstance(ref, str) and not is_storable(ref):
        raise NotFound("gemeente bestaat niet")
    if isinstance(ref, int) or (ref.isascii() and ref.isdigit() and len(ref) != 4):
        if not 0 < int(ref) <= MAX_ID:  # cannot exist; too large to look up
            raise NotFound(f"gemeente {ref} bestaat niet")
        query = query.where(Gemeente.id == int(ref))
    else:
        query = query.where(Gemeente.code == ref)
    gemeente = session.scalar(query)
    if gemeente is None:
        raise NotFound(f"gemeente {ref} bestaat niet")
    return gemeente


def policy_of(gemeente: Gemeente) -> PolicyParameters:
    """The gemeente's validated policy parameters."""
    return PolicyParameters.model_validate(gemeente.policy)


def readable_gemeente(session: Session, actor: Actor, ref: str | int) -> Gemeente:
    """A gemeente the actor works in (another is "not found")."""
    gemeente = get_gemeente(session, ref)
    return require_gemeente(session, actor, gemeente.code, Permission.GEMEENTE_READ)


def list_gemeenten(session: Session, actor: Actor) -> list[Gemeente]:
    """The gemeenten where the actor may see the settings, by code."""
    return list(
        session.scalars(
            select(Gemeente)
            .where(gemeente_condition(actor, Permission.GEMEENTE_READ, Gemeente.id))
            .order_by(Gemeente.code)
        )
    )
