# SPDX-License-Identifier: EUPL-1.2
"""A large gemeente for the benchmarks, written set-based (bulk executemany of the clients
tables, explicit ids), deterministic for a given size and seed.

Every household is an alleenstaande statushouder inside the ontzorgen window with four vaste
lasten (huur, stroom, water, zorgverzekering) that fit above the minimum leefgeld, and an own
IBAN: so each household gives four vaste-last payments and one leefgeld payment.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlalchemy.orm import Session

from ontzorgen.auth import SYSTEM
from ontzorgen.bijstand.period import Period, add_months_clamped
from ontzorgen.clients import models as cm
from ontzorgen.gemeenten.policy import PolicyParameters
from ontzorgen.gemeenten.schemas import GemeenteIn
from ontzorgen.gemeenten.service import create_gemeente
from ontzorgen.sepa.references import make_betalingskenmerk

BENCH_GEMEENTE = GemeenteIn(
    code="8888",
    name="Bench Polderstad",
    debtor_name="Gemeente Bench Polderstad",
    debtor_iban="NL14BNGH0285001234",
    debtor_bic="BNGHNL2G",
    policy=PolicyParameters(
        minimum_leefgeld_cents=30000,
        minimum_leefgeld_per_extra_member_cents=10000,
        payment_day=24,
    ),
)
CHUNK = 10_000
_BANKS = ("INGB", "ABNA", "RABO", "TRIO", "SNSB", "BUNQ", "ASNB", "KNAB")
_CATEGORIES = (("huur", "woningcorporatie"), ("stroom", "energieleverancier"),
               ("water", "waterbedrijf"), ("zorgverzekering", "zorgverzekeraar"))  # fmt: skip
PAYEES_PER_CATEGORY = 10


def nl_iban(bank: str, account: int) -> str:
    """A Dutch IBAN with correct check digits (ISO 13616 mod 97), without a library call."""
    bban = f"{bank}{account:010d}"
    digits = "".join(str(int(c, 36)) for c in bban + "NL00")
    check = 98 - int(digits) % 97
    return f"NL{check:02d}{bban}"


def bsns(count: int, first: int = 10_000_000) -> Iterator[str]:
    """``count`` distinct BSNs that pass the elfproef, in ascending order."""
    made = 0
    base = first
    while made < count:
        digits = f"{base:08d}"
        total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        base += 1
        if check == 10:
            continue
        made += 1
        yield f"{digits}{check}"


def _rf(body: str) -> str:
    digits = "".join(str(int(c, 36)) for c in body + "RF00")
    return f"RF{98 - int(digits) % 97:02d}{body}"


def _contract_amounts(rng: random.Random) -> tuple[int, int, int, int]:
    """Monthly cents of huur, stroom, water and zorgverzekering for one household."""
    return (
        rng.randrange(550, 651) * 100,
        rng.randrange(60, 91) * 100,
        rng.randrange(18, 26) * 100,
        rng.randrange(140, 151) * 100,
    )


def _contract_references(i: int, hid: int) -> tuple[str, str, str, str]:
    """The payment references of those contracts: free text, betalingskenmerk, RF."""
    return (
        f"Huur Dorpsstraat {1 + i % 200} contract {hid}",
        make_betalingskenmerk(f"{300_000_000_000_000 + hid:015d}"),
        _rf(f"W{hid:09d}"),
        make_betalingskenmerk(f"{100_000_000_000 + hid:012d}"),
    )


def _insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(table), rows[start : start + CHUNK])


def _advance_sequences(session: Session, tables: list[Table]) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT max(id) FROM {table.name}))"
            )
        )


def generate(session: Session, households: int, period: Period, *, seed: int = 42) -> int:
    """Create the bench gemeente with ``households`` households; returns the gemeente id.

    Rows per household: household, person, bijstand_right, 4 contracts, 4 contract amounts.
    """
    rng = random.Random(seed)
    gemeente = create_gemeente(session, SYSTEM, BENCH_GEMEENTE)
    gid = gemeente.id
    first_id = (session.scalar(select(cm.Payee.id).order_by(cm.Payee.id.desc())) or 0) + 1
    payees: list[dict[str, Any]] = []
    payee_ids: dict[str, list[int]] = {}
    for category, kind in _CATEGORIES:
        for n in range(PAYEES_PER_CATEGORY):
            pid = first_id + len(payees)
            payee_ids.setdefault(category, []).append(pid)
            payees.append({
                "id": pid, "gemeente_id": gid, "reference": f"P-{category}-{n}", "kind": kind,
                "name": f"{kind.capitalize()} {n} B.V.",
                "iban": nl_iban(_BANKS[n % len(_BANKS)], 4_000_000_000 + pid), "bic": None,
                "street": "Stationsplein", "building_number": str(n + 1),
                "postcode": "1012 AB", "town": "Amsterdam", "country": "NL",
            })  # fmt: skip
    payee_table = cm.Payee.__table__
    assert isinstance(payee_table, Table)
    _insert(session, payee_table, payees)

    household_rows: list[dict[str, Any]] = []
    person_rows: list[dict[str, Any]] = []
    right_rows: list[dict[str, Any]] = []
    contract_rows: list[dict[str, Any]] = []
    amount_rows: list[dict[str, Any]] = []
    bsn = bsns(households, first=10_000_000 + seed)
    for i in range(households):
        hid = i + 1
        start, _ = add_months_clamped(period.first_day, -rng.randrange(0, 5))
        household_rows.append({
            "id": hid, "gemeente_id": gid, "reference": f"B-{hid:07d}",
            "leefvorm": "alleenstaande", "kostendelende_medebewoners": 0,
            "vestigingsdatum": start, "iban": nl_iban(_BANKS[i % len(_BANKS)], 1_000_000 + i),
            "iban_name": None, "street": "Dorpsstraat", "building_number": str(1 + i % 200),
            "postcode": "1441 AB", "town": "Polderstad", "opt_out_reason": None,
            "opt_out_from": None,
        })  # fmt: skip
        person_rows.append({
            "id": hid, "gemeente_id": gid, "household_id": hid, "role": "aanvrager",
            "bsn": next(bsn), "name": f"Persoon {hid}", "name_own_script": None,
            "date_of_birth": date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
            "preferred_language": "nl", "doelgroep": "asielstatushouder",
            "permit_asiel_bepaalde_tijd": True, "inburgeringsplichtig_wi2021": True,
        })  # fmt: skip
        right_rows.append({
            "id": hid, "gemeente_id": gid, "household_id": hid, "reference": f"R-{hid:07d}",
            "start": start, "end": None, "leefvorm": "alleenstaande", "kostendelers": 1,
        })  # fmt: skip
        amounts = _contract_amounts(rng)
        references = _contract_references(i, hid)
        for c, ((category, _), amount, reference) in enumerate(
            zip(_CATEGORIES, amounts, references, strict=True)
        ):
            cid = hid * 4 - 3 + c
            contract_rows.append({
                "id": cid, "gemeente_id": gid, "household_id": hid,
                "payee_id": payee_ids[category][i % PAYEES_PER_CATEGORY],
                "reference": f"C-{hid:07d}-{c}", "category": category,
                "payment_reference": reference, "start": start, "end": None,
                "handover_date": None, "consent_ground": None, "consent_reason": None,
            })  # fmt: skip
            amount_rows.append(
                {"id": cid, "contract_id": cid, "valid_from": start, "amount_cents": amount}
            )
    tables = []
    for model, rows in (
        (cm.Household, household_rows),
        (cm.Person, person_rows),
        (cm.BijstandRight, right_rows),
        (cm.Contract, contract_rows),
        (cm.ContractAmount, amount_rows),
    ):
        table = model.__table__
        assert isinstance(table, Table)
        _insert(session, table, rows)
        tables.append(table)
    _advance_sequences(session, [payee_table, *tables])
    return gid


def import_document(
    households: int, period: Period, *, gemeente: str = BENCH_GEMEENTE.code, seed: int = 42
) -> dict[str, Any]:
    """The same kind of gemeente as :func:`generate`, as an ``ontzorgen-import/1`` document:
    for measuring the import itself (``ontzorgen.clients.service.import_households``)."""
    rng = random.Random(seed)
    payees: list[dict[str, Any]] = [
        {
            "reference": f"P-{category}-{n}",
            "kind": kind,
            "name": f"{kind.capitalize()} {n} B.V.",
            "iban": nl_iban(_BANKS[n % len(_BANKS)], 4_000_000_000 + 10 * c + n),
            "street": "Stationsplein",
            "building_number": str(n + 1),
            "postcode": "1012 AB",
            "town": "Amsterdam",
            "country": "NL",
        }
        for c, (category, kind) in enumerate(_CATEGORIES)
        for n in range(PAYEES_PER_CATEGORY)
    ]
    bsn = bsns(households, first=10_000_000 + seed)
    documents: list[dict[str, Any]] = []
    for i in range(households):
        hid = i + 1
        start, _ = add_months_clamped(period.first_day, -rng.randrange(0, 5))
        amounts = _contract_amounts(rng)
        references = _contract_references(i, hid)
        documents.append({
            "reference": f"B-{hid:07d}", "leefvorm": "alleenstaande",
            "vestigingsdatum": start.isoformat(),
            "iban": nl_iban(_BANKS[i % len(_BANKS)], 1_000_000 + i),
            "street": "Dorpsstraat", "building_number": str(1 + i % 200),
            "postcode": "1441 AB", "town": "Polderstad",
            "persons": [{
                "bsn": next(bsn), "name": f"Persoon {hid}",
                "date_of_birth": date(1970 + i % 30, 1 + i % 12, 1 + i % 28).isoformat(),
                "doelgroep": "asielstatushouder", "permit_asiel_bepaalde_tijd": True,
                "inburgeringsplichtig_wi2021": True,
            }],
            "right": {"reference": f"R-{hid:07d}", "start": start.isoformat(),
                      "leefvorm": "alleenstaande", "kostendelers": 1},
            "contracts": [
                {
                    "reference": f"C-{hid:07d}-{c}", "category": category,
                    "payee": f"P-{category}-{i % PAYEES_PER_CATEGORY}",
                    "payment_reference": reference, "start": start.isoformat(),
                    "amounts": [{"valid_from": start.isoformat(), "amount_cents": amount}],
                }
                for c, ((category, _), amount, reference) in enumerate(
                    zip(_CATEGORIES, amounts, references, strict=True)
                )
            ],
        })  # fmt: skip
    return {
        "format": "ontzorgen-import/1",
        "gemeente": gemeente,
        "payees": payees,
        "households": documents,
    }
