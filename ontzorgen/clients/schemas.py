# SPDX-License-Identifier: EUPL-1.2
"""The import format (and the API's input): households, rights and contracts from an inkomen
system. The JSON Schema in docs/import-format.schema.json is generated from these models.

Amounts are integer eurocents (``*_cents``), dates ISO 8601, periods ``YYYY-MM``. Validation
messages name the field and the reason, never the value (it may be a BSN or an IBAN).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)
from stdnum.nl import bsn as stdnum_bsn

from ontzorgen.bijstand.facts import (
    Category,
    ConsentGround,
    DeductionKind,
    Doelgroep,
    ExtensionGround,
    Leefvorm,
    PersonRole,
)
from ontzorgen.bijstand.lines import LineKind, Recipient
from ontzorgen.schemas import OutputModel
from ontzorgen.sepa.references import PaymentReferenceError, parse_payment_reference
from ontzorgen.validation import (
    COUNTRY_PATTERN,
    GEMEENTE_CODE_PATTERN,
    LANGUAGE_PATTERN,
    MAX_MONTHLY_CENTS,
    PERIOD_PATTERN,
    REFERENCE_PATTERN,
    Bic,
    Iban,
    InputModel,
    check_reference,
)


def _bsn(value: str) -> str:
    compact = stdnum_bsn.compact(value)
    if not stdnum_bsn.is_valid(compact):
        raise ValueError("geen geldig BSN (9 cijfers met elfproef)")
    return str(compact)


def _payment_reference(value: str) -> str:
    try:
        parse_payment_reference(value)
    except PaymentReferenceError as error:
        raise ValueError(f"ongeldig betalingskenmerk of RF-referentie: {error.reason}") from None
    return value


Reference = Annotated[
    str,
    Field(
        min_length=1,
        max_length=35,
        pattern=REFERENCE_PATTERN,
        description="Letters, digits, '.', '_' and '-' (not '.' or '..' alone): one URL segment",
    ),
    AfterValidator(check_reference),
]
Bsn = Annotated[str, AfterValidator(_bsn)]
# Monthly amounts have a plausible ceiling (validation.MAX_MONTHLY_CENTS, € 10.000,00).
Cents = Annotated[int, Field(ge=0, le=MAX_MONTHLY_CENTS, description="eurocents")]
PositiveCents = Annotated[int, Field(gt=0, le=MAX_MONTHLY_CENTS, description="eurocents")]
PeriodText = Annotated[str, Field(pattern=PERIOD_PATTERN, description="YYYY-MM")]
PaymentReference = Annotated[
    str, Field(min_length=1, max_length=140), AfterValidator(_payment_reference)
]


class Strict(InputModel):
    """Unknown fields are an error: a misspelt field must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PayeeIn(Strict):
    """A payee: landlord, supplier, insurer. Banks need a structured address (town, country)."""

    reference: Reference
    kind: Literal[
        "woningcorporatie",
        "energieleverancier",
        "waterbedrijf",
        "zorgverzekeraar",
        "gemeente",
        "overig",
    ]
    name: Annotated[str, Field(min_length=1, max_length=70)]
    iban: Iban
    bic: Bic | None = None
    street: Annotated[str, Field(max_length=70)] | None = None
    building_number: Annotated[str, Field(max_length=16)] | None = None
    postcode: Annotated[str, Field(max_length=16)] | None = None
    town: Annotated[str, Field(min_length=1, max_length=35)]
    country: Annotated[str, Field(pattern=COUNTRY_PATTERN)] = "NL"


class PersonIn(Strict):
    """A member of the household."""

    role: PersonRole = PersonRole.AANVRAGER
    bsn: Bsn
    name: Annotated[
        str,
        Field(
            min_length=1, max_length=140, description="Name as registered (BRP), in Latin script"
        ),
    ]
    name_own_script: Annotated[str, Field(max_length=140)] | None = None
    date_of_birth: date
    preferred_language: Annotated[str, Field(pattern=LANGUAGE_PATTERN)] = "nl"
    doelgroep: Doelgroep
    permit_asiel_bepaalde_tijd: bool
    inburgeringsplichtig_wi2021: bool


class AmountIn(Strict):
    """The monthly amount of a contract from ``valid_from`` on."""

    valid_from: date
    amount_cents: PositiveCents


class AccountIn(Strict):
    """The household's own bank account: the IBAN and the name the bank knows the holder by."""

    iban: Iban
    iban_name: Annotated[str, Field(min_length=1, max_length=70)]


class PayeeAccountIn(Strict):
    """A payee's new bank account."""

    iban: Iban
    bic: Bic | None = None


class RightEndIn(Strict):
    """The last day of bijstand."""

    end: date


class HandoverIn(Strict):
    """The day from which the household pays a vaste last itself."""

    handover_date: date


class ContractIn(Strict):
    """A vaste last. Categories outside Pw art. 56a need a consent ground and its reason."""

    reference: Reference
    category: Category
    payee: Reference = Field(description="The payee's reference")
    payment_reference: PaymentReference
    start: date
    end: date | None = None
    handover_date: date | None = None
    consent_ground: ConsentGround | None = None
    consent_reason: Annotated[str, Field(max_length=500)] | None = None
    amounts: Annotated[list[AmountIn], Field(min_length=1)]

    @model_validator(mode="after")
    def _consent_needs_reason(self) -> ContractIn:
        if self.consent_ground is not None and not self.consent_reason:
            raise ValueError(
                "consent_reason: een toestemmingsgrond moet een vastgelegde reden hebben"
            )
        return self


class SuppliedAmountIn(Strict):
    """A month's net bijstand already computed by the inkomen system."""

    period: PeriodText
    amount_cents: Cents
    vt_accrual_cents: Cents | None = None
    reference: Annotated[str, Field(min_length=1, max_length=70)]


class RightIn(Strict):
    """The right to bijstand (the beschikking)."""

    reference: Reference
    start: date = Field(description="The day the right to bijstand arises")
    end: date | None = None
    leefvorm: Leefvorm
    kostendelers: Annotated[
        int, Field(ge=1, le=99, description="A in Pw art. 22a, incl. aanvrager")
    ]
    supplied_amounts: list[SuppliedAmountIn] = Field(default_factory=list)


class VoorschotIn(Strict):
    """A voorschot (Pw art. 52)."""

    paid_on: date
    amount_cents: PositiveCents


class DeductionIn(Strict):
    """A monthly deduction with its reason."""

    kind: DeductionKind
    reason: Annotated[str, Field(min_length=1, max_length=140)]
    amount_cents: PositiveCents
    first_period: PeriodText
    last_period: PeriodText | None = None


class ExtensionIn(Strict):
    """An extension of the ontzorgen window with its ground."""

    ground: ExtensionGround
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    end_date: date


class OptOutIn(Strict):
    """An opt-out with its recorded reason (only where the gemeente's policy allows it)."""

    reason: Annotated[str, Field(min_length=1, max_length=500)]
    effective_from: date | None = None


class HouseholdIn(Strict):
    """A household with its people, right to bijstand and vaste lasten."""

    reference: Reference = Field(description="The gemeente's own reference for the household")
    leefvorm: Leefvorm
    kostendelende_medebewoners: Annotated[int, Field(ge=0, le=98)] = 0
    vestigingsdatum: date | None = None
    iban: Iban | None = None
    iban_name: Annotated[str, Field(max_length=70)] | None = None
    street: Annotated[str, Field(max_length=70)] | None = None
    building_number: Annotated[str, Field(max_length=16)] | None = None
    postcode: Annotated[str, Field(max_length=16)] | None = None
    town: Annotated[str, Field(max_length=35)] | None = Field(
        default=None, description="Defaults to the gemeente's name for payments"
    )
    persons: Annotated[list[PersonIn], Field(min_length=1)]
    right: RightIn
    contracts: list[ContractIn] = Field(default_factory=list)
    voorschotten: list[VoorschotIn] = Field(default_factory=list)
    deductions: list[DeductionIn] = Field(default_factory=list)
    extensions: list[ExtensionIn] = Field(default_factory=list)
    opt_out: OptOutIn | None = None


class ImportFile(Strict):
    """One import file: the payees and households of one gemeente."""

    format: Literal["ontzorgen-import/1"]
    gemeente: Annotated[str, Field(pattern=GEMEENTE_CODE_PATTERN, description="CBS gemeentecode")]
    payees: list[PayeeIn] = Field(default_factory=list)
    households: list[HouseholdIn] = Field(default_factory=list)


# What the API shows (output): strict like the input, amounts in eurocents.


class ImportResult(OutputModel):
    """What an import stored."""

    gemeente: str = Field(description="The gemeente's CBS code")
    payees: int = Field(description="Payees stored")
    households: int = Field(description="Households stored")
    persons: int = Field(description="Persons stored")
    contracts: int = Field(description="Contracts (vaste lasten) stored")


class WindowOut(OutputModel):
    """The ontzorgen window: from the start to the end of withholding."""

    start: date = Field(description="First day")
    end: date = Field(description="Last day")


class SparseOutput(OutputModel):
    """An output whose empty optional fields are left out, as the plan always showed them."""

    @model_serializer(mode="wrap")
    def _leave_out_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {key: value for key, value in data.items() if value is not None}


class PlanLineOut(SparseOutput):
    """One line of the plan: an amount, what it is, who receives it, and the rule."""

    kind: LineKind = Field(description="What the line is (bijstand, withholding, leefgeld, …)")
    amount_cents: int = Field(description="The amount, in cents")
    rule: str = Field(description="The rule (article or policy) that made it")
    explanation: str = Field(description="The line explained, in Dutch")
    recipient: Recipient = Field(description="Who receives the money")
    contract_id: str | None = Field(default=None, description="The contract's internal id")
    contract_reference: str | None = Field(default=None, description="The contract's reference")
    payee_id: str | None = Field(default=None, description="The payee's internal id")
    payee_reference: str | None = Field(default=None, description="The payee's reference")
    payment_reference: str | None = Field(default=None, description="The payment reference")
    category: Category | None = Field(default=None, description="The contract's category")
    pay_date: date | None = Field(default=None, description="The day it is paid")
    source_id: str | None = Field(default=None, description="The deduction or voorschot")


class PlanTotalsOut(OutputModel):
    """The plan's total per line kind, in cents."""

    bijstand: int = Field(description="Net bijstand excl. vakantietoeslag")
    vt_accrual: int = Field(description="Vakantietoeslag reserved")
    vt_payout: int = Field(description="Vakantietoeslag paid out")
    deduction: int = Field(description="Deductions")
    voorschot_settlement: int = Field(description="Voorschotten settled")
    withholding: int = Field(description="Paid to payees")
    shortfall: int = Field(description="Not paid: too little money")
    leefgeld: int = Field(description="Paid to the household")
    held: int = Field(description="Leefgeld held: no own IBAN")


class PlanSignalOut(OutputModel):
    """Something to look at, in Dutch."""

    code: str = Field(description="The signal's code")
    message: str = Field(description="What to look at")


class SkippedOut(OutputModel):
    """A contract not withheld this month, and why."""

    contract_id: str = Field(description="The contract's internal id")
    contract_reference: str = Field(description="The contract's reference")
    reason: str = Field(description="Why not, in Dutch")
    rule: str = Field(description="The rule it follows from")


class MonthlyPlanOut(OutputModel):
    """A household's month: each line with amount (cents), recipient and rule."""

    household_reference: str = Field(description="The household's reference")
    household_id: str = Field(description="The household's internal id")
    right_id: str = Field(description="The right to bijstand planned from")
    period: str = Field(description="The month, YYYY-MM")
    eligible: bool = Field(description="Whether the household is ontzorgd this month")
    eligibility_reason: str = Field(description="Why (not), in Dutch")
    window: WindowOut = Field(description="The ontzorgen window")
    lines: list[PlanLineOut] = Field(description="The plan's lines, in plan order")
    totals_cents: PlanTotalsOut = Field(description="Total per line kind")
    signals: list[PlanSignalOut] = Field(description="Things to look at")
    skipped: list[SkippedOut] = Field(description="Contracts not withheld this month")


class AmountOut(OutputModel):
    """A contract's new monthly amount."""

    valid_from: date = Field(description="The first day it applies")
    amount_cents: int = Field(description="The monthly amount, in cents")


class ExtensionOut(OutputModel):
    """A recorded extension of the ontzorgen window."""

    ground: ExtensionGround = Field(description="The ground: consent or Pw art. 57")
    end_date: date = Field(description="The window's new last day")
