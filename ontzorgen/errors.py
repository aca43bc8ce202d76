# SPDX-License-Identifier: EUPL-1.2
"""Typed domain errors. Services raise these; one handler renders them as problem+json.

Messages are written for the person at the desk and never contain a BSN, a person's name or a
person's IBAN: they name the field and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with the input: where (``field``) and why (``reason``)."""

    field: str
    reason: str
    record: str | None = None  # e.g. "households[3]" in an import file

    def __str__(self) -> str:
        where = f"{self.record}: " if self.record else ""
        return f"{where}{self.field}: {self.reason}"


class DomainError(Exception):
    """Base of every error a service may raise on purpose.

    ``status`` is the HTTP status the API answers with; ``code`` is a stable, machine-readable
    name (it becomes the problem ``type``).
    """

    status: int = 400
    code: str = "domain-error"
    title: str = "Het verzoek kan niet worden uitgevoerd"

    def __init__(self, detail: str, *, problems: list[FieldProblem] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.problems: list[FieldProblem] = problems or []


class InvalidInput(DomainError):
    """Input that breaks a rule; lists every problem found, each naming its field."""

    status = 422
    code = "invalid-input"
    title = "Ongeldige invoer"

    def __init__(
        self,
        field_name: str | None = None,
        reason: str | None = None,
        *,
        problems: list[FieldProblem] | None = None,
    ) -> None:
        found = list(problems or [])
        if field_name is not None and reason is not None:
            found.insert(0, FieldProblem(field_name, reason))
        detail = "; ".join(str(p) for p in found) or "ongeldige invoer"
        super().__init__(detail, problems=found)


class NotFound(DomainError):
    """The thing asked for does not exist (in this gemeente)."""

    status = 404
    code = "not-found"
    title = "Niet gevonden"


class Conflict(DomainError):
    """The request conflicts with what is already stored."""

    status = 409
    code = "conflict"
    title = "Conflict"


class NotPermitted(DomainError):
    """The actor may not do this (e.g. four eyes: the preparer approving their own run)."""

    status = 403
    code = "not-permitted"
    title = "Niet toegestaan"


@dataclass
class ProblemDetails:
    """An RFC 9457 problem, as the API renders it."""

    type: str
    title: str
    status: int
    detail: str
    invalid_params: list[dict[str, str]] = field(default_factory=list)


def to_problem(error: DomainError) -> ProblemDetails:
    """The problem+json body of a domain error."""
    return ProblemDetails(
        type=f"urn:ontzorgen:probleem:{error.code}",
        title=error.title,
        status=error.status,
        detail=error.detail,
        invalid_params=[
            {"name": p.field, "reason": p.reason, **({"record": p.record} if p.record else {})}
            for p in error.problems
        ],
    )
