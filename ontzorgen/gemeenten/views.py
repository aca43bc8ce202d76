# SPDX-License-Identifier: EUPL-1.2
"""A gemeente as a person reads it (Dutch labels) and as a program reads it (JSON)."""

from __future__ import annotations

from typing import Any

from ontzorgen.bijstand.facts import LeefgeldFrequency, ProRataMethod, Weekday
from ontzorgen.gemeenten.models import Gemeente
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.money import Money

_PRO_RATA = {
    ProRataMethod.CALENDAR_DAYS: "naar kalenderdagen (bedrag × dagen / dagen in de maand)",
    ProRataMethod.THIRTY_DAYS: "naar 30 dagen (bedrag × dagen / 30, hoogstens 30 dagen)",
}


def gemeente_dict(gemeente: Gemeente) -> dict[str, Any]:
    """The gemeente with its full policy (defaults filled in), amounts in cents."""
    return {
        "code": gemeente.code,
        "name": gemeente.name,
        "debtor_name": gemeente.debtor_name,
        "debtor_iban": gemeente.debtor_iban,
        "debtor_bic": gemeente.debtor_bic,
        "policy": PolicyParameters.model_validate(gemeente.policy).model_dump(mode="json"),
    }


def gemeente_lines(gemeente: Gemeente) -> list[tuple[str, str]]:
    """(label, value) pairs in Dutch, in the order a consulent reads them."""
    policy = PolicyParameters.model_validate(gemeente.policy)
    if (
        policy.leefgeld_frequency is LeefgeldFrequency.WEEKLY
        and policy.leefgeld_weekday is not None
    ):
        leefgeld = f"wekelijks, op {Weekday(policy.leefgeld_weekday).name.lower()}"
    else:
        leefgeld = "maandelijks"
    return [
        ("Gemeentecode (CBS)", gemeente.code),
        ("Naam", gemeente.name),
        ("Rekeninghouder", gemeente.debtor_name),
        ("IBAN", gemeente.debtor_iban),
        ("BIC", gemeente.debtor_bic),
        ("Minimum leefgeld", f"{Money(policy.minimum_leefgeld_cents)} per maand"),
        (
            "Per extra gezinslid",
            f"+ {Money(policy.minimum_leefgeld_per_extra_member_cents)} per maand",
        ),
        ("Ingehouden vaste lasten", ", ".join(sorted(c.value for c in policy.withheld_categories))),
        (
            "Volgorde bij tekort",
            " → ".join(f"{n}. {c.value}" for n, c in enumerate(policy.priority, start=1)),
        ),
        ("Leefgeld", leefgeld),
        (
            "Betaaldag vaste lasten",
            f"de {policy.payment_day}e van de maand ervóór (of de werkdag daarvoor)",
        ),
        ("Gedeeltelijke maand", _PRO_RATA[policy.pro_rata_method]),
        ("Opt-out toegestaan", "ja" if policy.allow_opt_out else "nee"),
        ("Doelcodes (purpose)", ", ".join(f"{k}={v}" for k, v in policy.purpose_codes.items())),
        ("Categorie (category purpose)", policy.category_purpose or "geen"),
    ]
