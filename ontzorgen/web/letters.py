# SPDX-License-Identifier: EUPL-1.2
"""Letters to payees: which are due, each as a PDF on the gemeente's letterhead, and "mark
sent". Who may: whoever changes households (the inkomen-medewerker); the service decides."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from ontzorgen.api.deps import ClockDep, SessionDep
from ontzorgen.auth import Permission
from ontzorgen.auth.sessions import Resumed
from ontzorgen.clients.letters import LEAD_DAYS, Letter, due_letters, letter_for, mark_sent
from ontzorgen.clients.letters import sent_letters as recent_letters
from ontzorgen.errors import DomainError, InvalidInput
from ontzorgen.web.deps import CsrfForm, page_session
from ontzorgen.web.households import CATEGORY_LABELS, problem_page, staff_actor
from ontzorgen.web.i18n import N_, SOURCE, speaking
from ontzorgen.web.paths import page_id
from ontzorgen.web.templating import MenuItem, add_menu_item, environment, render

if TYPE_CHECKING:
    from ontzorgen.web import Brand

router = APIRouter(include_in_schema=False)
PageSession = Annotated[Resumed, Depends(page_session)]
add_menu_item(MenuItem(N_("Brieven"), "/brieven", Permission.HOUSEHOLD_WRITE))
STATIC_DIR = Path(__file__).parent / "static"
DEFAULT_LOGO = STATIC_DIR / "logo.svg"


def _back(request: Request, resumed: Resumed, error: DomainError) -> Response:
    return problem_page(request, resumed, error, back_href="/brieven",
                        back_label=N_("Naar de brieven"))  # fmt: skip


@router.get("/brieven")
def letters_page(
    request: Request, session: SessionDep, clock: ClockDep, resumed: PageSession
) -> Response:
    """The letters due today, and the ones marked sent lately."""
    try:
        actor = staff_actor(resumed)
        due = due_letters(session, actor, clock.today())
        sent = recent_letters(session, actor)
    except DomainError as error:
        return _back(request, resumed, error)
    return render(
        request, "letters.html",
        {"due": due, "sent": sent, "today": clock.today(), "lead_days": LEAD_DAYS,
         "confirmation": request.query_params.get("verstuurd") == "1",
         "category_labels": CATEGORY_LABELS},
        title=N_("Brieven aan betaalontvangers"), resumed=resumed,
    )  # fmt: skip


def letter_pdf(brand: Brand, letter: Letter, today: date) -> bytes:
    """The letter as a PDF, in Dutch, on the letterhead of the configuration (``brand``: the
    organisation's name and logo) with the gemeente's name."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    logo: Path = brand.logo_file if brand.logo_file and brand.logo_file.is_file() else DEFAULT_LOGO
    with speaking(SOURCE):  # a letter to a Dutch organisation: always Dutch
        html = environment().get_template("letter.html").render(
            letter=letter, brand=brand, logo_url=logo.resolve().as_uri(), today=today,
            category_labels=CATEGORY_LABELS,
            css_url=(STATIC_DIR / "letter.css").resolve().as_uri(),
        )  # fmt: skip
    pdf: bytes = HTML(string=html, base_url=str(STATIC_DIR)).write_pdf()
    return pdf


@router.get("/brieven/{contract_id}/{kind}")
def letter_download(
    request: Request, contract_id: str, kind: str, session: SessionDep, clock: ClockDep,
    resumed: PageSession,
) -> Response:  # fmt: skip
    """One letter as a PDF (the view is logged)."""
    try:
        letter = letter_for(session, staff_actor(resumed), page_id(contract_id), kind)
    except DomainError as error:
        return _back(request, resumed, error)
    filename = f"brief-{kind}-{letter.contract_reference}-{letter.effective_date.isoformat()}.pdf"
    return Response(
        letter_pdf(request.app.state.brand, letter, clock.today()), media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )  # fmt: skip


@router.post("/brieven/{contract_id}/{kind}/verzonden")
async def letter_sent(
    request: Request, contract_id: str, kind: str, session: SessionDep, resumed: CsrfForm
) -> Response:
    """Mark the letter sent (once); the date it named comes with the form."""
    form = await request.form()
    try:
        actor = staff_actor(resumed)
        try:
            named = date.fromisoformat(str(form.get("effective_date", "")))
        except ValueError:
            raise InvalidInput("effective_date", "geen geldige datum") from None
        mark_sent(session, actor, page_id(contract_id), kind, named)
    except InvalidInput as error:
        reason = "; ".join(p.reason for p in error.problems) or error.detail
        return _back(request, resumed, InvalidInput("effective_date", reason))
    except DomainError as error:
        return _back(request, resumed, error)
    return RedirectResponse("/brieven?verstuurd=1#bevestiging", status_code=303)
