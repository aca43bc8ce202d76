# SPDX-License-Identifier: EUPL-1.2
"""The start page: what ontzorgen is; when logged in, who you are and a logout form."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from ontzorgen.auth import Actor
from ontzorgen.web.deps import CurrentSession
from ontzorgen.web.html import escape, hidden_csrf, page

router = APIRouter(include_in_schema=False)

ABOUT = (
    "<p>ontzorgen helpt gemeenten bij financieel ontzorgen van inburgeraars "
    "(Participatiewet artikel 56a): de gemeente betaalt de vaste lasten, zoals huur en "
    "energie, rechtstreeks en zet het leefgeld apart.</p>"
)


def _who(actor: Actor) -> str:
    # The login name and roles only: an inburgeraar's label names a household id, never a BSN.
    roles = [
        f"<li>gemeente {escape(code)}: {escape(', '.join(sorted(r.value for r in found)))}</li>"
        for code, found in sorted(actor.roles.items())
    ]
    listed = "<ul>\n" + "\n".join(roles) + "\n</ul>" if roles else "<p>U heeft nog geen rollen.</p>"
    return f"<p>U bent ingelogd als <strong>{escape(actor.user_id)}</strong>.</p>\n{listed}"


@router.get("/")
def start(resumed: CurrentSession) -> Response:
    """Anyone may see what ontzorgen is; a logged-in user also sees who they are."""
    if resumed is None:
        return page("ontzorgen", ABOUT + '\n<p><a href="/login">Inloggen</a></p>')
    logout = (
        '<form method="post" action="/logout">'
        f'{hidden_csrf(resumed.csrf_token)}<button type="submit">Uitloggen</button></form>'
    )
    return page("ontzorgen", f"{ABOUT}\n{_who(resumed.actor)}\n{logout}")
