from datetime import date
from sqlalchemy import select
from ontzorgen.bank.importer import import_records
from ontzorgen.bank.reconcile import reconcile
from ontzorgen.runs.models import Payment
from ontzorgen.sepa import feedback as fb
from tests.bank.conftest import ACCOUNTANT
from tests.factories import at_noon

def test_smoke(session, december):
    run_id, content = december
    pays = session.scalars(select(Payment).where(Payment.run_id == run_id)).all()
    print([(p.end_to_end_id, p.kind, p.amount_cents, p.pmt_inf_id) for p in pays])
    day = date(2026, 11, 24)
    txs = tuple(fb.EntryTransaction(p.end_to_end_id, None, None, p.pmt_inf_id, None, p.amount_cents, "DBIT", None, None, None, None, None, 1) for p in pays)
    entry = fb.Entry("S1", 1, sum(p.amount_cents for p in pays), "DBIT", "BOOK", False, day, day, "REF1", "PMNT/ICDT/ESCT", (), txs, None, 1)
    records = [fb.FileHeader("BkToCstmrStmt", "camt.053.001.02", "x", "M1", None, None), fb.Statement("S1", "NL14BNGH0285001234", "EUR", None, None, 1), entry]
    s = import_records(session, ACCOUNTANT, "0439", b"abc", records, filename="x.xml", today=day, now=at_noon(day))
    print(s.as_dict())
    s2 = import_records(session, ACCOUNTANT, "0439", b"abc2", records, filename="x.xml", today=day, now=at_noon(day))
    print(s2.as_dict())
    r = reconcile(session, "0439", period="2026-12")
    print(r.as_dict())
    assert r.difference_cents == 0
