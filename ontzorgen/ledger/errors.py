# SPDX-License-Identifier: EUPL-1.2
"""The ledger's domain errors, and the translation of the database's refusals into them.

The migration's triggers raise messages that start with ``ontzorgen:<reason>``; :func:`translate`
maps that stable prefix to a typed error, so a refusal by the database reads the same as a
refusal by the service.
"""

from __future__ import annotations

import re

from ontzorgen.errors import Conflict, DomainError, FieldProblem, InvalidInput

__all__ = [
    "AlreadyReversed",
    "IdempotencyConflict",
    "LimitExceeded",
    "PeriodClosed",
    "PeriodUnbalanced",
    "TamperRefused",
    "UnbalancedTransaction",
    "UnknownAccount",
    "translate",
]


class UnbalancedTransaction(InvalidInput):
    """A transaction's postings do not sum to zero, or there are fewer than two."""

    code = "unbalanced-transaction"
    title = "Transactie is niet in evenwicht"


class UnknownAccount(InvalidInput):
    """A posting names an account that does not exist in this gemeente."""

    code = "unknown-account"
    title = "Onbekende rekening"


class PeriodClosed(Conflict):
    """Something was to be posted into a closed period."""

    code = "period-closed"
    title = "Periode is afgesloten"


class PeriodUnbalanced(Conflict):
    """A period whose postings do not sum to zero cannot be closed."""

    code = "period-unbalanced"
    title = "Periode is niet in evenwicht"


class LimitExceeded(Conflict):
    """A posting would take an account beyond its limit (e.g. pay a household more than granted)."""

    code = "limit-exceeded"
    title = "Limiet van rekening overschreden"


class AlreadyReversed(Conflict):
    """The transaction has been reversed already; a transaction is reversed once."""

    code = "already-reversed"
    title = "Transactie is al teruggedraaid"


class IdempotencyConflict(Conflict):
    """The idempotency key was used before for a transaction with different content."""

    code = "idempotency-conflict"
    title = "Sleutel al gebruikt voor een andere transactie"


class TamperRefused(Conflict):
    """The database refused a change that would rewrite the ledger (update, delete, …)."""

    code = "ledger-refused"
    title = "Het grootboek weigert deze wijziging"


_PREFIX = re.compile(r"ontzorgen:([a-z-]+)\s*(.*)")

_BY_REASON: dict[str, type[DomainError]] = {
    "unbalanced": UnbalancedTransaction,
    "not-a-mirror": UnbalancedTransaction,
    "period-closed": PeriodClosed,
    "period-unbalanced": PeriodUnbalanced,
    "limit-exceeded": LimitExceeded,
    "booking-date": InvalidInput,
    "orphan-posting": TamperRefused,
    "posting-after-transaction": TamperRefused,
    "immutable": TamperRefused,
}


def refusal_reason(error: BaseException) -> str | None:
    """The ``<reason>`` of a database refusal raised by a ledger trigger, or None."""
    match = _PREFIX.search(str(error))
    return match.group(1) if match else None


def translate(error: BaseException) -> DomainError | None:
    """The domain error for a database refusal raised by a ledger trigger, or None."""
    match = _PREFIX.search(str(error))
    if match is None:
        return None
    reason, detail = match.group(1), match.group(2).splitlines()[0] if match.group(2) else ""
    kind = _BY_REASON.get(reason, TamperRefused)
    if issubclass(kind, InvalidInput):
        return kind(problems=[FieldProblem(reason, detail or reason)])
    return kind(f"{reason}: {detail}" if detail else reason)
