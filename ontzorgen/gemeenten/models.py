# SPDX-License-Identifier: EUPL-1.2
"""The tenant: one installation serves several gemeenten (regional cooperation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from ontzorgen.db import Base, Id


class Gemeente(Base):
    """A gemeente: its name, its own bank account (the debtor of every payment) and its policy."""

    __tablename__ = "gemeente"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    code: Mapped[str] = mapped_column(String(4), unique=True)  # CBS gemeentecode, e.g. "0439"
    name: Mapped[str] = mapped_column(String(70))
    debtor_name: Mapped[str] = mapped_column(String(70))
    debtor_iban: Mapped[str] = mapped_column(String(34))
    debtor_bic: Mapped[str] = mapped_column(String(11))
    # Policy parameters (validated by ontzorgen.gemeenten.schemas.PolicyParameters).
    policy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.current_timestamp()
    )
