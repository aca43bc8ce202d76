# SPDX-License-Identifier: EUPL-1.2
"""The accountant's list of reason codes (docs/reconciliation.md) is the one the code uses."""

from __future__ import annotations

import re
from pathlib import Path

from ontzorgen.bank.reasons import REASONS, describe, reason_text

DOCS = Path(__file__).parents[2] / "docs" / "reconciliation.md"
ROW = re.compile(r"^\| ([A-Z0-9]{4}) \| (.+?) \| (.+?) \|$", re.MULTILINE)


def test_the_documented_codes_are_the_coded_ones_word_for_word() -> None:
    documented = {code: (text, advice) for code, text, advice in ROW.findall(DOCS.read_text())}
    assert documented == {code: (r.text, r.advice) for code, r in REASONS.items()}


def test_every_return_reason_of_the_dutch_bank_rules_is_known() -> None:
    # The SCT return reasons Dutch banks send (Betaalvereniging implementation guidelines).
    for code in ("AC01", "AC04", "AC06", "AG01", "AG02", "AM05", "BE04", "FF01", "MD07",
                 "MS02", "MS03", "RC01", "RR01", "RR02", "RR03", "RR04", "TM01", "CNOR",
                 "DNOR"):  # fmt: skip
        assert code in REASONS


def test_unknown_and_missing_codes_still_read_as_dutch() -> None:
    assert describe("ac04") == "ac04: de rekening is opgeheven"
    assert "niet kent" in reason_text("ZZ99").text
    assert describe(None) == "de bank gaf geen reden op"
