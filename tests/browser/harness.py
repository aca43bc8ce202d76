# SPDX-License-Identifier: EUPL-1.2
"""The app served for real (uvicorn on loopback, an SQLite file with the demo data) and Debian's
Chromium driven by Playwright, with the checks every page test needs: axe-core, no console
errors (a CSP refusal is one) and screenshots kept as test artifacts in reports/screenshots/."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import Browser, Page
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen import migrate
from ontzorgen.api.app import create_app
from ontzorgen.clock import FixedClock
from ontzorgen.config import Settings
from ontzorgen.db import make_engine, make_session_factory
from ontzorgen.demo import run_demo
from tests.factories import TEST_CLOCK

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling out, which this closed
# network refuses; as root it needs --no-sandbox.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "reports" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    session_factory: sessionmaker[Session]
    folder: Path
    clock: FixedClock

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(
    folder: Path,
    *,
    clock: FixedClock = TEST_CLOCK,
    prepare: Callable[[sessionmaker[Session], FixedClock], None] | None = None,
    **settings: Any,
) -> Iterator[LiveServer]:
    """Migrate an SQLite file in ``folder``, load the demo (or ``prepare``), serve it."""
    url = f"sqlite:///{folder / 'ontzorgen.sqlite3'}"
    migrate.upgrade(url)
    factory = make_session_factory(make_engine(url), clock=clock)
    if prepare is None:
        run_demo(factory, out=folder / "demo", today=clock.today(), now=clock.now())
    else:
        prepare(factory, clock)
    port = _free_port()
    app = create_app(
        Settings(
            database_url=url, environment="development", cookie_secure=False,
            public_url=f"http://127.0.0.1:{port}", login_rate_per_minute=10_000,
            log_json=False, **settings,
        ),
        clock=clock,
    )  # fmt: skip
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the app did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", factory, folder, clock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def launch(playwright: Any) -> Browser:
    browser: Browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    return browser


class ConsoleErrors(list[str]):
    """What the page logged as an error (a refused script or style under the CSP, a 404)."""


def watch_console(page: Page) -> ConsoleErrors:
    errors = ConsoleErrors()
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def login_as(page: Page, server: LiveServer, login: str) -> None:
    """The development login as a demo user (``demo-inkomen``, ``demo-accountant``, …)."""
    page.goto(server.url("/login/ontwikkeling"))
    with page.expect_navigation(url=server.url("/")):
        page.get_by_role("button", name=re.compile(rf"^Inloggen als {re.escape(login)}$")).click()


def login_as_household(page: Page, server: LiveServer, reference: str) -> None:
    """The development login as the inburgeraar of the household with ``reference``."""
    page.goto(server.url("/login/ontwikkeling"))
    label = f"Inloggen als inburgeraar van {reference}"
    button = page.get_by_role("button", name=label, exact=True)
    with page.expect_navigation(url=server.url("/")):
        button.click()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now. The script is evaluated
    through the DevTools protocol, so the page's CSP stays as strict as in production."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await window.axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot kept as a test artifact (reports/screenshots/NAME.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
