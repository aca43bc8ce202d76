# SPDX-License-Identifier: EUPL-1.2
"""Browser tests: one served app with the demo data and one Chromium per xdist worker; a new
browser context (no cookies) per test. Tests that change data use ``fresh_server``."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.harness import CHROMIUM, ConsoleErrors, LiveServer, launch, serve, watch_console

if not Path(CHROMIUM).exists():  # `make install` installs it from Debian
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing in CI: `make install` should have installed it")
    pytest.skip(f"{CHROMIUM} is missing: run `make install`", allow_module_level=True)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo installation, shared by the tests of a worker: read it, do not change it."""
    with serve(tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[Callable[..., LiveServer]]:
    """A served installation of the test's own (``fresh_server()`` or with ``serve``'s
    arguments): for tests that prepare runs, import bank files or change households."""
    numbers = itertools.count()
    with ExitStack() as stack:

        def start(**kwargs: object) -> LiveServer:
            folder = tmp_path / f"server{next(numbers)}"
            folder.mkdir()
            return stack.enter_context(serve(folder, **kwargs))  # type: ignore[arg-type]

        yield start


# Per module, not per session: Playwright's sync API keeps an event loop running in this thread
# while it is started, and a later test in the same worker that calls asyncio.run() (the job
# worker does) would fail. Module-scoped fixtures are torn down before the next module's tests.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def console_errors(page: Page) -> ConsoleErrors:
    return watch_console(page)
