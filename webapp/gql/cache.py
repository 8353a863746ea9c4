"""A small TTL cache for instance-level data, shared by every learner of one process.

Entries past their TTL are still served (stale) while a fresh copy is fetched, and kept for
`max_stale` so a page can show the company's branding even while the instance is down.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

FRESH = "fresh"
STALE = "stale"


@dataclass
class _Entry:
    value: Any
    stored_at: float


class SharedCache:
    def __init__(self, ttl: float = 300, max_stale: float = 86_400, clock=time.monotonic):
        self.ttl = ttl
        self.max_stale = max_stale
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[Any, _Entry] = {}
        self._refreshing: set[Any] = set()

    def lookup(self, key) -> tuple[Any, str | None]:
        """(value, FRESH | STALE) or (None, None) when there is nothing usable."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None, None
            age = self._clock() - entry.stored_at
            if age <= self.ttl:
                return entry.value, FRESH
            if age <= self.ttl + self.max_stale:
                return entry.value, STALE
            del self._entries[key]
            return None, None

    def store(self, key, value) -> None:
        with self._lock:
            self._entries[key] = _Entry(value, self._clock())

    def claim_refresh(self, key) -> bool:
        """True for the one caller that should refresh `key` now (single flight)."""
        with self._lock:
            if key in self._refreshing:
                return False
            self._refreshing.add(key)
            return True

    def release_refresh(self, key) -> None:
        with self._lock:
            self._refreshing.discard(key)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
