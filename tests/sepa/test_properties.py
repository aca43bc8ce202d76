# SPDX-License-Identifier: EUPL-1.2
"""Property tests: whatever the batches, the file adds up, lists each payment once, validates."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ontzorgen.money import Money
from ontzorgen.sepa.check import check_pain001
from ontzorgen.sepa.execution_date import business_day_on_or_before
from ontzorgen.sepa.model import (
    CreditTransfer,
    Party,
    PaymentBatch,
    PaymentMessage,
    PostalAddress,
    Remittance,
)
from ontzorgen.sepa.writer import validate_xsd, write_pain001
from tests.sepa.builders import GEMEENTE, TODAY

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
IBANS = ["NL91ABNA0417164300", "NL44RABO0123456789", "DE89370400440532013000"]
# Latin letters with accents, digits and SEPA punctuation: names that transliterate.
NAME_CHARS = "abcdeéèëfghiïjklmnoöøpqrsßtuüvwxyzABCÇDEFGHIJKLMNOÖPQRSTUVWXYZ0123456789 -.'"

amounts = st.integers(min_value=1, max_value=99_999_999_999).map(Money)
names = st.text(alphabet=NAME_CHARS, min_size=1, max_size=30).filter(lambda s: s.strip() != "")
remittances = st.one_of(
    st.text(alphabet=NAME_CHARS, min_size=1, max_size=200)
    .filter(lambda s: s.strip() != "")
    .map(Remittance.free_text),
    st.just(Remittance.betalingskenmerk("5000056789012345")),
    st.just(Remittance.rf("RF18539007547034")),
)
transfer_lists = st.lists(
    st.tuples(amounts, names, st.sampled_from(IBANS), remittances), min_size=1, max_size=6
)


@st.composite
def messages(draw: st.DrawFn) -> PaymentMessage:
    batch_specs = draw(st.lists(transfer_lists, min_size=1, max_size=4))
    batches = []
    counter = 0
    for index, specs in enumerate(batch_specs):
        transfers = []
        for amount, name, iban, remittance in specs:
            counter += 1
            transfers.append(
                CreditTransfer(
                    end_to_end_id=f"E2E-{counter}",
                    amount=amount,
                    creditor=Party(name, iban, address=PostalAddress("Utrecht", "NL")),
                    remittance=remittance,
                )
            )
        day = business_day_on_or_before(TODAY + timedelta(days=7 + index * 3))
        batches.append(PaymentBatch(f"B-{index}", day, transfers))
    return PaymentMessage("MSG-1", TODAY_DT, "Gemeente Utrecht", GEMEENTE, batches)


TODAY_DT = datetime(2026, 12, 1, 8, 0)


@settings(max_examples=40, deadline=None)
@given(messages())
def test_written_file_adds_up_lists_each_payment_once_and_validates(
    message: PaymentMessage,
) -> None:
    data = write_pain001(message)
    assert validate_xsd(data, "pain.001.001.09") == []
    root = etree.fromstring(data)
    all_transfers = [t for b in message.batches for t in b.transfers]
    header = "p:CstmrCdtTrfInitn/p:GrpHdr/"
    assert Decimal(root.findtext(header + "p:CtrlSum", namespaces=NS) or "") == (
        Money.sum(t.amount for t in all_transfers).to_decimal()
    )
    assert int(root.findtext(header + "p:NbOfTxs", namespaces=NS) or "") == len(all_transfers)
    for batch, element in zip(
        message.batches, root.iterfind(".//p:PmtInf", namespaces=NS), strict=True
    ):
        assert Decimal(element.findtext("p:CtrlSum", namespaces=NS) or "") == (
            Money.sum(t.amount for t in batch.transfers).to_decimal()
        )
    written = Counter(
        (
            e.findtext("p:PmtId/p:EndToEndId", namespaces=NS),
            Money.from_decimal(Decimal(e.findtext("p:Amt/p:InstdAmt", namespaces=NS) or "")),
        )
        for e in root.iterfind(".//p:CdtTrfTxInf", namespaces=NS)
    )
    assert written == Counter((t.end_to_end_id, t.amount) for t in all_transfers)
    assert max(written.values()) == 1
    assert check_pain001(data, today=TODAY).errors == ()
