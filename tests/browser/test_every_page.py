# SPDX-License-Identifier: EUPL-1.2
"""Every page, for every role, in every language: axe-core finds no WCAG 2.1 AA violation, the
console stays clean (a CSP refusal is an error there), and at 200 % zoom nothing needs
scrolling sideways.

The pages are found, not listed: logged in as each demo role, the test follows the links from
the start page (same site, a few levels deep, one page per route shape), so a new page is
checked the day it is linked."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from ontzorgen.web.i18n import LANGUAGES
from tests.browser.harness import (
    LiveServer,
    axe_violations,
    describe,
    login_as,
    login_as_household,
    watch_console,
)

ROLES = ["demo-inkomen", "demo-accordeerder", "demo-coach", "demo-accountant", "demo-beheerder",
         "inburgeraar"]  # fmt: skip
# Not pages to check: leaving, logging in again, files and the API.
SKIP = re.compile(r"^/(logout|login|static/|huisstijl/|api/|docs|redoc|openapi)")
MAX_PAGES = 40
MAX_DEPTH = 3


def _shape(path: str) -> str:
    """One page per route shape: /betaalruns/1 and /betaalruns/2 are checked once."""
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


def _with_language(url: str, code: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "taal"] + [("taal", code)]
    return f"{parts.path}?{urlencode(query)}"


def _links(page: Page, server: LiveServer) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "main a[href], nav a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, or an anchor on this page
        if SKIP.match(parts.path):
            continue
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "taal"]
        found.append(parts.path + (f"?{urlencode(query)}" if query else ""))
    return found


def _crawl(page: Page, server: LiveServer) -> list[str]:
    """The pages reachable from the start page, breadth first, one per route shape."""
    seen_shapes: set[str] = set()
    pages: list[str] = []
    queue: deque[tuple[str, int]] = deque([("/", 0)])
    while queue and len(pages) < MAX_PAGES:
        url, depth = queue.popleft()
        shape = _shape(urlsplit(url).path)
        if shape in seen_shapes:
            continue
        # Asked first with the page's cookies: a download (CSV, PDF, XML) is no page to check.
        probe = page.request.get(server.url(url), max_redirects=0)
        assert probe.status < 500, f"{url}: {probe.status}"
        if "text/html" not in probe.headers.get("content-type", ""):
            continue  # checked by its own tests
        response = page.goto(server.url(url))
        assert response is not None
        assert response.status < 500, f"{url}: {response.status}"
        seen_shapes.add(shape)
        pages.append(url)
        if depth < MAX_DEPTH:
            queue.extend((link, depth + 1) for link in _links(page, server))
    return pages


def _overflows_sideways(page: Page) -> bool:
    return bool(page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1"))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_is_accessible_in_every_language(
    browser: Browser, live_server: LiveServer, role: str
) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        if role == "inburgeraar":
            login_as_household(page, live_server, _first_household_reference(page, live_server))
        else:
            login_as(page, live_server, role)
        pages = _crawl(page, live_server)
        assert "/" in pages
        problems: list[str] = []
        errors = watch_console(page)
        for url in pages:
            for code in LANGUAGES:
                page.goto(live_server.url(_with_language(url, code)))
                violations = axe_violations(page)
                if violations:
                    problems.append(f"{url} [{code}]:\n{describe(violations)}")
                if errors:
                    problems.append(f"{url} [{code}] console: {list(errors)}")
                    errors.clear()
        # 200 % zoom: a 1280 px window at 200 % is a 640 px viewport (WCAG 1.4.4 / 1.4.10).
        page.set_viewport_size({"width": 640, "height": 900})
        for url in pages:
            page.goto(live_server.url(_with_language(url, "nl")))
            if _overflows_sideways(page):
                problems.append(f"{url}: at 200 % zoom the page scrolls sideways")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def _first_household_reference(page: Page, server: LiveServer) -> str:
    page.goto(server.url("/login/ontwikkeling"))
    label = page.get_by_role("button", name=re.compile("^Inloggen als inburgeraar van ")).first
    return label.inner_text().removeprefix("Inloggen als inburgeraar van ").strip()
