# SPDX-License-Identifier: EUPL-1.2
"""The shipped XSDs: present in the package, compiling, and XSD messages without values."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

import pytest

from ontzorgen.sepa.schemas import SCHEMA_NAMES, load_schema, redact_schema_message, validate_xsd


def test_all_schemas_ship_inside_the_package_and_compile() -> None:
    folder = resources.files("ontzorgen.sepa").joinpath("xsd")
    shipped = {entry.name for entry in folder.iterdir() if entry.name.endswith(".xsd")}
    assert shipped == {f"{name}.xsd" for name in SCHEMA_NAMES}
    assert folder.joinpath("PROVENANCE.md").is_file()
    for name in SCHEMA_NAMES:
        assert load_schema(name) is load_schema(name)  # cached


def test_unknown_schema_is_refused() -> None:
    with pytest.raises(ValueError, match="no schema"):
        load_schema("pain.001.001.99")


def test_real_samples_validate_against_their_schema(sample: Callable[[str], bytes]) -> None:
    assert validate_xsd(sample("php-sepa-xml/pain.001.001.09.xml"), "pain.001.001.09") == []
    assert validate_xsd(sample("php-sepa-xml/pain.001.001.03.xml"), "pain.001.001.03") == []
    # A .03 file is not a .09 file.
    assert validate_xsd(sample("php-sepa-xml/pain.001.001.03.xml"), "pain.001.001.09") != []


def test_not_xml() -> None:
    (problem,) = validate_xsd(b"<Document>", "pain.001.001.09")
    assert problem.startswith("line 1: not well-formed XML")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Element '{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}Nm': [facet 'maxLength'] "
            "The value 'Jan O'Brien de Vries' has a length of '150'; this exceeds the allowed "
            "maximum length of '140'.",
            "Element 'Nm': [facet 'maxLength'] The value has a length of '150'; this exceeds the "
            "allowed maximum length of '140'.",
        ),
        (
            "Element '{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}IBAN': 'nl44rabo01' is "
            "not a valid value of the atomic type '{urn:iso:std:iso:20022:tech:xsd:"
            "pain.001.001.09}IBAN2007Identifier'.",
            "Element 'IBAN': value is not a valid value of the atomic type 'IBAN2007Identifier'.",
        ),
    ],
)
def test_schema_messages_lose_namespaces_and_values(message: str, expected: str) -> None:
    assert redact_schema_message(message) == expected
