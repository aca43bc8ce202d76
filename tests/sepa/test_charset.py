# SPDX-License-Identifier: EUPL-1.2
"""Transliteration into the SEPA character set."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ontzorgen.sepa.charset import SEPA_CHARACTERS, SepaTextError, is_sepa_text, to_sepa_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("José Müller", "Jose Muller"),
        ("François Garçon", "Francois Garcon"),
        ("Straße", "Strasse"),
        ("Søren Ærø", "Soren Aero"),
        ("Œuvre cœur", "Oeuvre coeur"),
        ("Łukasz Wałęsa", "Lukasz Walesa"),
        ("Đorđe Đurić", "Dorde Duric"),
        ("Þór", "Thor"),
        ("Nguyễn Văn Ánh", "Nguyen Van Anh"),
        ("Çağla Yılmaz", "Cagla Yilmaz"),
        ("O’Brien & Zn", "O'Brien + Zn"),
        ("  huur   jan\t2027 ", "huur jan 2027"),
        ("Huur – januari", "Huur - januari"),
    ],
)
def test_transliterates_latin_letters(text: str, expected: str) -> None:
    assert to_sepa_text(text, field="Cdtr/Nm", max_len=70) == expected


@pytest.mark.parametrize(
    ("text", "script", "position"),
    [
        ("Ahmad أحمد", "arabic", 7),
        ("ሰላም", "ethiopic", 1),  # Tigrinya is written in Ge'ez (Ethiopic) script
        ("王芳", "cjk", 1),
        ("Иван", "cyrillic", 1),
    ],
)
def test_refuses_scripts_without_exact_latin_form(text: str, script: str, position: int) -> None:
    with pytest.raises(SepaTextError) as caught:
        to_sepa_text(text, field="Cdtr/Nm", max_len=70)
    error = caught.value
    assert error.field == "Cdtr/Nm"
    assert error.position == position
    assert {"arabic": "Arabisch", "ethiopic": "Ethiopisch", "cjk": "Chinees",
            "cyrillic": "Cyrillisch"}[script] in str(error)  # fmt: skip
    # The name itself never appears in the message (it is personal data).
    assert text not in str(error)
    assert all(char not in str(error) for char in text if not char.isascii())


def test_refuses_emoji_as_a_symbol() -> None:
    with pytest.raises(SepaTextError, match=r"Ustrd: bevat een symbool \(U\+1F3E0\)"):
        to_sepa_text("Huur 🏠", field="Ustrd", max_len=140)


def test_length_is_checked_after_transliteration() -> None:
    # 35 × "ß" is 35 characters but 70 after transliteration: still fits in 70, not in 69.
    assert to_sepa_text("ß" * 35, field="Cdtr/Nm", max_len=70) == "ss" * 35
    with pytest.raises(SepaTextError, match="is 70 tekens lang, hoogstens 69"):
        to_sepa_text("ß" * 35, field="Cdtr/Nm", max_len=69)


def test_too_long_is_an_error_unless_truncation_is_asked() -> None:
    text = "a" * 141
    with pytest.raises(SepaTextError, match="141 tekens lang, hoogstens 140"):
        to_sepa_text(text, field="Ustrd", max_len=140)
    assert to_sepa_text(text, field="Ustrd", max_len=140, truncate=True) == "a" * 140


def test_empty_text_is_an_error() -> None:
    with pytest.raises(SepaTextError, match="is leeg"):
        to_sepa_text("   ", field="Cdtr/Nm", max_len=70)


@given(st.text(max_size=80))
def test_output_is_always_in_the_charset_or_raises(text: str) -> None:
    try:
        result = to_sepa_text(text, field="Ustrd", max_len=140)
    except SepaTextError:
        return
    assert is_sepa_text(result)
    assert set(result) <= SEPA_CHARACTERS
    assert 0 < len(result) <= 140
    assert result == result.strip()
