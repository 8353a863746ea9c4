"""A TTL cache for instance-level data, shared by every learner and, through shared state,
every process and machine.

Each process keeps decoded values (L1) and checks shared state (L2, the instance's JSON) at most
every `recheck` seconds, so the company's details are fetched once for all machines, not once
per worker, and decoding happens once per process. Entries past their TTL are still served
(stale) while a fresh copy is fetched, and kept for `max_stale` so a page can show the company's
branding even while the instance is down.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

FRESH = "fresh"
STALE = "stale"


@dataclass
class _Entry:
    value: Any
    stored_at: float  # wall time the instance answered
    checked_at: float  # when this process last compared it with shared state


class SharedCache:
    def __init__(
        self,
        ttl: float = 300,
        max_stale: float = 86_400,
        clock=time.time,
        state=None,
        recheck: float = 10.0,
        max_entries: int = 2_048,
    ):
        self.ttl = ttl
        self.max_stale = max_stale
        self.recheck = recheck
        self.max_entries = max_entries
        self.state = state
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[Any, _Entry] = {}
        self._refreshing: set[Any] = set()

    def lookup(self, key, decode: Callable[[Any], Any] | None = None) -> tuple[Any, str | None]:
        """(value, FRESH | STALE) or (None, None) when there is nothing usable."""
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
        due = entry is None or now - entry.checked_at > self.recheck
        if due and self.state is not None and decode is not None:
            entry = self._from_shared(key, entry, decode, now)
        if entry is None:
            return None, None
        age = now - entry.stored_at
        if age <= self.ttl:
            return entry.value, FRESH
        if age <= self.ttl + self.max_stale:
            return entry.value, STALE
        with self._lock:
            self._entries.pop(key, None)
        return None, None

    def _from_shared(self, key, entry: _Entry | None, decode, now: float) -> _Entry | None:
        text = self.state.get(_shared_key(key))
        try:
            record = json.loads(text) if text else None
        except ValueError:
            record = None
        if record and (entry is None or record["at"] > entry.stored_at):
            entry = _Entry(decode(record["data"]), record["at"], now)
        elif entry is not None:
            entry.checked_at = now
        if entry is not None:
            with self._lock:
                self._entries[key] = entry
        return entry

    def store(self, key, value, raw: Any = None) -> None:
        now = self._clock()
        with self._lock:
            self._entries[key] = _Entry(value, now, now)
            if len(self._entries) > self.max_entries:  # a bound on memory: forget the oldest
                oldest = sorted(self._entries, key=lambda k: self._entries[k].stored_at)
                for stale_key in oldest[: len(oldest) // 4]:
                    del self._entries[stale_key]
        if self.state is not None and raw is not None:
            record = json.dumps({"at": now, "data": raw})
            self.state.set(_shared_key(key), record, ttl=self.ttl + self.max_stale)

    def claim_refresh(self, key) -> bool:
        """True for the one caller in this process that should refresh `key` now."""
        with self._lock:
            if key in self._refreshing:
                return False
            self._refreshing.add(key)
            return True

    def release_refresh(self, key) -> None:
        with self._lock:
            self._refreshing.discard(key)

    def drop(self, key) -> None:
        """Forget one entry everywhere (an admin changed what it holds)."""
        with self._lock:
            self._entries.pop(key, None)
        if self.state is not None:
            self.state.delete(_shared_key(key))

    def clear(self) -> None:
        with self._lock:
            keys = list(self._entries)
            self._entries.clear()
        if self.state is not None and keys:
            self.state.delete(*(_shared_key(k) for k in keys))


def _shared_key(key) -> str:
    return "instance:" + json.dumps(key, separators=(",", ":"))
