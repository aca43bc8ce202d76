# SPDX-License-Identifier: EUPL-1.2
"""Gemeenten: create, find, list."""

from __future__ import annotations

from schwifty import IBAN
from sqlalchemy import select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor
from ontzorgen.errors import Conflict, InvalidInput, NotFound
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.gemeenten.schemas import GemeenteIn
from ontzorgen.validation import MAX_ID, is_storable


def create_gemeente(session: Session, actor: Actor, data: GemeenteIn) -> Gemeente:
    """Register a gemeente. Its BIC is derived from a Dutch IBAN when not given."""
    if session.scalar(select(Gemeente.id).where(Gemeente.code == data.code)) is not None:
        raise Conflict(f"gemeente met code {data.code} bestaat al")
    bic = data.debtor_bic
    if bic is None:
        derived = IBAN(data.debtor_iban).bic
        if derived is None:
            raise InvalidInput("debtor_bic", "geen BIC opgegeven en niet af te leiden uit de IBAN")
        bic = str(derived.compact)
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


def list_gemeenten(session: Session) -> list[Gemeente]:
    """All gemeenten of this installation, by code."""
    return list(session.scalars(select(Gemeente).order_by(Gemeente.code)))
