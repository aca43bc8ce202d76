# SPDX-License-Identifier: EUPL-1.2
"""Reason codes of rejects and returns (ISO 20022 ExternalStatusReason / ExternalReturnReason,
as SEPA credit transfers use them), in plain Dutch, with what ontzorgen advises.

docs/reconciliation.md lists the same table for the accountant; a test keeps them equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class ReasonText:
    """What a code means, and what to do about it."""

    text: str
    advice: str


_CHECK_IBAN: Final = "controleer het IBAN met de begunstigde, leg het juiste vast en betaal opnieuw"
_ASK_BANK: Final = "vraag de bank om uitleg; betaal daarna opnieuw of aan het huishouden"

REASONS: Final[dict[str, ReasonText]] = {
    "AC01": ReasonText("het rekeningnummer (IBAN) klopt niet", _CHECK_IBAN),
    "AC04": ReasonText("de rekening is opgeheven", _CHECK_IBAN),
    "AC06": ReasonText("de rekening is geblokkeerd", _CHECK_IBAN),
    "AG01": ReasonText("de bank staat deze betaling op deze rekening niet toe", _ASK_BANK),
    "AG02": ReasonText("ongeldige betaalopdracht volgens de bank", _ASK_BANK),
    "AM04": ReasonText("onvoldoende saldo op de rekening van de gemeente", _ASK_BANK),
    "AM05": ReasonText("dubbele betaling: de bank zag deze opdracht al", _ASK_BANK),
    "BE04": ReasonText(
        "het adres van de begunstigde ontbreekt of klopt niet",
        "vul het adres van de begunstigde aan en betaal opnieuw",
    ),
    "FF01": ReasonText("het bestand had een ongeldig formaat", _ASK_BANK),
    "MD07": ReasonText(
        "de rekeninghouder is overleden",
        "overleg met de consulent; betaal niet opnieuw naar deze rekening",
    ),
    "MS02": ReasonText("teruggestort door de begunstigde, zonder opgave van reden", _ASK_BANK),
    "MS03": ReasonText("teruggestort door de bank, zonder opgave van reden", _ASK_BANK),
    "RC01": ReasonText("de BIC van de bank klopt niet", _CHECK_IBAN),
    "RR01": ReasonText("gegevens van de gemeente ontbreken (wettelijke eis)", _ASK_BANK),
    "RR02": ReasonText("naam of adres van de gemeente ontbreekt (wettelijke eis)", _ASK_BANK),
    "RR03": ReasonText(
        "naam of adres van de begunstigde ontbreekt (wettelijke eis)",
        "vul naam en adres van de begunstigde aan en betaal opnieuw",
    ),
    "RR04": ReasonText("geweigerd om wettelijke redenen", _ASK_BANK),
    "TM01": ReasonText("te laat aangeleverd (na de sluitingstijd)", "betaal opnieuw"),
    "CNOR": ReasonText("de bank van de begunstigde is niet bereikbaar via SEPA", _ASK_BANK),
    "DNOR": ReasonText("de bank van de gemeente is niet bereikbaar via SEPA", _ASK_BANK),
}

UNKNOWN: Final = ReasonText(
    "reden onbekend (de bank gaf een code die ontzorgen niet kent)", _ASK_BANK
)
NOT_GIVEN: Final = ReasonText("de bank gaf geen reden op", _ASK_BANK)


def reason_text(code: str | None) -> ReasonText:
    """The Dutch text of a reason code; unknown and missing codes get a text too."""
    if code is None:
        return NOT_GIVEN
    return REASONS.get(code.upper(), UNKNOWN)


def describe(code: str | None) -> str:
    """``"AC04: de rekening is opgeheven"`` — how a reason is shown to people."""
    text = reason_text(code).text
    return text if code is None else f"{code}: {text}"
