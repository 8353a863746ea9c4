"""What a page asks the instance for (`Call`) and what it gets back (`PageData`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, InstanceError
from .operations import Operation, operation


@dataclass(frozen=True)
class Call:
    """One operation with its variables; `key` tells two calls of one operation apart."""

    name: str
    variables: dict = field(default_factory=dict)
    key: str = ""
    # What the answer really depends on, when the variables say more than that: every learner
    # of one client gets that client's CompanyDetails, so it is cached once per client.
    cache_as: dict | None = None

    @property
    def result_key(self) -> str:
        return self.key or self.name

    @property
    def op(self) -> Operation:
        return operation(self.name)

    def cache_key(self) -> tuple:
        identity = self.variables if self.cache_as is None else self.cache_as
        return (self.name, json.dumps(identity, sort_keys=True))


@dataclass
class PageData:
    """What a page's calls returned: typed values, errors per call, and what is missing."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[ApiError]] = field(default_factory=dict)
    failure: InstanceError | None = None  # the whole request failed (rate limit, outage)
    stale: set[str] = field(default_factory=set)  # instance-level values past their TTL
    # Learner values older than the learner cache's minute, shown because no fresh answer could
    # be had (budget short, instance down): result key -> wall time the instance gave them.
    dated: dict[str, float] = field(default_factory=dict)
    held_back: InstanceError | None = None  # why `dated` values stand in (no error shown)

    @property
    def as_of(self) -> float | None:
        """When the oldest dated value on the page was current (None: all current)."""
        return min(self.dated.values()) if self.dated else None

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    @property
    def missing(self) -> list[str]:
        """Calls with no data: failed outright, or errored with nothing to show."""
        failed = [
            k for k, v in self.values.items() if v is None and (self.errors.get(k) or self.failure)
        ]
        return sorted(set(failed) | {k for k in self.errors if k not in self.values})

    def ok(self, key: str) -> bool:
        return self.values.get(key) is not None and not self.errors.get(key)

    def not_found(self, key: str) -> bool:
        """The instance says what this call named does not exist (a 404 for the page)."""
        return any(error.code == "NOT_FOUND" for error in self.errors.get(key, []))
