# SPDX-License-Identifier: EUPL-1.2
"""Money: integer cents, one rounding rule, exact splits, parsing and formatting at the edges."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontzorgen.money import Money, MoneyParseError, divide_half_up

amounts = st.integers(min_value=-(10**12), max_value=10**12).map(Money)


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1.401,43", 140143),
        ("1401,43", 140143),
        ("1401.43", 140143),
        ("1,401.43", 140143),
        ("€ 1.401,43", 140143),
        ("€1.401,43", 140143),
        ("EUR 3,00", 300),
        ("712", 71200),
        ("1.401", 140100),
        ("1.401.000", 140100000),
        ("-12,5", -1250),
        ("0,07", 7),
        ("1 401,43", 140143),
    ],
)
def test_parse_reads_what_people_and_files_write(text: str, cents: int) -> None:
    assert Money.parse(text) == Money(cents)


@pytest.mark.parametrize(
    "text", ["", "abc", "1,2,3", "1.401.43,2,1", "12,345", "1.2.3", "1,401,43"]
)
def test_parse_refuses_what_is_not_an_amount(text: str) -> None:
    with pytest.raises(MoneyParseError):
        Money.parse(text)


def test_no_float_ever() -> None:
    with pytest.raises(TypeError):
        Money(12.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True)
    assert Money(100) * 3 == Money(300)
    with pytest.raises(TypeError):
        Money(100) * 1.5  # type: ignore[operator]


def test_formatting_in_dutch_and_for_files() -> None:
    assert Money(140143).format() == "€\xa01.401,43"
    assert Money(-5).format() == "€\xa0-0,05"
    assert Money(140143).plain() == "1401.43"
    assert Money(-5).plain() == "-0.05"
    assert Money.from_decimal(Decimal("712.5")) == Money(71250)
    with pytest.raises(MoneyParseError):
        Money.from_decimal(Decimal("0.001"))


def test_the_one_rounding_rule_is_half_up_away_from_zero() -> None:
    assert [divide_half_up(n, 2) for n in (5, 3, -5, -3, 4)] == [3, 2, -3, -2, 2]
    assert divide_half_up(7, -2) == -4
    assert Money(140150).fraction(95, 100) == Money(133143)  # the VT rule: 1331.425 → 1331.43
    with pytest.raises(ZeroDivisionError):
        divide_half_up(1, 0)


def test_allocate_gives_leftover_cents_to_the_largest_remainders() -> None:
    assert Money(100).allocate([1, 1, 1]) == [Money(34), Money(33), Money(33)]
    assert Money(-100).allocate([1, 1, 1]) == [Money(-34), Money(-33), Money(-33)]
    assert Money(1000).allocate([1, 0, 3]) == [Money(250), Money(0), Money(750)]
    with pytest.raises(ValueError, match="weights"):
        Money(1).allocate([0, 0])


@given(amounts, st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12))
def test_allocate_never_loses_or_invents_a_cent(amount: Money, weights: list[int]) -> None:
    if sum(weights) == 0:
        weights = [*weights[:-1], 1]
    parts = amount.allocate(weights)
    assert Money.sum(parts) == amount
    exact = [amount.cents * w / sum(weights) for w in weights]  # only to bound the error
    assert all(abs(p.cents - e) < 1 for p, e in zip(parts, exact, strict=True))


@given(amounts)
def test_plain_and_dutch_text_read_back_to_the_same_amount(amount: Money) -> None:
    assert Money.parse(amount.plain()) == amount
    assert Money.parse(amount.format().replace("\xa0", " ")) == amount


@given(amounts, amounts)
def test_arithmetic_is_exact(a: Money, b: Money) -> None:
    assert (a + b) - b == a
    assert a + (-a) == Money.zero()
    assert Money.sum([a, b]) == a + b
    assert a.min(b) <= a.max(b)
