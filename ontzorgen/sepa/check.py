# SPDX-License-Identifier: EUPL-1.2
"""A checker for any pain.001.001.03 or .09 file, ours or from another system.

First the XSD, then what an XSD cannot see: counts and control sums, unique ids, the SEPA
character set and lengths, structured creditor addresses, IBAN and BIC validity, execution
dates, betalingskenmerk and RF check digits, charge bearer and currency.

Every problem names where it is as a path such as ``PmtInf[2]/CdtTrfTxInf[5]/Cdtr/PstlAdr``
(1-based, like XPath) and, for a transaction, its EndToEndId. Messages never contain names,
addresses or IBANs: the file is full of personal data and reports end up in logs and tickets.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Final, Literal

from lxml import etree

from ontzorgen.money import Money
from ontzorgen.sepa.accounts import bic_problem, iban_problem
from ontzorgen.sepa.charset import first_non_sepa_character
from ontzorgen.sepa.execution_date import is_business_day, is_target_closing_day
from ontzorgen.sepa.references import (
    PaymentReferenceError,
    sepa_id_problem,
    validate_betalingskenmerk,
    validate_rf_reference,
)
from ontzorgen.sepa.schemas import SAFE_XML, SchemaName, load_schema, safe_parser, schema_errors

__all__ = ["CheckReport", "Problem", "Severity", "check_pain001"]

Severity = Literal["error", "warning"]
_SEVERITY_LABELS: Final = {"error": "FOUT", "warning": "WAARSCHUWING"}

_NAMESPACE_PREFIX: Final = "urn:iso:std:iso:20022:tech:xsd:"
_VERSIONS: Final[tuple[SchemaName, ...]] = ("pain.001.001.03", "pain.001.001.09")
_NAME_MAX: Final = 70
_USTRD_MAX: Final = 140
_MAX_AMOUNT: Final = Decimal("999999999.99")
# Free-text elements that must stay in the SEPA character set.
_TEXT_TAGS: Final = frozenset(
    {"Nm", "Ustrd", "Ref", "StrtNm", "BldgNb", "PstCd", "TwnNm", "AdrLine", "Dept", "SubDept"}
)
_NAME_PARENTS: Final = frozenset({"InitgPty", "Dbtr", "Cdtr", "UltmtDbtr", "UltmtCdtr"})
_ID_TAGS: Final = frozenset({"MsgId", "PmtInfId", "InstrId", "EndToEndId"})
_INDEXED: Final = frozenset({"PmtInf", "CdtTrfTxInf"})


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding. ``kind`` is a stable code for programs; ``message`` is for people."""

    severity: Severity
    where: str
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class CheckReport:
    """All findings for one file, errors and warnings in file order."""

    version: str | None
    problems: tuple[Problem, ...]
    number_of_transactions: int = 0

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems a bank rejects the file (or a payment) for."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems worth fixing that do not make the file invalid."""
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors

    def format(self) -> str:
        """The report as text (Dutch), one problem a line: ``FOUT  where  [kind] message``.

        ``where`` (the place in the file) and ``kind`` (a stable code) stay as they are: a bank's
        helpdesk and a program read them; the message is for the person."""
        count = self.number_of_transactions
        payments = "1 betaling" if count == 1 else f"{count} betalingen"
        if not self.problems:
            return f"{self.version}: geen problemen in {payments}"
        errors, warnings = len(self.errors), len(self.warnings)
        lines = [
            f"{self.version or 'onbekend formaat'}: "
            f"{errors} {'fout' if errors == 1 else 'fouten'}, "
            f"{warnings} {'waarschuwing' if warnings == 1 else 'waarschuwingen'}, {payments}"
        ]
        lines += [
            f"{_SEVERITY_LABELS[p.severity]:<14}{p.where}  [{p.kind}] {p.message}"
            for p in self.problems
        ]
        return "\n".join(lines)


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


@lru_cache(maxsize=512)
def _qualified(namespace: str, path: str) -> str:
    # Paths are few and looked up hundreds of thousands of times in a large file.
    return "/".join(f"{{{namespace}}}{part}" for part in path.split("/"))


@dataclass
class _Checker:
    namespace: str
    version: SchemaName
    today: date | None
    problems: list[Problem] = field(default_factory=list)
    end_to_end_ids: dict[str, str] = field(default_factory=dict)
    pmt_inf_ids: dict[str, str] = field(default_factory=dict)

    # -- helpers ------------------------------------------------------------------------------
    def add(self, severity: Severity, where: str, kind: str, message: str) -> None:
        self.problems.append(Problem(severity, where, kind, message))

    def find(self, element: etree._Element, path: str) -> etree._Element | None:
        return element.find(_qualified(self.namespace, path))

    def findall(self, element: etree._Element, path: str) -> list[etree._Element]:
        return element.findall(_qualified(self.namespace, path))

    def text(self, element: etree._Element, path: str) -> str | None:
        found = self.find(element, path)
        return None if found is None or found.text is None else found.text.strip()

    # -- the file -----------------------------------------------------------------------------
    def check_version(self) -> None:
        if self.version == "pain.001.001.03":
            self.add(
                "warning",
                "Document",
                "version",
                "pain.001.001.03: Nederlandse banken vragen om pain.001.001.09, dat bevat wat de "
                "regels sinds 15 november 2026 eisen",
            )

    def check_group_header(self, header: etree._Element) -> None:
        self.check_id(header, "MsgId", "GrpHdr/MsgId")
        self.check_texts(header, "GrpHdr", None)

    def run(self, root: etree._Element) -> int:
        initiation = self.find(root, "CstmrCdtTrfInitn")
        if initiation is None:
            return 0
        self.check_version()
        header = self.find(initiation, "GrpHdr")
        if header is not None:
            self.check_group_header(header)
        count = 0
        total = Decimal(0)
        for index, pmt_inf in enumerate(self.findall(initiation, "PmtInf"), start=1):
            batch_count, batch_total = self.check_pmt_inf(pmt_inf, f"PmtInf[{index}]")
            count += batch_count
            total += batch_total
        if header is not None:
            self.check_totals(header, "GrpHdr", count, total)
        return count

    def check_totals(self, element: etree._Element, where: str, count: int, total: Decimal) -> None:
        declared_count = self.text(element, "NbOfTxs")
        if declared_count is not None and declared_count.isdigit() and int(declared_count) != count:
            self.add(
                "error",
                f"{where}/NbOfTxs",
                "nb-of-txs",
                f"NbOfTxs zegt {int(declared_count)}, het bestand heeft {count} transacties",
            )
        declared_sum = self.text(element, "CtrlSum")
        if declared_sum is not None:
            try:
                declared = Decimal(declared_sum)
            except InvalidOperation:
                return  # the XSD reports a CtrlSum that is not a number
            if declared != total:
                self.add(
                    "error",
                    f"{where}/CtrlSum",
                    "ctrl-sum",
                    f"CtrlSum zegt {declared_sum}, de bedragen tellen op tot {total}",
                )

    def check_id(self, parent: etree._Element, tag: str, where: str) -> str | None:
        value = self.text(parent, tag)
        if value is None:
            return None
        problem = sepa_id_problem(value)
        if problem is not None:
            self.add("error", where, "id", f"{tag} {problem}")
        return value

    def check_texts(self, element: etree._Element, base: str, e2e: str | None) -> None:
        """Character set of every free-text element, and the EPC 70-character name limit."""
        suffix = _e2e_suffix(e2e)
        for node in element.iter():
            tag = _local(node)
            if tag not in _TEXT_TAGS or not node.text:
                continue
            position = first_non_sepa_character(node.text)
            if position is not None:
                self.add(
                    "error",
                    _path_below(node, element, base),
                    "charset",
                    f"{tag} heeft een teken buiten de SEPA-tekenset op positie {position}{suffix}",
                )
            parent = node.getparent()
            if (
                tag == "Nm"
                and parent is not None
                and _local(parent) in _NAME_PARENTS
                and len(node.text) > _NAME_MAX
            ):
                self.add(
                    "error",
                    _path_below(node, element, base),
                    "length",
                    f"Nm is {len(node.text)} tekens lang, hoogstens {_NAME_MAX}{suffix}",
                )

    def check_iban(self, parent: etree._Element, path: str, where: str, suffix: str) -> None:
        account = self.find(parent, path)
        if account is None:
            return
        iban = self.text(account, "Id/IBAN")
        if iban is None:
            self.add("error", f"{where}/Id", "iban", f"de rekening moet een IBAN zijn{suffix}")
            return
        problem = iban_problem(iban)
        if problem is not None:
            self.add("error", f"{where}/Id/IBAN", "iban", f"{problem}{suffix}")
        currency = self.text(account, "Ccy")
        if currency is not None and currency != "EUR":
            self.add("error", f"{where}/Ccy", "currency", "de valuta van de rekening moet EUR zijn")

    def check_bic(self, parent: etree._Element, path: str, where: str, suffix: str) -> None:
        bic_tag = "BICFI" if self.version == "pain.001.001.09" else "BIC"
        bic = self.text(parent, f"{path}/FinInstnId/{bic_tag}")
        if bic is None:
            return
        problem = bic_problem(bic)
        if problem is not None:
            self.add("error", f"{where}/FinInstnId/{bic_tag}", "bic", f"{problem}{suffix}")

    # -- PmtInf -------------------------------------------------------------------------------
    def check_pmt_inf(self, pmt_inf: etree._Element, where: str) -> tuple[int, Decimal]:
        batch_level_sepa, batch_charges = self.check_pmt_inf_header(pmt_inf, where)
        count = 0
        total = Decimal(0)
        for index, tx in enumerate(self.findall(pmt_inf, "CdtTrfTxInf"), start=1):
            count += 1
            total += self.check_transaction(
                tx, f"{where}/CdtTrfTxInf[{index}]", batch_level_sepa, batch_charges
            )
        self.check_totals(pmt_inf, where, count, total)
        return count, total

    def check_pmt_inf_header(
        self, pmt_inf: etree._Element, where: str
    ) -> tuple[str | None, str | None]:
        """Everything of a PmtInf before its transactions; returns its SvcLvl and ChrgBr."""
        pmt_inf_id = self.check_id(pmt_inf, "PmtInfId", f"{where}/PmtInfId")
        if pmt_inf_id is not None:
            first = self.pmt_inf_ids.setdefault(pmt_inf_id, where)
            if first != where:
                self.add(
                    "error",
                    f"{where}/PmtInfId",
                    "duplicate-pmt-inf-id",
                    f"PmtInfId {pmt_inf_id} wordt ook gebruikt door {first}",
                )
        method = self.text(pmt_inf, "PmtMtd")
        if method is not None and method != "TRF":
            self.add("error", f"{where}/PmtMtd", "payment-method", "PmtMtd moet TRF zijn")
        self.check_execution_date(pmt_inf, where)
        debtor = self.find(pmt_inf, "Dbtr")
        if debtor is not None:
            self.check_texts(debtor, f"{where}/Dbtr", None)
        self.check_iban(pmt_inf, "DbtrAcct", f"{where}/DbtrAcct", "")
        self.check_bic(pmt_inf, "DbtrAgt", f"{where}/DbtrAgt", "")
        batch_level_sepa = self.text(pmt_inf, "PmtTpInf/SvcLvl/Cd")
        if batch_level_sepa is not None and batch_level_sepa != "SEPA":
            self.add(
                "error", f"{where}/PmtTpInf/SvcLvl/Cd", "service-level", "SvcLvl/Cd moet SEPA zijn"
            )
        batch_charges = self.text(pmt_inf, "ChrgBr")
        if batch_charges is not None and batch_charges != "SLEV":
            self.add("error", f"{where}/ChrgBr", "charge-bearer", "ChrgBr moet SLEV zijn")
        return batch_level_sepa, batch_charges

    def check_execution_date(self, pmt_inf: etree._Element, where: str) -> None:
        if self.version == "pain.001.001.09":
            text = self.text(pmt_inf, "ReqdExctnDt/Dt")
            location = f"{where}/ReqdExctnDt/Dt"
            if text is None:
                date_time = self.text(pmt_inf, "ReqdExctnDt/DtTm")
                text = None if date_time is None else date_time[:10]
                location = f"{where}/ReqdExctnDt/DtTm"
        else:
            text = self.text(pmt_inf, "ReqdExctnDt")
            location = f"{where}/ReqdExctnDt"
        if text is None:
            return
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return  # the XSD reports a malformed date
        if self.today is not None and day < self.today:
            self.add(
                "error",
                location,
                "execution-date-past",
                f"uitvoerdatum {day.isoformat()} ligt vóór vandaag ({self.today.isoformat()})",
            )
        if not is_business_day(day):
            reason = "een TARGET-sluitingsdag" if is_target_closing_day(day) else "een weekenddag"
            self.add(
                "error",
                location,
                "execution-date-not-business-day",
                f"uitvoerdatum {day.isoformat()} is {reason}, geen TARGET2-werkdag",
            )

    # -- CdtTrfTxInf --------------------------------------------------------------------------
    def check_transaction(
        self,
        tx: etree._Element,
        where: str,
        batch_level_sepa: str | None,
        batch_charges: str | None,
    ) -> Decimal:
        e2e = self.text(tx, "PmtId/EndToEndId")
        self.check_id(tx, "PmtId/InstrId", f"{where}/PmtId/InstrId")
        if e2e is not None:
            problem = sepa_id_problem(e2e)
            if problem is not None:
                self.add("error", f"{where}/PmtId/EndToEndId", "id", f"EndToEndId {problem}")
                e2e_for_messages = None
            else:
                e2e_for_messages = e2e
                first = self.end_to_end_ids.setdefault(e2e, where)
                if first != where:
                    self.add(
                        "error",
                        f"{where}/PmtId/EndToEndId",
                        "duplicate-end-to-end-id",
                        f"EndToEndId {e2e} wordt ook gebruikt door {first}",
                    )
        else:
            e2e_for_messages = None
        suffix = _e2e_suffix(e2e_for_messages)
        self.check_texts(tx, where, e2e_for_messages)
        if batch_level_sepa is None and self.text(tx, "PmtTpInf/SvcLvl/Cd") != "SEPA":
            self.add(
                "error",
                f"{where}/PmtTpInf/SvcLvl/Cd",
                "service-level",
                f"SvcLvl/Cd SEPA ontbreekt op PmtInf- en transactieniveau{suffix}",
            )
        charges = self.text(tx, "ChrgBr")
        if charges is not None and charges != "SLEV":
            self.add("error", f"{where}/ChrgBr", "charge-bearer", f"ChrgBr moet SLEV zijn{suffix}")
        elif charges is None and batch_charges is None:
            self.add(
                "warning",
                f"{where}/ChrgBr",
                "charge-bearer",
                f"ChrgBr ontbreekt op PmtInf- en transactieniveau; SEPA vraagt SLEV{suffix}",
            )
        amount = self.check_amount(tx, where, suffix)
        self.check_bic(tx, "CdtrAgt", f"{where}/CdtrAgt", suffix)
        self.check_address(tx, where, suffix)
        self.check_iban(tx, "CdtrAcct", f"{where}/CdtrAcct", suffix)
        self.check_remittance(tx, where, suffix)
        return amount

    def check_amount(self, tx: etree._Element, where: str, suffix: str) -> Decimal:
        amount_element = self.find(tx, "Amt/InstdAmt")
        if amount_element is None or amount_element.text is None:
            return Decimal(0)
        location = f"{where}/Amt/InstdAmt"
        if amount_element.get("Ccy") != "EUR":
            self.add("error", location, "currency", f"InstdAmt Ccy moet EUR zijn{suffix}")
        try:
            # Decimal, not Money: the file may legally carry up to five decimals, and the
            # control sums must be compared exactly as written.
            amount = Decimal(amount_element.text.strip())
        except InvalidOperation:
            return Decimal(0)
        try:
            Money.from_decimal(amount)
        except ValueError:
            self.add(
                "error", location, "amount", f"het bedrag heeft meer dan twee decimalen{suffix}"
            )
        if amount <= 0:
            self.add("error", location, "amount", f"het bedrag moet groter zijn dan 0{suffix}")
        elif amount > _MAX_AMOUNT:
            self.add("error", location, "amount", f"het bedrag is hoger dan 999999999.99{suffix}")
        return amount

    def check_address(self, tx: etree._Element, where: str, suffix: str) -> None:
        address = self.find(tx, "Cdtr/PstlAdr")
        town = None if address is None else self.text(address, "TwnNm")
        country = None if address is None else self.text(address, "Ctry")
        if town and country:
            return
        if address is None:
            what = "heeft geen postadres"
        elif self.find(address, "AdrLine") is not None and not town:
            what = "heeft alleen een ongestructureerd adres (AdrLine)"
        else:
            what = "adres mist " + " en ".join(
                tag for tag, value in (("TwnNm", town), ("Ctry", country)) if not value
            )
        rule = "banken weigeren begunstigden zonder gestructureerd adres (minstens TwnNm en Ctry) "
        if self.version == "pain.001.001.03":
            self.add(
                "warning",
                f"{where}/Cdtr/PstlAdr",
                "address",
                f"begunstigde {what}: {rule}sinds 15 november 2026; pain.001.001.09 kan het "
                f"bevatten{suffix}",
            )
        else:
            self.add(
                "error",
                f"{where}/Cdtr/PstlAdr",
                "address",
                f"begunstigde {what}: {rule}sinds 15 november 2026{suffix}",
            )

    def check_remittance(self, tx: etree._Element, where: str, suffix: str) -> None:
        remittance = self.find(tx, "RmtInf")
        if remittance is None:
            return
        location = f"{where}/RmtInf"
        unstructured = self.findall(remittance, "Ustrd")
        structured = self.findall(remittance, "Strd")
        if unstructured and structured:
            self.add("error", location, "remittance", f"RmtInf heeft zowel Ustrd als Strd{suffix}")
        if len(unstructured) > 1:
            self.add("error", location, "remittance", f"RmtInf heeft meer dan één Ustrd{suffix}")
        if len(structured) > 1:
            self.add("error", location, "remittance", f"RmtInf heeft meer dan één Strd{suffix}")
        for text_element in unstructured:
            if text_element.text and len(text_element.text) > _USTRD_MAX:
                self.add(
                    "error",
                    f"{location}/Ustrd",
                    "length",
                    f"Ustrd is langer dan {_USTRD_MAX} tekens{suffix}",
                )
        for index, strd in enumerate(structured, start=1):
            strd_where = f"{location}/Strd" if len(structured) == 1 else f"{location}/Strd[{index}]"
            info = self.find(strd, "CdtrRefInf")
            if info is None:
                continue
            reference = self.text(info, "Ref")
            code = self.text(info, "Tp/CdOrPrtry/Cd")
            issuer = self.text(info, "Tp/Issr")
            ref_where = f"{strd_where}/CdtrRefInf/Ref"
            if reference is not None and code != "SCOR":
                self.add(
                    "error",
                    f"{strd_where}/CdtrRefInf/Tp/CdOrPrtry/Cd",
                    "remittance",
                    f"een gestructureerd kenmerk vraagt Tp/CdOrPrtry/Cd SCOR{suffix}",
                )
            if reference is None:
                continue
            if issuer == "CUR":
                try:
                    validate_betalingskenmerk(reference)
                except PaymentReferenceError as error:
                    self.add("error", ref_where, "betalingskenmerk", f"{error.reason}{suffix}")
            elif reference.upper().startswith("RF"):
                try:
                    validate_rf_reference(reference)
                except PaymentReferenceError as error:
                    self.add("error", ref_where, "rf-reference", f"{error.reason}{suffix}")


def _e2e_suffix(e2e: str | None) -> str:
    return f" (EndToEndId {e2e})" if e2e else ""


def _ancestors(node: etree._Element) -> Iterator[etree._Element]:
    current: etree._Element | None = node
    while current is not None:
        yield current
        current = current.getparent()


def _step(node: etree._Element) -> str:
    tag = _local(node)
    parent = node.getparent()
    if parent is None:
        return tag
    siblings = [s for s in parent if s.tag == node.tag]
    if tag in _INDEXED or len(siblings) > 1:
        return f"{tag}[{siblings.index(node) + 1}]"
    return tag


def _nice_path(node: etree._Element) -> str:
    """``PmtInf[1]/CdtTrfTxInf[3]/CdtrAcct`` for a node below CstmrCdtTrfInitn."""
    steps: list[str] = []
    for current in _ancestors(node):
        if _local(current) in ("CstmrCdtTrfInitn", "Document"):
            break
        steps.append(_step(current))
    return "/".join(reversed(steps)) or "Document"


def _path_below(node: etree._Element, top: etree._Element, base: str) -> str:
    """The path of ``node`` relative to ``top``, whose own path is ``base``."""
    steps: list[str] = []
    for current in _ancestors(node):
        if current is top:
            break
        steps.append(_step(current))
    return "/".join([base, *reversed(steps)])


class _NotStreamable(Exception):
    """The file needs the full (tree) check: it is not valid, or not what it seems."""


def _sniff(data: bytes) -> str:
    """The pain.001 namespace of a well-formed-looking Document without DOCTYPE, or raise."""
    if b"<!DOCTYPE" in data[:4096]:
        raise _NotStreamable
    try:
        for _event, element in etree.iterparse(io.BytesIO(data), events=("start",), **SAFE_XML):
            tag = element.tag if isinstance(element.tag, str) else ""
            namespace = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
            if (
                _local(element) == "Document"
                and namespace.removeprefix(_NAMESPACE_PREFIX) in _VERSIONS
            ):
                return namespace
            break
    except etree.XMLSyntaxError:
        pass
    raise _NotStreamable


def _check_streaming(data: bytes, namespace: str, today: date | None) -> CheckReport:
    """Validate against the XSD while parsing and check each transaction as it ends, then
    forget it: memory stays flat however many transactions the file has. Raises
    :class:`_NotStreamable` at the first XSD error (the tree check then lists them all)."""
    version = namespace.removeprefix(_NAMESPACE_PREFIX)
    schema: SchemaName = "pain.001.001.09" if version == "pain.001.001.09" else "pain.001.001.03"
    checker = _Checker(namespace=namespace, version=schema, today=today)
    checker.check_version()
    tx_tag, pmt_inf_tag = f"{{{namespace}}}CdtTrfTxInf", f"{{{namespace}}}PmtInf"
    header: etree._Element | None = None
    pmt_index = tx_index = count = 0
    total = batch_total = Decimal(0)
    batch_levels: tuple[str | None, str | None] | None = None
    # lxml's iterparse with a schema stops silently at a truncated file: only the root's end
    # event proves the whole file was read.
    complete = False
    try:
        for event, element in etree.iterparse(
            io.BytesIO(data), events=("start", "end"), schema=load_schema(schema), **SAFE_XML
        ):
            tag = element.tag
            if event == "start":
                if tag == pmt_inf_tag:
                    pmt_index, tx_index, batch_total, batch_levels = (
                        pmt_index + 1,
                        0,
                        Decimal(0),
                        None,
                    )
                elif tag == tx_tag and batch_levels is None:
                    # The PmtInf's own elements precede its transactions and are complete now.
                    parent = element.getparent()
                    assert parent is not None
                    batch_levels = checker.check_pmt_inf_header(parent, f"PmtInf[{pmt_index}]")
                continue
            if tag == tx_tag:
                tx_index += 1
                assert batch_levels is not None
                batch_total += checker.check_transaction(
                    element, f"PmtInf[{pmt_index}]/CdtTrfTxInf[{tx_index}]", *batch_levels
                )
                # Forget checked transactions (the PmtInf's own elements stay for its totals).
                element.clear(keep_tail=True)
                parent = element.getparent()
                previous = element.getprevious()
                while parent is not None and previous is not None and previous.tag == tx_tag:
                    parent.remove(previous)
                    previous = element.getprevious()
            elif tag == pmt_inf_tag:
                where = f"PmtInf[{pmt_index}]"
                if batch_levels is None:
                    checker.check_pmt_inf_header(element, where)
                checker.check_totals(element, where, tx_index, batch_total)
                count, total = count + tx_index, total + batch_total
                element.clear(keep_tail=True)
            elif tag == f"{{{namespace}}}GrpHdr":
                header = element
                checker.check_group_header(header)
            elif element.getparent() is None:
                complete = True
    except etree.XMLSyntaxError:
        raise _NotStreamable from None
    if not complete:
        raise _NotStreamable  # the tree check names the line and column
    if header is not None:
        checker.check_totals(header, "GrpHdr", count, total)
    return CheckReport(version, tuple(checker.problems), count)


def check_pain001(data: bytes, *, today: date | None = None) -> CheckReport:
    """Check a pain.001.001.03 or .09 file and report every problem found.

    ``today`` enables the "execution date in the past" check; pass None to skip it (for old
    sample files, or when checking a file's content rather than whether it can still be sent).
    Weekends and TARGET closing days are always reported.

    A file that is not XML, or not a pain.001.001.03/.09 document, gives a report with exactly
    one error (kind ``not-xml`` or ``namespace``).
    """
    try:
        return _check_streaming(data, _sniff(data), today)
    except _NotStreamable:
        # Not valid, or not a plain pain.001: the tree check reports every problem.
        return _check_tree(data, today)


def _check_tree(data: bytes, today: date | None) -> CheckReport:
    """The whole file as a tree: every XSD error with its place, then the bank rules."""
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as error:
        return CheckReport(
            None,
            (
                Problem(
                    "error",
                    f"regel {error.position[0]}",
                    "not-xml",
                    f"geen geldige XML op regel {error.position[0]}, kolom {error.position[1]} "
                    f"({re.sub(r', line [0-9]+, column [0-9]+$', '', error.msg)})",
                ),
            ),
        )
    tag = root.tag if isinstance(root.tag, str) else ""
    namespace = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
    version = namespace.removeprefix(_NAMESPACE_PREFIX)
    if _local(root) != "Document" or version not in _VERSIONS:
        shown = namespace or "geen namespace"
        return CheckReport(
            None,
            (
                Problem(
                    "error",
                    "Document",
                    "namespace",
                    f"geen pain.001.001.03- of pain.001.001.09-Document (root {_local(root)!r}, "
                    f"namespace {shown!r})",
                ),
            ),
        )
    doctype: str = getattr(root.getroottree().docinfo, "doctype", "")  # not in lxml-stubs
    if doctype:
        # Bank files never have a DTD; entities in one are not expanded (on purpose).
        return CheckReport(
            version,
            (
                Problem(
                    "error",
                    "Document",
                    "doctype",
                    "het bestand heeft een DOCTYPE-declaratie; die hoort niet in een pain.001",
                ),
            ),
        )
    schema: SchemaName = "pain.001.001.09" if version == "pain.001.001.09" else "pain.001.001.03"
    tree = root.getroottree()
    problems: list[Problem] = []
    for line, path, message in schema_errors(tree, schema):
        where = f"regel {line}"
        try:
            found = tree.xpath(path) if path else []
        except etree.XPathError:
            found = []
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            where = _nice_path(found[0])
        problems.append(Problem("error", where, "xsd", f"regel {line}: XSD: {message}"))
    checker = _Checker(namespace=namespace, version=schema, today=today, problems=problems)
    count = checker.run(root)
    return CheckReport(version, tuple(checker.problems), count)
