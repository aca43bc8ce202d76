# SPDX-License-Identifier: EUPL-1.2
"""The audit log: who did or saw what, when, about which household.

Written in the caller's unit of work, so the row commits with the change or the read it records:
if it cannot be written, the request fails (no unlogged access). The time is the unit of work's
(:func:`ontzorgen.db.session_now`, from the injected clock). Rows hold ids, never a BSN or a name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, insert, literal, select
from sqlalchemy.orm import Session

from ontzorgen.auth import Actor, Permission
from ontzorgen.auth.models import AuditEvent
from ontzorgen.clients.models import Household
from ontzorgen.db import session_now
from ontzorgen.errors import NotFound
from ontzorgen.gemeenten.models import Gemeente


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    gemeente_id: int | None,
    household_id: int | None = None,
    ref: str | None = None,
    at: datetime | None = None,
) -> None:
    """Log one event (``action`` is a stable Dutch code such as ``maandplan.bekeken``); ``at``
    defaults to the unit of work's time."""
    session.add(
        AuditEvent(
            at=at or session_now(session), user_id=actor.user_id, os_user=actor.os_user,
            channel=actor.channel, action=action, gemeente_id=gemeente_id,
            household_id=household_id, object_ref=ref,
        )
    )  # fmt: skip
    session.flush()


def record_households(
    session: Session,
    actor: Actor,
    action: str,
    *,
    gemeente_id: int,
    household_ids: Select[Any],
    ref: str,
) -> None:
    """Log one event per household of ``household_ids`` in one statement (a list view)."""
    source = household_ids.subquery()
    session.execute(
        insert(AuditEvent).from_select(
            ["at", "user_id", "os_user", "channel", "action", "gemeente_id", "household_id",
             "object_ref"],
            select(
                literal(session_now(session)), literal(actor.user_id), literal(actor.os_user),
                literal(actor.channel), literal(action), literal(gemeente_id),
                source.c[0], literal(ref),
            ).distinct(),
        )
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One line of the audit report."""

    at: datetime
    user_id: str
    os_user: str | None
    channel: str
    action: str
    household: str | None
    object_ref: str | None


CSV_HEADER = (
    "tijdstip",
    "gebruiker",
    "os_gebruiker",
    "kanaal",
    "handeling",
    "huishouden",
    "object",
)


def audit_rows(
    session: Session,
    actor: Actor,
    gemeente_code: str,
    *,
    household_ref: str | None = None,
    newest: int | None = None,
) -> list[AuditRow]:
    """The gemeente's audit log, oldest first; for one household (an AVG inzageverzoek: who
    looked at my data) when ``household_ref`` is given; only the ``newest`` rows when given (a
    page). Reading it is logged too."""
    actor.require(Permission.AUDIT_READ, gemeente_code)
    gemeente = session.scalars(select(Gemeente).where(Gemeente.code == gemeente_code)).first()
    if gemeente is None:
        raise NotFound(f"gemeente {gemeente_code} bestaat niet")
    query = (
        select(AuditEvent, Household.reference)
        .outerjoin(Household, Household.id == AuditEvent.household_id)
        .where(AuditEvent.gemeente_id == gemeente.id)
        .order_by(AuditEvent.id)
    )
    household_id = None
    if household_ref is not None:
        household_id = session.scalars(
            select(Household.id).where(
                Household.gemeente_id == gemeente.id, Household.reference == household_ref
            )
        ).first()
        if household_id is None:
            raise NotFound(f"huishouden {household_ref} bestaat niet in deze gemeente")
        query = query.where(AuditEvent.household_id == household_id)
    if newest is not None:
        query = query.order_by(None).order_by(AuditEvent.id.desc()).limit(newest)
    rows = [
        AuditRow(e.at, e.user_id, e.os_user, e.channel, e.action, ref, e.object_ref)
        for e, ref in session.execute(query)
    ]
    if newest is not None:
        rows.reverse()
    record(session, actor, "auditlog.bekeken", gemeente_id=gemeente.id, household_id=household_id)
    return rows


def audit_csv(rows: Iterable[AuditRow]) -> str:
    """The audit rows as CSV (semicolon, as Dutch spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            (utc(row.at).isoformat(), row.user_id, row.os_user or "", row.channel, row.action,
             row.household or "", row.object_ref or "")
        )  # fmt: skip
    return out.getvalue()


def utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored as UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
