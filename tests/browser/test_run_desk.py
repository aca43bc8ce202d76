# SPDX-License-Identifier: EUPL-1.2
"""The run desk in a real browser: demo-inkomen prepares the month and sees the progress reach
100 % and the totals; the preparer cannot approve; demo-accordeerder approves with the keyboard
alone; the pain.001 downloads, validates against the XSD and is the stored file; the batch
overview prints. Every run-desk page passes axe-core for both roles, in Dutch and Arabic; forged
forms, other roles, unknown runs and a bad period change nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.auth import SYSTEM, Role
from ontzorgen.auth.users import add_user
from ontzorgen.clock import FixedClock
from ontzorgen.db import unit_of_work
from ontzorgen.demo import (
    _ensure_caseload,
    _ensure_gemeente,
    _ensure_households,
    _ensure_users,
    demo_period,
)
from ontzorgen.runs.models import PaymentRun, RunFile
from ontzorgen.sepa.writer import validate_xsd
from ontzorgen.web.i18n import money
from tests.browser.harness import (
    ConsoleErrors,
    LiveServer,
    assert_accessible,
    login_as,
    login_as_household,
    screenshot,
    watch_console,
)

# Holds both roles: the four-eyes rule, not a missing role, must stop them approving their own.
BOTH = "test-inkomen-accordeerder"


def demo_without_run(factory: sessionmaker[Session], clock: FixedClock) -> None:
    """The demo gemeente, its users and households for the demo month, but no run yet."""
    period = demo_period(clock.today())
    with unit_of_work(factory, now=clock.now()) as session:
        _ensure_gemeente(session)
    with unit_of_work(factory, now=clock.now()) as session:
        _ensure_users(session)
        add_user(session, SYSTEM, BOTH, display_name="Test Beide", gemeente="9999",
                 roles=[Role.INKOMEN, Role.ACCORDEERDER])  # fmt: skip
    with unit_of_work(factory, now=clock.now()) as session:
        _ensure_households(session, period)
        _ensure_caseload(session)


def _runs(server: LiveServer) -> list[tuple[int, str]]:
    with server.session_factory() as session:
        runs = session.scalars(select(PaymentRun).order_by(PaymentRun.id))
        return [(r.id, r.state) for r in runs]


def _run(server: LiveServer, run_id: int) -> PaymentRun:
    with server.session_factory() as session:
        run = session.get_one(PaymentRun, run_id)
        session.expunge(run)
        return run


def _csrf(page: Page) -> str:
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert token
    return token


def _prepare(page: Page, server: LiveServer) -> int:
    page.goto(server.url("/betaalruns"))
    form = page.locator("form[action='/betaalruns'][method=post]")
    expect(form.get_by_label("Periode")).to_have_value("2027-01")  # next month, prefilled
    form.get_by_role("button", name="Betaalrun voorbereiden").click()
    page.wait_for_url(re.compile(r"/betaalruns/\d+\?gedaan=aangemaakt$"))
    match = re.search(r"/betaalruns/(\d+)", page.url)
    assert match
    return int(match.group(1))


def test_prepare_approve_export_and_print(
    fresh_server: Callable[..., LiveServer], page: Page, browser: Browser,
    console_errors: ConsoleErrors,
) -> None:  # fmt: skip
    server = fresh_server(prepare=demo_without_run)
    login_as(page, server, "demo-inkomen")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Betaalruns").click()
    expect(page.get_by_text("Er zijn geen betaalruns")).to_be_visible()
    assert_accessible(page)
    run_id = _prepare(page, server)

    # The progress reached 100 % and the totals are the stored run's.
    run = _run(server, run_id)
    assert run.state == "prepared"
    assert run.prepared_by == "demo-inkomen"
    expect(page.locator("progress#voortgang-balk")).to_have_attribute("value", "100")
    expect(page.locator("#voortgang-tekst")).to_contain_text(
        f"Klaar: {run.household_count} huishoudens gepland (100 %)"
    )
    total = re.escape(money(run.total_cents).replace("\xa0", " "))  # € 69.209,04
    expect(page.locator("#run-totaal")).to_have_text(re.compile(total.replace(r"\ ", r"\s")))
    expect(page.get_by_role("heading", name="Per categorie")).to_be_visible()
    expect(page.get_by_role("heading", name="Tekorten (niet betaald)")).to_be_visible()
    expect(page.get_by_role("heading", name="Vastgehouden leefgeld")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "rundesk-run-prepared-nl")

    # A shortfall line leads to the household's plan, each line citing its rule.
    page.locator("table[aria-labelledby=tekorten-kop] a").first.click()
    expect(page.get_by_role("table", name="Het plan, regel voor regel")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(r"Participatiewet|art\.|beleid", re.I)).first
           ).to_be_visible()  # fmt: skip
    assert_accessible(page)
    page.go_back()

    # The preparer has no approve button; the page says why, and a forged POST is refused.
    expect(page.get_by_role("button", name="Betaalrun accorderen")).to_have_count(0)
    expect(page.get_by_text("U heeft deze run voorbereid.")).to_be_visible()
    forged = page.request.post(
        server.url(f"/betaalruns/{run_id}/accordering"), form={"csrf_token": _csrf(page)}
    )
    assert forged.status == 403
    assert "betaalrun accorderen" in forged.text()
    assert _run(server, run_id).state == "prepared"

    # demo-accordeerder approves, with the keyboard alone.
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    approver = context.new_page()
    approver_errors = watch_console(approver)
    login_as(approver, server, "demo-accordeerder")
    approver.goto(server.url(f"/betaalruns/{run_id}"))
    assert_accessible(approver)
    button = approver.get_by_role("button", name="Betaalrun accorderen")
    for _ in range(200):
        approver.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail("the approve button cannot be reached with Tab")
    approver.keyboard.press("Enter")
    approver.wait_for_url(re.compile(r"\?gedaan=geaccordeerd$"))
    expect(approver.get_by_text("De betaalrun is geaccordeerd.")).to_be_visible()
    assert _run(server, run_id).approved_by == "demo-accordeerder"
    assert_accessible(approver)
    assert approver_errors == []
    context.close()

    # demo-inkomen makes the file and downloads it: the stored file, valid under the XSD.
    page.reload()
    page.get_by_role("button", name="Betaalbestand maken").click()
    page.wait_for_url(re.compile(r"\?gedaan=geexporteerd$"))
    with page.expect_download() as info:
        page.get_by_role("link", name="Betaalbestand downloaden (pain.001)").click()
    content = info.value.path().read_bytes()
    with server.session_factory() as session:
        stored = session.scalars(select(RunFile).where(RunFile.run_id == run_id)).one()
        assert content == stored.content
        assert info.value.suggested_filename == stored.filename
        expect(page.locator("#bestand-sha256")).to_have_text(stored.sha256)
    assert validate_xsd(content, "pain.001.001.09") == []
    assert _run(server, run_id).state == "exported"

    # The batch overview prints without menu or language switch, with the signature line.
    page.get_by_role("link", name="Batchoverzicht om te printen").click()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Menu")).to_be_hidden()
    expect(page.get_by_text("Voor akkoord (accordeerder):")).to_be_visible()
    screenshot(page, "rundesk-batch-overview-print")
    page.emulate_media(media="screen")
    assert console_errors == []

    # A correction with nothing changed is refused with the service's reason; nothing stored.
    page.goto(server.url(f"/betaalruns/{run_id}"))
    page.get_by_label("Reden van de correctie").fill("Huurverhoging te laat doorgegeven")
    page.get_by_role("button", name="Correctierun voorbereiden").click()
    expect(page.get_by_role("alert")).to_contain_text("vindt geen verschil")
    assert [state for _, state in _runs(server)] == ["exported"]


def test_four_eyes_refuses_the_preparer_with_both_roles(
    fresh_server: Callable[..., LiveServer], page: Page
) -> None:
    server = fresh_server(prepare=demo_without_run)
    page.goto(server.url("/login/ontwikkeling"))  # one button per role: either will do
    page.get_by_role("button", name=f"Inloggen als {BOTH}", exact=True).first.click()
    page.wait_for_url(server.url("/"))
    run_id = _prepare(page, server)
    page.get_by_role("button", name="Betaalrun accorderen").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("vier ogen")
    expect(alert).to_contain_text("een tweede medewerker moet accorderen")
    assert _run(server, run_id).state == "prepared"
    assert_accessible(page)
    screenshot(page, "rundesk-four-eyes-refused")

    # Cancel needs a reason: without one a field error, with one the run is cancelled.
    page.get_by_role("button", name="Betaalrun annuleren").click()
    expect(page.locator("#fout-reason")).to_be_visible()
    assert _run(server, run_id).state == "prepared"
    page.get_by_label("Reden van de annulering").fill("Verkeerde maand")
    page.get_by_role("button", name="Betaalrun annuleren").click()
    page.wait_for_url(re.compile(r"\?gedaan=geannuleerd$"))
    expect(page.get_by_text("Reden: Verkeerde maand")).to_be_visible()
    assert _run(server, run_id).state == "cancelled"


def test_forged_token_bad_period_and_refused_roles_change_nothing(
    fresh_server: Callable[..., LiveServer], page: Page, browser: Browser
) -> None:
    server = fresh_server(prepare=demo_without_run)
    login_as(page, server, "demo-inkomen")
    page.goto(server.url("/betaalruns"))

    # A bad period: a field error tied to its field, status 422, nothing stored.
    form = page.locator("form[action='/betaalruns'][method=post]")
    form.get_by_label("Periode").fill("2027-13")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        form.get_by_role("button", name="Betaalrun voorbereiden").click()
    assert answer.value.status == 422
    field = page.locator("#veld-period")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", re.compile("fout-period"))
    expect(page.get_by_role("alert").first).to_contain_text("Controleer het formulier")
    assert_accessible(page)
    assert _runs(server) == []

    # A forged CSRF token changes nothing.
    forged = page.request.post(
        server.url("/betaalruns"),
        form={"csrf_token": "vervalst", "gemeente": "9999", "period": "2027-01"},
    )
    assert forged.status == 403
    assert "Verzoek geweigerd" in forged.text()
    assert _runs(server) == []

    # An unknown run is "niet gevonden"; a gemeente the user has no role in as well.
    missing = page.request.get(server.url("/betaalruns/987654"))
    assert missing.status == 404
    assert "Niet gevonden" in missing.text()
    other = page.request.post(
        server.url("/betaalruns"),
        form={"csrf_token": _csrf(page), "gemeente": "0363", "period": "2027-01"},
    )
    assert other.status == 404
    assert "Niet gevonden" in other.text()
    assert _runs(server) == []
    run_id = _prepare(page, server)

    # Roles that may not: Dutch 403 pages, nothing changed.
    for login, path, method, named in (
        ("demo-coach", "/betaalruns", "get", "betaalrun inzien"),
        ("demo-coach", f"/betaalruns/{run_id}", "get", "betaalrun inzien"),
        ("demo-coach", f"/betaalruns/{run_id}/bestand", "get", "Niet toegestaan"),
        ("demo-accountant", f"/betaalruns/{run_id}/accordering", "post", "betaalrun accorderen"),
        ("demo-accountant", f"/betaalruns/{run_id}/annulering", "post", "betaalrun annuleren"),
        ("demo-accountant", "/betaalruns", "post", "betaalrun voorbereiden"),
    ):
        context = browser.new_context(locale="nl-NL")
        other_page = context.new_page()
        login_as(other_page, server, login)
        if method == "get":
            response = other_page.request.get(server.url(path))
        else:
            other_page.goto(server.url("/"))
            response = other_page.request.post(server.url(path), form={
                "csrf_token": _csrf(other_page), "gemeente": "9999", "period": "2027-02",
                "reason": "zomaar",
            })  # fmt: skip
        assert response.status in (403, 404), (login, path, response.status)
        assert re.search("Niet toegestaan|Niet gevonden|Dit is niet gelukt", response.text()), path
        assert named in response.text(), (login, path)
        context.close()
    assert _runs(server) == [(run_id, "prepared")]

    # The inburgeraar: no run desk at all.
    context = browser.new_context(locale="nl-NL")
    citizen = context.new_page()
    login_as_household(citizen, server, "DEMO-0001")
    response = citizen.request.get(server.url(f"/betaalruns/{run_id}"))
    assert response.status in (403, 404)
    assert re.search("Niet toegestaan|Niet gevonden", response.text())
    context.close()


def test_the_progress_bar_follows_a_queued_run(
    fresh_server: Callable[..., LiveServer], page: Page, console_errors: ConsoleErrors
) -> None:
    """A run a worker is still preparing (PostgreSQL) shows a live bar: the page polls the
    run's progress and shows the totals once the run has left the queue."""
    server = fresh_server(prepare=demo_without_run)
    with unit_of_work(server.session_factory, now=server.clock.now()) as session:
        from ontzorgen.demo import PREPARER
        from ontzorgen.runs.service import create_run

        run = create_run(session, PREPARER, "9999", "2027-01")
        run.progress_done, run.progress_total = 12, 48
        run_id = run.id
    login_as(page, server, "demo-accordeerder")
    page.goto(server.url(f"/betaalruns/{run_id}"))
    bar = page.locator("progress#voortgang-balk")
    expect(bar).to_have_attribute("value", "25")
    expect(page.get_by_role("link", name="Vernieuwen")).to_be_visible()  # without JavaScript
    assert_accessible(page)
    with unit_of_work(server.session_factory, now=server.clock.now()) as session:
        session.get_one(PaymentRun, run_id).progress_done = 36
    expect(page.locator("#voortgang-tekst")).to_have_text(
        re.compile(r"36 van 48 huishoudens gepland \(75 %\)")
    )
    expect(bar).to_have_js_property("value", 75)
    with unit_of_work(server.session_factory, now=server.clock.now()) as session:
        from ontzorgen.demo import PREPARER
        from ontzorgen.runs.service import prepare_run

        prepare_run(session, PREPARER, run_id, today=server.clock.today(), now=server.clock.now())
    expect(page.locator("#voortgang-tekst")).to_contain_text("Klaar:", timeout=10_000)
    expect(page.get_by_role("button", name="Betaalrun accorderen")).to_be_visible()
    assert console_errors == []
    with server.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(PaymentRun)) == 1


ROLES = ["demo-inkomen", "demo-accordeerder"]


@pytest.mark.parametrize("code", ["nl", "ar"])
@pytest.mark.parametrize("login", ROLES)
def test_every_run_desk_page_is_accessible(
    page: Page, live_server: LiveServer, console_errors: ConsoleErrors, login: str, code: str
) -> None:
    login_as(page, live_server, login)
    with live_server.session_factory() as session:
        run_id = session.scalars(select(PaymentRun.id)).one()
    paths = [
        "/betaalruns", f"/betaalruns/{run_id}", f"/betaalruns/{run_id}/overzicht",
        f"/betaalruns/{run_id}/huishoudens", f"/betaalruns/{run_id}/huishoudens/DEMO-0001",
        # Refusals last: the browser logs their 4xx status as a console error.
        "/betaalruns?periode=2027-1", "/betaalruns/987654",
    ]  # fmt: skip
    for number, path in enumerate(paths):
        if number == len(paths) - 2:
            assert console_errors == []
        separator = "&" if "?" in path else "?"
        page.goto(live_server.url(f"{path}{separator}taal={code}"))
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if code == "ar" else "ltr")
        assert_accessible(page)
        if login == "demo-accordeerder" and number in (0, 4):
            screenshot(page, f"rundesk-{'list' if number == 0 else 'household-plan'}-{code}")
    if login == "demo-inkomen":
        page.goto(live_server.url(f"/betaalruns/{run_id}?taal={code}"))
        shot = screenshot(page, f"rundesk-run-{code}")
        page.screenshot(path=str(shot.with_name(f"rundesk-run-{code}-viewport.png")))
