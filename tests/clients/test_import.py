# SPDX-License-Identifier: EUPL-1.2
"""Import from the gemeente's inkomen system: all-or-nothing, every problem named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ontzorgen.bijstand.facts import Category
from ontzorgen.clients import models as m
from ontzorgen.clients.facts import load_rows, to_facts
from ontzorgen.clients.schemas import ImportFile
from ontzorgen.clients.service import find_household, import_households
from ontzorgen.errors import InvalidInput, NotFound
from tests.factories import CLERK, example_import, make_gemeente

ROOT = Path(__file__).parents[2]


def _count(session: Session, model: type[m.Household] | type[m.Person] | type[m.Payee]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_import_stores_households_and_maps_to_facts(session: Session) -> None:
    gemeente = make_gemeente(session)
    summary = import_households(session, CLERK, example_import())
    session.commit()
    assert (summary.payees, summary.households, summary.persons, summary.contracts) == (
        4,
        2,
        3,
        5,
    )
    rows = load_rows(session, gemeente.id)
    facts = [to_facts(r) for r in rows]
    first = facts[0]
    assert first.household.has_own_iban is True
    assert facts[1].household.has_own_iban is False
    huur = next(c for c in first.contracts if c.category.value == "huur")
    assert [v.amount.cents for v in huur.amounts] == [71200, 73336]
    assert first.right.start.isoformat() == "2026-12-01"


def test_one_bad_record_rejects_the_whole_file_with_every_problem(session: Session) -> None:
    make_gemeente(session)
    session.commit()
    data = example_import()
    data["payees"][2]["iban"] = "NL68INGB0006543210"  # wrong check digits
    data["households"][1]["persons"][0]["bsn"] = "123456789"  # fails the elfproef
    data["households"][0]["contracts"][0]["amounts"][0]["amount_cents"] = -5
    with pytest.raises(InvalidInput) as caught:
        import_households(session, CLERK, data)
    session.rollback()
    found = {(p.record, p.field) for p in caught.value.problems}
    assert found == {
        ("payees[2]", "iban"),
        ("households[1]", "persons[0].bsn"),
        ("households[0]", "contracts[0].amounts[0].amount_cents"),
    }
    text = caught.value.detail
    assert "123456789" not in text
    assert "NL68INGB0006543210" not in text
    assert _count(session, m.Payee) == _count(session, m.Household) == 0


def test_references_and_rules_are_checked_before_anything_is_stored(session: Session) -> None:
    make_gemeente(session)
    session.commit()
    data = example_import()
    data["households"][0]["contracts"][1]["payee"] = "NOBODY"
    data["households"][1]["persons"][1]["bsn"] = data["households"][0]["persons"][0]["bsn"]
    with pytest.raises(InvalidInput) as caught:
        import_households(session, CLERK, data)
    session.rollback()
    reasons = {(p.record, p.field): p.reason for p in caught.value.problems}
    assert reasons[("households[0]", "contracts[1].payee")] == "onbekende betaalontvanger"
    assert "BSN" in reasons[("households[1]", "persons[1].bsn")]
    assert _count(session, m.Payee) == 0


def test_category_outside_56a_needs_consent(session: Session) -> None:
    # A gemeente that withholds ``other`` (with the default policy it is refused at import).
    make_gemeente(session, withheld_categories=[c.value for c in Category])
    session.commit()
    data = example_import()
    contract = data["households"][0]["contracts"][3]
    contract["category"] = "other"
    with pytest.raises(InvalidInput) as caught:
        import_households(session, CLERK, data)
    session.rollback()
    assert [(p.record, p.field) for p in caught.value.problems] == [
        ("households[0]", "Contract.consent_ground")
    ]
    contract["consent_ground"] = "written_consent"
    contract["consent_reason"] = "Schriftelijke toestemming 2026-11-20 (inboedelverzekering)"
    import_households(session, CLERK, data)
    session.commit()
    assert _count(session, m.Household) == 2


def test_importing_twice_is_refused(session: Session) -> None:
    make_gemeente(session)
    import_households(session, CLERK, example_import())
    session.commit()
    with pytest.raises(InvalidInput) as caught:
        import_households(session, CLERK, example_import())
    assert ("households[0]", "reference") in {(p.record, p.field) for p in caught.value.problems}


def test_not_json_is_one_clear_problem(session: Session) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_households(session, CLERK, b"{not json")
    assert caught.value.problems[0].field == "file"


def test_household_found_by_reference_or_id(session: Session) -> None:
    make_gemeente(session)
    import_households(session, CLERK, example_import())
    session.commit()
    by_ref = find_household(session, "HH-2026-0002")
    assert find_household(session, str(by_ref.id)).reference == "HH-2026-0002"
    assert find_household(session, by_ref.id, gemeente="0439").id == by_ref.id
    with pytest.raises(NotFound):
        find_household(session, "HH-NONE")


def test_published_json_schema_matches_the_models() -> None:
    published = json.loads((ROOT / "docs" / "import-format.schema.json").read_text())
    assert published == ImportFile.model_json_schema()
