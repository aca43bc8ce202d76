# SPDX-License-Identifier: EUPL-1.2
"""Dependencies shared by the routers: the unit of work per request and the acting user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session, sessionmaker

from ontzorgen.auth import Actor
from ontzorgen.clock import Clock
from ontzorgen.db import unit_of_work


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request: committed when the route returns, rolled back on error."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    with unit_of_work(factory) as session:
        yield session


def get_clock(request: Request) -> Clock:
    """The app's clock: every route takes "today" and "now" from here, never the wall clock."""
    clock: Clock = request.app.state.clock
    return clock


def get_actor(x_ontzorgen_user: Annotated[str, Header()] = "api") -> Actor:
    """The acting user. Until OIDC login lands (security issue) the user id comes from a header
    set by the gemeente's gateway; the service functions already receive it."""
    return Actor(x_ontzorgen_user)


# scope="function": the unit of work closes (commits) before the response is sent, so a failed
# commit is an error response, never a 200 for something that was not stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ActorDep = Annotated[Actor, Depends(get_actor)]
ClockDep = Annotated[Clock, Depends(get_clock)]
