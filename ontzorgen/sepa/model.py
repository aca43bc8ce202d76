# SPDX-License-Identifier: EUPL-1.2
"""The payment message as plain, immutable data (what :mod:`ontzorgen.sepa.writer` writes).

Text in these objects may contain any Unicode; the writer transliterates it into the SEPA
character set and refuses what cannot be rendered. Identifiers, IBANs and BICs are checked by
the writer too, all at once, so that one export reports every problem.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from ontzorgen.money import Money
from ontzorgen.sepa.references import (
    Betalingskenmerk,
    FreeText,
    RfReference,
    parse_payment_reference,
    validate_betalingskenmerk,
    validate_rf_reference,
)

__all__ = [
    "BETALINGSKENMERK_ISSUER",
    "CreditTransfer",
    "Party",
    "PaymentBatch",
    "PaymentMessage",
    "PostalAddress",
    "Remittance",
]

# Tp/Issr for a Dutch betalingskenmerk ("Currence", the former acceptgiro scheme owner).
BETALINGSKENMERK_ISSUER: Final = "CUR"


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """A structured postal address; ``country`` is ISO 3166 alpha-2 (``"NL"``)."""

    town: str
    country: str
    street: str | None = None
    building_number: str | None = None
    postcode: str | None = None


@dataclass(frozen=True, slots=True)
class Party:
    """A debtor or creditor: the name the account holder is known by, and the account."""

    name: str
    iban: str
    bic: str | None = None
    address: PostalAddress | None = None


@dataclass(frozen=True, slots=True)
class Remittance:
    """What the creditor sees: free text (``Ustrd``) or one structured reference (``Strd``).

    Build it with :meth:`free_text`, :meth:`betalingskenmerk`, :meth:`rf` or
    :meth:`from_invoice`.
    """

    reference: Betalingskenmerk | RfReference | FreeText

    @classmethod
    def free_text(cls, text: str) -> Remittance:
        """Free text, at most 140 characters after transliteration (longer is cut)."""
        if not text.strip():
            raise ValueError("remittance text is empty")
        return cls(FreeText(text))

    @classmethod
    def betalingskenmerk(cls, digits: str) -> Remittance:
        """A Dutch betalingskenmerk; raises if its check digit or length is wrong."""
        return cls(Betalingskenmerk(validate_betalingskenmerk(digits)))

    @classmethod
    def rf(cls, reference: str) -> Remittance:
        """An ISO 11649 RF creditor reference; raises if its check digits are wrong."""
        return cls(RfReference(validate_rf_reference(reference)))

    @classmethod
    def from_invoice(cls, text: str) -> Remittance:
        """Whatever the invoice says, classified by :func:`parse_payment_reference`."""
        return cls(parse_payment_reference(text))

    @property
    def is_structured(self) -> bool:
        """True for a betalingskenmerk or RF reference (written as ``Strd``)."""
        return not isinstance(self.reference, FreeText)


@dataclass(frozen=True, slots=True)
class CreditTransfer:
    """One payment to one creditor.

    ``purpose`` is an ISO ExternalPurpose1Code such as RENT, ELEC, GASB, INSU, HLTI or SSBE
    (informational for the creditor). ``uetr`` is only written in pain.001.001.09.
    """

    end_to_end_id: str
    amount: Money
    creditor: Party
    remittance: Remittance
    instruction_id: str | None = None
    purpose: str | None = None
    uetr: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class PaymentBatch:
    """One ``PmtInf``: payments with one execution date and one kind (vaste lasten/leefgeld).

    ``category_purpose`` (``CtgyPurp/Cd``, e.g. SSBE) can trigger special processing at the
    bank and some banks reject unknown values: leave it None unless the gemeente's bank
    asked for it.
    """

    pmt_inf_id: str
    execution_date: date
    transfers: Sequence[CreditTransfer]
    batch_booking: bool = True
    category_purpose: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentMessage:
    """One pain.001 file: the gemeente's account pays all batches.

    ``debtor_bic`` None means: derive it from the debtor's Dutch IBAN.
    """

    msg_id: str
    created_at: datetime
    initiating_party_name: str
    debtor: Party
    batches: Sequence[PaymentBatch]
    debtor_bic: str | None = None
