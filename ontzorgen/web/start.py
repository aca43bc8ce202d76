# SPDX-License-Identifier: EUPL-1.2
"""The start page (what ontzorgen is; logged in: what you can do here), the accessibility
statement and the gemeente's logo. All three are public."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from ontzorgen.web.deps import CurrentSession
from ontzorgen.web.i18n import N_
from ontzorgen.web.templating import is_inburgeraar, render

router = APIRouter(include_in_schema=False)
DEFAULT_LOGO = Path(__file__).parent / "static" / "logo.svg"


@router.get("/")
def start(request: Request, resumed: CurrentSession) -> Response:
    """Anyone may see what ontzorgen is; a logged-in user also sees where to go."""
    roles = []
    if resumed is not None and not is_inburgeraar(resumed.actor):
        roles = [
            (code, ", ".join(sorted(role.value for role in found)))
            for code, found in sorted(resumed.actor.roles.items())
        ]
    return render(
        request, "start.html", {"roles": roles}, title=N_("Financieel ontzorgen"), resumed=resumed
    )


@router.get("/toegankelijkheid")
def accessibility_statement(request: Request, resumed: CurrentSession) -> Response:
    """The toegankelijkheidsverklaring every Dutch government site publishes."""
    return render(
        request, "toegankelijkheid.html", title=N_("Toegankelijkheidsverklaring"), resumed=resumed
    )


@router.get("/huisstijl/logo")
def logo(request: Request) -> Response:
    """The gemeente's logo from the configuration (ONTZORGEN_LOGO_FILE), else ontzorgen's mark."""
    path: Path | None = request.app.state.brand.logo_file
    if path is None or not path.is_file():
        path = DEFAULT_LOGO
    return FileResponse(path)
