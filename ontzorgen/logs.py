# SPDX-License-Identifier: EUPL-1.2
"""Structured logging (structlog, JSON lines).

Log lines carry ids (household id, run id, EndToEndId), never a BSN, a person's name or a
person's IBAN. As a second line of defence a processor masks anything that looks like an IBAN
or a BSN (nine digits) before a line is written; a test runs a full flow and scans the log.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog
from structlog.typing import EventDict, WrappedLogger

_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_BSN = re.compile(r"(?<!\d)\d{9}(?!\d)")


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return _BSN.sub("[bsn?]", _IBAN.sub("[iban]", value))
    return value


def mask_personal_data(_logger: WrappedLogger, _name: str, event: EventDict) -> EventDict:
    """Mask IBAN- and BSN-shaped strings in every value of a log event."""
    return {key: _mask(value) for key, value in event.items()}


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    """Set up structlog and route the standard library's logging (uvicorn, alembic) through it."""
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            mask_personal_data,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def get_logger(name: str) -> Any:
    """A structured logger for a module: ``log.info("run.prepared", run_id=...)``."""
    return structlog.get_logger(name)
