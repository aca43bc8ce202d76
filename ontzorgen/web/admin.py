# SPDX-License-Identifier: EUPL-1.2
"""The beheerder's page: who works in the gemeente with which roles, and the audit log (who did
or saw what), on the page and as CSV for an AVG inzageverzoek.

Thin: the user list and the log come from the same services as the API and the CLI, which
check the permission and log the reading of the log itself.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from ontzorgen.api.deps import SessionDep
from ontzorgen.auth import Permission, audit, users
from ontzorgen.auth.sessions import Resumed
from ontzorgen.errors import DomainError, NotFound
from ontzorgen.web.deps import page_session
from ontzorgen.web.html import domain_error_page
from ontzorgen.web.i18n import N_
from ontzorgen.web.paths import gemeente_choice, gemeente_code, is_reference
from ontzorgen.web.templating import MenuItem, add_menu_item, render

router = APIRouter(include_in_schema=False)
add_menu_item(MenuItem(N_("Beheer"), "/beheer", Permission.AUDIT_READ))

PageSession = Annotated[Resumed, Depends(page_session)]
PAGE_ROWS: Final = 200  # the page shows the newest rows; the CSV has them all


def _household(text: str | None) -> str | None:
    """The household reference of the filter; a reference is no personal data."""
    if not text:
        return None
    if not is_reference(text):
        raise NotFound("een huishoudreferentie is 1-35 letters, cijfers of . _ -")
    return text


@router.get("/beheer")
def admin_choice(request: Request, resumed: PageSession) -> Response:
    """The gemeente where the user is beheerder, or a choice."""
    return gemeente_choice(request, resumed, Permission.AUDIT_READ, "/beheer", title=N_("Beheer"))


@router.get("/beheer/{gemeente}")
def admin_page(
    gemeente: str,
    request: Request,
    session: SessionDep,
    resumed: PageSession,
    huishouden: str | None = None,
) -> Response:
    """The users and their roles, and the newest lines of the audit log (of one household)."""
    try:
        code = gemeente_code(gemeente)
        reference = _household(huishouden)
        people = users.list_users(session, resumed.actor, code)
        rows = audit.audit_rows(
            session, resumed.actor, code, household_ref=reference, newest=PAGE_ROWS
        )
    except DomainError as error:
        return domain_error_page(request, resumed, error, back_href="/beheer")
    return render(
        request,
        "admin.html",
        {"code": code, "people": people, "rows": rows, "household": reference or "",
         "page_rows": PAGE_ROWS},
        title=N_("Beheer"),
        resumed=resumed,
    )  # fmt: skip


@router.get("/beheer/{gemeente}/auditlog.csv")
def admin_audit_csv(
    gemeente: str,
    request: Request,
    session: SessionDep,
    resumed: PageSession,
    huishouden: str | None = None,
) -> Response:
    """The whole audit log (of one household) as CSV: semicolons, UTF-8, times in UTC."""
    try:
        code = gemeente_code(gemeente)
        reference = _household(huishouden)
        rows = audit.audit_rows(session, resumed.actor, code, household_ref=reference)
    except DomainError as error:
        return domain_error_page(request, resumed, error, back_href="/beheer")
    name = f"auditlog-{code}-{reference}.csv" if reference else f"auditlog-{code}.csv"
    return Response(
        audit.audit_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
