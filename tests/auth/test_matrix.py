# SPDX-License-Identifier: EUPL-1.2
"""The authorization matrix: every route × every role (and anonymous) × a target household.

EXPECTED is written by hand from the roles as the issue describes them, independent of
ontzorgen/auth/roles.py, so it checks the implementation instead of restating it. A route of
the app without a row here fails the test. Each case runs on its own copy of one seeded SQLite
file, with a real login session (cookie and CSRF header).

Levels: "-" nothing; "eigen" only the own target (the coach's caseload, the inburgeraar's own
household); "gemeente" everything in the own gemeente; "alle" all three targets (routes that
name no gemeente). Nobody here has a role in the other gemeente, so "gemeente" denies it.
Allowed = the answer is not 401/403/404 (a 409 or 422 from the domain: the check passed);
denied = 403 or 404 (anonymous: 401 on the API, a 303 to /login on pages).
"""

from __future__ import annotations

import base64
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, routing
from fastapi.testclient import TestClient

from ontzorgen.api.app import create_app
from ontzorgen.auth.sessions import COOKIE, CSRF_HEADER
from ontzorgen.config import Settings
from ontzorgen.db import make_engine, make_session_factory
from tests.auth.matrix_world import (
    APP_CLOCK,
    HOME,
    OTHER,
    OWN_HOUSEHOLD,
    SAME_GEMEENTE_HOUSEHOLD,
    World,
    build_world,
)
from tests.factories import DATA

SUBJECTS = ("inkomen-medewerker", "accordeerder", "budgetcoach", "accountant", "beheerder",
            "inburgeraar", "anoniem")  # fmt: skip
TARGETS = ("eigen", "zelfde-gemeente", "andere-gemeente")
ALLOWED_TARGETS = {
    "-": (),
    "eigen": ("eigen",),
    "gemeente": ("eigen", "zelfde-gemeente"),
    "alle": TARGETS,
}
# Public or not about authorization: health, the API's documentation, the login itself.
EXCLUDED = re.compile(r"^/(healthz|docs|redoc|openapi\.json|docs-assets|login)(/|$)")


def row(default: str = "-", **levels: str) -> dict[str, str]:
    """A route's row: the level per subject (keyword names with _ for -), ``default`` for
    the rest; anonymous is "-" unless named."""
    named = {name.replace("_", "-"): level for name, level in levels.items()}
    return {s: named.get(s, "-" if s == "anoniem" else default) for s in SUBJECTS}


API = "/api/v1"
G = "/api/v1/gemeenten/{gemeente}"
R = "/api/v1/betaalruns/{run_id}"
PR = "/betaalruns/{run_id}"  # the run desk's pages
BANK = "/bank/{gemeente}"
# The desk's pages that only show (GET), under BANK.
BANK_PAGES = (
    "", "/bestanden/{file_id}", "/afstemming/{period}", "/afstemming/{period}/csv",
    "/betaalruns/{run_id}", "/betaalruns/{run_id}/csv", "/betalingen/{payment_id}",
    "/nog-te-bepalen", "/afletteren", "/grootboek",
    "/grootboek/huishoudens/{household}", "/grootboek/huishoudens/{household}/csv",
    "/grootboek/begunstigden/{payee}", "/grootboek/begunstigden/{payee}/csv",
    "/proefbalans/{period}", "/proefbalans/{period}/csv",
)  # fmt: skip
STAFF_READERS = {"inkomen_medewerker": "gemeente", "accordeerder": "gemeente",
                 "accountant": "gemeente"}  # fmt: skip

# The household file's change forms (page, form body).
H = "/huishoudens/{household_id}"
HC = "/huishoudens/{household_id}/contracten/{contract_id}"
PAGE_FORMS: dict[str, dict[str, str]] = {
    "/huishoudens": {"referentie": "HH-2026"},
    f"{HC}/bedrag": {"valid_from": "2027-02-01", "amount": "750,00"},
    f"{HC}/overdracht": {"handover_date": "2027-04-01"},
    f"{HC}/betaalontvanger": {"iban": "NL91ABNA0417164300", "bic": ""},
    f"{H}/rekening": {"iban": "NL91ABNA0417164300", "iban_name": "Y. Al-Hamdan"},
    f"{H}/bijstand-einde": {"end": "2027-03-31"},
    f"{H}/verlenging": {"ground": "consent", "reason": "Verzoek van de inwoner",
                        "end_date": "2027-09-30"},
}  # fmt: skip

EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    # Gemeenten: the list shows only where one works (an empty list for nobody's gemeente).
    ("GET", f"{API}/gemeenten"): row("alle"),
    # Registering a gemeente is the installation's administrator's, no gemeente role's.
    ("POST", f"{API}/gemeenten"): row(),
    ("GET", f"{API}/gemeenten/{{ref}}"): row(**STAFF_READERS, beheerder="gemeente"),
    ("PATCH", f"{API}/gemeenten/{{ref}}"): row(beheerder="gemeente"),
    # Households and contracts: the inkomen-medewerker's.
    ("POST", f"{API}/imports"): row(inkomen_medewerker="gemeente"),
    # The plan: staff who work with households; the coach and the inburgeraar their own only.
    # The accountant sees households too: it decides whose money returned money is.
    ("GET", f"{G}/huishoudens/{{household}}/maandplannen/{{period}}"): row(
        **STAFF_READERS, budgetcoach="eigen", inburgeraar="eigen"
    ),
    ("POST", f"{G}/contracten/{{contract}}/bedragen"): row(inkomen_medewerker="gemeente"),
    ("PUT", f"{G}/huishoudens/{{household}}/rekening"): row(inkomen_medewerker="gemeente"),
    ("PUT", f"{G}/huishoudens/{{household}}/bijstand/einde"): row(inkomen_medewerker="gemeente"),
    ("POST", f"{G}/huishoudens/{{household}}/verlengingen"): row(inkomen_medewerker="gemeente"),
    ("PUT", f"{G}/contracten/{{contract}}/overdracht"): row(inkomen_medewerker="gemeente"),
    ("PUT", f"{G}/betaalontvangers/{{payee}}/rekening"): row(inkomen_medewerker="gemeente"),
    # Runs: prepared, cancelled and exported by inkomen, approved by the accordeerder; the
    # accountant reads them.
    ("POST", f"{API}/betaalruns"): row(inkomen_medewerker="gemeente"),
    ("GET", R): row(**STAFF_READERS),
    ("POST", f"{R}/accordering"): row(accordeerder="gemeente"),
    ("POST", f"{R}/export"): row(inkomen_medewerker="gemeente"),
    ("GET", f"{R}/bestand"): row(**STAFF_READERS),
    ("POST", f"{R}/annulering"): row(inkomen_medewerker="gemeente"),
    # Bank feedback: the accountant's; payment statuses for everyone who sees the household.
    ("POST", f"{G}/bankbestanden"): row(accountant="gemeente"),
    ("GET", f"{G}/bankbestanden/{{file_id}}"): row(accountant="gemeente"),
    ("GET", f"{G}/betalingen/{{payment_id}}"): row(
        **STAFF_READERS, budgetcoach="eigen", inburgeraar="eigen"
    ),
    # The run's payment list, for the coach and the inburgeraar cut to their own household's
    # payments (and totals): allowed for the run, so "gemeente" here; see
    # test_run_payments_show_only_the_own_household.
    ("GET", f"{R}/betalingen"): row(
        **STAFF_READERS, budgetcoach="gemeente", inburgeraar="gemeente"
    ),
    ("POST", f"{G}/besluiten"): row(accountant="gemeente"),
    ("GET", f"{G}/afstemming/{{period}}"): row(accountant="gemeente"),
    ("GET", f"{R}/afstemming"): row(accountant="gemeente"),
    ("GET", f"{G}/open-posten"): row(accountant="gemeente"),
    ("POST", f"{G}/besluiten/{{decision_id}}/accordering"): row(accordeerder="gemeente"),
    ("POST", f"{G}/perioden/{{period}}/afsluiting"): row(accountant="gemeente"),
    # The beheerder: users, roles, caseloads and the audit log; no household data.
    ("GET", f"{G}/gebruikers"): row(beheerder="gemeente"),
    ("POST", f"{G}/gebruikers"): row(beheerder="gemeente"),
    ("PUT", f"{G}/gebruikers/{{login}}/rollen"): row(beheerder="gemeente"),
    ("POST", f"{G}/huishoudens/{{household}}/coach"): row(beheerder="gemeente"),
    ("GET", f"{G}/auditlog"): row(beheerder="gemeente"),
    # Pages: the start page is public; logging out needs a session.
    ("GET", "/"): row("alle", anoniem="alle"),
    ("GET", "/toegankelijkheid"): row("alle", anoniem="alle"),
    # The beheerder's page: users, roles and the audit log (page and CSV).
    ("GET", "/beheer"): row(beheerder="alle"),
    ("GET", "/beheer/{gemeente}"): row(beheerder="gemeente"),
    ("GET", "/beheer/{gemeente}/auditlog.csv"): row(beheerder="gemeente"),
    ("GET", "/huisstijl/logo"): row("alle", anoniem="alle"),
    ("POST", "/logout"): row("alle"),
    # The run desk (pages over the same services as the API's runs): read by inkomen, the
    # accordeerder and the accountant; prepare, cancel, export and correct by inkomen; approve
    # by the accordeerder. The list names no gemeente: it shows the readable ones.
    ("GET", "/betaalruns"): row(inkomen_medewerker="alle", accordeerder="alle", accountant="alle"),
    ("POST", "/betaalruns"): row(inkomen_medewerker="gemeente"),
    ("GET", PR): row(**STAFF_READERS),
    ("GET", f"{PR}/voortgang"): row(**STAFF_READERS),
    ("POST", f"{PR}/accordering"): row(accordeerder="gemeente"),
    ("POST", f"{PR}/export"): row(inkomen_medewerker="gemeente"),
    ("POST", f"{PR}/annulering"): row(inkomen_medewerker="gemeente"),
    ("POST", f"{PR}/correctie"): row(inkomen_medewerker="gemeente"),
    ("GET", f"{PR}/bestand"): row(**STAFF_READERS),
    ("GET", f"{PR}/overzicht"): row(**STAFF_READERS),
    ("GET", f"{PR}/huishoudens"): row(**STAFF_READERS),
    ("GET", f"{PR}/huishoudens/{{household}}"): row(**STAFF_READERS),
    # The inburgeraar's month: only their own household (no placeholder: the page finds it
    # from the login); staff get a 403 page that sends them to their own pages.
    ("GET", "/mijn-maand"): row(inburgeraar="alle"),
    ("GET", "/mijn-maand/pdf"): row(inburgeraar="alle"),
    # The household file: staff who see households (the coach the caseload); the inburgeraar
    # has their own pages. The changes and the letters to payees: the inkomen-medewerker's.
    ("GET", "/huishoudens"): row(**{k: "alle" for k in STAFF_READERS}, budgetcoach="alle"),
    ("POST", "/huishoudens"): row(**{k: "alle" for k in STAFF_READERS}, budgetcoach="alle"),
    ("GET", "/huishoudens/{household_id}"): row(**STAFF_READERS, budgetcoach="eigen"),
    **{
        (method, path): row(inkomen_medewerker="gemeente")
        for path in PAGE_FORMS
        if path != "/huishoudens"
        for method in ("GET", "POST")
    },
    ("GET", "/brieven"): row(inkomen_medewerker="alle"),
    ("GET", "/brieven/{contract_id}/{kind}"): row(inkomen_medewerker="gemeente"),
    ("POST", "/brieven/{contract_id}/{kind}/verzonden"): row(inkomen_medewerker="gemeente"),
    # The accountant's desk (pages): the bank files, the reconciliation, afletteren, the
    # ledger, the trial balance and closing a month are the accountant's only.
    ("GET", "/bank"): row(accountant="alle"),
    **{("GET", f"{BANK}{suffix}"): row(accountant="gemeente") for suffix in BANK_PAGES},
    ("POST", f"{BANK}/bestanden/bekijken"): row(accountant="gemeente"),
    ("POST", f"{BANK}/bestanden/inlezen"): row(accountant="gemeente"),
    ("POST", f"{BANK}/afletteren"): row(accountant="gemeente"),
    ("POST", f"{BANK}/betalingen/{{payment_id}}/besluit"): row(accountant="gemeente"),
    ("POST", f"{BANK}/perioden/{{period}}/afsluiting"): row(accountant="gemeente"),
}


def app_routes() -> set[tuple[str, str]]:
    """(method, path template) of every route of the app, but the excluded ones."""
    app = create_app(Settings(database_url="sqlite:///unused.sqlite3"))
    # FastAPI keeps included routers as such; iter_route_contexts gives their routes' full paths.
    paths = [(c.path or "", c.original_route) for c in routing.iter_route_contexts(app.routes)]
    return {
        (str(method), path)
        for path, route in paths
        for method in getattr(route, "methods", None) or ()
        if method != "HEAD" and not EXCLUDED.match(path)
    }


def test_every_route_has_a_row() -> None:
    routes = app_routes()
    assert sorted(routes - EXPECTED.keys()) == [], "routes without a rule in EXPECTED"
    assert sorted(EXPECTED.keys() - routes) == [], "rules for routes the app no longer has"


CAMT = base64.b64encode((DATA / "bank" / "genkgo-camt" / "camt053.v2.minimal.xml").read_bytes())


def body_for(path: str, gemeente: str, coach: str) -> Any:
    """A valid body for an unsafe route (KeyError: a route whose body is unknown)."""
    from tests.auth.matrix_world import import_for

    bodies: dict[str, Any] = {
        f"{API}/gemeenten": {
            "code": "0518",
            "name": "Gemeente 0518",
            "debtor_name": "Gemeente 0518",
            "debtor_iban": "NL14BNGH0285001234",
            "policy": {
                "minimum_leefgeld_cents": 30000,
                "minimum_leefgeld_per_extra_member_cents": 10000,
            },
        },
        f"{API}/gemeenten/{{ref}}": {"name": "Gemeente hernoemd"},
        f"{API}/imports": import_for(gemeente),
        f"{G}/contracten/{{contract}}/bedragen": {
            "valid_from": "2027-02-01",
            "amount_cents": 75000,
        },
        f"{G}/huishoudens/{{household}}/rekening": {
            "iban": "NL91ABNA0417164300",
            "iban_name": "Y. Al-Hamdan",
        },
        f"{G}/huishoudens/{{household}}/bijstand/einde": {"end": "2027-03-31"},
        f"{G}/huishoudens/{{household}}/verlengingen": {
            "ground": "consent",
            "reason": "Verzoek van de inwoner",
            "end_date": "2027-09-30",
        },
        f"{G}/contracten/{{contract}}/overdracht": {"handover_date": "2027-04-01"},
        f"{G}/betaalontvangers/{{payee}}/rekening": {"iban": "NL91ABNA0417164300"},
        f"{API}/betaalruns": {"gemeente": gemeente, "period": "2027-01"},
        f"{R}/accordering": {},
        f"{R}/export": {"version": "pain.001.001.09"},
        f"{R}/annulering": {"reason": "Fout in de huur"},
        f"{G}/bankbestanden": {"filename": "camt053.xml", "content_base64": CAMT.decode()},
        f"{G}/besluiten": {"action": "vasthouden", "reason": "Wacht op het juiste IBAN"},
        f"{G}/perioden/{{period}}/afsluiting": {},
        f"{G}/besluiten/{{decision_id}}/accordering": {},
        f"{G}/gebruikers": {
            "login": "nieuw.lid",
            "display_name": "Nieuw Lid",
            "roles": ["budgetcoach"],
        },
        f"{G}/gebruikers/{{login}}/rollen": {"roles": ["accountant"]},
        f"{G}/huishoudens/{{household}}/coach": {"coach": coach},
    }
    return bodies[path]


def form_for(path: str, gemeente: str) -> dict[str, str]:
    """The fields of a page's POST form (beside its CSRF token)."""
    forms: dict[str, dict[str, str]] = {
        "/betaalruns": {"gemeente": gemeente, "period": "2027-01"},
        f"{PR}/accordering": {},
        f"{PR}/export": {},
        f"{PR}/annulering": {"reason": "Fout in de huur"},
        f"{PR}/correctie": {"correction_reason": "Huurverhoging te laat doorgegeven"},
        "/brieven/{contract_id}/{kind}/verzonden": {"effective_date": "2026-12-01"},
    }
    return forms.get(path, {})


# The fields of the accountant's desk's forms (the CSRF field is added to each).
BANK_FORMS: dict[str, dict[str, str]] = {
    # No open bank item in this world: without one the form sends the user to the list (303).
    f"{BANK}/afletteren": {"bankpost": "", "huishouden": OWN_HOUSEHOLD, "reden": "terug"},
    f"{BANK}/betalingen/{{payment_id}}/besluit": {"actie": "vasthouden", "reden": "wacht"},
}
PAGE_FILES: dict[str, dict[str, tuple[str, bytes, str]]] = {
    f"{BANK}/bestanden/bekijken": {"bestand": ("camt053.xml", base64.b64decode(CAMT), "text/xml")},
}


def fill(world: World, path: str, target: str) -> tuple[str, Any]:
    """The concrete path (and body of an unsafe route) for ``target``."""
    code = OTHER if target == "andere-gemeente" else HOME
    household = SAME_GEMEENTE_HOUSEHOLD if target == "zelfde-gemeente" else OWN_HOUSEHOLD
    number = "0002" if household == SAME_GEMEENTE_HOUSEHOLD else "0001"
    data = world.data[code]
    values = {
        "gemeente": code, "ref": code, "household": household, "period": "2026-12",
        "contract": f"C-{number}-HUUR", "payee": "WS-WATERLAND", "run_id": data.run_id,
        "file_id": data.bank_file_id, "payment_id": data.huur_payment[household],
        "decision_id": data.decision[household], "login": data.coach_login,
        "household_id": data.household_ids[household],
        "contract_id": data.contract_ids[f"C-{number}-HUUR"], "kind": "start",
    }  # fmt: skip
    concrete = re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)
    return concrete, values


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("matrix"))


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[tuple[FastAPI, TestClient]]:
    # One app; each case points its sessions at its own copy of the world.
    # The login rate limit (per client address) would answer 429 to the many /logout cases.
    settings = Settings(database_url=f"sqlite:///{world.template}", login_rate_per_minute=10_000)
    app = create_app(settings, clock=APP_CLOCK)
    with TestClient(app) as client:
        yield app, client


CASES = [
    pytest.param(method, path, subject, target, id=f"{method} {path} × {subject} × {target}")
    for (method, path), levels in sorted(EXPECTED.items())
    for subject in SUBJECTS
    for target in TARGETS
]


def test_rows_name_every_subject_with_a_known_level() -> None:
    for levels in EXPECTED.values():
        assert set(levels) == set(SUBJECTS)
        assert set(levels.values()) <= set(ALLOWED_TARGETS)


@pytest.mark.parametrize(("method", "path", "subject", "target"), CASES)
def test_matrix(
    world: World, client: tuple[FastAPI, TestClient], tmp_path: Path, method: str, path: str,
    subject: str, target: str,
) -> None:  # fmt: skip
    app, browser = client
    copy = tmp_path / "case.sqlite3"
    shutil.copyfile(world.template, copy)
    engine = make_engine(f"sqlite:///{copy}")
    app.state.session_factory = make_session_factory(engine, clock=APP_CLOCK)
    concrete, values = fill(world, path, target)
    headers: dict[str, str] = {}
    if subject != "anoniem":
        login = world.logins[subject]
        headers = {"Cookie": f"{COOKIE}={login.token}", CSRF_HEADER: login.csrf_token}
    kwargs: dict[str, Any] = {}
    if path == "/logout":
        kwargs["data"] = {"csrf_token": headers.get(CSRF_HEADER, "")}
    elif method == "POST" and not path.startswith("/api/"):
        # A page's form: the CSRF field, and the fields (or file) of that form.
        body = PAGE_FORMS.get(path) or BANK_FORMS.get(path) or form_for(path, values["gemeente"])
        kwargs["data"] = {"csrf_token": headers.get(CSRF_HEADER, ""), **body}
        if path in PAGE_FILES:
            kwargs["files"] = PAGE_FILES[path]
    elif method in ("POST", "PUT", "PATCH"):
        coach = world.data[values["gemeente"]].coach_login
        kwargs["json"] = body_for(path, values["gemeente"], coach)
    browser.cookies.clear()
    try:
        response = browser.request(method, concrete, headers=headers, follow_redirects=False,
                                   **kwargs)  # fmt: skip
    finally:
        engine.dispose()
    allowed = target in ALLOWED_TARGETS[EXPECTED[(method, path)][subject]]
    status = response.status_code
    assert status < 500, response.text
    if allowed:
        assert status not in (401, 403, 404), f"expected allowed, got {status}: {response.text}"
        assert response.headers.get("location") != "/login", "expected allowed, sent to /login"
    elif subject == "anoniem":
        expected = 401 if path.startswith("/api/") else 303
        assert status == expected, f"anonymous expected {expected}, got {status}"
    else:
        assert status in (403, 404), f"expected denied, got {status}: {response.text[:300]}"


@pytest.mark.parametrize("subject", ["budgetcoach", "inburgeraar"])
def test_run_payments_show_only_the_own_household(
    world: World, client: tuple[FastAPI, TestClient], tmp_path: Path, subject: str
) -> None:
    app, browser = client
    copy = tmp_path / "case.sqlite3"
    shutil.copyfile(world.template, copy)
    engine = make_engine(f"sqlite:///{copy}")
    app.state.session_factory = make_session_factory(engine, clock=APP_CLOCK)
    data, login = world.data[HOME], world.logins[subject]
    browser.cookies.clear()
    response = browser.get(f"{API}/betaalruns/{data.run_id}/betalingen",
                           headers={"Cookie": f"{COOKIE}={login.token}"})  # fmt: skip
    engine.dispose()
    assert response.status_code == 200, response.text
    shown = {p["payment_id"] for p in response.json()["payments"]}
    assert data.huur_payment[OWN_HOUSEHOLD] in shown
    assert data.huur_payment[SAME_GEMEENTE_HOUSEHOLD] not in shown
