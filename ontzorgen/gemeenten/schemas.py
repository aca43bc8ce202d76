# SPDX-License-Identifier: EUPL-1.2
"""The API contract for gemeenten (separate from the table)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from ontzorgen.bijstand.facts import Category, LeefgeldFrequency, ProRataMethod, Weekday
from ontzorgen.gemeenten.policy import Cents, PolicyParameters
from ontzorgen.schemas import OutputModel
from ontzorgen.validation import (
    GEMEENTE_CODE_PATTERN,
    PURPOSE_CODE_PATTERN,
    Bic,
    Iban,
    InputModel,
)

FourLetters = Annotated[str, Field(pattern=PURPOSE_CODE_PATTERN)]


class GemeenteIn(InputModel):
    """A new gemeente. The IBAN and BIC are checked (check digits, Dutch BBAN structure)."""

    code: Annotated[
        str, Field(pattern=GEMEENTE_CODE_PATTERN, description="CBS gemeentecode, e.g. 0439")
    ]
    name: Annotated[str, Field(min_length=1, max_length=70)]
    debtor_name: Annotated[str, Field(min_length=1, max_length=70)]
    debtor_iban: Iban
    debtor_bic: Bic | None = None
    policy: PolicyParameters

    @model_validator(mode="after")
    def _policy_facts_hold(self) -> GemeenteIn:
        self.policy.to_facts()  # raises FactError (a ValueError) naming the parameter
        return self


class GemeenteOut(OutputModel):
    """A gemeente as the API shows it."""

    id: int = Field(description="The gemeente's internal id")
    code: str = Field(description="CBS gemeentecode, e.g. 0439")
    name: str = Field(description="The gemeente's name")
    debtor_name: str = Field(description="The name on the gemeente's own account")
    debtor_iban: str = Field(description="The account every payment is made from")
    debtor_bic: str = Field(description="Its BIC")
    policy: PolicyParameters = Field(description="The gemeente's policy parameters")


class PolicyPatch(InputModel):
    """Policy parameters to change; those left out keep their value. Amounts in eurocents."""

    minimum_leefgeld_cents: Cents | None = None
    minimum_leefgeld_per_extra_member_cents: Cents | None = None
    withheld_categories: list[Category] | None = None
    priority: list[Category] | None = None
    leefgeld_frequency: LeefgeldFrequency | None = None
    leefgeld_weekday: Weekday | None = None
    payment_day: Annotated[int, Field(ge=1, le=28)] | None = None
    pro_rata_method: ProRataMethod | None = None
    allow_opt_out: bool | None = None
    purpose_codes: dict[str, FourLetters] | None = None
    category_purpose: FourLetters | None = None


class GemeentePatch(InputModel):
    """Changes to a gemeente: its name, its bank account, some of its policy parameters.

    The code (CBS gemeentecode) never changes: payments and references carry it.
    """

    name: Annotated[str, Field(min_length=1, max_length=70)] | None = None
    debtor_name: Annotated[str, Field(min_length=1, max_length=70)] | None = None
    debtor_iban: Iban | None = None
    debtor_bic: Bic | None = None
    policy: PolicyPatch | None = None

    @field_validator("name", "debtor_name", "debtor_iban", "policy", mode="before")
    @classmethod
    def _not_emptied(cls, value: Any) -> Any:
        # Left out keeps the value; null would empty a field a gemeente cannot do without
        # (only debtor_bic may be null: it is derived from the IBAN then).
        if value is None:
            raise ValueError("mag niet leeg (null) zijn; laat het veld weg om het te houden")
        return value
