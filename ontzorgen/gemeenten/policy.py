# SPDX-License-Identifier: EUPL-1.2
"""A gemeente's policy parameters: where the law leaves room, each gemeente decides.

Stored as JSON on the gemeente, validated by :class:`PolicyParameters`, and handed to the rules
as :class:`ontzorgen.bijstand.facts.GemeentePolicy`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ontzorgen.bijstand.facts import (
    DEFAULT_PRIORITY,
    WITHHOLDABLE_56A,
    Category,
    GemeentePolicy,
    LeefgeldFrequency,
    ProRataMethod,
    Weekday,
)
from ontzorgen.money import Money
from ontzorgen.validation import MAX_MONTHLY_CENTS, PURPOSE_CODE_PATTERN

Cents = Annotated[int, Field(ge=0, le=MAX_MONTHLY_CENTS, description="eurocents")]

# ISO 20022 ExternalPurpose1Code per category (informational for the creditor's bank).
DEFAULT_PURPOSE_CODES: dict[str, str] = {
    "huur": "RENT",
    "stroom": "ELEC",
    "gas": "GASB",
    "water": "WTER",
    "zorgverzekering": "HLTI",
    "other": "OTHR",
    "leefgeld": "SSBE",
}


class PolicyParameters(BaseModel):
    """The parameters a gemeente sets. Amounts in eurocents."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    minimum_leefgeld_cents: Annotated[
        Cents, Field(description="Minimum leefgeld per month for the first household member")
    ]
    minimum_leefgeld_per_extra_member_cents: Annotated[
        Cents, Field(description="Added to the minimum for each further household member")
    ]
    withheld_categories: list[Category] = Field(default_factory=lambda: sorted(WITHHOLDABLE_56A))
    priority: list[Category] = Field(default_factory=lambda: list(DEFAULT_PRIORITY))
    leefgeld_frequency: LeefgeldFrequency = LeefgeldFrequency.MONTHLY
    leefgeld_weekday: Weekday | None = None
    payment_day: Annotated[int, Field(ge=1, le=28)] = 24
    pro_rata_method: ProRataMethod = ProRataMethod.CALENDAR_DAYS
    allow_opt_out: bool = False
    purpose_codes: dict[str, Annotated[str, Field(pattern=PURPOSE_CODE_PATTERN)]] = Field(
        default_factory=lambda: dict(DEFAULT_PURPOSE_CODES)
    )
    category_purpose: Annotated[str, Field(pattern=PURPOSE_CODE_PATTERN)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> PolicyParameters:
        # The same rules GemeentePolicy keeps, said in Dutch and naming the parameter, so a
        # bad policy is refused when it is set, not when a run is prepared.
        doubles = sorted({c.value for c in self.priority if self.priority.count(c) > 1})
        if doubles:
            raise ValueError(f"priority: {', '.join(doubles)} staat er meer dan eens in")
        missing = sorted(c.value for c in set(self.withheld_categories) - set(self.priority))
        if missing:
            raise ValueError(
                "priority: elke ingehouden categorie moet een plaats hebben; ontbreekt: "
                + ", ".join(missing)
            )
        if self.leefgeld_frequency is LeefgeldFrequency.WEEKLY and self.leefgeld_weekday is None:
            raise ValueError("leefgeld_weekday: wekelijks leefgeld heeft een weekdag nodig")
        return self

    def to_facts(self) -> GemeentePolicy:
        """The policy as the rules engine reads it."""
        return GemeentePolicy(
            minimum_leefgeld=Money(self.minimum_leefgeld_cents),
            minimum_leefgeld_per_extra_member=Money(self.minimum_leefgeld_per_extra_member_cents),
            withheld_categories=frozenset(self.withheld_categories),
            priority=tuple(self.priority),
            leefgeld_frequency=self.leefgeld_frequency,
            leefgeld_weekday=self.leefgeld_weekday,
            payment_day=self.payment_day,
            pro_rata_method=self.pro_rata_method,
            allow_opt_out=self.allow_opt_out,
        )
