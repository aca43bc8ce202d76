# SPDX-License-Identifier: EUPL-1.2
"""Bad input on the command line: a clear Dutch message and an exit code, never a traceback, and
nothing stored. File arguments (missing, a folder, unreadable, binary, empty, truncated, another
encoding), a missing or unmigrated database, an export target that cannot be written."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from ontzorgen import cli
from ontzorgen.config import get_settings
from ontzorgen.db import make_engine, unit_of_work
from ontzorgen.runs.models import PaymentRun
from tests.factories import DATA, example_import, make_gemeente
from tests.hostile import assert_dutch, encoded, mutated, row_count
from tests.skeleton.test_cli import run_cli

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PAIN = DATA / "sepa" / "php-sepa-xml" / "pain.001.001.09.xml"
IMPORT = DATA / "import" / "purmerend-december-2026.json"

Invoke = Callable[..., Result]


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch) -> Iterator[Invoke]:
    """Run ``ontzorgen`` in this process against a database URL (fast enough for hypothesis)."""
    runner = CliRunner()

    def run(url: str, *args: str) -> Result:
        monkeypatch.setenv("ONTZORGEN_DATABASE_URL", url)
        monkeypatch.setenv("ONTZORGEN_USER", "tester")
        get_settings.cache_clear()
        return runner.invoke(cli.app, list(args))

    yield run
    get_settings.cache_clear()


@pytest.fixture
def gemeente_url(database_url: str, session_factory: sessionmaker[Session]) -> str:
    with unit_of_work(session_factory) as session:
        make_gemeente(session)
    return database_url


def _clear_failure(result: Result) -> str:
    """The command ended on purpose (an exit code) with a Dutch message; its output."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    output = " ".join(result.output.split())
    assert "Traceback" not in output
    if result.exit_code != 0:
        assert "Fout:" in output or "FOUT" in output, output
    return output


def _file(tmp_path: Path, kind: str, content: bytes) -> Path:
    path = tmp_path / "input"
    if path.is_dir():
        path.rmdir()
    elif path.exists():
        path.unlink()
    if kind == "directory":
        path.mkdir()
    elif kind == "file":
        path.write_bytes(content)
    return path  # "missing": nothing there


@SETTINGS
@given(
    kind=st.sampled_from(["file", "file", "file", "missing", "directory"]),
    content=mutated(example_import()).flatmap(encoded),
)
def test_import_file_arguments_fail_clearly_and_store_nothing(
    invoke: Invoke, gemeente_url: str, tmp_path: Path, kind: str, content: bytes
) -> None:
    engine = make_engine(gemeente_url)
    try:
        before = row_count(engine)
        result = invoke(gemeente_url, "import", str(_file(tmp_path, kind, content)))
        output = _clear_failure(result)
        if result.exit_code != 0:
            assert_dutch(output)
            assert row_count(engine) == before, output
        if kind == "missing":
            assert "bestand niet gevonden" in output
        if kind == "directory":
            assert "is een map" in output
    finally:
        engine.dispose()


@SETTINGS
@given(
    kind=st.sampled_from(["file", "file", "file", "missing", "directory"]),
    cut=st.integers(0, len(PAIN.read_bytes().rstrip()) - 1),
    garbage=st.one_of(st.none(), st.binary(max_size=100)),
)
def test_sepa_check_file_arguments_fail_clearly(
    invoke: Invoke, tmp_path: Path, kind: str, cut: int, garbage: bytes | None
) -> None:
    content = PAIN.read_bytes()[:cut] if garbage is None else garbage
    path = _file(tmp_path, kind, content)
    result = invoke("sqlite:///unused.sqlite3", "sepa", "check", str(path), "--no-date-check")
    output = _clear_failure(result)
    assert result.exit_code in (1, 2)
    if kind == "file" and garbage is None:
        # A truncated file is named as such, with its place: never a count of 0 transactions.
        assert "geen geldige XML op regel" in output, output
    if kind == "directory":
        assert "is een map" in output
    assert not (tmp_path / "unused.sqlite3").exists()


def test_an_unreadable_file_is_named(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "geheim.json"
    path.write_text("{}")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)  # root may read any file: simulate it
    result = invoke("sqlite:///unused.sqlite3", "import", str(path))
    assert result.exit_code == 2
    assert "geen leesrechten" in _clear_failure(result)


def test_a_windows_1252_import_is_named_as_not_utf8(
    invoke: Invoke, gemeente_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "import.json"
    path.write_bytes(json.dumps(example_import()).replace("Haile", "Hailö").encode("cp1252"))
    result = invoke(gemeente_url, "import", str(path))
    assert result.exit_code == 1
    output = _clear_failure(result)
    assert "geen UTF-8 (regel 1" in output


@pytest.mark.parametrize(
    "command", [("import", str(IMPORT)), ("run", "show", "1"), ("db", "current")]
)
def test_a_missing_database_is_not_created(command: tuple[str, ...], tmp_path: Path) -> None:
    # Run from another folder, as a user would: the default database is not there.
    result = run_cli(*command, database_url="sqlite:///ontzorgen.sqlite3", cwd=tmp_path)
    assert result.returncode == 1
    assert "draai eerst `ontzorgen db upgrade`" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unmigrated_database_asks_for_db_upgrade(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "leeg.sqlite3").write_bytes(b"")
    result = invoke(f"sqlite:///{tmp_path / 'leeg.sqlite3'}", "run", "show", "1")
    assert result.exit_code == 1
    assert "(niet gemigreerd); draai eerst `ontzorgen db upgrade`" in _clear_failure(result)


def test_a_run_id_beyond_64_bits_is_refused(invoke: Invoke, database_url: str) -> None:
    result = invoke(database_url, "run", "show", str(10**20))
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("target", "reason"),
    [("nergens/pain.xml", "bestaat niet"), (".", "is een map"), ("bestand/pain.xml", "geen map")],
)
def test_export_to_an_unwritable_place_is_refused_before_the_run_is_exported(
    invoke: Invoke, gemeente_url: str, tmp_path: Path, target: str, reason: str
) -> None:
    (tmp_path / "bestand").write_text("")
    assert invoke(gemeente_url, "import", str(IMPORT)).exit_code == 0
    prepare = ("run", "prepare", "--gemeente", "0439", "--period", "2026-12", "--as", "jan")
    assert invoke(gemeente_url, *prepare).exit_code == 0
    assert invoke(gemeente_url, "run", "approve", "1", "--as", "piet").exit_code == 0
    out = tmp_path / target
    result = invoke(gemeente_url, "run", "export", "1", "--out", str(out), "--as", "jan")
    assert result.exit_code == 2
    assert reason in _clear_failure(result)
    engine = make_engine(gemeente_url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(select(PaymentRun.state)) == "approved"
    finally:
        engine.dispose()


def test_the_api_says_the_database_is_missing_and_does_not_create_it(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from ontzorgen.config import Settings
    from tests.api_auth import api_app, bearer

    url = f"sqlite:///{tmp_path / 'ontzorgen.sqlite3'}"
    with TestClient(api_app(Settings(database_url=url)), headers=bearer()) as client:
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["database"] == "missing"
        assert "draai eerst `ontzorgen db upgrade`" in health.json()["detail"]
        listed = client.get("/api/v1/gemeenten")
        assert listed.status_code == 503
        assert listed.headers["content-type"] == "application/problem+json"
        assert "draai eerst `ontzorgen db upgrade`" in listed.json()["detail"]
    assert list(tmp_path.iterdir()) == []
    served = run_cli("serve", "--port", "1", database_url=url, cwd=tmp_path)
    assert served.returncode == 1
    assert "draai eerst" in served.stderr
    assert list(tmp_path.iterdir()) == []
