# SPDX-License-Identifier: EUPL-1.2
"""Input validation shared by every interface: the bounds and patterns of input fields, and the
one translation of pydantic's (English) errors into Dutch reasons for a person.

The API, the CLI and the import all turn a :class:`pydantic.ValidationError` into
:class:`~ontzorgen.errors.FieldProblem` objects through :func:`problems_from_validation`, so a
person reads the same Dutch reason wherever they made the mistake. Reasons name the field and
the rule, never the value (it may be a BSN or an IBAN).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import ErrorDetails
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from ontzorgen.errors import FieldProblem
from ontzorgen.money import Money

# The largest id or count any table holds: a signed 64-bit integer (PostgreSQL BIGINT, SQLite
# INTEGER). Anything larger cannot be stored or looked up.
MAX_ID = 2**63 - 1

# The ceiling of one monthly amount (a vaste last, a month's bijstand, a deduction, a voorschot,
# a policy's minimum leefgeld): € 10.000,00. Bijstand for a household is far below € 3.000 a
# month; a larger figure is a typing error (cents given as euros × 10 000, an extra zero), and it
# keeps every sum of a run far inside the 64-bit range of the database.
MAX_MONTHLY_CENTS = 1_000_000

# Patterns, each with the reason a person reads when a value does not match.
GEMEENTE_CODE_PATTERN = r"^\d{4}$"
PERIOD_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
REFERENCE_PATTERN = r"^[A-Za-z0-9._-]+$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"
PURPOSE_CODE_PATTERN = r"^[A-Z]{4}$"
PAIN_VERSION_PATTERN = r"^pain\.001\.001\.(09|03)$"

REFERENCE_RULE = (
    "alleen letters (A-Z, a-z), cijfers en de tekens '.', '_' en '-'; geen '/', '\\', "
    "spatie of ander teken, zodat de referentie in elke URL en op de opdrachtregel bruikbaar is"
)

_PATTERN_REASONS = {
    GEMEENTE_CODE_PATTERN: "vier cijfers (de CBS-gemeentecode, bijv. 0439)",
    PERIOD_PATTERN: "een maand als JJJJ-MM (bijv. 2026-12)",
    REFERENCE_PATTERN: REFERENCE_RULE,
    COUNTRY_PATTERN: "een landcode van twee hoofdletters (ISO 3166, bijv. NL)",
    LANGUAGE_PATTERN: "een taalcode van twee of drie kleine letters (ISO 639, bijv. nl)",
    PURPOSE_CODE_PATTERN: "een code van vier hoofdletters (ISO 20022, bijv. RENT)",
    PAIN_VERSION_PATTERN: "pain.001.001.09 of pain.001.001.03",
}


def check_reference(value: str) -> str:
    """A reference must be one URL path segment: '.' and '..' mean 'here' and 'up' in a path."""
    if value in (".", ".."):
        raise ValueError(
            f"'{value}' is als referentie niet toegestaan: in een URL-pad betekent het "
            "'deze map' of 'de map erboven'"
        )
    return value


def check_text(value: Any) -> Any:
    """Free text may not hold control characters (a NUL cannot be stored in PostgreSQL) or
    lone surrogates (not encodable as UTF-8); tab and line breaks are allowed."""
    if isinstance(value, str):
        for char in value:
            if char in "\t\n\r":
                continue
            category = unicodedata.category(char)
            if category == "Cc":
                raise ValueError("bevat een stuurteken (zoals NUL); alleen gewone tekst")
            if category == "Cs":
                raise ValueError("bevat een ongeldig Unicode-teken (een losse surrogaat)")
    return value


def is_storable(value: str) -> bool:
    """True when the text can be stored or looked up at all (see :func:`check_text`); a look-up
    of anything else finds nothing without asking the database (PostgreSQL refuses a NUL)."""
    try:
        check_text(value)
    except ValueError:
        return False
    return "\t" not in value and "\n" not in value and "\r" not in value


class InputModel(BaseModel):
    """Base of every input model: unknown fields are an error (a misspelt field must not be
    silently ignored) and no text field holds a control character."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return check_text(value)


def _amount(value: object, cents: bool) -> str:
    if cents and isinstance(value, int):
        return f"{value} cent ({Money(value)})"
    return str(value)


def _expected(ctx: dict[str, Any]) -> str:
    return str(ctx.get("expected", "")).replace("' or '", "' of '")


_Reason = Callable[[dict[str, Any], bool], str]

_REASONS: dict[str, _Reason] = {
    "missing": lambda c, m: "verplicht veld ontbreekt",
    "extra_forbidden": lambda c, m: "onbekend veld (niet toegestaan; een typefout?)",
    "string_type": lambda c, m: "moet tekst zijn",
    "string_too_short": lambda c, m: (
        "mag niet leeg zijn"
        if c.get("min_length") == 1
        else f"moet ten minste {c.get('min_length')} tekens hebben"
    ),
    "string_too_long": lambda c, m: f"mag ten hoogste {c.get('max_length')} tekens hebben",
    "string_pattern_mismatch": lambda c, m: _PATTERN_REASONS.get(
        str(c.get("pattern")), f"heeft niet het vereiste formaat (patroon {c.get('pattern')})"
    ),
    "string_unicode": lambda c, m: "moet geldige Unicode-tekst zijn",
    "int_type": lambda c, m: "moet een geheel getal zijn",
    "int_parsing": lambda c, m: "moet een geheel getal zijn",
    "int_parsing_size": lambda c, m: "getal is te groot",
    "int_from_float": lambda c, m: "moet een geheel getal zijn (geen breuk; bedragen in centen)",
    "float_type": lambda c, m: "moet een getal zijn",
    "float_parsing": lambda c, m: "moet een getal zijn",
    "finite_number": lambda c, m: "moet een eindig getal zijn",
    "greater_than": lambda c, m: f"moet groter zijn dan {_amount(c.get('gt'), m)}",
    "greater_than_equal": lambda c, m: f"moet ten minste {_amount(c.get('ge'), m)} zijn",
    "less_than": lambda c, m: f"moet kleiner zijn dan {_amount(c.get('lt'), m)}",
    "less_than_equal": lambda c, m: f"mag ten hoogste {_amount(c.get('le'), m)} zijn",
    "bool_type": lambda c, m: "moet true of false zijn",
    "bool_parsing": lambda c, m: "moet true of false zijn",
    "date_type": lambda c, m: "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": lambda c, m: "moet een bestaande datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_parsing": lambda c, m: "moet een bestaande datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_inexact": lambda c, m: "moet een datum zijn, zonder tijd (JJJJ-MM-DD)",
    "datetime_type": lambda c, m: "moet een tijdstip zijn (ISO 8601)",
    "datetime_parsing": lambda c, m: "moet een geldig tijdstip zijn (ISO 8601)",
    "literal_error": lambda c, m: f"moet een van deze waarden zijn: {_expected(c)}",
    "enum": lambda c, m: f"moet een van deze waarden zijn: {_expected(c)}",
    "list_type": lambda c, m: "moet een lijst zijn",
    "too_short": lambda c, m: f"moet ten minste {c.get('min_length')} element(en) hebben",
    "too_long": lambda c, m: f"mag ten hoogste {c.get('max_length')} elementen hebben",
    "dict_type": lambda c, m: "moet een object zijn",
    "model_type": lambda c, m: "moet een object zijn",
    "model_attributes_type": lambda c, m: "moet een object zijn",
    "json_invalid": lambda c, m: "geen geldige JSON",
    "json_type": lambda c, m: "geen geldige JSON",
    "none_required": lambda c, m: "moet leeg (null) zijn",
    "union_tag_invalid": lambda c, m: "onbekende soort",
}


def dutch_reason(error: ErrorDetails) -> str:
    """The Dutch reason for one pydantic error (our own validators' messages are Dutch)."""
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if error["type"] in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        return str(cause) if cause is not None else "ongeldige waarde"
    loc = error.get("loc") or ()
    is_cents = bool(loc) and str(loc[-1]).endswith("_cents")
    reason = _REASONS.get(error["type"])
    if reason is None:
        return f"ongeldige waarde ({error['type']})"
    return reason(ctx, is_cents)


def field_path(loc: Iterable[int | str]) -> str:
    """A pydantic location as a field path: ``households[2].persons[0].bsn``."""
    path = ""
    for part in loc:
        name = str(part) or '""'  # an unknown field with an empty name is still named
        path += f"[{part}]" if isinstance(part, int) else (f".{name}" if path else name)
    return path


def problems_from_validation(
    error: ValidationError | Iterable[ErrorDetails],
    *,
    split: Callable[[tuple[int | str, ...]], tuple[str | None, str]] | None = None,
) -> list[FieldProblem]:
    """Every problem pydantic found, in Dutch, without the offending values.

    ``split`` turns a location into (record, field), e.g. ``households[3]`` and
    ``persons[0].bsn`` for an import file; by default the whole path is the field.
    """
    errors = (
        error.errors(include_input=False, include_url=False)
        if isinstance(error, ValidationError)
        else error
    )
    problems = []
    for e in errors:
        loc = tuple(e.get("loc") or ())
        record, name = split(loc) if split else (None, field_path(loc) or "(invoer)")
        problems.append(FieldProblem(field=name, reason=dutch_reason(e), record=record))
    return problems


def _iban(value: str) -> str:
    try:
        return str(IBAN(value).compact)
    except SchwiftyException as error:
        raise ValueError(f"geen geldige IBAN ({type(error).__name__})") from None


def _bic(value: str) -> str:
    try:
        return str(BIC(value).compact)
    except SchwiftyException as error:
        raise ValueError(f"geen geldige BIC ({type(error).__name__})") from None


# Checked with schwifty (check digits, the country's BBAN structure) and stored compact.
Iban = Annotated[str, AfterValidator(_iban)]
Bic = Annotated[str, AfterValidator(_bic)]
