# SPDX-License-Identifier: EUPL-1.2
"""Every XML reader of ontzorgen parses with the same safety settings (no entities, no network,
no DTD, no huge trees): a source scan, so a new reader that forgets them fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ontzorgen.sepa.bankfile import read_bank_file
from ontzorgen.sepa.check import check_pain001
from ontzorgen.sepa.xmlstream import BankFileError

PACKAGE = Path(__file__).parents[2] / "ontzorgen"
PARSE = re.compile(r"etree\.(iterparse|fromstring|parse|XML|XMLParser)\((?P<args>[^)]*)")


def test_every_parse_call_uses_the_shared_safety_settings() -> None:
    unsafe = []
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for found in PARSE.finditer(source):
            call = source[found.start() : found.start() + 300]
            if "**SAFE_XML" in call or "parser=safe_parser()" in call:
                continue
            unsafe.append(f"{path.relative_to(PACKAGE)}: {found.group(0)}")
    assert unsafe == []


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">&lol2;</Document>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;</Document>"""


@pytest.mark.parametrize("data", [BOMB, EXTERNAL])
def test_entities_and_doctypes_are_refused_by_every_reader(data: bytes) -> None:
    with pytest.raises(BankFileError):
        list(read_bank_file(data))
    report = check_pain001(data, today=None)
    assert not report.ok
    assert "root:" not in report.format()  # /etc/passwd was never read
