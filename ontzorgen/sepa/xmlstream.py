# SPDX-License-Identifier: EUPL-1.2
"""Safe, streaming XML for bank files: the error type, the parser, amounts, paths, sniffing.

Shared by the pain.002 and camt readers (:mod:`ontzorgen.sepa.bankfile`). A bank file comes
from outside: no DOCTYPE, no entities, no network, a size bound, and an amount is read to the
exact cent or refused.
"""

from __future__ import annotations

import io
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, Inexact, localcontext
from functools import lru_cache
from typing import Final

from lxml import etree

from ontzorgen.sepa.feedback import (
    CAMT053,
    CAMT054,
    PAIN002,
    Direction,
    FileHeader,
    MessageKind,
)
from ontzorgen.sepa.schemas import SAFE_XML

__all__ = [
    "ISO_PREFIX",
    "MAX_BANK_FILE_BYTES",
    "BankFileError",
    "Holder",
    "Indexed",
    "Xml",
    "amount_cents",
    "element_of",
    "forget",
    "format_cents",
    "iterparse",
    "line_of",
    "local_name",
    "sniff",
    "syntax_error",
]

MAX_BANK_FILE_BYTES: Final = 256 * 1024 * 1024
ISO_PREFIX: Final = "urn:iso:std:iso:20022:tech:xsd:"

# The ISO message of each root child, and the message name its namespace must carry.
_MESSAGES: Final[dict[str, tuple[MessageKind, str, int]]] = {
    PAIN002: (PAIN002, "pain.002", 3),
    CAMT053: (CAMT053, "camt.053", 2),
    CAMT054: (CAMT054, "camt.054", 2),
}
_NOT_FEEDBACK: Final = {
    "CstmrCdtTrfInitn": "een pain.001 (betaalopdracht aan de bank)",
    "CstmrDrctDbtInitn": "een pain.008 (incasso-opdracht aan de bank)",
}
# pain.002.001.03, camt.053.001.08, and bank variants such as pain.002.001.03.ch.02.
_VERSION: Final = re.compile(r"(pain\.002|camt\.05[34])\.001\.(\d{2})((?:\.[a-z]{2}\.\d{2})?)")
_AMOUNT: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_AMOUNT_MAX_CHARS: Final = 40
_INDEXED: Final = frozenset(
    {"Stmt", "Ntfctn", "Ntry", "NtryDtls", "TxDtls", "Bal", "OrgnlPmtInfAndSts", "TxInfAndSts"}
)


class BankFileError(ValueError):
    """A bank file that cannot be read as it is: where (line, element path) and why (Dutch).

    ``str()`` reads ``"regel 12, Stmt[1]/Ntry[3]/Amt: ..."``. Messages never hold a name or an
    IBAN from the file."""

    def __init__(self, message: str, *, line: int | None = None, element: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.element = element

    def __str__(self) -> str:
        where = [f"regel {self.line}"] if self.line else []
        if self.element:
            where.append(self.element)
        return f"{', '.join(where)}: {self.message}" if where else self.message


def format_cents(cents: int) -> str:
    """``66405`` → ``"664.05"`` (for messages; no float, no division)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros}.{rest:02d}"


def line_of(element: etree._Element) -> int | None:
    """The element's line in the file (lxml's stubs type ``sourceline`` loosely)."""
    line: object = element.sourceline
    return line if isinstance(line, int) and line > 0 else None


def forget(element: etree._Element) -> None:
    """Drop a finished element and everything before it, so memory stays flat."""
    element.clear()
    parent = element.getparent()
    if parent is None:
        return
    while element.getprevious() is not None:
        del parent[0]


def local_name(element: etree._Element) -> str:
    """The tag without its namespace ("" for comments and the like)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(element: etree._Element) -> str:
    tag = element.tag
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


@lru_cache(maxsize=1024)
def _steps(namespace: str, path: str) -> tuple[str, ...]:
    return tuple(f"{{{namespace}}}{part}" if namespace else part for part in path.split("/"))


def _step(node: etree._Element) -> str:
    tag = local_name(node)
    if tag in _INDEXED:
        parent = node.getparent()
        same = [] if parent is None else [c for c in parent if c.tag == node.tag]
        index = same.index(node) + 1 if node in same else 1
        return f"{tag}[{index}]"
    return tag


class Indexed:
    """An element's subtree indexed by relative path (``Refs/EndToEndId``) in one walk.

    A bank entry is looked up some 25 times; one walk in document order and dict lookups
    are several times faster than 25 ElementPath searches, which matters at 100,000 entries.
    Elements named in ``stop`` are indexed but not entered."""

    __slots__ = ("element", "paths")

    def __init__(self, element: etree._Element, stop: frozenset[str] = frozenset()) -> None:
        self.element = element
        self.paths: dict[str, list[etree._Element]] = {}
        queue: deque[tuple[etree._Element, str]] = deque([(element, "")])
        while queue:
            node, prefix = queue.popleft()
            for child in node:
                tag = child.tag
                if not isinstance(tag, str):
                    continue
                name = tag[tag.rfind("}") + 1 :]
                path = f"{prefix}/{name}" if prefix else name
                self.paths.setdefault(path, []).append(child)
                if name not in stop and len(child):
                    queue.append((child, path))

    def find(self, path: str) -> etree._Element | None:
        found = self.paths.get(path)
        return found[0] if found else None

    def findall(self, path: str) -> list[etree._Element]:
        return self.paths.get(path, [])


Holder = etree._Element | Indexed


def element_of(holder: Holder) -> etree._Element:
    return holder.element if isinstance(holder, Indexed) else holder


@dataclass(frozen=True, slots=True)
class Xml:
    """Lookups by local element name in the file's own namespace, and error helpers."""

    namespace: str
    # An import books euros only; a look at the file (bank inspect) shows any currency.
    euro_only: bool = True

    def find(self, element: Holder, path: str) -> etree._Element | None:
        if type(element) is Indexed:
            found = element.paths.get(path)
            return found[0] if found else None
        assert not isinstance(element, Indexed)
        # Child by child in C (iterchildren), much faster than ElementPath for short paths.
        node: etree._Element | None = element
        for tag in _steps(self.namespace, path):
            assert node is not None
            node = next(node.iterchildren(tag), None)
            if node is None:
                return None
        return node

    def findall(self, element: Holder, path: str) -> list[etree._Element]:
        if isinstance(element, Indexed):
            return element.findall(path)
        *parents, last = _steps(self.namespace, path)
        node: etree._Element | None = element
        for tag in parents:
            assert node is not None
            node = next(node.iterchildren(tag), None)
            if node is None:
                return []
        assert node is not None
        return list(node.iterchildren(last))

    def text(self, element: Holder, path: str) -> str | None:
        if type(element) is Indexed:
            nodes = element.paths.get(path)
            found = nodes[0] if nodes else None
        else:
            found = self.find(element, path)
        if found is None or found.text is None:
            return None
        return found.text.strip() or None

    def texts(self, element: Holder, path: str) -> tuple[str, ...]:
        return tuple(
            node.text.strip()
            for node in self.findall(element, path)
            if node.text and node.text.strip()
        )

    @staticmethod
    def path(node: etree._Element, top: etree._Element, base: str) -> str:
        """The path of ``node`` below ``top`` (whose own path is ``base``)."""
        steps: list[str] = []
        current: etree._Element | None = node
        while current is not None and current is not top:
            steps.append(_step(current))
            current = current.getparent()
        return "/".join([base, *reversed(steps)]) if base else "/".join(reversed(steps))

    def error(
        self, message: str, node: etree._Element, top: etree._Element, base: str
    ) -> BankFileError:
        return BankFileError(message, line=line_of(node), element=self.path(node, top, base))

    def required(self, holder: Holder, path: str, top: etree._Element, base: str) -> etree._Element:
        found = self.find(holder, path)
        if found is None:
            element = element_of(holder)
            where = self.path(element, top, base)
            raise BankFileError(
                f"{path} ontbreekt", line=line_of(element), element=f"{where}/{path}".strip("/")
            )
        return found

    def amount(
        self, node: etree._Element, top: etree._Element, base: str, *, allow_zero: bool = False
    ) -> int:
        """An amount element with ``Ccy="EUR"`` in exact cents."""
        currency = node.get("Ccy")
        valid = bool(currency and re.fullmatch(r"[A-Z]{3}", currency))
        if not valid:
            raise self.error("Ccy: een valutacode van drie hoofdletters ontbreekt", node, top, base)
        if self.euro_only and currency != "EUR":
            raise self.error(
                f"valuta {currency}: ontzorgen verwerkt alleen bedragen in EUR", node, top, base
            )
        return self.decimal_cents(node, top, base, allow_zero=allow_zero)

    def decimal_cents(
        self, node: etree._Element, top: etree._Element, base: str, *, allow_zero: bool = False
    ) -> int:
        """A decimal text (no currency attribute, e.g. ``TxsSummry/Sum``) in exact cents."""
        try:
            return amount_cents(node.text, allow_zero=allow_zero)
        except BankFileError as error:
            raise self.error(error.message, node, top, base) from None

    def direction(self, element: Holder, top: etree._Element, base: str) -> Direction:
        node = self.required(element, "CdtDbtInd", top, base)
        value = (node.text or "").strip()
        if value == "CRDT":
            return "CRDT"
        if value == "DBIT":
            return "DBIT"
        raise self.error("CdtDbtInd moet CRDT of DBIT zijn", node, top, base)

    def count(self, element: Holder, path: str, top: etree._Element, base: str) -> int | None:
        node = self.find(element, path)
        if node is None:
            return None
        value = (node.text or "").strip()
        if not value.isdigit() or len(value) > 15:
            raise self.error(f"{local_name(node)} is geen aantal", node, top, base)
        return int(value)

    def day(self, element: Holder, path: str, top: etree._Element, base: str) -> date | None:
        """A date in ``path/Dt`` or ``path/DtTm`` (its day)."""
        holder = self.find(element, path)
        if holder is None:
            return None
        node = self.find(holder, "Dt")
        if node is None:
            node = self.find(holder, "DtTm")
        if node is None or not node.text:
            raise self.error("Dt of DtTm ontbreekt", holder, top, base)
        try:
            return date.fromisoformat(node.text.strip()[:10])
        except ValueError:
            raise self.error("geen geldige datum (JJJJ-MM-DD)", node, top, base) from None


def amount_cents(text: str | None, *, allow_zero: bool = False) -> int:
    """Decimal text such as ``"664.05"`` or ``"100"`` as exact cents; raises BankFileError.

    More than two decimals is refused, even ``"8.850"``: a bank that writes a fraction of a cent
    made a file that cannot be booked as it is, and rounding would hide that."""
    value_text = (text or "").strip()
    if not value_text:
        raise BankFileError("bedrag ontbreekt")
    if len(value_text) > _AMOUNT_MAX_CHARS or not _AMOUNT.fullmatch(value_text):
        raise BankFileError("geen bedrag (verwacht bijvoorbeeld 664.05)")
    decimals = len(value_text.partition(".")[2])
    if decimals > 2:
        raise BankFileError(
            f"bedrag {value_text} heeft {decimals} decimalen; ontzorgen rekent in hele centen "
            "en rondt nooit af"
        )
    value = Decimal(value_text)
    if value < 0:
        raise BankFileError(f"bedrag {value_text} is negatief; de richting staat in CdtDbtInd")
    if value == 0 and not allow_zero:
        raise BankFileError("bedrag is nul")
    with localcontext() as context:
        context.prec = 2 * _AMOUNT_MAX_CHARS
        context.traps[Inexact] = True
        return int(value * 100)


def syntax_error(error: etree.XMLSyntaxError) -> BankFileError:
    line, column = error.position if error.position else (error.lineno, 0)
    detail = (error.msg or "").split(", line ")[0]
    return BankFileError(
        f"geen geldige XML op regel {line}, kolom {column}: {detail}".rstrip(": "),
        line=line or None,
    )


def iterparse(
    data: bytes,
    *,
    events: tuple[str, ...],
    schema: etree.XMLSchema | None = None,
    tags: tuple[str, ...] | None = None,
) -> Iterator[tuple[str, etree._Element]]:
    """lxml's iterparse with every safety on; refuses a DOCTYPE at the root.

    ``tags`` (qualified) limits the events to those elements: filtered in C, so the many small
    elements of an entry cost nothing until the entry ends."""
    context = etree.iterparse(
        io.BytesIO(data),
        events=events,
        tag=tags,
        schema=schema,
        **SAFE_XML,
    )
    checked = False
    for event, element in context:
        if not checked:
            info = element.getroottree().docinfo
            if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
                raise BankFileError(
                    "het bestand heeft een DOCTYPE (DTD); een bankbestand heeft die nooit, en "
                    "een DTD kan entiteiten of externe bestanden binnenhalen: geweigerd",
                    line=line_of(element),
                )
            checked = True
        yield event, element


def sniff(data: bytes) -> tuple[MessageKind, str, str]:
    """``(kind, version, namespace)`` from the root and its first child only.

    ``kind`` is the ISO message name (``BkToCstmrStmt``), ``version`` from the namespace
    (``camt.053.001.02``, ``pain.002.001.03.ch.02``). Raises BankFileError for anything that
    is not a pain.002, camt.053 or camt.054."""
    root: etree._Element | None = None
    try:
        for _event, element in iterparse(data, events=("start",)):
            if root is None:
                root = element
                if local_name(root) != "Document":
                    raise BankFileError(
                        f"geen bankbestand: het hoofdelement is {local_name(root)[:40]}, "
                        "geen Document",
                        line=line_of(root),
                        element=local_name(root)[:40],
                    )
                continue
            return _kind_of(element, _namespace(root))
    except etree.XMLSyntaxError as error:
        raise syntax_error(error) from None
    if root is None:
        raise BankFileError("geen geldige XML: het bestand is leeg")
    raise BankFileError(
        "geen bankbestand: Document is leeg", line=line_of(root), element="Document"
    )


def _kind_of(child: etree._Element, namespace: str) -> tuple[MessageKind, str, str]:
    name = local_name(child)
    where = f"Document/{name[:40]}"
    if name in _NOT_FEEDBACK:
        raise BankFileError(
            f"geen bankbestand: dit is {_NOT_FEEDBACK[name]}, geen pain.002, camt.053 of camt.054",
            line=line_of(child),
            element=where,
        )
    if name not in _MESSAGES:
        raise BankFileError(
            f"geen bankbestand: {name[:40]} is geen pain.002 (CstmrPmtStsRpt), camt.053 "
            "(BkToCstmrStmt) of camt.054 (BkToCstmrDbtCdtNtfctn)",
            line=line_of(child),
            element=where,
        )
    if _namespace(child) != namespace:
        raise BankFileError(
            f"geen bankbestand: {name} staat in een andere namespace dan Document",
            line=line_of(child),
            element=where,
        )
    kind, message, minimum = _MESSAGES[name]
    match = _VERSION.search(namespace)
    shown = namespace[:120]
    if match is None or match.group(1) != message:
        raise BankFileError(
            f"geen bankbestand: de namespace {shown!r} hoort niet bij een {message} ({name})",
            line=line_of(child),
            element="Document",
        )
    if int(match.group(2)) < minimum:
        raise BankFileError(
            f"{message}.001.{match.group(2)} is te oud; ontzorgen leest {message}.001."
            f"{minimum:02d} en nieuwer",
            line=line_of(child),
            element="Document",
        )
    return kind, match.group(0), namespace


def file_header(
    xml: Xml, header: etree._Element, kind: MessageKind, version: str,
    validated_against: str | None,
) -> FileHeader:  # fmt: skip
    """The ``GrpHdr`` of a pain.002 or camt message as its FileHeader."""
    msg_id = xml.text(header, "MsgId")
    if msg_id is None:
        raise BankFileError("MsgId ontbreekt", line=line_of(header), element="GrpHdr/MsgId")
    return FileHeader(
        kind=kind,
        version=version,
        namespace=xml.namespace,
        msg_id=msg_id,
        created_at=xml.text(header, "CreDtTm"),
        validated_against=validated_against,
    )
