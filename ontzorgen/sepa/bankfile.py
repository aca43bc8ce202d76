# SPDX-License-Identifier: EUPL-1.2
"""Read what a bank answers: pain.002 status reports, camt.053 statements, camt.054 notices.

:func:`read_bank_file` streams the file and yields the records of
:mod:`ontzorgen.sepa.feedback`: first a :class:`FileHeader`, then for camt a
:class:`Statement` before its :class:`Entry` records, for pain.002 the :class:`GroupStatus`,
then per batch a :class:`BatchStatus` before its :class:`TransactionStatus` records.

The file is validated against its XSD while it is read when the package ships that XSD, and
checked by structure otherwise. Because records come out as the file is read, an error can be
raised after some records were yielded: a caller stores nothing until the iterator is done.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final, Protocol

from lxml import etree

from ontzorgen.sepa.camt import CamtHandler
from ontzorgen.sepa.feedback import CAMT053, PAIN002, Record
from ontzorgen.sepa.pain002 import Pain002Handler
from ontzorgen.sepa.schemas import (
    SCHEMA_NAMES,
    SchemaName,
    load_schema,
    redact_schema_message,
    safe_parser,
    schema_errors,
)
from ontzorgen.sepa.xmlstream import (
    ISO_PREFIX,
    MAX_BANK_FILE_BYTES,
    BankFileError,
    Xml,
    forget,
    iterparse,
    line_of,
    local_name,
    sniff,
    syntax_error,
)

__all__ = ["MAX_BANK_FILE_BYTES", "BankFileError", "read_bank_file", "schema_for", "sniff"]

# Up to this size an XSD error is located on a tree (exact line and element); beyond it, the
# line where streaming stopped is reported.
_TREE_LOCATE_MAX: Final = 32 * 1024 * 1024


# The message frame; each handler adds the elements it reads.
_FRAME: Final = ("Document", "CstmrPmtStsRpt", "BkToCstmrStmt", "BkToCstmrDbtCdtNtfctn")


class _Handler(Protocol):
    @property
    def tags(self) -> tuple[str, ...]: ...
    def start(self, element: etree._Element, depth: int) -> Iterator[Record]: ...
    def end(self, element: etree._Element, depth: int) -> Iterator[Record]: ...
    def finish(self) -> None: ...


def schema_for(version: str, namespace: str) -> SchemaName | None:
    """The packaged XSD for this exact ISO namespace, or None (bank variants, .03, .06 …)."""
    if namespace == f"{ISO_PREFIX}{version}" and version in SCHEMA_NAMES:
        return version  # type: ignore[return-value]
    return None


def read_bank_file(
    data: bytes, *, max_bytes: int = MAX_BANK_FILE_BYTES, euro_only: bool = True
) -> Iterator[Record]:
    """The records of a pain.002, camt.053 or camt.054 file, streamed; raises BankFileError.

    ``euro_only`` (the import): an amount or account in another currency is an error. Without
    it (bank inspect) every currency is read and named on each entry.

    The size bound and the kind of file are checked at once (before the first record)."""
    if len(data) > max_bytes:
        raise BankFileError(
            f"het bestand is {len(data)} bytes, meer dan de grens van {max_bytes} bytes"
        )
    kind, version, namespace = sniff(data)
    schema_name = schema_for(version, namespace)
    xml = Xml(namespace, euro_only)
    handler: _Handler
    if kind == PAIN002:
        handler = Pain002Handler(kind, version, xml, schema_name)
    else:
        handler = CamtHandler(
            kind, version, xml, schema_name, statement_tag="Stmt" if kind == CAMT053 else "Ntfctn"
        )
    return _stream(data, namespace, schema_name, handler)


def _stream(
    data: bytes, namespace: str, schema_name: SchemaName | None, handler: _Handler
) -> Iterator[Record]:
    schema = None if schema_name is None else load_schema(schema_name)
    last_line: int | None = None
    # lxml's iterparse with a schema can stop silently at a truncated file: only the root's
    # end event proves the whole file was read.
    complete = False
    tags = tuple(f"{{{namespace}}}{name}" for name in (*_FRAME, *handler.tags))
    try:
        for event, element in iterparse(data, events=("start", "end"), schema=schema, tags=tags):
            level = _level(element)
            if event == "start":
                last_line = line_of(element)
                yield from handler.start(element, level)
            else:
                yield from handler.end(element, level)
                if level == 0:
                    complete = True
    except etree.XMLSyntaxError as error:
        raise _explain(data, schema_name, error.msg or "", last_line) from None
    except BankFileError as error:
        # lxml hands out the events of a chunk before the XSD error found in it: the XSD
        # comes first, as in `sepa check`.
        if schema_name is not None and len(data) <= _TREE_LOCATE_MAX:
            raise _first_schema_error(data, schema_name) or error from None
        raise
    if not complete:
        raise _explain(data, schema_name, "", last_line)
    handler.finish()


def _level(element: etree._Element) -> int:
    """0 for Document, 1 for the message, 2 for GrpHdr and Stmt, 3 for Ntry."""
    level = 0
    parent = element.getparent()
    while parent is not None:
        level += 1
        parent = parent.getparent()
    return level


def _explain(
    data: bytes, schema_name: SchemaName | None, message: str, last_line: int | None
) -> BankFileError:
    """Why reading stopped: malformed XML first, else the first XSD error with its place."""
    try:
        for _event, element in iterparse(data, events=("end",)):
            forget(element)
    except etree.XMLSyntaxError as error:
        return syntax_error(error)
    if schema_name is None:
        return BankFileError("het bestand is onvolledig", line=last_line)
    if len(data) <= _TREE_LOCATE_MAX:
        located = _first_schema_error(data, schema_name)
        if located is not None:
            return located
    return BankFileError(
        f"voldoet niet aan het XSD {schema_name}: {redact_schema_message(message)}",
        line=last_line,
    )


def _first_schema_error(data: bytes, schema_name: SchemaName) -> BankFileError | None:
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser=safe_parser()))
    except etree.XMLSyntaxError as error:
        # A value error found while streaming, in a file that breaks further on: the broken
        # XML is what to fix first (it was an XMLSyntaxError escaping the reader).
        return syntax_error(error)
    errors = schema_errors(tree, schema_name)
    if not errors:
        return None
    line, path, message = errors[0]
    element = _element_at(tree, path, line)
    return BankFileError(
        f"voldoet niet aan het XSD {schema_name}: {message}",
        line=line or None,
        element=None if element is None else _path(element),
    )


def _element_at(tree: etree._ElementTree, path: str, line: int) -> etree._Element | None:
    """The element an XSD error is about: by libxml2's path (``/*/*/*[2]/*[6]``), else the
    first element on its line."""
    if path.startswith("/"):
        try:
            found = tree.xpath(path)
        except etree.XPathError:
            found = None
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            return found[0]
    return next(
        (node for node in tree.iter() if isinstance(node.tag, str) and line_of(node) == line),
        None,
    )


def _path(node: etree._Element) -> str:
    steps: list[str] = []
    current: etree._Element | None = node
    while current is not None:
        parent = current.getparent()
        if parent is None or parent.getparent() is None:
            break  # stop below the message element (BkToCstmrStmt, CstmrPmtStsRpt)
        steps.append(Xml.path(current, parent, ""))
        current = parent
    return "/".join(reversed(steps)) or local_name(node)
