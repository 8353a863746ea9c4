"""Shared state inside one process: what a client built outside an app (tests, scripts) uses."""

from __future__ import annotations

import threading
import time


class MemoryState:
    def __init__(self, clock=time.time):
        self._clock = clock
        self._lock = threading.Lock()
        self._values: dict[str, tuple[str, float]] = {}
        self._hashes: dict[str, tuple[dict[str, str], float]] = {}

    def _live(self, key: str) -> str | None:
        entry = self._values.get(key)
        if entry is None:
            return None
        if entry[1] <= self._clock():
            del self._values[key]
            return None
        return entry[0]

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._live(key)

    def get_many(self, keys: list[str]) -> list[str | None]:
        with self._lock:
            return [self._live(k) for k in keys]

    def set(self, key: str, value: str, ttl: float) -> None:
        with self._lock:
            self._values[key] = (value, self._clock() + ttl)

    def add(self, key: str, value: str, ttl: float) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._values[key] = (value, self._clock() + ttl)
            return True

    def take(self, key: str) -> str | None:
        with self._lock:
            value = self._live(key)
            self._values.pop(key, None)
            return value

    def delete(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._values.pop(key, None)

    def incr(self, key: str, amount: int, ttl: float) -> int:
        with self._lock:
            current = self._live(key)
            expires = self._values[key][1] if current is not None else self._clock() + ttl
            value = int(current or 0) + amount
            self._values[key] = (str(value), expires)
            return value

    def expires_in(self, key: str) -> float | None:
        with self._lock:
            return self._values[key][1] - self._clock() if self._live(key) is not None else None

    def _hash(self, key: str) -> dict[str, str]:
        entry = self._hashes.get(key)
        if entry is None or entry[1] <= self._clock():
            self._hashes.pop(key, None)
            return {}
        return entry[0]

    def hash_get(self, key: str, fields: list[str]) -> list[str | None]:
        with self._lock:
            found = self._hash(key)
            return [found.get(f) for f in fields]

    def hash_set(self, key: str, mapping: dict[str, str], ttl: float) -> None:
        with self._lock:
            merged = {**self._hash(key), **mapping}
            self._hashes[key] = (merged, self._clock() + ttl)

    def hash_fields(self, key: str) -> list[str]:
        with self._lock:
            return list(self._hash(key))

    def hash_delete(self, key: str, fields: list[str]) -> None:
        with self._lock:
            found = self._hash(key)
            for field in fields:
                found.pop(field, None)

    def ping(self) -> bool:
        return True

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._hashes.clear()
