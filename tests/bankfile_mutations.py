# SPDX-License-Identifier: EUPL-1.2
"""Hypothesis mutations of real bank files: what a broken bank, a bad transfer or an attacker
could hand the reader and the import.

Byte flips, truncation, duplicated elements, amounts with odd decimals and huge numbers, wrong
namespaces and entity declarations, each applied to a real file (the samples in tests/data/bank
and the test bank's answers to our own pain.001), one to three at a time.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hypothesis import strategies as st

from tests.factories import DATA

# Elements whose text is an amount or a count the reader turns into a number.
NUMBER_ELEMENT = re.compile(
    rb"(<(?:\w+:)?(?:Amt|InstdAmt|TxAmt|TtlAmt|TtlNetNtryAmt|CtrlSum|NbOfTxs|NbOfNtries|Sum)"
    rb"\b[^>]*>)([^<]*)(</)"
)
START_TAG = re.compile(rb"<((?:\w+:)?\w+)[\s>]")
NAMESPACE = re.compile(rb'xmlns(?::\w+)?="([^"]*)"')
ODD_NUMBERS = st.one_of(
    st.sampled_from(
        [
            b"1.234",
            b"0.001",
            b"1.",
            b".5",
            b"-1.00",
            b"+1.00",
            b"1,00",
            b"1e3",
            b"1E-2",
            b"NaN",
            b"Infinity",
            b"-0",
            b" 1.00 ",
            b"",
            b"0x10",
            b"\xd9\xa1.00",
            b"1_000.00",
            b"9" * 40 + b".00",
            b"9" * 400,
            b"99999999999999999999.99",
            b"-99999999999999999.99",
            b"00000000000000000001.00",
            b"1.0000000000000000000001",
            b"12.34",
            b"0.01",
            b"0.00",
        ]
    ),
    st.integers(-(10**30), 10**30).map(lambda n: str(n).encode()),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(lambda d: str(d).encode()),
)
OTHER_NAMESPACES = st.sampled_from(
    [
        b"",
        b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.99",
        b"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02",
        b"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03",
        b"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09",
        b"http://example.org/evil",
        b"urn:iso:std:iso:20022:tech:xsd:camt.052.001.02",
    ]
)
ENTITIES = st.sampled_from(
    [
        b'<!DOCTYPE Document [<!ENTITY x "123.45">]>',
        b'<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE Document [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>',
        b'<!DOCTYPE Document SYSTEM "http://127.0.0.1:9/doc.dtd">',
        b'<!DOCTYPE Document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        b"<!DOCTYPE Document>",
    ]
)


def sample_files() -> list[bytes]:
    """Every real pain.002, camt.053 and camt.054 sample we keep (not the pain.001s)."""
    return [
        path.read_bytes()
        for path in sorted((DATA / "bank").rglob("*.xml"))
        if b"pain.001" not in path.read_bytes()[:600]
    ]


def _flip(draw: st.DrawFn, data: bytes) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(out) - 1))
        out[at] ^= draw(st.integers(1, 255))
    return bytes(out)


def _truncate(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: draw(st.integers(0, max(len(data) - 1, 0)))]


def _duplicate(draw: st.DrawFn, data: bytes) -> bytes:
    tags = list(START_TAG.finditer(data))
    if not tags:
        return data + data
    tag = draw(st.sampled_from(tags))
    name = tag.group(1)
    end = data.find(b"</" + name + b">", tag.start())
    if end < 0:
        return data
    end += len(name) + 3
    copies = draw(st.integers(1, 3))
    return data[:end] + data[tag.start() : end] * copies + data[end:]


def _odd_number(draw: st.DrawFn, data: bytes) -> bytes:
    found = list(NUMBER_ELEMENT.finditer(data))
    if not found:
        return data
    match = draw(st.sampled_from(found))
    value = draw(ODD_NUMBERS)
    return data[: match.start(2)] + value + data[match.end(2) :]


def _namespace(draw: st.DrawFn, data: bytes) -> bytes:
    found = list(NAMESPACE.finditer(data))
    if not found:
        return data
    match = draw(st.sampled_from(found))
    return data[: match.start(1)] + draw(OTHER_NAMESPACES) + data[match.end(1) :]


def _entity(draw: st.DrawFn, data: bytes) -> bytes:
    declaration = draw(ENTITIES)
    head_end = data.find(b"?>") + 2 if data.startswith(b"<?xml") else 0
    data = data[:head_end] + b"\n" + declaration + b"\n" + data[head_end:]
    # Use the entity where a value is read: in an amount or an id.
    found = list(NUMBER_ELEMENT.finditer(data))
    if found and draw(st.booleans()):
        match = draw(st.sampled_from(found))
        return data[: match.start(2)] + b"&x;" + data[match.end(2) :]
    return data


MUTATIONS = (_flip, _truncate, _duplicate, _odd_number, _namespace, _entity)


# The mutations that mostly keep the file well-formed: it gets past the parser to the import.
STRUCTURAL = (_duplicate, _odd_number)


@st.composite
def mutated_bank_file(
    draw: st.DrawFn,
    originals: list[bytes],
    least: int = 1,
    mutations: tuple[Callable[[st.DrawFn, bytes], bytes], ...] = MUTATIONS,
) -> bytes:
    """One of ``originals`` with ``least`` (default one) to three ``mutations`` applied."""
    data = draw(st.sampled_from(originals))
    for _ in range(draw(st.integers(least, 3))):
        data = draw(st.sampled_from(mutations))(draw, data)
    return data


__all__ = ["MUTATIONS", "STRUCTURAL", "mutated_bank_file", "sample_files"]
