"""A small disk cache with a time-to-live, for web results and fetched pages.

One JSON file per key, named by the key's SHA-256, written atomically (temp file, then rename) so a
crash or a concurrent writer never leaves a half-written entry. Unreadable entries count as misses.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temp file in the same directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class DiskCache:
    """JSON values on disk under ``directory``, each valid for ``ttl`` seconds (0 disables caching)."""

    def __init__(self, directory: Path, ttl: float, clock: Callable[[], float] = time.time) -> None:
        self.directory = Path(directory)
        self.ttl = ttl
        self._clock = clock

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.directory / digest[:2] / f"{digest}.json"

    def get(self, key: str) -> Any | None:
        """The cached value for ``key``, or None when absent, expired or unreadable."""
        if self.ttl <= 0:
            return None
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable cache entry %s: %s", path, exc)
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        if self._clock() - float(entry.get("stored_at", 0)) > self.ttl:
            return None
        return entry.get("value")

    def set(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable ``value``; a cache that cannot be written is logged, not fatal."""
        if self.ttl <= 0:
            return
        entry = {"key": key, "stored_at": self._clock(), "value": value}
        try:
            atomic_write_text(self._path(key), json.dumps(entry, ensure_ascii=False, default=str))
        except OSError as exc:
            log.warning("cannot write cache entry under %s: %s", self.directory, exc)

    def clear(self) -> int:
        """Delete every entry; returns how many were deleted."""
        count = 0
        for path in self.directory.glob("*/*.json"):
            path.unlink(missing_ok=True)
            count += 1
        return count
