# SPDX-License-Identifier: EUPL-1.2
"""The pain.001 writer: schema validity, totals, remittance, errors and a second opinion."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from sepaxml import SepaTransfer

from ontzorgen.money import Money
from ontzorgen.sepa.check import check_pain001
from ontzorgen.sepa.model import (
    CreditTransfer,
    Party,
    PaymentBatch,
    PaymentMessage,
    PostalAddress,
    Remittance,
)
from ontzorgen.sepa.references import FreeText
from ontzorgen.sepa.writer import SepaExportError, validate_xsd, write_pain001
from tests.sepa.builders import CLIENT, TODAY, WONINGCORPORATIE, build_message

NS09 = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
NS03 = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


@pytest.mark.parametrize("version", ["pain.001.001.09", "pain.001.001.03"])
def test_output_validates_against_the_xsd(message: PaymentMessage, version: str) -> None:
    data = write_pain001(message, version=version)  # type: ignore[arg-type]
    assert validate_xsd(data, version) == []  # type: ignore[arg-type]
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


@pytest.mark.parametrize("version", ["pain.001.001.09", "pain.001.001.03"])
def test_checker_finds_no_problem_in_our_output(message: PaymentMessage, version: str) -> None:
    report = check_pain001(write_pain001(message, version=version), today=TODAY)  # type: ignore[arg-type]
    expected_kinds = {"version"} if version == "pain.001.001.03" else set()
    assert report.errors == ()
    assert {p.kind for p in report.warnings} == expected_kinds
    assert report.number_of_transactions == 4


def test_counts_and_control_sums(message: PaymentMessage) -> None:
    root = _parse(write_pain001(message))
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS09) == "4"
    # 712.45 + 154.00 + 139.99 + 250.01
    assert root.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS09) == "1256.45"
    batches = root.findall("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=NS09)
    assert [b.findtext("p:NbOfTxs", namespaces=NS09) for b in batches] == ["3", "1"]
    assert [b.findtext("p:CtrlSum", namespaces=NS09) for b in batches] == ["1006.44", "250.01"]
    for batch in batches:
        assert batch.findtext("p:PmtMtd", namespaces=NS09) == "TRF"
        assert batch.findtext("p:BtchBookg", namespaces=NS09) == "true"
        assert batch.findtext("p:PmtTpInf/p:SvcLvl/p:Cd", namespaces=NS09) == "SEPA"
        assert batch.findtext("p:ChrgBr", namespaces=NS09) == "SLEV"
        assert batch.findtext("p:DbtrAgt/p:FinInstnId/p:BICFI", namespaces=NS09) == "ABNANL2A"
    assert batches[0].findtext("p:ReqdExctnDt/p:Dt", namespaces=NS09) == "2026-12-24"
    assert batches[0].findtext("p:PmtTpInf/p:CtgyPurp/p:Cd", namespaces=NS09) == "SSBE"


def test_remittance_and_creditor_fields(message: PaymentMessage) -> None:
    root = _parse(write_pain001(message))
    txs = root.findall(".//p:CdtTrfTxInf", namespaces=NS09)
    rent, energy, insurance, leefgeld = txs
    assert rent.findtext("p:RmtInf/p:Ustrd", namespaces=NS09) == (
        "Huur januari 2027 contract 88-1234 - Zoe"
    )
    assert rent.findtext("p:Purp/p:Cd", namespaces=NS09) == "RENT"
    assert rent.findtext("p:PmtId/p:InstrId", namespaces=NS09) == "I-0001"
    assert (
        rent.findtext("p:PmtId/p:UETR", namespaces=NS09) == "235d1eb5-8dd7-4c1a-8ece-559df8c67da1"
    )
    # No BIC given for a Dutch IBAN: derived from the bank code (RABO).
    assert rent.findtext("p:CdtrAgt/p:FinInstnId/p:BICFI", namespaces=NS09) == "RABONL2U"
    address = rent.find("p:Cdtr/p:PstlAdr", namespaces=NS09)
    assert address is not None
    assert [(etree.QName(e).localname, e.text) for e in address] == [
        ("StrtNm", "Kaap Hoorndreef"),
        ("BldgNb", "56"),
        ("PstCd", "3563 AV"),
        ("TwnNm", "Utrecht"),
        ("Ctry", "NL"),
    ]
    ref = "p:RmtInf/p:Strd/p:CdtrRefInf/"
    assert energy.findtext(ref + "p:Tp/p:CdOrPrtry/p:Cd", namespaces=NS09) == "SCOR"
    assert energy.findtext(ref + "p:Tp/p:Issr", namespaces=NS09) == "CUR"
    assert energy.findtext(ref + "p:Ref", namespaces=NS09) == "5000056789012345"
    assert energy.find("p:RmtInf/p:Ustrd", namespaces=NS09) is None
    assert insurance.findtext(ref + "p:Tp/p:CdOrPrtry/p:Cd", namespaces=NS09) == "SCOR"
    assert insurance.find(ref + "p:Tp/p:Issr", namespaces=NS09) is None
    assert insurance.findtext(ref + "p:Ref", namespaces=NS09) == "RF18539007547034"
    # Transliterated name and town; a German IBAN without BIC is sent IBAN-only.
    assert leefgeld.findtext("p:Cdtr/p:Nm", namespaces=NS09) == "Zoe Oberg-Celik"
    assert leefgeld.findtext("p:Cdtr/p:PstlAdr/p:TwnNm", namespaces=NS09) == "Koln"
    assert leefgeld.findtext("p:Cdtr/p:PstlAdr/p:StrtNm", namespaces=NS09) == "Domstrasse"
    assert leefgeld.find("p:CdtrAgt", namespaces=NS09) is None


def test_version_03_uses_bic_plain_date_and_no_uetr(message: PaymentMessage) -> None:
    root = _parse(write_pain001(message, version="pain.001.001.03"))
    batch = root.find("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=NS03)
    assert batch is not None
    assert batch.findtext("p:ReqdExctnDt", namespaces=NS03) == "2026-12-24"
    assert batch.findtext("p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=NS03) == "ABNANL2A"
    assert root.find(".//p:UETR", namespaces=NS03) is None
    assert root.find(".//p:BICFI", namespaces=NS03) is None
    # The generic .03 schema has structured address elements: written the same way.
    assert root.findtext(".//p:Cdtr/p:PstlAdr/p:TwnNm", namespaces=NS03) == "Utrecht"


def _replace_transfer(
    message: PaymentMessage, batch: int, index: int, **changes: object
) -> PaymentMessage:
    batches = list(message.batches)
    transfers = list(batches[batch].transfers)
    transfers[index] = dataclasses.replace(transfers[index], **changes)  # type: ignore[arg-type]
    batches[batch] = dataclasses.replace(batches[batch], transfers=transfers)
    return dataclasses.replace(message, batches=batches)


def test_export_error_lists_every_problem_by_end_to_end_id(message: PaymentMessage) -> None:
    bad_iban = dataclasses.replace(WONINGCORPORATIE, iban="NL45RABO0123456789")
    arabic = dataclasses.replace(CLIENT, name="محمد")
    broken = _replace_transfer(message, 0, 0, creditor=bad_iban)
    broken = _replace_transfer(broken, 1, 0, creditor=arabic, amount=Money(0))
    broken = _replace_transfer(broken, 0, 1, end_to_end_id="HH0001-HUUR-202701")
    broken = dataclasses.replace(
        broken,
        batches=[
            broken.batches[0],
            dataclasses.replace(broken.batches[1], execution_date=date(2026, 12, 25)),
        ],
    )
    with pytest.raises(SepaExportError) as caught:
        write_pain001(broken)
    problems = caught.value.problems
    assert problems == [
        "EndToEndId HH0001-HUUR-202701: CdtrAcct: IBAN-controlegetal klopt niet",
        "EndToEndId HH0001-HUUR-202701: EndToEndId komt twee keer voor in dit bericht",
        "PmtInfId OZ-LG-2026-12-28: uitvoerdatum 2026-12-25 is geen TARGET2-werkdag",
        "EndToEndId HH0001-LEEF-202701: het bedrag moet groter zijn dan € 0,00",
        "EndToEndId HH0001-LEEF-202701: Cdtr/Nm: bevat een letter in Arabisch schrift zonder "
        "exacte Latijnse vorm; gebruik de Latijnse naam op positie 1",
    ]
    text = str(caught.value)
    assert "NL45RABO0123456789" not in text
    assert "محمد" not in text


def test_missing_creditor_address_and_bad_ids_are_refused(message: PaymentMessage) -> None:
    no_address = dataclasses.replace(WONINGCORPORATIE, address=None)
    broken = _replace_transfer(message, 0, 0, creditor=no_address, instruction_id="I//1")
    broken = dataclasses.replace(broken, msg_id="/OZ")
    with pytest.raises(SepaExportError) as caught:
        write_pain001(broken)
    assert caught.value.problems == [
        "message: MsgId begint of eindigt met '/'",
        "EndToEndId HH0001-HUUR-202701: InstrId bevat '//'",
        "EndToEndId HH0001-HUUR-202701: Cdtr/PstlAdr ontbreekt: banken weigeren sinds 15 "
        "november 2026 begunstigden zonder gestructureerd adres (minstens plaats en land)",
    ]


def test_name_longer_than_70_after_transliteration_is_refused(message: PaymentMessage) -> None:
    long_name = dataclasses.replace(CLIENT, name="ß" * 36)  # 72 characters as "ss"
    with pytest.raises(SepaExportError, match="Cdtr/Nm: is 72 tekens lang, hoogstens 70"):
        write_pain001(_replace_transfer(message, 1, 0, creditor=long_name))


def test_debtor_bic_is_derived_or_taken_as_given(message: PaymentMessage) -> None:
    given = dataclasses.replace(message, debtor_bic="BNGHNL2G")
    root = _parse(write_pain001(given))
    assert root.findtext(".//p:DbtrAgt/p:FinInstnId/p:BICFI", namespaces=NS09) == "BNGHNL2G"
    foreign = dataclasses.replace(
        message, debtor=dataclasses.replace(message.debtor, iban="DE89370400440532013000")
    )
    with pytest.raises(SepaExportError, match="debtor: DbtrAgt: geen BIC opgegeven"):
        write_pain001(foreign)


# -- a second, independent writer ---------------------------------------------------------


def _payments(data: bytes) -> dict[str, tuple[Decimal, str, str, str]]:
    """EndToEndId → (amount, creditor IBAN, creditor name, execution date), by parsing."""
    root = etree.fromstring(data)
    ns = {"p": etree.QName(root).namespace}
    found: dict[str, tuple[Decimal, str, str, str]] = {}
    for batch in root.iterfind(".//p:PmtInf", namespaces=ns):
        day = batch.findtext("p:ReqdExctnDt/p:Dt", namespaces=ns) or ""
        for tx in batch.iterfind("p:CdtTrfTxInf", namespaces=ns):
            e2e = tx.findtext("p:PmtId/p:EndToEndId", namespaces=ns) or ""
            assert e2e not in found
            found[e2e] = (
                Decimal(tx.findtext("p:Amt/p:InstdAmt", namespaces=ns) or "0"),
                tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=ns) or "",
                tx.findtext("p:Cdtr/p:Nm", namespaces=ns) or "",
                day,
            )
    return found


def test_sepaxml_writes_the_same_payments(message: PaymentMessage) -> None:
    other = SepaTransfer(
        {
            "name": message.debtor.name,
            "IBAN": message.debtor.iban,
            "BIC": "ABNANL2A",
            "batch": True,
            "currency": "EUR",
        },
        schema="pain.001.001.09",
        clean=True,
    )
    for batch in message.batches:
        for transfer in batch.transfers:
            reference = transfer.remittance.reference
            address = transfer.creditor.address
            assert address is not None
            other.add_payment(
                {
                    "name": transfer.creditor.name,
                    "IBAN": transfer.creditor.iban,
                    "amount": transfer.amount.cents,
                    "execution_date": batch.execution_date,
                    "description": reference.text if isinstance(reference, FreeText) else "ref",
                    "endtoend_id": transfer.end_to_end_id,
                    "address": {"town": address.town, "country": address.country},
                }
            )
    theirs = _payments(other.export(validate=False))
    ours = _payments(write_pain001(message))
    assert len(ours) == 4
    assert ours == theirs
    assert validate_xsd(write_pain001(message), "pain.001.001.09") == []


def test_many_batches_and_transfers_appear_once() -> None:
    address = PostalAddress(town="Utrecht", country="NL")
    batches = [
        PaymentBatch(
            pmt_inf_id=f"B{b}",
            execution_date=date(2027, 1, 4 + b),
            transfers=[
                CreditTransfer(
                    end_to_end_id=f"B{b}-T{t}",
                    amount=Money(100 * b + t + 1),
                    creditor=Party(
                        name=f"Crediteur {t}", iban="NL91ABNA0417164300", address=address
                    ),
                    remittance=Remittance.free_text(f"Betaling {t}"),
                )
                for t in range(25)
            ],
        )
        for b in range(4)
    ]
    message = dataclasses.replace(build_message(), batches=batches)
    data = write_pain001(message)
    assert validate_xsd(data, "pain.001.001.09") == []
    payments = _payments(data)
    assert sorted(payments) == sorted(f"B{b}-T{t}" for b in range(4) for t in range(25))
    assert (
        sum(p[0] for p in payments.values())
        == Money.sum(t.amount for b in batches for t in b.transfers).to_decimal()
    )
