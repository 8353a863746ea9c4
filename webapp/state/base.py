"""The operations shared state offers; both backends keep the same promises.

Values are text (JSON, as callers choose). Every key has a time to live, in seconds, so
nothing outlives its purpose; `ttl` is applied when a key is created (incr) or written.
"""

from __future__ import annotations

from typing import Protocol


class SharedState(Protocol):
    def get(self, key: str) -> str | None: ...

    def get_many(self, keys: list[str]) -> list[str | None]: ...

    def set(self, key: str, value: str, ttl: float) -> None: ...

    def add(self, key: str, value: str, ttl: float) -> bool:
        """Set `key` only if it is absent: True for the one caller that set it."""

    def take(self, key: str) -> str | None:
        """Read and delete in one step: one caller gets the value, later ones None."""

    def delete(self, *keys: str) -> None: ...

    def incr(self, key: str, amount: int, ttl: float) -> int:
        """Add `amount` (creating the key at 0 with `ttl`) and return the new value."""

    def expires_in(self, key: str) -> float | None:
        """Seconds until `key` expires, or None when it is absent."""

    def hash_get(self, key: str, fields: list[str]) -> list[str | None]: ...

    def hash_set(self, key: str, mapping: dict[str, str], ttl: float) -> None:
        """Write fields and give the whole hash `ttl` from now."""

    def hash_fields(self, key: str) -> list[str]: ...

    def hash_delete(self, key: str, fields: list[str]) -> None: ...

    def ping(self) -> bool:
        """Whether the backend answers (for /readyz)."""

    def clear(self) -> None:
        """Forget everything (tests, `flask sandbox reset`)."""
