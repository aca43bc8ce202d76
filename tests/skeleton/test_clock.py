# SPDX-License-Identifier: EUPL-1.2
"""One clock: services never read the wall clock; entry points take "today" and "now" from
ontzorgen.clock, which settings may pin (ONTZORGEN_TODAY)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from typer.testing import CliRunner

import ontzorgen
from ontzorgen import cli
from ontzorgen.api.app import create_app
from ontzorgen.clock import FixedClock, SystemClock, clock_from_setting
from ontzorgen.config import Settings, get_settings
from ontzorgen.errors import InvalidInput

WALL_CLOCK = re.compile(r"date\.today\(\)|datetime\.(now|utcnow|today)\(|time\.time\(\)")


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    root = Path(ontzorgen.__file__).parent
    readers = sorted(
        str(path.relative_to(root.parent))
        for package in (root, root.parent / "budgetcoach")
        for path in package.rglob("*.py")
        if WALL_CLOCK.search(path.read_text("utf-8"))
    )
    assert readers == ["ontzorgen/clock.py"]


def test_the_system_clock_gives_the_dutch_day_and_a_utc_instant() -> None:
    # 23:30 UTC on New Year's Eve is already New Year's Day in the Netherlands.
    with time_machine.travel(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), tick=False):
        clock = SystemClock()
        assert clock.today() == date(2027, 1, 1)
        assert clock.now() == datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
        assert clock.now().tzinfo is UTC


def test_a_fixed_clock_stands_still_at_noon_dutch_time() -> None:
    clock = FixedClock(date(2027, 6, 30))
    assert clock.today() == date(2027, 6, 30)
    assert clock.now() == datetime(2027, 6, 30, 10, 0, tzinfo=UTC)  # 12:00 CEST


def test_settings_pin_the_day() -> None:
    assert Settings(today="2028-02-29").clock().today() == date(2028, 2, 29)
    assert isinstance(Settings(today=None).clock(), SystemClock)
    assert isinstance(clock_from_setting(""), SystemClock)


def test_a_bad_pinned_day_is_a_dutch_error_naming_the_variable() -> None:
    with pytest.raises(InvalidInput) as raised:
        clock_from_setting("30-02-2027")
    assert raised.value.problems[0].field == "ONTZORGEN_TODAY"
    assert "JJJJ-MM-DD" in raised.value.detail


def test_the_cli_refuses_a_bad_pinned_day_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ONTZORGEN_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("ONTZORGEN_TODAY", "morgen")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli.app, ["demo"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "ONTZORGEN_TODAY" in result.output
    assert "'morgen' is geen datum" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_api_takes_its_clock_from_the_settings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    app = create_app(Settings(database_url=url, today="2026-12-31"))
    assert app.state.clock.today() == date(2026, 12, 31)
    with pytest.raises(InvalidInput, match="ONTZORGEN_TODAY"):
        create_app(Settings(database_url=url, today="31-12-2026"))
