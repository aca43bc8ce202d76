# SPDX-License-Identifier: EUPL-1.2
"""Mutated real bank files: the reader gives records or a BankFileError, never another
exception (no crash of lxml, Decimal, int or the date parser leaks out)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings

from ontzorgen.sepa.bankfile import BankFileError, read_bank_file
from ontzorgen.sepa.feedback import Record
from ontzorgen.sepa.writer import write_pain001
from tests.bank.testbank import camt053, camt054, pain002
from tests.bankfile_mutations import mutated_bank_file, sample_files
from tests.sepa.builders import build_message

DAY = date(2026, 12, 24)
_PAIN001 = write_pain001(build_message())
_FIRST = "HH0001-HUUR-202701"
# The test bank's answers to our own pain.001 in each version it writes.
TEST_BANK = [
    pain002(_PAIN001),
    pain002(_PAIN001, version="pain.002.001.03", rejected={_FIRST: "AC04"}),
    camt053(_PAIN001, booking_date=DAY, returned={_FIRST: "AC04"}),
    camt053(_PAIN001, version="camt.053.001.08", booking_date=DAY),
    camt054(_PAIN001, booking_date=DAY, returned={_FIRST: "MS03"}),
]
# and the real samples (some of which are refused whole, as they should be).
ORIGINALS = [*sample_files(), *TEST_BANK]


def _outcome(data: bytes) -> list[Record] | BankFileError:
    try:
        return list(read_bank_file(data))
    except BankFileError as error:
        return error


def test_the_test_bank_answers_are_read_whole() -> None:
    # The mutations start from files the reader accepts.
    for data in ORIGINALS[-len(TEST_BANK) :]:
        outcome = _outcome(data)
        assert isinstance(outcome, list), outcome
        assert outcome


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_bank_file(ORIGINALS))
def test_a_mutated_bank_file_gives_records_or_a_bank_file_error(data: bytes) -> None:
    outcome = _outcome(data)  # any other exception fails the test
    if isinstance(outcome, BankFileError):
        assert outcome.message
        assert "Traceback" not in str(outcome)


def test_a_bad_amount_in_a_file_broken_further_on_names_the_broken_xml() -> None:
    # Found by the mutations: the XSD look-up after the amount error parsed the whole file
    # and let lxml's XMLSyntaxError out.
    statement = camt053(_PAIN001, booking_date=DAY)
    amount = re.search(rb'(<Amt Ccy="EUR">)[0-9.]+(</Amt>)', statement)
    assert amount is not None
    broken = statement[: amount.end(1)] + b"8.850" + statement[amount.start(2) :] + b"<extra/>"
    with pytest.raises(BankFileError) as caught:
        list(read_bank_file(broken))
    assert caught.value.line is not None
