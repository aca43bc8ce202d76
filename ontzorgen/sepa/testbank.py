# SPDX-License-Identifier: EUPL-1.2
"""A test bank: it reads one of our pain.001 files and writes what a Dutch bank sends back.

It lives in the product, not only in the tests, because the demo (``make run``) and a
gemeente's acceptance environment need bank answers too; the tests import it as
``tests.bank.testbank``. Never point it at a real bank's files: it only writes them.

It imitates a Dutch bank that executes a pain.001 with ``BtchBookg`` true (the default when the
element is absent), as the bank feedback rules of the team's SEPA notes describe:

- **camt.053** (:func:`camt053`, the day statement): per ``PmtInf`` one booked DBIT ``Ntry``
  for the whole batch (``NtryDtls/Btch`` with ``MsgId``, ``PmtInfId``, ``NbOfTxs``,
  ``TtlAmt``) and, if asked, one ``TxDtls`` per payment with its ``EndToEndId``. A payment the
  bank rejected is not in the booking (it was never debited); a batch of only rejected
  payments is not booked at all. A returned payment was debited with its batch and comes back
  as its own CRDT entry (``RtrInf/Rsn/Cd``, the original ``EndToEndId`` and creditor). Money
  that has nothing to do with the file (a refund) comes in as a CRDT entry too. Opening and
  closing balance and the transaction summary add up.
- **camt.054** (:func:`camt054`, the notification): the same entries, with the same
  ``AcctSvcrRef``, so that an import can see one booking in both files.
- **pain.002** (:func:`pain002`, the status report): group, batch and transaction status,
  with a reason code for every rejected payment.

A batch with ``BtchBookg`` false is booked one entry per payment, as banks do.

Everything is deterministic: the bank's references and file ids are hashes of the input, and
times derive from the dates given, so the same call gives the same bytes. A reject or return
for an ``EndToEndId`` that is not in the file raises :class:`ValueError`: a test bank that
ignored a typo would hide the mistake in the test.

Amounts are integer cents throughout; the pain.001 is read with :class:`decimal.Decimal` and
written back with integer arithmetic.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Final, Literal

from lxml import etree

from ontzorgen.sepa.schemas import safe_parser

__all__ = [
    "Batch",
    "Camt053Version",
    "Camt054Version",
    "Credit",
    "CreditorReference",
    "Order",
    "Pain002Version",
    "Payment",
    "PaymentRemittance",
    "amount_text",
    "camt053",
    "camt054",
    "pain002",
    "read_pain001",
]

Camt053Version = Literal["camt.053.001.02", "camt.053.001.04", "camt.053.001.08"]
Camt054Version = Literal["camt.054.001.02", "camt.054.001.04", "camt.054.001.08"]
Pain002Version = Literal["pain.002.001.10", "pain.002.001.11", "pain.002.001.03"]
Direction = Literal["CRDT", "DBIT"]

_NAMESPACE_PREFIX: Final = "urn:iso:std:iso:20022:tech:xsd:"
_REASON_CODE: Final = re.compile(r"[A-Z0-9]{4}")
_CCY: Final = "EUR"
# The bank writes its statement at the end of the booking day.
_STATEMENT_TIME: Final = time(18, 0)


# -- what the pain.001 says ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CreditorReference:
    """One ``Strd/CdtrRefInf`` (a betalingskenmerk or RF reference)."""

    ref: str
    code: str | None = None  # Tp/CdOrPrtry/Cd, e.g. SCOR
    proprietary: str | None = None  # Tp/CdOrPrtry/Prtry
    issuer: str | None = None  # Tp/Issr, e.g. CUR


@dataclass(frozen=True, slots=True)
class PaymentRemittance:
    """``RmtInf`` as the pain.001 has it: free text lines and creditor references."""

    unstructured: tuple[str, ...] = ()
    structured: tuple[CreditorReference, ...] = ()


@dataclass(frozen=True, slots=True)
class Payment:
    """One ``CdtTrfTxInf``."""

    end_to_end_id: str
    amount_cents: int
    creditor_name: str | None
    creditor_iban: str
    remittance: PaymentRemittance
    instruction_id: str | None = None
    uetr: str | None = None


@dataclass(frozen=True, slots=True)
class Batch:
    """One ``PmtInf``."""

    pmt_inf_id: str
    execution_date: date
    batch_booking: bool
    debtor_name: str | None
    debtor_iban: str
    payments: tuple[Payment, ...]


@dataclass(frozen=True, slots=True)
class Order:
    """A whole pain.001 file."""

    version: str  # e.g. "pain.001.001.09", from the namespace
    msg_id: str
    created_at: str  # GrpHdr/CreDtTm as written
    nb_of_txs: int
    ctrl_sum_cents: int
    batches: tuple[Batch, ...]

    @property
    def payments(self) -> tuple[Payment, ...]:
        """Every payment of every batch, in file order."""
        return tuple(payment for batch in self.batches for payment in batch.payments)

    @property
    def debtor_iban(self) -> str:
        """The one account every batch is paid from."""
        ibans = {batch.debtor_iban for batch in self.batches}
        if len(ibans) != 1:
            raise ValueError(f"the pain.001 pays from {len(ibans)} accounts; give account_iban")
        return ibans.pop()

    @property
    def debtor_name(self) -> str | None:
        """The name of the first batch's debtor (the account owner)."""
        return self.batches[0].debtor_name if self.batches else None


@dataclass(frozen=True, slots=True)
class Credit:
    """Money that comes in and has nothing to do with the pain.001 (a refund, a deposit)."""

    amount_cents: int
    debtor_name: str
    debtor_iban: str
    remittance: str
    booking_date: date | None = None  # None: the statement's booking date
    acct_svcr_ref: str | None = None  # None: derived from the other fields

    def __post_init__(self) -> None:
        if not isinstance(self.amount_cents, int) or isinstance(self.amount_cents, bool):
            raise TypeError("Credit.amount_cents must be integer cents")
        if self.amount_cents <= 0:
            raise ValueError("Credit.amount_cents must be positive")
        if not self.debtor_name or not self.debtor_iban or not self.remittance:
            raise ValueError("Credit needs a debtor name, a debtor IBAN and a remittance")


# -- reading the pain.001 ------------------------------------------------------------------------
def _text(parent: etree._Element, path: str) -> str | None:
    element = parent.find(path)
    if element is None or element.text is None or not element.text.strip():
        return None
    return element.text.strip()


def _required(parent: etree._Element, path: str, where: str) -> str:
    value = _text(parent, path)
    if value is None:
        raise ValueError(f"{where}: missing {path.replace('{*}', '')}")
    return value


def _cents(text: str, where: str) -> int:
    """Exact cents from decimal text; a fraction of a cent is an error, never rounded."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{where}: not an amount") from None
    cents = value * 100
    if not value.is_finite() or cents != cents.to_integral_value() or value < 0:
        raise ValueError(f"{where}: not a whole number of cents")
    return int(cents)


def amount_text(cents: int) -> str:
    """Non-negative cents as ISO 20022 amount text: 71245 → ``"712.45"``."""
    if cents < 0:
        raise ValueError("an amount in a bank file is never negative")
    whole, rest = divmod(cents, 100)
    return f"{whole}.{rest:02d}"


def _execution_date(pmt_inf: etree._Element, where: str) -> date:
    # .09 nests Dt (or DtTm) in ReqdExctnDt; .03 has the date itself.
    element = pmt_inf.find("{*}ReqdExctnDt")
    if element is None:
        raise ValueError(f"{where}: missing ReqdExctnDt")
    text = _text(element, "{*}Dt") or _text(element, "{*}DtTm") or (element.text or "").strip()
    return date.fromisoformat(text[:10])


def _remittance(tx: etree._Element) -> PaymentRemittance:
    unstructured = tuple(
        (element.text or "").strip() for element in tx.iterfind("{*}RmtInf/{*}Ustrd")
    )
    structured = tuple(
        CreditorReference(
            ref=_required(info, "{*}Ref", "CdtrRefInf"),
            code=_text(info, "{*}Tp/{*}CdOrPrtry/{*}Cd"),
            proprietary=_text(info, "{*}Tp/{*}CdOrPrtry/{*}Prtry"),
            issuer=_text(info, "{*}Tp/{*}Issr"),
        )
        for info in tx.iterfind("{*}RmtInf/{*}Strd/{*}CdtrRefInf")
    )
    return PaymentRemittance(unstructured=unstructured, structured=structured)


def _payment(tx: etree._Element, pmt_inf_id: str) -> Payment:
    end_to_end_id = _required(tx, "{*}PmtId/{*}EndToEndId", f"PmtInfId {pmt_inf_id}")
    where = f"EndToEndId {end_to_end_id}"
    amount = tx.find("{*}Amt/{*}InstdAmt")
    if amount is None or amount.text is None:
        raise ValueError(f"{where}: missing Amt/InstdAmt")
    if amount.get("Ccy") != _CCY:
        raise ValueError(f"{where}: the test bank books euros only")
    return Payment(
        end_to_end_id=end_to_end_id,
        amount_cents=_cents(amount.text, where),
        creditor_name=_text(tx, "{*}Cdtr/{*}Nm"),
        creditor_iban=_required(tx, "{*}CdtrAcct/{*}Id/{*}IBAN", where),
        remittance=_remittance(tx),
        instruction_id=_text(tx, "{*}PmtId/{*}InstrId"),
        uetr=_text(tx, "{*}PmtId/{*}UETR"),
    )


def _batch(pmt_inf: etree._Element) -> Batch:
    pmt_inf_id = _required(pmt_inf, "{*}PmtInfId", "PmtInf")
    where = f"PmtInfId {pmt_inf_id}"
    # Without BtchBookg a Dutch bank books the batch as one entry.
    batch_booking = (_text(pmt_inf, "{*}BtchBookg") or "true") in ("true", "1")
    return Batch(
        pmt_inf_id=pmt_inf_id,
        execution_date=_execution_date(pmt_inf, where),
        batch_booking=batch_booking,
        debtor_name=_text(pmt_inf, "{*}Dbtr/{*}Nm"),
        debtor_iban=_required(pmt_inf, "{*}DbtrAcct/{*}Id/{*}IBAN", where),
        payments=tuple(_payment(tx, pmt_inf_id) for tx in pmt_inf.iterfind("{*}CdtTrfTxInf")),
    )


def read_pain001(data: bytes) -> Order:
    """What the bank reads from a pain.001 (.001.001.09 or .03), by local element names."""
    root = etree.fromstring(data, parser=safe_parser())
    namespace = etree.QName(root).namespace or ""
    version = namespace.removeprefix(_NAMESPACE_PREFIX)
    if not version.startswith("pain.001."):
        raise ValueError(f"not a pain.001 file: namespace {namespace!r}")
    initiation = root.find("{*}CstmrCdtTrfInitn")
    if initiation is None:
        raise ValueError("not a pain.001 file: no CstmrCdtTrfInitn")
    header = initiation.find("{*}GrpHdr")
    if header is None:
        raise ValueError("GrpHdr missing")
    batches = tuple(_batch(pmt_inf) for pmt_inf in initiation.iterfind("{*}PmtInf"))
    ctrl_sum = _text(header, "{*}CtrlSum")
    ctrl_sum_cents = (
        _cents(ctrl_sum, "GrpHdr/CtrlSum")
        if ctrl_sum is not None
        else sum(p.amount_cents for b in batches for p in b.payments)
    )
    return Order(
        version=version,
        msg_id=_required(header, "{*}MsgId", "GrpHdr"),
        created_at=_required(header, "{*}CreDtTm", "GrpHdr"),
        nb_of_txs=int(_required(header, "{*}NbOfTxs", "GrpHdr")),
        ctrl_sum_cents=ctrl_sum_cents,
        batches=batches,
    )


# -- choosing what happens to which payment ------------------------------------------------------
def _check_selection(order: Order, **selections: Mapping[str, str]) -> None:
    """Every EndToEndId must be in the file, once; reason codes must look like ISO codes."""
    counts: dict[str, int] = {}
    for payment in order.payments:
        counts[payment.end_to_end_id] = counts.get(payment.end_to_end_id, 0) + 1
    seen: dict[str, str] = {}
    for name, selection in selections.items():
        unknown = sorted(set(selection) - set(counts))
        if unknown:
            raise ValueError(f"{name}: EndToEndId not in the pain.001: {', '.join(unknown)}")
        ambiguous = sorted(e2e for e2e in selection if counts[e2e] > 1)
        if ambiguous:
            raise ValueError(f"{name}: EndToEndId occurs more than once: {', '.join(ambiguous)}")
        for e2e, reason in selection.items():
            if not _REASON_CODE.fullmatch(reason):
                raise ValueError(f"{name}: reason for {e2e} is not a 4-character code")
            if e2e in seen:
                raise ValueError(f"EndToEndId {e2e} is both in {seen[e2e]} and in {name}")
            seen[e2e] = name


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest().upper()


def _batch_ref(order: Order, batch: Batch) -> str:
    """The bank's reference of a batch booking: the same in every file that shows it."""
    return f"TB{_digest('BTCH', order.msg_id, batch.pmt_inf_id)[:24]}"


def _single_ref(order: Order, batch: Batch, payment: Payment) -> str:
    return f"TB{_digest('SNGL', order.msg_id, batch.pmt_inf_id, payment.end_to_end_id)[:24]}"


def _return_ref(order: Order, payment: Payment) -> str:
    return f"TB{_digest('RTRN', order.msg_id, payment.end_to_end_id)[:24]}"


def _credit_ref(credit: Credit, day: date) -> str:
    if credit.acct_svcr_ref is not None:
        return credit.acct_svcr_ref
    fields = (credit.amount_cents, credit.debtor_name, credit.debtor_iban, credit.remittance, day)
    return f"TB{_digest('CRDT', *fields)[:24]}"


# -- the entries, as data ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Counterparty:
    role: Literal["Cdtr", "Dbtr"]
    name: str | None
    iban: str


@dataclass(frozen=True, slots=True)
class _Tx:
    amount_cents: int
    direction: Direction
    counterparty: _Counterparty
    remittance: PaymentRemittance
    end_to_end_id: str | None = None
    msg_id: str | None = None
    pmt_inf_id: str | None = None
    instruction_id: str | None = None
    uetr: str | None = None
    return_reason: str | None = None


@dataclass(frozen=True, slots=True)
class _BatchInfo:
    msg_id: str
    pmt_inf_id: str
    nb_of_txs: int
    ttl_amt_cents: int


@dataclass(frozen=True, slots=True)
class _Entry:
    amount_cents: int
    direction: Direction
    booking_date: date
    acct_svcr_ref: str
    family: tuple[str, str]  # BkTxCd Domn/Fmly Cd and SubFmlyCd, in domain PMNT
    batch: _BatchInfo | None
    transactions: tuple[_Tx, ...]

    @property
    def signed_cents(self) -> int:
        return self.amount_cents if self.direction == "CRDT" else -self.amount_cents


def _paid_tx(order: Order, batch: Batch, payment: Payment) -> _Tx:
    return _Tx(
        amount_cents=payment.amount_cents,
        direction="DBIT",
        counterparty=_Counterparty("Cdtr", payment.creditor_name, payment.creditor_iban),
        remittance=payment.remittance,
        end_to_end_id=payment.end_to_end_id,
        msg_id=order.msg_id,
        pmt_inf_id=batch.pmt_inf_id,
        instruction_id=payment.instruction_id,
        uetr=payment.uetr,
    )


def _debit_entries(
    order: Order,
    rejected: Mapping[str, str],
    day: date,
    with_tx_details: bool,
    pmt_inf_ids: Collection[str] | None,
) -> list[_Entry]:
    """The bookings of the file: one per batch (BtchBookg), else one per payment."""
    entries: list[_Entry] = []
    for batch in order.batches:
        if pmt_inf_ids is not None and batch.pmt_inf_id not in pmt_inf_ids:
            continue
        paid = [p for p in batch.payments if p.end_to_end_id not in rejected]
        if not paid:
            continue  # nothing was debited, so nothing is booked
        if not batch.batch_booking:
            entries.extend(
                _Entry(
                    amount_cents=payment.amount_cents,
                    direction="DBIT",
                    booking_date=day,
                    acct_svcr_ref=_single_ref(order, batch, payment),
                    family=("ICDT", "ESCT"),
                    batch=None,
                    transactions=(_paid_tx(order, batch, payment),),
                )
                for payment in paid
            )
            continue
        total = sum(payment.amount_cents for payment in paid)
        entries.append(
            _Entry(
                amount_cents=total,
                direction="DBIT",
                booking_date=day,
                acct_svcr_ref=_batch_ref(order, batch),
                family=("ICDT", "ESCT"),
                batch=_BatchInfo(order.msg_id, batch.pmt_inf_id, len(paid), total),
                transactions=(
                    tuple(_paid_tx(order, batch, payment) for payment in paid)
                    if with_tx_details
                    else ()
                ),
            )
        )
    return entries


def _return_entries(order: Order, returned: Mapping[str, str], day: date) -> list[_Entry]:
    """A returned payment comes back as its own credit, with the reason and the original ids."""
    entries: list[_Entry] = []
    for payment in order.payments:
        reason = returned.get(payment.end_to_end_id)
        if reason is None:
            continue
        tx = _Tx(
            amount_cents=payment.amount_cents,
            direction="CRDT",
            counterparty=_Counterparty("Cdtr", payment.creditor_name, payment.creditor_iban),
            remittance=payment.remittance,
            end_to_end_id=payment.end_to_end_id,
            uetr=payment.uetr,
            return_reason=reason,
        )
        entries.append(
            _Entry(
                amount_cents=payment.amount_cents,
                direction="CRDT",
                booking_date=day,
                acct_svcr_ref=_return_ref(order, payment),
                family=("ICDT", "RRTN"),
                batch=None,
                transactions=(tx,),
            )
        )
    return entries


def _credit_entries(credits: Sequence[Credit], day: date) -> list[_Entry]:
    entries: list[_Entry] = []
    for credit in credits:
        booked = credit.booking_date or day
        tx = _Tx(
            amount_cents=credit.amount_cents,
            direction="CRDT",
            counterparty=_Counterparty("Dbtr", credit.debtor_name, credit.debtor_iban),
            remittance=PaymentRemittance(unstructured=(credit.remittance,)),
        )
        entries.append(
            _Entry(
                amount_cents=credit.amount_cents,
                direction="CRDT",
                booking_date=booked,
                acct_svcr_ref=_credit_ref(credit, booked),
                family=("RCDT", "ESCT"),
                batch=None,
                transactions=(tx,),
            )
        )
    return entries


def _entries(
    order: Order,
    *,
    day: date,
    rejected: Mapping[str, str],
    returned: Mapping[str, str],
    booked: bool,
    pmt_inf_ids: Collection[str] | None,
    with_tx_details: bool,
    extra_credits: Sequence[Credit],
) -> list[_Entry]:
    _check_selection(order, rejected=rejected, returned=returned)
    if pmt_inf_ids is not None:
        unknown = sorted(set(pmt_inf_ids) - {batch.pmt_inf_id for batch in order.batches})
        if unknown:
            raise ValueError(f"pmt_inf_ids: PmtInfId not in the pain.001: {', '.join(unknown)}")
    entries = _debit_entries(order, rejected, day, with_tx_details, pmt_inf_ids) if booked else []
    entries += _return_entries(order, returned, day)
    entries += _credit_entries(extra_credits, day)
    refs = [entry.acct_svcr_ref for entry in entries]
    if len(set(refs)) != len(refs):
        raise ValueError("two entries would get the same AcctSvcrRef; give Credit.acct_svcr_ref")
    return entries


# -- writing XML ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Camt:
    """What differs between the camt versions the test bank writes."""

    namespace: str
    status_code: bool  # Ntry/Sts/Cd (.08) instead of Ntry/Sts
    party_choice: bool  # RltdPties/Cdtr/Pty/Nm (.08) instead of Cdtr/Nm
    tx_amount: bool  # TxDtls/Amt and CdtDbtInd (.04, .08); .02 has only AmtDtls
    net_entry: bool  # TxsSummry/TtlNtries/TtlNetNtry/Amt (.04, .08) instead of TtlNetNtryAmt
    uetr: bool  # Refs/UETR exists (.08)

    @classmethod
    def of(cls, version: str) -> _Camt:
        revision = version.rsplit(".", 1)[-1]
        if version[:9] not in ("camt.053.", "camt.054.") or revision not in ("02", "04", "08"):
            raise ValueError(f"unsupported version {version!r}")
        late = revision == "08"
        return cls(
            namespace=_NAMESPACE_PREFIX + version,
            status_code=late,
            party_choice=late,
            tx_amount=revision != "02",
            net_entry=revision != "02",
            uetr=late,
        )


class _Xml:
    """Namespaced element building: ``sub(parent, "A/B/C", text)`` makes the chain."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def root(self, tag: str) -> etree._Element:
        nsmap = {None: self.namespace}  # the default namespace, as banks write it
        return etree.Element(f"{{{self.namespace}}}{tag}", nsmap=nsmap)  # type: ignore[arg-type]

    def sub(self, parent: etree._Element, path: str, text: str | None = None) -> etree._Element:
        for tag in path.split("/"):
            parent = etree.SubElement(parent, f"{{{self.namespace}}}{tag}")
        if text is not None:
            parent.text = text
        return parent

    def amount(self, parent: etree._Element, path: str, cents: int) -> etree._Element:
        element = self.sub(parent, path, amount_text(cents))
        element.set("Ccy", _CCY)
        return element

    @staticmethod
    def serialize(root: etree._Element) -> bytes:
        body = etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _remittance_xml(x: _Xml, parent: etree._Element, remittance: PaymentRemittance) -> None:
    if not remittance.unstructured and not remittance.structured:
        return
    rmt_inf = x.sub(parent, "RmtInf")
    for line in remittance.unstructured:
        x.sub(rmt_inf, "Ustrd", line)
    for reference in remittance.structured:
        info = x.sub(rmt_inf, "Strd/CdtrRefInf")
        if reference.code is not None or reference.proprietary is not None:
            kind = x.sub(info, "Tp")
            if reference.code is not None:
                x.sub(kind, "CdOrPrtry/Cd", reference.code)
            else:
                x.sub(kind, "CdOrPrtry/Prtry", reference.proprietary)
            if reference.issuer is not None:
                x.sub(kind, "Issr", reference.issuer)
        x.sub(info, "Ref", reference.ref)


def _party_name(x: _Xml, parent: etree._Element, role: str, name: str | None, choice: bool) -> None:
    party = x.sub(parent, role)
    if name is not None:
        x.sub(party, "Pty/Nm" if choice else "Nm", name)


def _refs_xml(x: _Xml, camt: _Camt, parent: etree._Element, tx: _Tx) -> None:
    values = (
        ("MsgId", tx.msg_id),
        ("PmtInfId", tx.pmt_inf_id),
        ("InstrId", tx.instruction_id),
        ("EndToEndId", tx.end_to_end_id),
        ("UETR", tx.uetr if camt.uetr else None),
    )
    if not any(value for _, value in values):
        return
    refs = x.sub(parent, "Refs")
    for tag, value in values:
        if value is not None:
            x.sub(refs, tag, value)


def _related_parties_xml(x: _Xml, camt: _Camt, parent: etree._Element, tx: _Tx) -> None:
    party = tx.counterparty
    related = x.sub(parent, "RltdPties")
    _party_name(x, related, party.role, party.name, camt.party_choice)
    x.sub(related, f"{party.role}Acct/Id/IBAN", party.iban)


def _tx_details_xml(x: _Xml, camt: _Camt, parent: etree._Element, tx: _Tx) -> None:
    details = x.sub(parent, "TxDtls")
    _refs_xml(x, camt, details, tx)
    if camt.tx_amount:
        x.amount(details, "Amt", tx.amount_cents)
        x.sub(details, "CdtDbtInd", tx.direction)
    x.amount(details, "AmtDtls/TxAmt/Amt", tx.amount_cents)
    _related_parties_xml(x, camt, details, tx)
    _remittance_xml(x, details, tx.remittance)
    if tx.return_reason is not None:
        x.sub(details, "RtrInf/Rsn/Cd", tx.return_reason)


def _batch_xml(x: _Xml, parent: etree._Element, batch: _BatchInfo) -> None:
    element = x.sub(parent, "Btch")
    x.sub(element, "MsgId", batch.msg_id)
    x.sub(element, "PmtInfId", batch.pmt_inf_id)
    x.sub(element, "NbOfTxs", str(batch.nb_of_txs))
    x.amount(element, "TtlAmt", batch.ttl_amt_cents)
    x.sub(element, "CdtDbtInd", "DBIT")


def _entry_xml(x: _Xml, camt: _Camt, parent: etree._Element, entry: _Entry) -> None:
    ntry = x.sub(parent, "Ntry")
    x.amount(ntry, "Amt", entry.amount_cents)
    x.sub(ntry, "CdtDbtInd", entry.direction)
    x.sub(ntry, "Sts/Cd" if camt.status_code else "Sts", "BOOK")
    x.sub(ntry, "BookgDt/Dt", entry.booking_date.isoformat())
    x.sub(ntry, "ValDt/Dt", entry.booking_date.isoformat())
    x.sub(ntry, "AcctSvcrRef", entry.acct_svcr_ref)
    domain = x.sub(ntry, "BkTxCd/Domn")
    x.sub(domain, "Cd", "PMNT")
    family = x.sub(domain, "Fmly")
    x.sub(family, "Cd", entry.family[0])
    x.sub(family, "SubFmlyCd", entry.family[1])
    if entry.batch is None and not entry.transactions:
        return
    details = x.sub(ntry, "NtryDtls")
    if entry.batch is not None:
        _batch_xml(x, details, entry.batch)
    for tx in entry.transactions:
        _tx_details_xml(x, camt, details, tx)


def _account_xml(x: _Xml, parent: etree._Element, iban: str, owner: str | None) -> None:
    account = x.sub(parent, "Acct")
    x.sub(account, "Id/IBAN", iban)
    x.sub(account, "Ccy", _CCY)
    if owner is not None:
        x.sub(account, "Ownr/Nm", owner)


def _balance_xml(x: _Xml, parent: etree._Element, code: str, cents: int, day: date) -> None:
    balance = x.sub(parent, "Bal")
    x.sub(balance, "Tp/CdOrPrtry/Cd", code)
    x.amount(balance, "Amt", abs(cents))
    x.sub(balance, "CdtDbtInd", "DBIT" if cents < 0 else "CRDT")
    x.sub(balance, "Dt/Dt", day.isoformat())


def _summary_xml(x: _Xml, camt: _Camt, parent: etree._Element, entries: list[_Entry]) -> None:
    credits = [entry.amount_cents for entry in entries if entry.direction == "CRDT"]
    debits = [entry.amount_cents for entry in entries if entry.direction == "DBIT"]
    net = sum(credits) - sum(debits)
    summary = x.sub(parent, "TxsSummry")
    total = x.sub(summary, "TtlNtries")
    x.sub(total, "NbOfNtries", str(len(entries)))
    x.sub(total, "Sum", amount_text(sum(credits) + sum(debits)))
    if camt.net_entry:
        net_entry = x.sub(total, "TtlNetNtry")
        x.sub(net_entry, "Amt", amount_text(abs(net)))
        x.sub(net_entry, "CdtDbtInd", "DBIT" if net < 0 else "CRDT")
    else:
        x.sub(total, "TtlNetNtryAmt", amount_text(abs(net)))
        x.sub(total, "CdtDbtInd", "DBIT" if net < 0 else "CRDT")
    for tag, amounts in (("TtlCdtNtries", credits), ("TtlDbtNtries", debits)):
        group = x.sub(summary, tag)
        x.sub(group, "NbOfNtries", str(len(amounts)))
        x.sub(group, "Sum", amount_text(sum(amounts)))


def _group_header_xml(x: _Xml, parent: etree._Element, msg_id: str, created: str) -> None:
    header = x.sub(parent, "GrpHdr")
    x.sub(header, "MsgId", msg_id)
    x.sub(header, "CreDtTm", created)
    pagination = x.sub(header, "MsgPgntn")
    x.sub(pagination, "PgNb", "1")
    x.sub(pagination, "LastPgInd", "true")


def _file_id(kind: str, *parts: object) -> str:
    return f"TB-{kind}-{_digest(kind, *parts)[:20]}"


def _selection_key(selection: Mapping[str, str]) -> str:
    return ";".join(f"{key}={value}" for key, value in sorted(selection.items()))


def _credits_key(credits: Iterable[Credit]) -> str:
    return ";".join(repr(credit) for credit in credits)


# -- camt.053 ------------------------------------------------------------------------------------
def camt053(
    pain001: bytes,
    *,
    version: Camt053Version = "camt.053.001.02",
    booking_date: date,
    rejected: Mapping[str, str] | None = None,
    returned: Mapping[str, str] | None = None,
    with_tx_details: bool = True,
    extra_credits: Sequence[Credit] = (),
    account_iban: str | None = None,
    statement_id: str | None = None,
    opening_balance_cents: int = 0,
    booked: bool = True,
    pmt_inf_ids: Collection[str] | None = None,
) -> bytes:
    """The day statement of the debtor account after the bank executed ``pain001``.

    ``rejected`` and ``returned`` map an EndToEndId to a reason code (``"AC04"``). A rejected
    payment is left out of its batch booking; a returned one is in it and comes back as a
    CRDT entry. ``opening_balance_cents`` may be negative (an overdrawn account).

    A statement of a later day, with only the returns, is ``booked=False``; batches with other
    execution dates can be booked on their own day with ``pmt_inf_ids`` (default: all).
    """
    camt = _Camt.of(version)
    if not version.startswith("camt.053."):
        raise ValueError(f"camt053 writes camt.053, not {version!r}")
    order = read_pain001(pain001)
    rejected, returned = rejected or {}, returned or {}
    entries = _entries(
        order,
        day=booking_date,
        rejected=rejected,
        returned=returned,
        booked=booked,
        pmt_inf_ids=pmt_inf_ids,
        with_tx_details=with_tx_details,
        extra_credits=extra_credits,
    )
    iban = account_iban or order.debtor_iban
    key = (
        version,
        order.msg_id,
        booking_date,
        _selection_key(rejected),
        _selection_key(returned),
        with_tx_details,
        _credits_key(extra_credits),
        iban,
        opening_balance_cents,
        booked,
        sorted(pmt_inf_ids or ()),
    )
    ident = statement_id or _file_id("STMT", *key)
    created = datetime.combine(booking_date, _STATEMENT_TIME).isoformat()
    closing = opening_balance_cents + sum(entry.signed_cents for entry in entries)

    x = _Xml(camt.namespace)
    document = x.root("Document")
    message = x.sub(document, "BkToCstmrStmt")
    _group_header_xml(x, message, _file_id("053", ident), created)
    statement = x.sub(message, "Stmt")
    x.sub(statement, "Id", ident)
    x.sub(statement, "CreDtTm", created)
    _account_xml(x, statement, iban, order.debtor_name)
    _balance_xml(x, statement, "OPBD", opening_balance_cents, booking_date)
    _balance_xml(x, statement, "CLBD", closing, booking_date)
    _summary_xml(x, camt, statement, entries)
    for entry in entries:
        _entry_xml(x, camt, statement, entry)
    return x.serialize(document)


# -- camt.054 ------------------------------------------------------------------------------------
def camt054(
    pain001: bytes,
    *,
    version: Camt054Version = "camt.054.001.02",
    booking_date: date,
    returned: Mapping[str, str] | None = None,
    booked: bool = False,
    rejected: Mapping[str, str] | None = None,
    with_tx_details: bool = True,
    extra_credits: Sequence[Credit] = (),
    account_iban: str | None = None,
    notification_id: str | None = None,
    pmt_inf_ids: Collection[str] | None = None,
) -> bytes:
    """A debit/credit notification: the returns of ``pain001``, and its bookings if ``booked``.

    Every entry has the same ``AcctSvcrRef`` as in the :func:`camt053` of the same input, so
    one booking can be told apart from two. ``rejected`` and ``pmt_inf_ids`` only matter with
    ``booked``.
    """
    camt = _Camt.of(version)
    if not version.startswith("camt.054."):
        raise ValueError(f"camt054 writes camt.054, not {version!r}")
    order = read_pain001(pain001)
    rejected, returned = rejected or {}, returned or {}
    entries = _entries(
        order,
        day=booking_date,
        rejected=rejected,
        returned=returned,
        booked=booked,
        pmt_inf_ids=pmt_inf_ids,
        with_tx_details=with_tx_details,
        extra_credits=extra_credits,
    )
    iban = account_iban or order.debtor_iban
    key = (
        version,
        order.msg_id,
        booking_date,
        _selection_key(rejected),
        _selection_key(returned),
        booked,
        with_tx_details,
        _credits_key(extra_credits),
        iban,
        sorted(pmt_inf_ids or ()),
    )
    ident = notification_id or _file_id("NTFC", *key)
    created = datetime.combine(booking_date, _STATEMENT_TIME).isoformat()

    x = _Xml(camt.namespace)
    document = x.root("Document")
    message = x.sub(document, "BkToCstmrDbtCdtNtfctn")
    _group_header_xml(x, message, _file_id("054", ident), created)
    notification = x.sub(message, "Ntfctn")
    x.sub(notification, "Id", ident)
    x.sub(notification, "CreDtTm", created)
    _account_xml(x, notification, iban, order.debtor_name)
    for entry in entries:
        _entry_xml(x, camt, notification, entry)
    return x.serialize(document)


# -- pain.002 ------------------------------------------------------------------------------------
def _status(total: int, rejects: int, accepted: str) -> str:
    if rejects == 0:
        return accepted
    return "RJCT" if rejects == total else "PART"


def _original_tx_ref_xml(
    x: _Xml, parent: etree._Element, batch: Batch, payment: Payment, modern: bool
) -> None:
    # Element order of OriginalTransactionReference: Amt, ReqdExctnDt, RmtInf, Cdtr, CdtrAcct.
    reference = x.sub(parent, "OrgnlTxRef")
    x.amount(reference, "Amt/InstdAmt", payment.amount_cents)
    execution = batch.execution_date.isoformat()
    x.sub(reference, "ReqdExctnDt/Dt" if modern else "ReqdExctnDt", execution)
    _remittance_xml(x, reference, payment.remittance)
    _party_name(x, reference, "Cdtr", payment.creditor_name, modern)
    x.sub(reference, "CdtrAcct/Id/IBAN", payment.creditor_iban)


def _tx_status_xml(
    x: _Xml,
    parent: etree._Element,
    batch: Batch,
    payment: Payment,
    status: str,
    reason: str | None,
    modern: bool,
) -> None:
    element = x.sub(parent, "TxInfAndSts")
    x.sub(element, "StsId", f"TB{_digest('STS', batch.pmt_inf_id, payment.end_to_end_id)[:24]}")
    if payment.instruction_id is not None:
        x.sub(element, "OrgnlInstrId", payment.instruction_id)
    x.sub(element, "OrgnlEndToEndId", payment.end_to_end_id)
    if modern and payment.uetr is not None:
        x.sub(element, "OrgnlUETR", payment.uetr)
    x.sub(element, "TxSts", status)
    if reason is not None:
        x.sub(element, "StsRsnInf/Rsn/Cd", reason)
    _original_tx_ref_xml(x, element, batch, payment, modern)


def _batch_status_xml(
    x: _Xml,
    parent: etree._Element,
    batch: Batch,
    rejected: Mapping[str, str],
    accepted_status: str,
    only_rejects: bool,
    modern: bool,
) -> None:
    element = x.sub(parent, "OrgnlPmtInfAndSts")
    x.sub(element, "OrgnlPmtInfId", batch.pmt_inf_id)
    x.sub(element, "OrgnlNbOfTxs", str(len(batch.payments)))
    x.sub(element, "OrgnlCtrlSum", amount_text(sum(p.amount_cents for p in batch.payments)))
    rejects = sum(1 for p in batch.payments if p.end_to_end_id in rejected)
    x.sub(element, "PmtInfSts", _status(len(batch.payments), rejects, accepted_status))
    for payment in batch.payments:
        reason = rejected.get(payment.end_to_end_id)
        if reason is None and only_rejects:
            continue
        status = "RJCT" if reason is not None else accepted_status
        _tx_status_xml(x, element, batch, payment, status, reason, modern)


def _original_group_xml(
    x: _Xml, parent: etree._Element, order: Order, status: str, reason: str | None
) -> None:
    element = x.sub(parent, "OrgnlGrpInfAndSts")
    x.sub(element, "OrgnlMsgId", order.msg_id)
    x.sub(element, "OrgnlMsgNmId", order.version)
    x.sub(element, "OrgnlNbOfTxs", str(order.nb_of_txs))
    x.sub(element, "OrgnlCtrlSum", amount_text(order.ctrl_sum_cents))
    x.sub(element, "GrpSts", status)
    if reason is not None:
        x.sub(element, "StsRsnInf/Rsn/Cd", reason)


def pain002(
    pain001: bytes,
    *,
    version: Pain002Version = "pain.002.001.10",
    rejected: Mapping[str, str] | None = None,
    accepted: bool = True,
    only_rejects: bool = False,
    group_status: str | None = None,
    accepted_status: Literal["ACCP", "ACSC", "ACTC"] = "ACCP",
    file_reason: str = "FF01",
    created_at: datetime | None = None,
) -> bytes:
    """The status report on ``pain001``.

    ``rejected`` maps an EndToEndId to its reason code. The group and batch statuses follow:
    ``accepted_status`` when nothing is rejected, ``PART`` when some are, ``RJCT`` when all
    are; ``group_status`` overrides the group's. Every payment gets a ``TxInfAndSts`` unless
    ``only_rejects``. ``accepted=False`` is a bank that refuses the whole file: group status
    ``RJCT`` with ``file_reason`` and no batch details. ``created_at`` defaults to an hour
    after the pain.001 was created.
    """
    if version not in ("pain.002.001.10", "pain.002.001.11", "pain.002.001.03"):
        raise ValueError(f"unsupported version {version!r}")
    modern = version != "pain.002.001.03"
    order = read_pain001(pain001)
    rejected = rejected or {}
    _check_selection(order, rejected=rejected)
    if not accepted and rejected:
        raise ValueError("a refused file has no payments to reject one by one")
    if not _REASON_CODE.fullmatch(file_reason):
        raise ValueError("file_reason is not a 4-character code")
    created = created_at or datetime.fromisoformat(order.created_at) + timedelta(hours=1)
    total = len(order.payments)
    computed = _status(total, len(rejected), accepted_status) if accepted else "RJCT"
    key = (
        version,
        order.msg_id,
        _selection_key(rejected),
        accepted,
        only_rejects,
        group_status,
        accepted_status,
        file_reason,
        created.isoformat(),
    )

    x = _Xml(_NAMESPACE_PREFIX + version)
    document = x.root("Document")
    report = x.sub(document, "CstmrPmtStsRpt")
    header = x.sub(report, "GrpHdr")
    x.sub(header, "MsgId", _file_id("002", *key))
    x.sub(header, "CreDtTm", created.isoformat(timespec="seconds"))
    _original_group_xml(
        x, report, order, group_status or computed, None if accepted else file_reason
    )
    if accepted:
        for batch in order.batches:
            _batch_status_xml(x, report, batch, rejected, accepted_status, only_rejects, modern)
    return x.serialize(document)
