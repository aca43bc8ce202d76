# SPDX-License-Identifier: EUPL-1.2
"""The message catalogs: up to date with the templates and the code, parseable, with the same
placeholders as the Dutch source; and every string an inburgeraar sees translated in each
language. What is missing per language is written to reports/translations-missing.txt."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from ontzorgen.web.i18n import LANGUAGES, LOCALE_DIR, SOURCE, language_of, speaking, translations

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "ontzorgen" / "web"
REPORT = ROOT / "reports" / "translations-missing.txt"
TARGETS = [code for code in LANGUAGES if code != SOURCE.code]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

# What an inburgeraar (or anyone before logging in) sees: the shared layout, the start page,
# the logins, the error pages, the accessibility statement and "Mijn maand" with its PDF.
# Staff pages are left out: their strings fall back to Dutch until they are translated.
INBURGERAAR_FACING = {
    "templates/base.html", "templates/macros.html", "templates/start.html",
    "templates/login.html", "templates/dev_login.html", "templates/error.html",
    "templates/toegankelijkheid.html", "templates/mijn_maand.html",
    "templates/mijn_maand_pdf.html", "templates/_maand_chart.html",
    "templates/_maand_inhoud.html", "maand.py", "html.py", "login.py", "start.py",
    "deps.py", "templating.py",
}  # fmt: skip


def extracted() -> dict[str, set[str]]:
    """Every msgid of the templates and the code (as `make translations` extracts them, with
    babel.cfg), with the files that use it."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, set[str]] = defaultdict(set)
    for filename, _line, message, _comments, _context in extract_from_dir(
        WEB, method_map, options_map
    ):
        # A plural message is known by its singular, as in the catalogs.
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found[msgid].add(filename.replace("\\", "/"))
    return found


def catalog(code: str) -> Catalog:
    with (LOCALE_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=code)


def msgids(found: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in found if m.id}


@pytest.fixture(scope="module")
def source() -> dict[str, set[str]]:
    return extracted()


def test_the_template_is_up_to_date(source: dict[str, set[str]]) -> None:
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        pot = read_po(handle)
    assert sorted(set(source) - msgids(pot)) == [], "not extracted yet: run make translations"
    assert sorted(msgids(pot) - set(source)) == [], "obsolete: run make translations"


@pytest.mark.parametrize("code", TARGETS)
def test_each_catalog_is_up_to_date(source: dict[str, set[str]], code: str) -> None:
    ids = msgids(catalog(code))
    assert sorted(set(source) - ids) == [], f"{code}: run make translations"
    assert sorted(ids - set(source)) == [], f"{code}: obsolete strings, run make translations"


@pytest.mark.parametrize("code", TARGETS)
def test_placeholders_match_the_source(code: str) -> None:
    wrong = []
    for message in catalog(code):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        strings = tuple(s for s in strings if s)  # an empty plural form falls back to Dutch
        expected = set(PLACEHOLDER.findall(ids[0]))
        wrong += [(ids[0], s) for s in strings if set(PLACEHOLDER.findall(s)) != expected]
        # A stray % (not %% or a placeholder) would break the formatting at runtime.
        wrong += [(ids[0], s) for s in strings if "%" in re.sub(r"%%|%\(\w+\)[sd]", "", s)]
    assert wrong == []


def test_missing_strings_are_listed_and_none_for_the_inburgeraar(
    source: dict[str, set[str]],
) -> None:
    lines, failing = [], []
    for code in TARGETS:
        found = {
            m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog(code) if m.id
        }
        missing = sorted(msgid for msgid in source if not _translated(found.get(msgid)))
        lines.append(f"# {code} ({LANGUAGES[code].name}): {len(missing)} untranslated")
        for msgid in missing:
            facing = bool(source[msgid] & INBURGERAAR_FACING)
            lines.append(f"{'!' if facing else '-'} {msgid}  [{', '.join(sorted(source[msgid]))}]")
            if facing:
                failing.append((code, msgid))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))  # noqa: T201 - the list is the point of this test
    assert failing == [], f"untranslated on the inburgeraar's pages: {failing}"


def _translated(string: str | tuple[str, ...] | None) -> bool:
    """A translation, with every plural form filled in."""
    if isinstance(string, tuple):
        return all(string)
    return bool(string)


def test_the_facing_files_exist() -> None:
    """A renamed template must not silently drop out of the check above."""
    assert sorted(f for f in INBURGERAAR_FACING if not (WEB / f).is_file()) == []


@pytest.mark.parametrize("code", TARGETS)
def test_a_translation_is_used_when_shown(code: str) -> None:
    language = language_of(code)
    assert language is not None
    with speaking(language):
        shown = translations(code).gettext("Mijn maand")
    assert shown
    assert shown != "Mijn maand"
