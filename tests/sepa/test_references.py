# SPDX-License-Identifier: EUPL-1.2
"""Betalingskenmerk, RF references and SEPA ids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontzorgen.sepa.references import (
    Betalingskenmerk,
    FreeText,
    PaymentReferenceError,
    RfReference,
    SepaIdError,
    betalingskenmerk_check_digit,
    make_betalingskenmerk,
    parse_payment_reference,
    sepa_id_problem,
    validate_betalingskenmerk,
    validate_rf_reference,
    validate_sepa_id,
)


def test_check_digit_of_the_betaalvereniging_16_digit_example() -> None:
    # Betaalvereniging: (5)000 0567 8901 2345, weighted sum 215, 215 mod 11 = 6, 11 - 6 = 5.
    assert betalingskenmerk_check_digit("000056789012345") == 5
    assert validate_betalingskenmerk("5000 0567 8901 2345") == "5000056789012345"


def test_check_digit_of_the_betaalvereniging_14_digit_example() -> None:
    # Betaalvereniging: 12 2345 3462 2567 has check digit 1 and length code 2 (12 digits follow).
    assert validate_betalingskenmerk("12 2345 3462 2567") == "12234534622567"


def test_check_digit_10_becomes_1_and_11_becomes_0() -> None:
    # 6 × weight 2 = 12 ≡ 1 (mod 11): 11 - 1 = 10, written as 1.
    assert betalingskenmerk_check_digit("000000000000006") == 1
    # 5 × weight 2 = 10: 11 - 10 = 1, the same digit by the ordinary rule.
    assert betalingskenmerk_check_digit("000000000000005") == 1
    # Weighted sum 0: 11 - 0 = 11, written as 0.
    assert betalingskenmerk_check_digit("000000000000000") == 0
    # 1 × weight 2 = 2: 11 - 2 = 9.
    assert betalingskenmerk_check_digit("000000000000001") == 9


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("4000056789012345", "controlecijfer van het betalingskenmerk klopt niet"),
        ("13 2345 3462 2567", "lengtecode is 3"),
        ("12345678", "niet 8"),
        ("123456789012345", "niet 15"),
        ("50000567890123AB", "alleen uit cijfers"),
    ],
)
def test_invalid_betalingskenmerk_names_the_reason(text: str, reason: str) -> None:
    with pytest.raises(PaymentReferenceError, match=reason):
        validate_betalingskenmerk(text)


def test_seven_digits_have_no_check_digit() -> None:
    assert validate_betalingskenmerk("1234567") == "1234567"


@given(
    st.text(alphabet="0123456789", min_size=7, max_size=12)
    | st.text("0123456789", min_size=15, max_size=15)
)
def test_made_betalingskenmerk_validates_and_one_wrong_digit_fails(number: str) -> None:
    kenmerk = make_betalingskenmerk(number)
    assert validate_betalingskenmerk(kenmerk) == kenmerk
    assert len(kenmerk) in (9, 10, 11, 12, 13, 14, 16)
    wrong = f"{(int(kenmerk[0]) + 1) % 10}{kenmerk[1:]}"
    if betalingskenmerk_check_digit(kenmerk[1:]) != int(wrong[0]):
        with pytest.raises(PaymentReferenceError):
            validate_betalingskenmerk(wrong)


def test_rf_reference_uses_iso11649() -> None:
    assert validate_rf_reference("RF18 5390 0754 7034") == "RF18539007547034"
    with pytest.raises(PaymentReferenceError, match="controlegetal klopt niet"):
        validate_rf_reference("RF19539007547034")


def test_parse_payment_reference_classifies() -> None:
    assert parse_payment_reference("RF18 5390 0754 7034") == RfReference("RF18539007547034")
    assert parse_payment_reference("5000 0567 8901 2345") == Betalingskenmerk("5000056789012345")
    assert parse_payment_reference("1234567") == Betalingskenmerk("1234567")
    assert parse_payment_reference("Huur januari") == FreeText("Huur januari")
    # 8 digits cannot be a betalingskenmerk; 10 digits with the wrong length code neither.
    assert parse_payment_reference("12345678") == FreeText("12345678")
    assert parse_payment_reference("1234567890") == FreeText("1234567890")


def test_parse_payment_reference_refuses_near_misses() -> None:
    with pytest.raises(PaymentReferenceError, match=r"controlecijfer .* klopt niet"):
        parse_payment_reference("4000 0567 8901 2345")
    with pytest.raises(PaymentReferenceError, match="RF-referentie"):
        parse_payment_reference("RF19 5390 0754 7034")
    with pytest.raises(PaymentReferenceError, match="leeg"):
        parse_payment_reference("   ")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("HH0001-HUUR-202701", None),
        ("Onze referentie: 123456", None),
        ("", "is leeg"),
        ("A" * 36, "36 tekens lang, hoogstens 35"),
        ("/HH1", "begint of eindigt met '/'"),
        ("HH1/", "begint of eindigt met '/'"),
        ("HH//1", "bevat '//'"),
        ("HH_1", "buiten de SEPA-tekenset op positie 3"),
        ("HHé1", "buiten de SEPA-tekenset op positie 3"),
    ],
)
def test_sepa_id_rules(value: str, problem: str | None) -> None:
    found = sepa_id_problem(value)
    if problem is None:
        assert found is None
        assert validate_sepa_id(value, field="EndToEndId") == value
    else:
        assert found is not None
        assert problem in found
        with pytest.raises(SepaIdError, match="EndToEndId"):
            validate_sepa_id(value, field="EndToEndId")
