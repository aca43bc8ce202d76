# SPDX-License-Identifier: EUPL-1.2
"""Money in integer eurocents.

Every amount in ontzorgen is a :class:`Money`: an immutable number of eurocents. There is no
float anywhere in a money path. Text is turned into Money only at the edges (:meth:`Money.parse`)
and back into text only for people (:meth:`Money.format`).

The one rounding rule, used everywhere: **half up to the cent** (away from zero for negative
amounts), see :func:`divide_half_up`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Final

from babel import Locale
from babel.numbers import format_currency

__all__ = ["Money", "MoneyParseError", "divide_half_up"]

CURRENCY: Final = "EUR"

# "1.401,43", "1401,43", "1,401.43", "1401.43", "1401", "€ 1.401,43", "-12,5", "EUR 3,00"
_PREFIX = re.compile(r"^\s*(?:€|EUR)?\s*", re.IGNORECASE)
_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:[.,\s]\d{3})*|\d+)(?:([.,])(\d{1,2}))?$")


@lru_cache(maxsize=32)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


# Plans explain every line with amounts; the same amounts recur (norms, rents), and Babel's
# formatting is the slow part of a large run, so formatted amounts are remembered.
@lru_cache(maxsize=65_536)
def _format(cents: int, locale: str) -> str:
    return str(format_currency(Decimal(cents).scaleb(-2), CURRENCY, locale=_locale(locale)))


class MoneyParseError(ValueError):
    """Raised when text cannot be read as an amount in euros."""


def divide_half_up(numerator: int, denominator: int) -> int:
    """Divide two integers and round half up (away from zero), the one rounding rule.

    >>> divide_half_up(5, 2), divide_half_up(-5, 2), divide_half_up(7, 3)
    (3, -3, 2)
    """
    if denominator == 0:
        raise ZeroDivisionError("division of money by zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    sign = -1 if numerator < 0 else 1
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return sign * quotient


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An amount in euros, held as an integer number of cents."""

    cents: int

    def __post_init__(self) -> None:
        # bool is an int subclass; a float would silently lose cents.
        if not isinstance(self.cents, int) or isinstance(self.cents, bool):
            raise TypeError(f"Money needs integer cents, not {type(self.cents).__name__}")

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def zero(cls) -> Money:
        """Nothing: € 0,00."""
        return cls(0)

    @classmethod
    def euros(cls, whole: int, cents: int = 0) -> Money:
        """Money from whole euros and cents: ``Money.euros(712)`` is € 712,00."""
        sign = -1 if whole < 0 else 1
        return cls(whole * 100 + sign * cents)

    @classmethod
    def parse(cls, text: str) -> Money:
        """Read an amount as people and files write it.

        Accepts Dutch ("1.401,43", "€ 1.401,43") and international ("1401.43", "1,401.43")
        notation. Without decimals, dots followed by three digits separate thousands ("1.401" is
        € 1.401,00), but "12,345" is refused: it could be twelve thousand or twelve euros with
        a typo, and money is no place to guess. Anything else raises :class:`MoneyParseError`.
        """
        stripped = _PREFIX.sub("", text).strip()
        match = _NUMBER.match(stripped)
        if match is None:
            raise MoneyParseError(f"not an amount in euros: {text!r}")
        sign, whole, separator, fraction = match.groups()
        thousands = set(re.findall(r"[.,]", whole))
        if len(thousands) > 1 or (separator is not None and separator in thousands):
            raise MoneyParseError(f"ambiguous separators in amount: {text!r}")
        if separator is None and thousands == {","}:
            raise MoneyParseError(f"ambiguous amount (thousands or decimals?): {text!r}")
        digits = re.sub(r"[.,\s]", "", whole)
        cents = int(digits) * 100 + int((fraction or "0").ljust(2, "0"))
        return cls(-cents if sign == "-" else cents)

    @classmethod
    def from_decimal(cls, value: Decimal) -> Money:
        """Money from an exact Decimal (as read from XML); more than two decimals is an error."""
        cents = value * 100
        if cents != cents.to_integral_value():
            raise MoneyParseError(f"amount has more than two decimals: {value}")
        return cls(int(cents))

    @classmethod
    def sum(cls, amounts: Iterable[Money]) -> Money:
        """The sum of amounts (€ 0,00 for none)."""
        return cls(sum(amount.cents for amount in amounts))

    # -- arithmetic -----------------------------------------------------------------------
    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.cents + other.cents)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.cents - other.cents)

    def __neg__(self) -> Money:
        return Money(-self.cents)

    def __abs__(self) -> Money:
        return Money(abs(self.cents))

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int) or isinstance(factor, bool):
            return NotImplemented
        return Money(self.cents * factor)

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        return self.cents != 0

    def is_negative(self) -> bool:
        """True below zero."""
        return self.cents < 0

    def is_positive(self) -> bool:
        """True above zero."""
        return self.cents > 0

    def fraction(self, numerator: int, denominator: int) -> Money:
        """``self × numerator / denominator``, rounded half up to the cent.

        >>> Money(140150).fraction(95, 100)
        Money(cents=133143)
        """
        return Money(divide_half_up(self.cents * numerator, denominator))

    def allocate(self, weights: Sequence[int]) -> list[Money]:
        """Split into parts proportional to ``weights`` that add up to exactly this amount.

        Largest-remainder method: each part is rounded down, and the cents left over go one by
        one to the parts with the largest remainders (ties to the earliest part). Used for pro
        rata shares, so that no cent is lost or invented.

        >>> Money(100).allocate([1, 1, 1])
        [Money(cents=34), Money(cents=33), Money(cents=33)]
        """
        if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
            raise ValueError("allocate needs non-negative weights with a positive sum")
        total = sum(weights)
        sign = -1 if self.cents < 0 else 1
        magnitude = abs(self.cents)
        shares = [divmod(magnitude * w, total) for w in weights]
        parts = [quotient for quotient, _ in shares]
        left = magnitude - sum(parts)
        by_remainder = sorted(range(len(weights)), key=lambda i: (-shares[i][1], i))
        for index in by_remainder[:left]:
            parts[index] += 1
        return [Money(sign * part) for part in parts]

    def min(self, other: Money) -> Money:
        """The smaller of two amounts."""
        return self if self.cents <= other.cents else other

    def max(self, other: Money) -> Money:
        """The larger of two amounts."""
        return self if self.cents >= other.cents else other

    # -- output ---------------------------------------------------------------------------
    def to_decimal(self) -> Decimal:
        """The amount as an exact Decimal with two places (for XML and JSON edges)."""
        return Decimal(self.cents).scaleb(-2)

    def plain(self) -> str:
        """Machine text with a dot and two decimals: ``1401.43`` (SEPA ``InstdAmt``)."""
        sign = "-" if self.cents < 0 else ""
        whole, cents = divmod(abs(self.cents), 100)
        return f"{sign}{whole}.{cents:02d}"

    def format(self, locale: str = "nl_NL") -> str:
        """For people, in their locale (Babel): ``€ 1.401,43`` in Dutch."""
        return _format(self.cents, locale)

    def __str__(self) -> str:
        return self.format()
