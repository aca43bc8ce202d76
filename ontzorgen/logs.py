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
from pathlib import Path
from typing import Any, TextIO

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


def configure_logging(
    level: str = "INFO",
    *,
    json: bool = True,
    stderr_level: str | None = None,
    file: Path | None = None,
) -> None:
    """Set up structlog and route the standard library's logging (uvicorn, alembic) through it.

    Log lines go to stderr at ``stderr_level`` (default ``level``) and, when ``file`` is given,
    to that file at ``level``. The CLI keeps stderr for the person (warnings and up) and sends
    the rest to the file; the server logs to stderr as an operator expects. Colours only on a
    terminal: never ANSI codes in a pipe or a file.
    """
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

    def formatter(colors: bool) -> logging.Formatter:
        renderer: Any = (
            structlog.processors.JSONRenderer()
            if json
            else structlog.dev.ConsoleRenderer(colors=colors)
        )
        return structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                mask_personal_data,
                renderer,
            ],
        )

    handlers: list[logging.Handler] = []
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setFormatter(formatter(colors=_is_terminal(sys.stderr)))
    to_stderr.setLevel((stderr_level or level).upper())
    handlers.append(to_stderr)
    if file is not None:
        to_file = logging.FileHandler(file, encoding="utf-8")
        to_file.setFormatter(formatter(colors=False))
        to_file.setLevel(level.upper())
        handlers.append(to_file)
    root = logging.getLogger()
    for old in root.handlers:
        old.close()
    root.handlers[:] = handlers
    # The root passes what any handler wants; each handler filters to its own level.
    root.setLevel(min(handler.level for handler in handlers))


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def get_logger(name: str) -> Any:
    """A structured logger for a module: ``log.info("run.prepared", run_id=...)``."""
    return structlog.get_logger(name)
