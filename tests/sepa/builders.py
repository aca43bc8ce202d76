# SPDX-License-Identifier: EUPL-1.2
"""Builders for the SEPA tests: a realistic payment message, the sample folder, a fixed today."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path

from ontzorgen.money import Money
from ontzorgen.sepa.model import (
    CreditTransfer,
    Party,
    PaymentBatch,
    PaymentMessage,
    PostalAddress,
    Remittance,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "sepa"
# A date before every execution date in the built message; used as the checker's "today".
TODAY = date(2026, 12, 1)

GEMEENTE = Party(
    name="Gemeente Utrecht",
    iban="NL02ABNA0123456789",
    address=PostalAddress(town="Utrecht", country="NL", street="Stadsplateau", building_number="1"),
)
WONINGCORPORATIE = Party(
    name="Woningcorporatie Mitros",
    iban="NL44RABO0123456789",
    address=PostalAddress(
        town="Utrecht",
        country="NL",
        street="Kaap Hoorndreef",
        building_number="56",
        postcode="3563 AV",
    ),
)
ENERGIE = Party(
    name="Energiebedrijf Zuidoost",
    iban="NL91ABNA0417164300",
    bic="ABNANL2A",
    address=PostalAddress(town="Den Haag", country="NL"),
)
CLIENT = Party(
    name="Zoë Øberg-Çelik",
    iban="DE89370400440532013000",
    address=PostalAddress(town="Köln", country="DE", street="Domstraße", building_number="3"),
)


def build_message() -> PaymentMessage:
    """Two batches (vaste lasten, leefgeld): free text, betalingskenmerk, RF, non-Dutch IBAN."""
    vaste_lasten = PaymentBatch(
        pmt_inf_id="OZ-VL-2026-12-24",
        execution_date=date(2026, 12, 24),
        category_purpose="SSBE",
        transfers=[
            CreditTransfer(
                end_to_end_id="HH0001-HUUR-202701",
                amount=Money(71245),
                creditor=WONINGCORPORATIE,
                remittance=Remittance.free_text("Huur januari 2027 contract 88-1234 — Zoë"),
                purpose="RENT",
                instruction_id="I-0001",
                uetr=uuid.UUID("235d1eb5-8dd7-4c1a-8ece-559df8c67da1"),
            ),
            CreditTransfer(
                end_to_end_id="HH0001-ENER-202701",
                amount=Money(15400),
                creditor=ENERGIE,
                remittance=Remittance.betalingskenmerk("5000056789012345"),
                purpose="ELEC",
            ),
            CreditTransfer(
                end_to_end_id="HH0002-INSU-202701",
                amount=Money(13999),
                creditor=ENERGIE,
                remittance=Remittance.rf("RF18 5390 0754 7034"),
                purpose="INSU",
            ),
        ],
    )
    leefgeld = PaymentBatch(
        pmt_inf_id="OZ-LG-2026-12-28",
        execution_date=date(2026, 12, 28),
        transfers=[
            CreditTransfer(
                end_to_end_id="HH0001-LEEF-202701",
                amount=Money(25001),
                creditor=CLIENT,
                remittance=Remittance.free_text("Leefgeld week 1"),
            ),
        ],
    )
    return PaymentMessage(
        msg_id="OZ-2026-12-01-0001",
        created_at=datetime(2026, 12, 1, 9, 30),
        initiating_party_name="Gemeente Utrecht",
        debtor=GEMEENTE,
        batches=[vaste_lasten, leefgeld],
    )
