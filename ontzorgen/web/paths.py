# SPDX-License-Identifier: EUPL-1.2
"""What a page's address names (a gemeente, a month, a household reference), checked with the
project's own patterns (ontzorgen.validation): anything else is "niet gevonden", never a 500.
And the step every per-gemeente desk starts with: the one gemeente of the user, or a choice."""

from __future__ import annotations

import re
from typing import Final

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from ontzorgen.auth import Permission
from ontzorgen.auth.sessions import Resumed
from ontzorgen.errors import NotFound, NotPermitted
from ontzorgen.validation import (
    GEMEENTE_CODE_PATTERN,
    MAX_ID,
    PERIOD_PATTERN,
    REFERENCE_PATTERN,
)
from ontzorgen.web.html import domain_error_page
from ontzorgen.web.templating import render

PERIOD: Final = re.compile(PERIOD_PATTERN)
_CODE: Final = re.compile(GEMEENTE_CODE_PATTERN)
_REFERENCE: Final = re.compile(REFERENCE_PATTERN)
MAX_REFERENCE: Final = 35  # as the import format allows


def page_id(text: str) -> int:
    """A database id from an address; 0 for anything that cannot be one. No row has id 0, so
    the service answers "niet gevonden"."""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return 0
    value = int(text)
    return value if value <= MAX_ID else 0


def gemeente_code(text: str) -> str:
    if not _CODE.match(text):
        raise NotFound("deze gemeente bestaat niet")
    return text


def period_label(text: str) -> str:
    if not PERIOD.match(text):
        raise NotFound("een maand als JJJJ-MM, bijvoorbeeld 2026-12")
    return text


def is_reference(text: str) -> bool:
    """A household, contract or payee reference (a reference is no personal data)."""
    return 0 < len(text) <= MAX_REFERENCE and _REFERENCE.match(text) is not None


def gemeente_choice(
    request: Request, resumed: Resumed, permission: Permission, base: str, *, title: str
) -> Response:
    """The desk at ``base`` of the one gemeente where the user has ``permission`` (the query
    kept), a choice when there are several, a 403 naming the permission when there is none."""
    codes = sorted(resumed.actor.gemeenten_with(permission))
    if len(codes) == 1:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"{base}/{codes[0]}{query}", status_code=303)
    if not codes:
        error = NotPermitted(f"hiervoor heeft u het recht '{permission.value}' nodig")
        return domain_error_page(request, resumed, error)
    return render(
        request, "gemeente_choice.html", {"codes": codes, "base": base}, title=title,
        resumed=resumed,
    )  # fmt: skip
