# SPDX-License-Identifier: EUPL-1.2
"""The API contract for gemeenten (separate from the table)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.validation import GEMEENTE_CODE_PATTERN, InputModel


class GemeenteIn(InputModel):
    """A new gemeente. The IBAN and BIC are checked (check digits, Dutch BBAN structure)."""

    code: Annotated[
        str, Field(pattern=GEMEENTE_CODE_PATTERN, description="CBS gemeentecode, e.g. 0439")
    ]
    name: Annotated[str, Field(min_length=1, max_length=70)]
    debtor_name: Annotated[str, Field(min_length=1, max_length=70)]
    debtor_iban: str
    debtor_bic: str | None = None
    policy: PolicyParameters

    @model_validator(mode="after")
    def _policy_facts_hold(self) -> GemeenteIn:
        self.policy.to_facts()  # raises FactError (a ValueError) naming the parameter
        return self

    @field_validator("debtor_iban")
    @classmethod
    def _valid_iban(cls, value: str) -> str:
        try:
            return str(IBAN(value).compact)
        except SchwiftyException as error:
            raise ValueError(f"geen geldige IBAN ({type(error).__name__})") from None

    @field_validator("debtor_bic")
    @classmethod
    def _valid_bic(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return str(BIC(value).compact)
        except SchwiftyException as error:
            raise ValueError(f"geen geldige BIC ({type(error).__name__})") from None


class GemeenteOut(BaseModel):
    """A gemeente as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    debtor_name: str
    debtor_iban: str
    debtor_bic: str
    policy: dict[str, Any]
