# SPDX-License-Identifier: EUPL-1.2
"""The SEPA character set and transliteration into it.

Dutch banks accept UTF-8 but only ``a-z A-Z 0-9 / - ? : ( ) . , ' +`` and space. Names and
descriptions are transliterated (é→e, ß→ss, ø→o) with Unicode NFKD plus a small table. Scripts
that have no exact Latin rendering (Arabic, Ethiopic, CJK, Cyrillic, …) are refused: the Latin
name as registered in the BRP must be used instead of a guess.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = [
    "SEPA_CHARACTERS",
    "SepaTextError",
    "first_non_sepa_character",
    "is_sepa_text",
    "to_sepa_text",
]

SEPA_CHARACTERS: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-?:().,'+ "
)
_SEPA_TEXT: Final = re.compile(r"[a-zA-Z0-9/\-?:().,'+ ]*")

# Letters NFKD does not decompose, and punctuation with an obvious SEPA equivalent.
_TABLE: Final[dict[str, str]] = {
    "ß": "ss",
    "ẞ": "SS",
    "ø": "o",
    "Ø": "O",
    "æ": "ae",
    "Æ": "Ae",
    "œ": "oe",
    "Œ": "Oe",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "Th",
    "ı": "i",
    "ħ": "h",
    "Ħ": "H",
    "ŧ": "t",
    "Ŧ": "T",
    "ŋ": "n",
    "Ŋ": "N",
    "ĸ": "k",
    "ſ": "s",
    "&": "+",
    "_": "-",
    ";": ",",
    "[": "(",
    "]": ")",
    "{": "(",
    "}": ")",
    '"': "'",
    "`": "'",
    "´": "'",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "“": "'",
    "”": "'",
    "„": "'",
    "ʼ": "'",
    "ʻ": "'",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "−": "-",
    "\t": " ",
    "\n": " ",
    "\r": " ",
}

_TRANSLATION: Final = str.maketrans(_TABLE)
# The common combining accents that NFKD splits off (é → e + U+0301).
_COMBINING: Final = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
_SPACES: Final = re.compile(r" {2,}")


class SepaTextError(ValueError):
    """Text that cannot be put into a SEPA field.

    The message names the field, the position and the kind of character, never the text itself:
    the text is often a person's name.
    """

    def __init__(self, field: str, reason: str, position: int | None = None) -> None:
        self.field = field
        self.reason = reason
        self.position = position
        where = f" op positie {position}" if position is not None else ""
        super().__init__(f"{field}: {reason}{where}")


def is_sepa_text(text: str) -> bool:
    """True if every character of ``text`` is in the SEPA character set."""
    return _SEPA_TEXT.fullmatch(text) is not None


def first_non_sepa_character(text: str) -> int | None:
    """The 1-based position of the first character outside the SEPA set, or None."""
    for index, char in enumerate(text, start=1):
        if char not in SEPA_CHARACTERS:
            return index
    return None


_SCRIPTS = {"arabic": "Arabisch", "cyrillic": "Cyrillisch", "ethiopic": "Ethiopisch",
            "greek": "Grieks", "hebrew": "Hebreeuws", "cjk": "Chinees"}  # fmt: skip


def _describe(char: str) -> str:
    """A description of a character that does not reveal the text it came from."""
    category = unicodedata.category(char)
    if category.startswith("L"):
        # The first word of the Unicode name is the script: ARABIC, ETHIOPIC, CJK, CYRILLIC…
        script = unicodedata.name(char, "UNKNOWN").split(" ")[0].lower()
        return (
            f"een letter in {_SCRIPTS.get(script, script)} schrift zonder exacte Latijnse vorm; "
            "gebruik de Latijnse naam"
        )
    if category.startswith("S"):
        return f"een symbool (U+{ord(char):04X}) buiten de SEPA-tekenset"
    if category.startswith("P"):
        return f"een leesteken (U+{ord(char):04X}) buiten de SEPA-tekenset"
    if category.startswith("N"):
        return "een cijfer buiten 0-9"
    if category.startswith("C"):
        return "een stuurteken of niet-toegewezen teken"
    return f"een teken van Unicode-categorie {category} buiten de SEPA-tekenset"


def _transliterate_char(char: str) -> str | None:
    if char in SEPA_CHARACTERS:
        return char
    mapped = _TABLE.get(char)
    if mapped is not None:
        return mapped
    decomposed = unicodedata.normalize("NFKD", char)
    # Drop the combining accents that NFKD split off (é → e + ´).
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if base and base != char:
        parts = [_transliterate_char(c) for c in base]
        if all(part is not None for part in parts):
            return "".join(part for part in parts if part is not None)
    return None


def to_sepa_text(text: str, *, field: str, max_len: int, truncate: bool = False) -> str:
    """Transliterate ``text`` into the SEPA character set and check its length.

    Runs of spaces become one space and the ends are stripped. ``field`` names the field in
    errors (e.g. ``"Cdtr/Nm"``). Raises :class:`SepaTextError` for a character that cannot be
    rendered, for empty text, and for text longer than ``max_len`` after transliteration,
    unless ``truncate`` is true (only meant for ``Ustrd`` descriptions).
    """
    if is_sepa_text(text):
        result = text
    else:
        # Whole-string fast path; the per-character loop below is the full rule and also
        # finds the position of a character that cannot be rendered.
        quick = _COMBINING.sub("", unicodedata.normalize("NFKD", text.translate(_TRANSLATION)))
        quick = quick.translate(_TRANSLATION)
        result = quick if is_sepa_text(quick) else _transliterate_slowly(text, field)
    result = _SPACES.sub(" ", result).strip()
    if not result:
        raise SepaTextError(field, "is leeg")
    if len(result) > max_len:
        if not truncate:
            raise SepaTextError(field, f"is {len(result)} tekens lang, hoogstens {max_len}")
        result = result[:max_len].rstrip()
    return result


def _transliterate_slowly(text: str, field: str) -> str:
    pieces: list[str] = []
    for index, char in enumerate(text, start=1):
        rendered = _transliterate_char(char)
        if rendered is None:
            raise SepaTextError(field, f"bevat {_describe(char)}", index)
        pieces.append(rendered)
    return "".join(pieces)
