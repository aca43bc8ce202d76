# SPDX-License-Identifier: EUPL-1.2
"""sepaxml, an independent writer, builds the same payments as our file, payment for payment."""

from __future__ import annotations

from datetime import date

from lxml import etree
from sepaxml import SepaTransfer
from sqlalchemy.orm import Session

from ontzorgen.clients.service import import_households
from ontzorgen.runs.files import export_run
from ontzorgen.runs.service import approve_run, create_run, get_run, prepare_run, run_payments
from tests.factories import CLERK, actor_for, at_noon, example_import, make_gemeente

TODAY = date(2026, 11, 23)
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


def _payments(data: bytes) -> dict[str, tuple[str, str, str, str]]:
    """EndToEndId → (amount, creditor IBAN, creditor name, execution date)."""
    root = etree.fromstring(data)
    found = {}
    for batch in root.iterfind(".//p:PmtInf", NS):
        day = batch.findtext("p:ReqdExctnDt/p:Dt", namespaces=NS)
        for tx in batch.iterfind("p:CdtTrfTxInf", NS):
            found[tx.findtext("p:PmtId/p:EndToEndId", namespaces=NS)] = (
                tx.findtext("p:Amt/p:InstdAmt", namespaces=NS),
                tx.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS),
                tx.findtext("p:Cdtr/p:Nm", namespaces=NS),
                day,
            )
    return found  # type: ignore[return-value]


def test_run_file_agrees_with_sepaxml(session: Session) -> None:
    gemeente = make_gemeente(session)
    import_households(session, CLERK, example_import())
    run_id = create_run(session, CLERK, "0439", "2026-12").id
    prepare_run(session, CLERK, run_id, today=TODAY, now=at_noon(TODAY))
    approve_run(session, actor_for("accordeerder"), run_id, today=TODAY, now=at_noon(TODAY))
    ours = export_run(session, CLERK, run_id, today=TODAY, now=at_noon(TODAY)).content

    other = SepaTransfer(
        {"name": gemeente.debtor_name, "IBAN": gemeente.debtor_iban,
         "BIC": gemeente.debtor_bic, "batch": True, "currency": "EUR"},
        schema="pain.001.001.09", clean=True,
    )  # fmt: skip
    for payment in run_payments(session, get_run(session, run_id)):
        other.add_payment(
            {
                "name": payment.creditor_name,
                "IBAN": payment.creditor_iban,
                "amount": payment.amount_cents,
                "execution_date": payment.execution_date,
                "description": payment.remittance,
                "endtoend_id": payment.end_to_end_id,
                "address": {"town": payment.town, "country": payment.country},
            }
        )
    theirs = _payments(other.export(validate=False))
    assert _payments(ours) == theirs
    assert len(theirs) == 6
