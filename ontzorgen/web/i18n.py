# SPDX-License-Identifier: EUPL-1.2
"""The pages' languages: Dutch (the source), English, Arabic, Tigrinya, Dari and Turkish.

Catalogs are the ``.po`` files in ``locale/`` (``make translations`` extracts and updates them);
they are compiled in memory when first used, so no binary ``.mo`` file is kept in git. A string
without a translation falls back to its Dutch source. Amounts and dates are formatted per locale
with Babel; money is always in euros.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from babel.support import NullTranslations, Translations

from ontzorgen.money import Money

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # the ?taal= value and the catalog's folder
    html_lang: str  # BCP 47, for <html lang> and hreflang
    babel_locale: str  # for amounts and dates
    name: str  # in the language itself, as the language switch shows it
    rtl: bool = False


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("nl", "nl", "nl_NL", "Nederlands"),
        Language("en", "en", "en_GB", "English"),
        Language("ar", "ar", "ar", "العربية", rtl=True),
        Language("ti", "ti", "ti", "ትግርኛ"),
        Language("fa", "fa-AF", "fa_AF", "دری", rtl=True),
        Language("tr", "tr", "tr_TR", "Türkçe"),
    )
}
SOURCE = LANGUAGES["nl"]


def language_of(code: str | None) -> Language | None:
    """The language for a ``?taal=`` value, a cookie or a person's preference; None if unknown.
    A preference may carry a region (``fa-AF``, ``ar_SY``): its first part decides."""
    if not code:
        return None
    return LANGUAGES.get(code.replace("_", "-").split("-")[0].lower())


@cache
def translations(code: str) -> NullTranslations:
    """The compiled catalog of ``code``; Dutch (and a missing catalog) is the source itself."""
    po = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if code == SOURCE.code or not po.exists():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


_current: ContextVar[Language] = ContextVar("language", default=SOURCE)


@contextmanager
def speaking(language: Language) -> Iterator[Language]:
    """Within the block, :func:`gettext` and the formatters use ``language``."""
    token = _current.set(language)
    try:
        yield language
    finally:
        _current.reset(token)


def current() -> Language:
    return _current.get()


def N_(message: str) -> str:
    """Marks Dutch source text for translation where it is defined; translated when shown."""
    return message


def gettext(message: str) -> str:
    return translations(current().code).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current().code).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return str(translations(current().code).pgettext(context, message))


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations(current().code).npgettext(context, singular, plural, n)


def money(amount: Money | int) -> str:
    """``€ 712,00`` in Dutch, ``€712.00`` in English: the locale's way, always euros."""
    cents = amount.cents if isinstance(amount, Money) else amount
    return str(format_currency(Decimal(cents).scaleb(-2), "EUR", locale=current().babel_locale))


def day(value: date) -> str:
    """A date for people: ``1 december 2026``."""
    return str(format_date(value, "long", locale=current().babel_locale))


def month(year: int, month_number: int) -> str:
    """A month for people: ``december 2026``."""
    return str(format_date(date(year, month_number, 1), "LLLL y", locale=current().babel_locale))
