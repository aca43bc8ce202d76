# SPDX-License-Identifier: EUPL-1.2
"""The base of every output model: what the API (and later the pages) show.

Strict like the input models: a key the model does not name is an error, so a schema that
drifts from what a service returns fails in the tests, not at a client.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OutputModel(BaseModel):
    """Base of every output model: unknown keys are an error; ORM objects are read too."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)


class HealthOut(OutputModel):
    """Whether the service is alive and its database usable."""

    status: str = Field(description="ok, or unavailable")
    database: str = Field(description="ok, or why not (e.g. unreachable, not migrated)")
    version: str = Field(description="The package version")
    detail: str | None = Field(default=None, description="What is wrong with the database")
