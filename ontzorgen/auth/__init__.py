# SPDX-License-Identifier: EUPL-1.2
"""Who is acting. Every service function that changes something receives an :class:`Actor`.

Login (OIDC) and roles come in a later issue; the actor is already threaded through every
service call so that permission checks and the audit log have a place to hook in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ontzorgen.errors import InvalidInput

_USER_ID = re.compile(r"^[A-Za-z0-9._@-]{1,64}$")


@dataclass(frozen=True, slots=True)
class Actor:
    """A user (or the system) doing something: a login name, never a person's BSN or name."""

    user_id: str

    def __post_init__(self) -> None:
        if not _USER_ID.match(self.user_id):
            raise InvalidInput(
                "user_id", "a user id is 1-64 letters, digits or . _ @ - (no spaces)"
            )


SYSTEM = Actor("system")
