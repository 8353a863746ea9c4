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


# How long the HTTP route holds a lost answer back: past any client's read timeout (Atrium's is
# 10 s at most), so the client gives up on a request the instance did run.
WITHHELD_SECONDS = 15.0


@dataclass
class Faults:
    """Added latency, a failure rate and lost answers; all off unless configured or set by a
    test.

    Latency and failures strike before a request runs: nothing is applied. A lost answer strikes
    after: the request runs (a mutation is applied) and its answer never arrives in time, which
    is what a client meets when an instance times out on work it did. `lose_answers` names the
    operations whose answers are lost ("UnenrollFromWaitlist"), or a kind ("mutation", "query");
    with `fail_after_loss` the instance then goes down (fault_rate 1) until a test brings it back.
    """

    latency_ms: int = 0
    fault_rate: float = 0.0
    lose_answers: frozenset[str] = frozenset()
    fail_after_loss: bool = False
    _random: random.Random = field(default_factory=lambda: random.Random(2026))

    def delay(self) -> None:
        if self.latency_ms > 0:
            time.sleep(self.latency_ms / 1000)

    def should_fail(self) -> bool:
        return self.fault_rate > 0 and self._random.random() < self.fault_rate

    def loses_answer(self, operations: list[tuple[str, str]]) -> bool:
        """Whether the answer to a request that ran these (name, kind) operations is lost; if
        so, and `fail_after_loss`, every later request fails."""
        lost = any(
            name in self.lose_answers or kind in self.lose_answers for name, kind in operations
        )
        if lost and self.fail_after_loss:
            self.fault_rate = 1.0
        return lost


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
            keys = (
                "http_requests",
                "operations",
                "points",
                "rate_limited",
                "faults",
                "rejected",
                "lost_answers",
            )
            data = {k: self._counts.get(k, 0) for k in keys}
            data["by_operation"] = dict(self._operations)
            return data

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
            self._operations.clear()
