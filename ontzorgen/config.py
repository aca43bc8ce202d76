# SPDX-License-Identifier: EUPL-1.2
"""Settings, read from the environment (prefix ``ONTZORGEN_``) with safe defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ontzorgen.clock import Clock, clock_from_setting

DEFAULT_DATABASE_URL = "sqlite:///ontzorgen.sqlite3"


class Settings(BaseSettings):
    """Everything an installation can configure.

    ``database_url`` defaults to a SQLite file in the working directory, the embedded default a
    newcomer gets; production uses PostgreSQL (``postgresql+psycopg://user@host/db``). The same
    code and migrations run on both.
    """

    model_config = SettingsConfigDict(env_prefix="ONTZORGEN_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    log_level: str = "INFO"
    log_json: bool = True
    # Where the CLI writes its log lines (at log_level); unset: only warnings reach stderr.
    log_file: Path | None = None

    # "production" refuses the development login; `make run` sets "development".
    environment: Literal["development", "production"] = "production"
    # A login session ends after this many minutes without a request (DigiD portals: 15).
    idle_timeout_minutes: int = Field(default=15, ge=1, le=24 * 60)

    # ONTZORGEN_TODAY=YYYY-MM-DD pins the day for demos and reproducible runs (ontzorgen.clock).
    today: str | None = None

    def clock(self) -> Clock:
        """The clock of this installation; a bad ONTZORGEN_TODAY is an InvalidInput."""
        return clock_from_setting(self.today)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (read once)."""
    return Settings()
