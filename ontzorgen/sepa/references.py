# SPDX-License-Identifier: EUPL-1.2
"""Payment references: the Dutch betalingskenmerk, ISO 11649 RF references and SEPA ids.

Betalingskenmerk (Betaalvereniging specification)
    7 digits: no check digit. 9–14 digits: check digit C, length code L, then the digits;
    L is the number of digits after L, modulo 10 (9 digits → L=7, 12 → L=0, 14 → L=2).
    16 digits: check digit and 15 digits. 8 and 15 digits do not exist. The check digit is
    computed over everything after it (the length code included) with the weights 2, 4, 8, 5,
    10, 9, 7, 3, 6, 1 from the right, repeating: C = 11 − (sum mod 11), 10 → 1, 11 → 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from stdnum import iso11649
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from ontzorgen.sepa.charset import first_non_sepa_character

__all__ = [
    "Betalingskenmerk",
    "FreeText",
    "PaymentReferenceError",
    "RfReference",
    "SepaIdError",
    "betalingskenmerk_check_digit",
    "make_betalingskenmerk",
    "parse_payment_reference",
    "sepa_id_problem",
    "validate_betalingskenmerk",
    "validate_rf_reference",
    "validate_sepa_id",
]

_WEIGHTS: Final = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)
_SEPARATORS: Final = re.compile(r"[\s.\-]")
SEPA_ID_MAX: Final = 35


class PaymentReferenceError(ValueError):
    """A payment reference that is not valid; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class SepaIdError(ValueError):
    """A MsgId, PmtInfId, InstrId or EndToEndId that breaks the SEPA rules."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


@dataclass(frozen=True, slots=True)
class Betalingskenmerk:
    """A valid Dutch betalingskenmerk, digits only (goes in Strd with Issr CUR)."""

    digits: str


@dataclass(frozen=True, slots=True)
class RfReference:
    """A valid ISO 11649 creditor reference in compact form, e.g. ``RF18539007547034``."""

    value: str


@dataclass(frozen=True, slots=True)
class FreeText:
    """A reference that is neither: it goes in Ustrd as it is."""

    text: str


def betalingskenmerk_check_digit(digits_after_check: str) -> int:
    """The check digit for the digits that follow it (length code included, if any).

    >>> betalingskenmerk_check_digit("000056789012345")
    5
    """
    if not digits_after_check.isdigit() or not digits_after_check.isascii():
        raise PaymentReferenceError("een betalingskenmerk bestaat alleen uit cijfers")
    total = sum(
        int(digit) * _WEIGHTS[index % len(_WEIGHTS)]
        for index, digit in enumerate(reversed(digits_after_check))
    )
    check = 11 - total % 11
    return {10: 1, 11: 0}.get(check, check)


def validate_betalingskenmerk(text: str) -> str:
    """Return the betalingskenmerk as digits only, or raise :class:`PaymentReferenceError`.

    Spaces (as printed on invoices) are ignored.
    """
    digits = re.sub(r"\s", "", text)
    if not digits.isdigit() or not digits.isascii():
        raise PaymentReferenceError("een betalingskenmerk bestaat alleen uit cijfers")
    length = len(digits)
    if length == 7:
        return digits  # the 7-digit form has no check digit
    if length == 16:
        body = digits[1:]
    elif 9 <= length <= 14:
        expected_code = (length - 2) % 10
        if int(digits[1]) != expected_code:
            raise PaymentReferenceError(
                f"lengtecode is {digits[1]}, maar een betalingskenmerk van {length} cijfers "
                f"vraagt {expected_code}"
            )
        body = digits[1:]
    else:
        raise PaymentReferenceError(
            f"een betalingskenmerk heeft 7, 9 tot 14 of 16 cijfers, niet {length}"
        )
    expected = betalingskenmerk_check_digit(body)
    if int(digits[0]) != expected:
        raise PaymentReferenceError("controlecijfer van het betalingskenmerk klopt niet")
    return digits


def make_betalingskenmerk(number: str) -> str:
    """Build a betalingskenmerk around ``number`` (7–12 digits, or exactly 15).

    7–12 digits get a length code and a check digit (9–14 digits in all); 15 digits get a
    check digit (16 in all).
    """
    if not number.isdigit() or not number.isascii():
        raise PaymentReferenceError("een betalingskenmerk bestaat alleen uit cijfers")
    if len(number) == 15:
        body = number
    elif 7 <= len(number) <= 12:
        body = f"{len(number) % 10}{number}"
    else:
        raise PaymentReferenceError("make_betalingskenmerk needs 7 to 12 or 15 digits")
    return f"{betalingskenmerk_check_digit(body)}{body}"


def _rf_reason(error: ValidationError) -> str:
    # stdnum's exceptions are typed by rule; their messages are English.
    if isinstance(error, InvalidChecksum):
        return "het controlegetal klopt niet"
    if isinstance(error, InvalidLength):
        return "de lengte klopt niet"
    if isinstance(error, InvalidFormat):
        return "de opbouw klopt niet (RF, twee cijfers en tot 21 letters of cijfers)"
    return "ongeldig"


def validate_rf_reference(text: str) -> str:
    """Return an ISO 11649 reference in compact form, or raise :class:`PaymentReferenceError`."""
    try:
        return str(iso11649.validate(text))
    except ValidationError as error:
        # stdnum's messages name the rule ("The number's checksum or check digit is invalid.").
        raise PaymentReferenceError(f"RF-referentie: {_rf_reason(error)}") from error


def _looks_like_betalingskenmerk(digits: str) -> bool:
    length = len(digits)
    if length in (7, 16):
        return True
    return 9 <= length <= 14 and int(digits[1]) == (length - 2) % 10


def parse_payment_reference(text: str) -> Betalingskenmerk | RfReference | FreeText:
    """Classify a reference from an invoice.

    * starts with ``RF`` and two digits → an RF reference, which must be valid;
    * digits only (spaces, dots and dashes ignored) of 16 digits, of 7 digits, or of 9–14
      digits whose second digit is the right length code → a betalingskenmerk, which must
      have the right check digit;
    * anything else → free text.

    Raises :class:`PaymentReferenceError` with the reason when the text looks like an RF
    reference or a betalingskenmerk but is not a valid one, because that is almost always a
    typo that would make the payment unmatchable at the creditor.
    """
    stripped = text.strip()
    compact = _SEPARATORS.sub("", stripped).upper()
    if re.fullmatch(r"RF\d\d[0-9A-Z]*", compact):
        return RfReference(validate_rf_reference(compact))
    if compact.isdigit() and compact.isascii() and _looks_like_betalingskenmerk(compact):
        return Betalingskenmerk(validate_betalingskenmerk(compact))
    if not stripped:
        raise PaymentReferenceError("de referentie is leeg")
    return FreeText(stripped)


def sepa_id_problem(value: str) -> str | None:
    """Why ``value`` cannot be a MsgId/PmtInfId/InstrId/EndToEndId, or None if it can."""
    if not value:
        return "is leeg"
    if len(value) > SEPA_ID_MAX:
        return f"is {len(value)} tekens lang, hoogstens {SEPA_ID_MAX}"
    position = first_non_sepa_character(value)
    if position is not None:
        return f"heeft een teken buiten de SEPA-tekenset op positie {position}"
    if value.startswith("/") or value.endswith("/"):
        return "begint of eindigt met '/'"
    if "//" in value:
        return "bevat '//'"
    if value != value.strip():
        return "begint of eindigt met een spatie"
    return None


def validate_sepa_id(value: str, *, field: str) -> str:
    """Return ``value`` if it is a valid SEPA id, else raise :class:`SepaIdError`."""
    problem = sepa_id_problem(value)
    if problem is not None:
        raise SepaIdError(field, problem)
    return value
