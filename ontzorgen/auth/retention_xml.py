# SPDX-License-Identifier: EUPL-1.2
"""Pseudonymise the transactions of one household in a stored SEPA file (pain.001, pain.002,
camt.053, camt.054).

A file holds many households; only the transactions of the household being removed change.
They are found structurally, by the EndToEndId ontzorgen gave them or the bank's reference
(``AcctSvcrRef``) of an item linked to the household, never by searching for a name: the file
holds names transliterated and cut to the SEPA limits, which a text search would miss.
"""

from __future__ import annotations

from collections.abc import Collection

from lxml import etree

from ontzorgen.sepa.schemas import safe_parser

MARKER = "verwijderd"

# The elements of one transaction in each message kind.
_TRANSACTIONS = frozenset({"CdtTrfTxInf", "TxInfAndSts", "TxDtls"})
# What identifies a person inside a transaction: names, accounts, addresses, remittance.
_PERSONAL = frozenset(
    {"Nm", "IBAN", "StrtNm", "BldgNb", "PstCd", "TwnNm", "AdrLine", "Ustrd", "Ref", "Id"}
)
_KEYS = frozenset({"EndToEndId", "OrgnlEndToEndId"})


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _transaction(element: etree._Element) -> etree._Element | None:
    """The transaction ``element`` belongs to; for an entry's own reference, the entry's one
    transaction (a batch entry of several is left alone: the others are not this household's)."""
    for ancestor in element.iterancestors():
        if _local(ancestor) in _TRANSACTIONS:
            return ancestor
        if _local(ancestor) == "Ntry":
            details = [e for e in ancestor.iter() if _local(e) == "TxDtls"]
            return details[0] if len(details) == 1 else None
    return None


def _blank(transaction: etree._Element, keys: Collection[str]) -> bool:
    changed = False
    for element in transaction.iter():
        name = _local(element)
        # Keep the identifiers ontzorgen matches on, and leaves only (an Id may be a parent).
        if name not in _PERSONAL or len(element) or element.text in keys:
            continue
        parent = element.getparent()
        if name == "Id" and (parent is None or _local(parent) != "Othr"):
            continue
        if element.text != MARKER:
            element.text = MARKER
            changed = True
    return changed


def pseudonymise(
    content: bytes, end_to_end_ids: Collection[str], bank_refs: Collection[str]
) -> bytes:
    """``content`` with every transaction of these EndToEndIds or AcctSvcrRefs blanked; the
    same bytes when none is in it."""
    root = etree.fromstring(content, parser=safe_parser())
    found: list[etree._Element] = []
    for element in root.iter():
        name = _local(element)
        text = (element.text or "").strip()
        if (name in _KEYS and text in end_to_end_ids) or (
            name == "AcctSvcrRef" and text in bank_refs
        ):
            transaction = _transaction(element)
            if transaction is not None:
                found.append(transaction)
    keys = {*end_to_end_ids, *bank_refs}
    changed = False
    for transaction in found:
        changed = _blank(transaction, keys) or changed
    if not changed:
        return content
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return result
