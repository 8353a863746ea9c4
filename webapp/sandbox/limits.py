"""Per-minute budgets of points and requests, faults on demand, and what was served.

One budget for the whole instance, as TI rations its API per company: a fixed one-minute
window that resets on the minute boundary of its first request.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

WINDOW_SECONDS = 60


@dataclass
class Verdict:
    """Whether a request may run, and the numbers for its rate-limit headers."""

    allowed: bool
    points_remaining: int
    requests_remaining: int
    reset_seconds: int


class RateLimiter:
    def __init__(self, points_per_minute: int, requests_per_minute: int, clock=time.monotonic):
        self.points_per_minute = points_per_minute
        self.requests_per_minute = requests_per_minute
        self._clock = clock
        self._lock = threading.Lock()
        self._window_start = clock()
        self._points = 0
        self._requests = 0

    def _roll(self) -> None:
        now = self._clock()
        if now - self._window_start >= WINDOW_SECONDS:
            self._window_start = now
            self._points = 0
            self._requests = 0

    def _verdict(self, allowed: bool) -> Verdict:
        left = WINDOW_SECONDS - (self._clock() - self._window_start)
        return Verdict(
            allowed=allowed,
            points_remaining=max(0, self.points_per_minute - self._points),
            requests_remaining=max(0, self.requests_per_minute - self._requests),
            reset_seconds=max(1, math.ceil(left)),
        )

    def charge(self, points: int) -> Verdict:
        """Spend one request and `points`, or refuse and spend nothing."""
        with self._lock:
            self._roll()
            if (
                self._requests + 1 > self.requests_per_minute
                or self._points + points > self.points_per_minute
            ):
                return self._verdict(False)
            self._requests += 1
            self._points += points
            return self._verdict(True)

    def peek(self) -> Verdict:
        with self._lock:
            self._roll()
            return self._verdict(True)

    def reset(self) -> None:
        with self._lock:
            self._window_start = self._clock()
            self._points = 0
            self._requests = 0


@dataclass
class Faults:
    """Added latency and a failure rate; both off unless configured or set by a test."""

    latency_ms: int = 0
    fault_rate: float = 0.0
    _random: random.Random = field(default_factory=lambda: random.Random(2026))

    def delay(self) -> None:
        if self.latency_ms > 0:
            time.sleep(self.latency_ms / 1000)

    def should_fail(self) -> bool:
        return self.fault_rate > 0 and self._random.random() < self.fault_rate


class Stats:
    """Counts of what the sandbox served; tests and benchmarks read `snapshot()`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._operations: Counter[str] = Counter()

    def add(self, **counts: int) -> None:
        with self._lock:
            self._counts.update(counts)

    def operation(self, name: str) -> None:
        with self._lock:
            self._operations[name] += 1

    def snapshot(self) -> dict:
        with self._lock:
            keys = ("http_requests", "operations", "points", "rate_limited", "faults", "rejected")
            data = {k: self._counts.get(k, 0) for k in keys}
            data["by_operation"] = dict(self._operations)
            return data

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
            self._operations.clear()
