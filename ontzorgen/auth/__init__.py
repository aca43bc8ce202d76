# SPDX-License-Identifier: EUPL-1.2
"""Who is acting, with which roles, in which gemeenten.

Every service function receives an :class:`Actor`. It is built once per request or command by
the login (API and pages: an OIDC session or bearer token; CLI: ``--as`` naming an existing
user) from the user's roles as stored, and services ask it, never the route, what it may do.
The actor holds no personal data: a login name, never a BSN or a person's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ontzorgen.auth.roles import (
    ROLE_HOUSEHOLDS,
    ROLE_PERMISSIONS,
    HouseholdScope,
    Permission,
    Role,
)
from ontzorgen.errors import InvalidInput, NotPermitted

_USER_ID = re.compile(r"^[A-Za-z0-9._@:-]{1,64}$")
CHANNELS = ("api", "web", "cli", "worker", "system")


@dataclass(frozen=True, slots=True)
class Actor:
    """A user (or the system) doing something.

    ``roles`` maps a gemeente's CBS code to the user's roles there; ``households`` are the
    inburgeraar's own households. ``system`` is the installation itself (migrations, the job
    worker finishing what a user started, the operator on the CLI): it may do anything, and no
    login ever yields it.
    """

    user_id: str
    roles: Mapping[str, frozenset[Role]] = field(default_factory=dict)
    households: frozenset[int] = frozenset()
    channel: str = "api"
    os_user: str | None = None
    system: bool = False
    installation_admin: bool = False  # may register gemeenten; sees no gemeente's data

    def __post_init__(self) -> None:
        if not _USER_ID.match(self.user_id):
            raise InvalidInput(
                "user_id", "een gebruikersnaam is 1-64 letters, cijfers of . _ @ : - (geen spaties)"
            )
        if self.channel not in CHANNELS:
            raise ValueError(f"unknown channel {self.channel!r}")

    def __hash__(self) -> int:
        return hash((self.user_id, self.channel, self.system))

    def can(self, permission: Permission, gemeente: str) -> bool:
        """May this actor do ``permission`` in the gemeente with CBS code ``gemeente``?"""
        if self.system:
            return True
        return any(permission in ROLE_PERMISSIONS[role] for role in self.roles.get(gemeente, ()))

    def gemeenten_with(self, permission: Permission) -> frozenset[str]:
        """The CBS codes of the gemeenten where this actor may do ``permission``."""
        return frozenset(code for code in self.roles if self.can(permission, code))

    def require(self, permission: Permission, gemeente: str) -> None:
        """Refuse (403, in Dutch) unless this actor may do ``permission`` in ``gemeente``."""
        if not self.can(permission, gemeente):
            raise NotPermitted(f"u heeft geen recht om dit te doen: {permission.value}")

    def require_administration(self, permission: Permission, gemeente: str) -> None:
        """Like :meth:`require`, but the installation's administrator may too: tenant
        administration (users, retention), never a household's data."""
        if not self.installation_admin:
            self.require(permission, gemeente)

    def household_scope(self, gemeente: str) -> HouseholdScope:
        """How many of the gemeente's households this actor may see."""
        if self.system:
            return HouseholdScope.ALL
        return max(
            (ROLE_HOUSEHOLDS[role] for role in self.roles.get(gemeente, ())),
            default=HouseholdScope.NONE,
        )


def staff(
    user_id: str, roles: Iterable[Role], gemeenten: Iterable[str], *, channel: str = "api"
) -> Actor:
    """An actor with the same ``roles`` in each of ``gemeenten`` (tests, demo, benchmarks)."""
    granted = frozenset(roles)
    return Actor(user_id, roles={code: granted for code in gemeenten}, channel=channel)


SYSTEM = Actor("system", channel="system", system=True)


def on_behalf_of(user_id: str, *, channel: str = "worker") -> Actor:
    """The system finishing a step a user was allowed to start (the run worker's prepare):
    the user's name is recorded as the one who acted, their permission was checked at start."""
    return Actor(user_id, channel=channel, system=True)


__all__ = ["SYSTEM", "Actor", "HouseholdScope", "Permission", "Role", "on_behalf_of", "staff"]
