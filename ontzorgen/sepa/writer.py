# SPDX-License-Identifier: EUPL-1.2
"""The pain.001 writer: a :class:`PaymentMessage` in, the bytes of a bank file out.

The writer first checks the whole message and raises one :class:`SepaExportError` listing
every problem (located by EndToEndId or PmtInfId, never by a person's name or IBAN). Only a
clean message is written, with lxml's incremental writer so that memory stays flat for
hundreds of thousands of payments.

Versions
    ``pain.001.001.09`` (default, what Dutch banks ask for): ``BICFI``, ``ReqdExctnDt/Dt``,
    optional ``UETR``.
    ``pain.001.001.03`` (option): ``BIC``, ``ReqdExctnDt`` as a plain date, no ``UETR``
    (dropped). The generic ISO .03 schema does have ``StrtNm``, ``BldgNb``, ``PstCd``,
    ``TwnNm`` and ``Ctry`` (``PostalAddress6``), so the structured address is written the same
    way in both versions and no ``AdrLine`` fallback is needed. Older EPC guidelines for .03
    only named ``Ctry`` and ``AdrLine``: prefer .09.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from lxml import etree

from ontzorgen.money import Money
from ontzorgen.sepa.accounts import (
    bic_for_iban,
    bic_for_valid_iban,
    bic_problem,
    compact_iban,
    iban_problem,
)
from ontzorgen.sepa.charset import SepaTextError, to_sepa_text
from ontzorgen.sepa.execution_date import is_business_day
from ontzorgen.sepa.model import (
    BETALINGSKENMERK_ISSUER,
    CreditTransfer,
    Party,
    PaymentBatch,
    PaymentMessage,
    PostalAddress,
)
from ontzorgen.sepa.references import (
    Betalingskenmerk,
    FreeText,
    PaymentReferenceError,
    RfReference,
    sepa_id_problem,
    validate_betalingskenmerk,
    validate_rf_reference,
)
from ontzorgen.sepa.schemas import validate_xsd

__all__ = ["MAX_AMOUNT", "Pain001Version", "SepaExportError", "validate_xsd", "write_pain001"]

Pain001Version = Literal["pain.001.001.09", "pain.001.001.03"]

# The largest amount a SEPA credit transfer may carry (EPC rulebook): € 999.999.999,99.
MAX_AMOUNT: Final = Money(99_999_999_999)
NAME_MAX: Final = 70
USTRD_MAX: Final = 140
_CODE: Final = re.compile(r"[A-Z0-9]{1,4}")
_COUNTRY: Final = re.compile(r"[A-Z]{2}")


class SepaExportError(ValueError):
    """The message cannot be written; ``problems`` lists every reason.

    Each problem names where it is (``EndToEndId …``, ``PmtInfId …``, ``debtor``, …), never a
    creditor's name or IBAN.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listing = "\n".join(f"- {problem}" for problem in problems)
        super().__init__(
            f"pain.001 kan niet worden geschreven, {len(problems)} "
            f"{'probleem' if len(problems) == 1 else 'problemen'}:\n{listing}"
        )


@dataclass(frozen=True, slots=True)
class _Address:
    street: str | None
    building_number: str | None
    postcode: str | None
    town: str
    country: str


@dataclass(frozen=True, slots=True)
class _Transfer:
    """A transfer with every text already in the SEPA character set."""

    instruction_id: str | None
    end_to_end_id: str
    uetr: str | None
    amount: str
    creditor_bic: str | None
    name: str
    address: _Address | None
    iban: str
    purpose: str | None
    unstructured: str | None
    reference: str | None
    issuer: str | None


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def _text(value: str, field: str, max_len: int, where: str, problems: _Problems) -> str:
    try:
        return to_sepa_text(value, field=field, max_len=max_len)
    except SepaTextError as error:
        problems.add(where, str(error))
        return ""


def _address(address: PostalAddress, prefix: str, where: str, problems: _Problems) -> _Address:
    def optional(value: str | None, field: str, max_len: int) -> str | None:
        if value is None or not value.strip():
            return None
        return _text(value, f"{prefix}/{field}", max_len, where, problems)

    country = address.country.strip().upper()
    if not _COUNTRY.fullmatch(country):
        problems.add(where, f"{prefix}/Ctry moet een ISO 3166-landcode van twee letters zijn")
    return _Address(
        street=optional(address.street, "StrtNm", 70),
        building_number=optional(address.building_number, "BldgNb", 16),
        postcode=optional(address.postcode, "PstCd", 16),
        town=_text(address.town, f"{prefix}/TwnNm", 35, where, problems),
        country=country,
    )


def _id(value: str | None, field: str, where: str, problems: _Problems) -> None:
    problem = sepa_id_problem(value or "")
    if problem is not None:
        problems.add(where, f"{field} {problem}")


def _creditor_problems(creditor: Party) -> tuple[str, ...]:
    """Problems of a creditor (cached per export by :class:`_Creditors`)."""
    problems = _Problems()
    _text(creditor.name, "Cdtr/Nm", NAME_MAX, "", problems)
    iban_error = iban_problem(compact_iban(creditor.iban))
    if iban_error is not None:
        problems.add("", f"CdtrAcct: {iban_error}")
    if creditor.bic:
        bic_error = bic_problem(creditor.bic.strip().upper())
        if bic_error is not None:
            problems.add("", f"CdtrAgt: {bic_error}")
    if creditor.address is None:
        problems.add(
            "",
            "Cdtr/PstlAdr ontbreekt: banken weigeren sinds 15 november 2026 begunstigden "
            "zonder gestructureerd adres (minstens plaats en land)",
        )
    else:
        _address(creditor.address, "Cdtr/PstlAdr", "", problems)
    # Strip the empty location; the caller adds the EndToEndId.
    return tuple(item.removeprefix(": ") for item in problems.items)


def _render_creditor(creditor: Party) -> tuple[str, _Address, str, str | None]:
    """Name, address, IBAN and BIC of a valid creditor in SEPA text."""
    iban = compact_iban(creditor.iban)
    bic = creditor.bic.strip().upper() if creditor.bic else bic_for_valid_iban(iban)
    address = creditor.address
    assert address is not None  # guaranteed by _creditor_problems
    return (
        to_sepa_text(creditor.name, field="Cdtr/Nm", max_len=NAME_MAX),
        _address(address, "Cdtr/PstlAdr", "", _Problems()),
        iban,
        bic,
    )


class _Creditors:
    """Per-export caches: energy companies, insurers and landlords recur thousands of times
    in one run. Local to one export so that no names or IBANs outlive it in memory."""

    def __init__(self) -> None:
        self.problems = lru_cache(maxsize=8192)(_creditor_problems)
        self.render = lru_cache(maxsize=8192)(_render_creditor)


def _validate_transfer(
    transfer: CreditTransfer, creditors: _Creditors, problems: _Problems
) -> None:
    """Add every problem of one transfer; the rendering pass then trusts it."""
    e2e = transfer.end_to_end_id
    # Locate by EndToEndId only if it is itself printable; otherwise say so.
    where = f"EndToEndId {e2e}" if sepa_id_problem(e2e) is None else "een overboeking"
    _id(e2e, "EndToEndId", where, problems)
    if transfer.instruction_id is not None:
        _id(transfer.instruction_id, "InstrId", where, problems)
    if not transfer.amount.is_positive():
        problems.add(where, "het bedrag moet groter zijn dan € 0,00")
    elif transfer.amount > MAX_AMOUNT:
        problems.add(where, "het bedrag is hoger dan een SEPA-overboeking mag zijn")
    for problem in creditors.problems(transfer.creditor):
        problems.add(where, problem)
    if transfer.purpose is not None and not _CODE.fullmatch(transfer.purpose):
        problems.add(where, "Purp/Cd moet een ISO-doelcode zijn, zoals RENT of SSBE")
    ref = transfer.remittance.reference
    try:
        if isinstance(ref, FreeText):
            to_sepa_text(ref.text, field="Ustrd", max_len=USTRD_MAX, truncate=True)
        elif isinstance(ref, Betalingskenmerk):
            validate_betalingskenmerk(ref.digits)
        elif isinstance(ref, RfReference):
            validate_rf_reference(ref.value)
    except (SepaTextError, PaymentReferenceError) as error:
        problems.add(where, f"RmtInf: {error}")


def _render_transfer(transfer: CreditTransfer, creditors: _Creditors) -> _Transfer:
    """The transfer in SEPA text; only called after :func:`_validate_transfer` found nothing."""
    name, address, iban, bic = creditors.render(transfer.creditor)
    ref = transfer.remittance.reference
    unstructured = reference = issuer = None
    if isinstance(ref, FreeText):
        unstructured = to_sepa_text(ref.text, field="Ustrd", max_len=USTRD_MAX, truncate=True)
    elif isinstance(ref, Betalingskenmerk):
        reference, issuer = ref.digits, BETALINGSKENMERK_ISSUER
    else:
        reference = ref.value
    return _Transfer(
        instruction_id=transfer.instruction_id,
        end_to_end_id=transfer.end_to_end_id,
        uetr=None if transfer.uetr is None else str(transfer.uetr),
        amount=transfer.amount.plain(),
        creditor_bic=bic,
        name=name,
        address=address,
        iban=iban,
        purpose=transfer.purpose,
        unstructured=unstructured,
        reference=reference,
        issuer=issuer,
    )


def _debtor_bic(message: PaymentMessage, problems: _Problems) -> str:
    given = message.debtor_bic or message.debtor.bic
    if given:
        bic = given.strip().upper()
        error = bic_problem(bic)
        if error is not None:
            problems.add("debtor", f"DbtrAgt: {error}")
        return bic
    derived = bic_for_iban(message.debtor.iban)
    if derived is None:
        problems.add("debtor", "DbtrAgt: geen BIC opgegeven en uit de IBAN niet af te leiden")
        return ""
    return derived


def _check(message: PaymentMessage, creditors: _Creditors) -> list[Money]:
    """Raise :class:`SepaExportError` with every problem of ``message``, if any; else return
    each batch's total (computed in the same walk, so the transfers are walked once less)."""
    totals: list[Money] = []
    problems = _Problems()
    _id(message.msg_id, "MsgId", "message", problems)
    _text(message.initiating_party_name, "InitgPty/Nm", NAME_MAX, "message", problems)
    _text(message.debtor.name, "Dbtr/Nm", NAME_MAX, "debtor", problems)
    debtor_iban_error = iban_problem(compact_iban(message.debtor.iban))
    if debtor_iban_error is not None:
        problems.add("debtor", f"DbtrAcct: {debtor_iban_error}")
    if message.debtor.address is not None:
        _address(message.debtor.address, "Dbtr/PstlAdr", "debtor", problems)
    _debtor_bic(message, problems)
    if not message.batches:
        problems.add("message", "heeft geen batches")
    pmt_inf_ids: set[str] = set()
    end_to_end_ids: set[str] = set()
    for batch in message.batches:
        where = f"PmtInfId {batch.pmt_inf_id}"
        _id(batch.pmt_inf_id, "PmtInfId", where, problems)
        if batch.pmt_inf_id in pmt_inf_ids:
            problems.add(where, "PmtInfId komt twee keer voor in dit bericht")
        pmt_inf_ids.add(batch.pmt_inf_id)
        if not is_business_day(batch.execution_date):
            problems.add(
                where,
                f"uitvoerdatum {batch.execution_date.isoformat()} is geen TARGET2-werkdag",
            )
        if batch.category_purpose is not None and not _CODE.fullmatch(batch.category_purpose):
            problems.add(where, "CtgyPurp/Cd moet een ISO-categoriecode zijn")
        if not batch.transfers:
            problems.add(where, "heeft geen overboekingen")
        total = Money.zero()
        for transfer in batch.transfers:
            total += transfer.amount
            _validate_transfer(transfer, creditors, problems)
            e2e = transfer.end_to_end_id
            if e2e in end_to_end_ids:
                problems.add(f"EndToEndId {e2e}", "EndToEndId komt twee keer voor in dit bericht")
            end_to_end_ids.add(e2e)
        totals.append(total)
    if problems.items:
        raise SepaExportError(problems.items)
    return totals


# -- XML ------------------------------------------------------------------------------------
# Subtrees are built without a namespace and streamed inside the namespaced <Document>: they
# are serialised as plain <Tag>, which inherits the default namespace, instead of repeating
# xmlns="…" on every transaction.


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _path(parent: etree._Element, tags: str, text: str) -> None:
    """Add nested elements ``A/B/C`` with ``text`` in the last one."""
    for tag in tags.split("/"):
        parent = etree.SubElement(parent, tag)
    parent.text = text


def _postal_address(parent: etree._Element, address: _Address) -> None:
    element = _sub(parent, "PstlAdr")
    for tag, value in (
        ("StrtNm", address.street),
        ("BldgNb", address.building_number),
        ("PstCd", address.postcode),
        ("TwnNm", address.town),
        ("Ctry", address.country),
    ):
        if value:
            _sub(element, tag, value)


def _transaction(t: _Transfer, version: Pain001Version) -> etree._Element:
    bic_tag = "BICFI" if version == "pain.001.001.09" else "BIC"
    tx = etree.Element("CdtTrfTxInf")
    pmt_id = _sub(tx, "PmtId")
    if t.instruction_id is not None:
        _sub(pmt_id, "InstrId", t.instruction_id)
    _sub(pmt_id, "EndToEndId", t.end_to_end_id)
    if t.uetr is not None and version == "pain.001.001.09":
        _sub(pmt_id, "UETR", t.uetr)
    amount = _sub(_sub(tx, "Amt"), "InstdAmt", t.amount)
    amount.set("Ccy", "EUR")
    if t.creditor_bic is not None:
        _path(tx, f"CdtrAgt/FinInstnId/{bic_tag}", t.creditor_bic)
    creditor = _sub(tx, "Cdtr")
    _sub(creditor, "Nm", t.name)
    if t.address is not None:
        _postal_address(creditor, t.address)
    _path(tx, "CdtrAcct/Id/IBAN", t.iban)
    if t.purpose is not None:
        _path(tx, "Purp/Cd", t.purpose)
    remittance = _sub(tx, "RmtInf")
    if t.unstructured is not None:
        _sub(remittance, "Ustrd", t.unstructured)
    else:
        ref_info = _sub(_sub(remittance, "Strd"), "CdtrRefInf")
        kind = _sub(ref_info, "Tp")
        _path(kind, "CdOrPrtry/Cd", "SCOR")
        if t.issuer is not None:
            _sub(kind, "Issr", t.issuer)
        _sub(ref_info, "Ref", t.reference)
    return tx


def _batch_header(
    batch: PaymentBatch,
    message: PaymentMessage,
    debtor_bic: str,
    version: Pain001Version,
    total: Money,
) -> Iterator[etree._Element]:
    """The PmtInf children before the first CdtTrfTxInf, one element at a time."""
    holder = etree.Element("PmtInf")
    _sub(holder, "PmtInfId", batch.pmt_inf_id)
    _sub(holder, "PmtMtd", "TRF")
    _sub(holder, "BtchBookg", "true" if batch.batch_booking else "false")
    _sub(holder, "NbOfTxs", str(len(batch.transfers)))
    _sub(holder, "CtrlSum", total.plain())
    type_info = _sub(holder, "PmtTpInf")
    _path(type_info, "SvcLvl/Cd", "SEPA")
    if batch.category_purpose is not None:
        _path(type_info, "CtgyPurp/Cd", batch.category_purpose)
    if version == "pain.001.001.09":
        _path(holder, "ReqdExctnDt/Dt", batch.execution_date.isoformat())
    else:
        _sub(holder, "ReqdExctnDt", batch.execution_date.isoformat())
    debtor = _sub(holder, "Dbtr")
    _sub(debtor, "Nm", to_sepa_text(message.debtor.name, field="Dbtr/Nm", max_len=NAME_MAX))
    if message.debtor.address is not None:
        _postal_address(debtor, _address(message.debtor.address, "", "", _Problems()))
    account = _sub(holder, "DbtrAcct")
    _path(account, "Id/IBAN", compact_iban(message.debtor.iban))
    _sub(account, "Ccy", "EUR")
    bic_tag = "BICFI" if version == "pain.001.001.09" else "BIC"
    _path(holder, f"DbtrAgt/FinInstnId/{bic_tag}", debtor_bic)
    _sub(holder, "ChrgBr", "SLEV")
    yield from holder


def _group_header(message: PaymentMessage, total: Money) -> etree._Element:
    header = etree.Element("GrpHdr")
    _sub(header, "MsgId", message.msg_id)
    _sub(header, "CreDtTm", message.created_at.isoformat(timespec="seconds"))
    _sub(header, "NbOfTxs", str(sum(len(b.transfers) for b in message.batches)))
    _sub(header, "CtrlSum", total.plain())
    _path(
        header,
        "InitgPty/Nm",
        to_sepa_text(message.initiating_party_name, field="InitgPty/Nm", max_len=NAME_MAX),
    )
    return header


def write_pain001(message: PaymentMessage, *, version: Pain001Version = "pain.001.001.09") -> bytes:
    """Write ``message`` as a pain.001 file (UTF-8 bytes).

    Checks everything first and raises :class:`SepaExportError` listing every problem;
    nothing is written for a message with problems. Names and descriptions are
    transliterated into the SEPA character set (``Ustrd`` is cut at 140 characters, names
    are never cut). ``NbOfTxs`` and ``CtrlSum`` are computed from the transfers, per
    ``PmtInf`` and for the message. The creditor agent BIC is the one given, else derived
    from a Dutch IBAN, else left out (IBAN-only).
    """
    if version not in ("pain.001.001.09", "pain.001.001.03"):
        raise ValueError(f"unsupported version {version!r}")
    creditors = _Creditors()
    totals = _check(message, creditors)
    debtor_bic = _debtor_bic(message, _Problems())
    namespace = f"urn:iso:std:iso:20022:tech:xsd:{version}"
    buffer = io.BytesIO()
    buffer.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    with (
        etree.xmlfile(buffer, encoding="utf-8") as xf,
        xf.element(f"{{{namespace}}}Document", nsmap={None: namespace}),
        xf.element(f"{{{namespace}}}CstmrCdtTrfInitn"),
    ):
        xf.write(_group_header(message, Money.sum(totals)))
        for batch, total in zip(message.batches, totals, strict=True):
            with xf.element(f"{{{namespace}}}PmtInf"):
                for element in _batch_header(batch, message, debtor_bic, version, total):
                    xf.write(element)
                for transfer in batch.transfers:
                    xf.write(_transaction(_render_transfer(transfer, creditors), version))
    return buffer.getvalue()
