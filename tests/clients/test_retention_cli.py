# SPDX-License-Identifier: EUPL-1.2
"""``ontzorgen retention apply`` on both databases: a dry run says what would go and changes
nothing; the real run removes it; only a beheerder (or the operator) may; bad input is a
Dutch message naming the option, and no output names a person."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.auth import SYSTEM
from ontzorgen.auth.roles import Role
from ontzorgen.auth.users import add_user
from ontzorgen.clients.models import Person
from ontzorgen.clients.service import import_households
from tests.factories import CLERK, example_import, make_gemeente
from tests.skeleton.test_cli import run_cli


def test_retention_command(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    data = example_import()
    data["households"][0]["right"]["end"] = "2026-12-31"
    with session_factory() as session:
        make_gemeente(session)
        import_households(session, CLERK, data)
        add_user(session, SYSTEM, "coach", display_name="Coach", gemeente="0439",
                 roles=[Role.BUDGETCOACH])  # fmt: skip
        session.commit()
    bsn = data["households"][0]["persons"][0]["bsn"]

    def cli(*args: str) -> tuple[int, str]:
        result = run_cli("retention", "apply", "--gemeente", "0439", *args,
                         database_url=database_url, cwd=tmp_path)  # fmt: skip
        output = result.stdout + result.stderr
        assert bsn not in output
        assert "Haile" not in output
        return result.returncode, " ".join(output.split())

    def bsns() -> list[str]:
        with session_factory() as session:
            return list(session.scalars(select(Person.bsn).order_by(Person.id)))

    original = bsns()
    code, out = cli("--before", "2027-07-01", "--dry-run", "--as", "jan")
    assert code == 0, out
    assert "zouden worden verwijderd" in out
    assert "HH-2026-0001" in out
    assert "Proefdraai" in out
    assert "HH-2026-0002" not in out  # its bijstand goes on
    assert bsns() == original
    code, out = cli("--before", "2027-07-01", "--as", "coach")
    assert code == 1
    assert "geen recht" in out
    code, out = cli("--before", "1-7-2027", "--as", "jan")
    assert code == 2
    assert "--before" in out
    assert "JJJJ-MM-DD" in out
    code, out = cli("--before", "2027-07-01", "--as", "jan")
    assert code == 0, out
    assert "zijn verwijderd" in out
    assert "HH-2026-0001" in out
    assert bsn not in bsns()
    assert bsns()[1:] == original[1:]
    code, out = cli("--before", "2027-07-01")  # the operator; nothing left to do
    assert code == 0
    assert "verwijderd (ontzorgen geëindigd voor 01-07-2027): 0" in out
