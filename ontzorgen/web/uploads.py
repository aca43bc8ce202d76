# SPDX-License-Identifier: EUPL-1.2
"""Uploaded bank files between the look (step 1) and the import (step 2).

The bytes stay on the server, in a private folder (mode 0700), under a random key of 256 bits.
The key is bound to the login session that uploaded the file (a SHA-256 of its cookie) and to
the gemeente, so another session, user or gemeente cannot import it; it lives 30 minutes and is
removed when imported. Each session keeps at most one pending file per gemeente (a new upload
replaces it), so the folder holds at most one file per live session.

A pending upload's age is measured with the app's one clock (its creation instant is kept
beside it), like every other time in ontzorgen.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ontzorgen.clock import Clock

PENDING_SECONDS: Final = 30 * 60
_KEY: Final = re.compile(r"^[A-Za-z0-9_-]{43}$")


@dataclass(frozen=True, slots=True)
class Pending:
    key: str
    filename: str
    size: int
    sha256: str


def _owner(session_token: str, gemeente: str) -> str:
    return hashlib.sha256(f"{gemeente}\0{session_token}".encode()).hexdigest()


class UploadStore:
    """Pending uploads in ``folder`` (created private if missing), aged by ``clock``."""

    def __init__(self, clock: Clock, folder: Path | None = None) -> None:
        self.clock = clock
        self.folder = (
            folder or Path(tempfile.gettempdir()) / f"ontzorgen-bankbestanden-{os.getuid()}"
        )
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.bin", self.folder / f"{key}.json"

    def _now(self) -> float:
        return self.clock.now().timestamp()

    def _expire(self) -> None:
        limit = self._now() - PENDING_SECONDS
        for path in self.folder.glob("*.json"):
            try:
                created = json.loads(path.read_text()).get("created")
            except (OSError, ValueError):
                continue
            if not isinstance(created, (int, float)) or created < limit:
                self._remove(path.stem)

    def _remove(self, key: str) -> None:
        for path in self._paths(key):
            path.unlink(missing_ok=True)

    def put(self, session_token: str, gemeente: str, filename: str, data: bytes) -> Pending:
        """Keep ``data`` for this session and gemeente; replaces its earlier pending file."""
        self._expire()
        owner = _owner(session_token, gemeente)
        for path in self.folder.glob("*.json"):
            try:
                if json.loads(path.read_text()).get("owner") == owner:
                    self._remove(path.stem)
            except (OSError, ValueError):
                continue
        key = secrets.token_urlsafe(32)
        content, meta = self._paths(key)
        sha256 = hashlib.sha256(data).hexdigest()
        fd = os.open(content, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        fd = os.open(meta, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(
                {
                    "owner": owner,
                    "filename": filename,
                    "size": len(data),
                    "sha256": sha256,
                    "created": self._now(),
                },
                handle,
            )
        return Pending(key, filename, len(data), sha256)

    def take(self, session_token: str, gemeente: str, key: str) -> tuple[Pending, bytes] | None:
        """The pending file ``key`` of this session and gemeente (None if unknown, expired or
        someone else's). It stays until :meth:`drop`: an import that fails may be tried again."""
        if not _KEY.match(key):
            return None
        self._expire()
        content, meta = self._paths(key)
        try:
            info = json.loads(meta.read_text())
            data = content.read_bytes()
        except (OSError, ValueError):
            return None
        if not secrets.compare_digest(str(info.get("owner")), _owner(session_token, gemeente)):
            return None
        if hashlib.sha256(data).hexdigest() != info.get("sha256"):
            return None
        return Pending(key, str(info["filename"]), len(data), str(info["sha256"])), data

    def drop(self, key: str) -> None:
        if _KEY.match(key):
            self._remove(key)
