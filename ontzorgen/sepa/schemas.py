# SPDX-License-Identifier: EUPL-1.2
"""The ISO 20022 XML schemas shipped in ``ontzorgen/sepa/xsd/`` and safe XML parsing.

Schemas are loaded with :mod:`importlib.resources` (never from outside the package) and
cached, because compiling a schema costs far more than validating a file with it.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Final, Literal, TypedDict

from lxml import etree

__all__ = ["SCHEMA_NAMES", "SchemaName", "load_schema", "safe_parser", "validate_xsd"]

SchemaName = Literal[
    "pain.001.001.03",
    "pain.001.001.09",
    "pain.002.001.10",
    "pain.002.001.11",
    "camt.053.001.02",
    "camt.053.001.04",
    "camt.053.001.08",
    "camt.054.001.02",
    "camt.054.001.04",
    "camt.054.001.08",
]
SCHEMA_NAMES: Final[tuple[str, ...]] = SchemaName.__args__  # type: ignore[attr-defined]

_NAMESPACE_IN_MESSAGE: Final = re.compile(r"\{urn:iso:std:iso:20022:tech:xsd:[^}]*\}")
# libxml2 quotes the offending value in some messages; that value can be a name or an IBAN.
_QUOTED_VALUE: Final = (
    (
        re.compile(r"The value '.*' (?=has a length|is not accepted|is not an element|is not)"),
        "The value ",
    ),
    (re.compile(r"(?<=: )'.*' (?=is not a valid value|is not accepted)"), "value "),
)


# The safety settings of every XML reader of ontzorgen (parser and iterparse alike): no entities,
# no network, no DTD, no huge trees. tests/sepa/test_xml_safety.py checks that no reader parses
# without them.
class SafeXml(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    dtd_validation: bool
    huge_tree: bool
    remove_comments: bool
    remove_pis: bool


SAFE_XML: Final[SafeXml] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def safe_parser() -> etree.XMLParser:
    """An XML parser for untrusted files, with :data:`SAFE_XML`."""
    return etree.XMLParser(**SAFE_XML)


@cache
def load_schema(name: SchemaName) -> etree.XMLSchema:
    """The compiled schema ``name`` (e.g. ``"pain.001.001.09"``), cached."""
    if name not in SCHEMA_NAMES:
        raise ValueError(f"no schema {name!r}; known: {', '.join(SCHEMA_NAMES)}")
    data = resources.files("ontzorgen.sepa").joinpath("xsd", f"{name}.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(data, parser=safe_parser()))


def redact_schema_message(message: str) -> str:
    """An lxml schema error message without namespaces and without the offending value."""
    text = _NAMESPACE_IN_MESSAGE.sub("", message)
    for pattern, replacement in _QUOTED_VALUE:
        text = pattern.sub(replacement, text)
    return text


def schema_errors(tree: etree._ElementTree, name: SchemaName) -> list[tuple[int, str, str]]:
    """XSD errors of a parsed document as (line, lxml path, redacted message)."""
    schema = load_schema(name)
    try:
        if schema.validate(tree):
            return []
    except etree.XMLSchemaValidateError:
        # libxml2 gives up on some trees (e.g. unexpanded entity references).
        return [(0, "", "the schema validator could not process this document")]
    return [
        (error.line, error.path or "", redact_schema_message(error.message))
        for error in schema.error_log  # type: ignore[attr-defined]
    ]


def validate_xsd(data: bytes, version: SchemaName) -> list[str]:
    """Validate ``data`` against the schema ``version``; an empty list means valid.

    Each problem reads ``"line N: message"``. Values are left out of the messages, because
    they may be a person's name or IBAN.
    """
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser=safe_parser()))
    except etree.XMLSyntaxError as error:
        return [f"line {error.lineno}: not well-formed XML: {error.msg}"]
    return [f"line {line}: {message}" for line, _, message in schema_errors(tree, version)]
