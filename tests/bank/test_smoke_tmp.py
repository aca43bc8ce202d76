from datetime import date
from sqlalchemy import select
from ontzorgen.bank.importer import import_records
from ontzorgen.bank.decisions import decide
from ontzorgen.bank.reconcile import reconcile, close_period
from ontzorgen.bank.status import payment_status
from ontzorgen.clients.schemas import PayeeAccountIn
from ontzorgen.clients.service import change_payee_account
from ontzorgen.clients.models import Payee
from ontzorgen.runs.models import Payment
from ontzorgen.sepa import feedback as fb
from tests.bank.conftest import ACCOUNTANT, full_run
from tests.factories import at_noon, CLERK

H = fb.FileHeader

def entry(pays, ref, day, direction="DBIT", reason=None):
    txs = tuple(fb.EntryTransaction(p.end_to_end_id, None, None, p.pmt_inf_id, None, p.amount_cents, direction, fb.Reason(reason) if reason else None, None, None, None, None, 1) for p in pays)
    return fb.Entry("S1", 1, sum(p.amount_cents for p in pays), direction, "BOOK", False, day, day, ref, None, (), txs, None, 1)

def test_smoke(session, december):
    run_id, content = december
    pays = session.scalars(select(Payment).where(Payment.run_id == run_id).order_by(Payment.id)).all()
    day = date(2026, 11, 24)
    huur = pays[0]
    pain = [H("CstmrPmtStsRpt", "pain.002.001.10", "x", "P1", None, None),
            fb.GroupStatus(pays[0].pmt_inf_id.rsplit("-VL", 1)[0], None, "PART", (), None, None, 1),
            fb.BatchStatus(pays[0].pmt_inf_id.rsplit("-VL", 1)[0], huur.pmt_inf_id, "PART", (), None, None, 1),
            fb.TransactionStatus(pays[0].pmt_inf_id.rsplit("-VL", 1)[0], huur.pmt_inf_id, huur.end_to_end_id, None, "RJCT", (fb.Reason("AC04"),), huur.amount_cents, 1)]
    s = import_records(session, ACCOUNTANT, "0439", b"pain", pain, filename="p.xml", today=day, now=at_noon(day))
    print(s.as_dict())
    st = [H("BkToCstmrStmt", "camt.053.001.02", "x", "M1", None, None), fb.Statement("S1", "NL14BNGH0285001234", "EUR", None, None, 1),
          entry(pays[1:4] + [pays[5]], "REF1", day), entry([pays[4]], "REF2", date(2026, 12, 24)),
          entry([pays[5]], "REF3", date(2026,12,28), "CRDT", "AC01")]
    s = import_records(session, ACCOUNTANT, "0439", b"camt", st, filename="x.xml", today=day, now=at_noon(day))
    print(s.as_dict())
    session.commit()
    r = reconcile(session, "0439", period="2026-12")
    print(r.as_dict())
    assert r.difference_cents == 0 and len(r.open_items) == 2
    print(payment_status(session, r.open_items[0].payment_id and 1 or 1, huur.id).as_dict())
    payee = session.get(Payee, huur.payee_id)
    change_payee_account(session, CLERK, "0439", payee.reference, PayeeAccountIn(iban="NL66ASNB0707070707"))
    decide(session, ACCOUNTANT, "0439", action="herbetalen", reason="nieuw IBAN", payment_id=huur.id, now=at_noon(day))
    decide(session, ACCOUNTANT, "0439", action="herbetalen", reason="retour AC01, zelfde rekening gecontroleerd", payment_id=pays[5].id, now=at_noon(day))
    session.commit()
    dec2 = date(2026, 12, 2)
    run2, pain2 = full_run(session, "2026-12", dec2, corrects=run_id, reason="herbetaling")
    print(pain2.decode()[:3000])
    new = session.scalars(select(Payment).where(Payment.run_id == run2).order_by(Payment.id)).all()
    print([(p.end_to_end_id, p.kind, p.amount_cents, p.creditor_iban) for p in new])
    r = reconcile(session, "0439", period="2026-12")
    print(r.as_dict())
    st2 = [H("BkToCstmrStmt", "camt.053.001.02", "x", "M2", None, None), fb.Statement("S2", "NL14BNGH0285001234", "EUR", None, None, 1),
          entry(new, "REF9", dec2)]
    import_records(session, ACCOUNTANT, "0439", b"camt2", st2, filename="x.xml", today=dec2, now=at_noon(dec2))
    r = reconcile(session, "0439", period="2026-12")
    print(r.as_dict())
    assert r.difference_cents == 0 and not r.open_items
    close_period(session, ACCOUNTANT, "0439", "2026-12", now=at_noon(dec2))
