"""A circuit breaker shared by every process: stop calling an instance that keeps failing.

Closed: calls go through; each failure counts, a success resets the count. After `failures`
failures in a row the breaker opens for `open_seconds`: nothing is sent, pages fail fast (or
serve what they have cached). Then one caller, and only one, is let through as a probe; its
success closes the breaker, its failure opens it again. State lives in shared state, so one
machine learning that the instance is down spares every other machine the timeouts.
"""

from __future__ import annotations

import time

from ..state import SharedState

FAILURES = "breaker:failures"
OPEN_UNTIL = "breaker:open-until"
PROBE = "breaker:probe"


class Breaker:
    def __init__(
        self, state: SharedState, failures: int = 5, open_seconds: float = 30.0, clock=time.time
    ):
        self.state = state
        self.threshold = failures
        self.open_seconds = open_seconds
        self._clock = clock

    def allow(self, probe_seconds: float = 10.0) -> bool:
        """Whether a call may go out now (closed, or this caller is the probe)."""
        open_until = self.state.get(OPEN_UNTIL)
        if open_until is None:
            return True
        if self._clock() < float(open_until):
            return False
        # Half-open: one probe per `probe_seconds`; the rest wait for its verdict.
        return self.state.add(PROBE, "1", ttl=probe_seconds)

    def is_open(self) -> bool:
        open_until = self.state.get(OPEN_UNTIL)
        return open_until is not None and self._clock() < float(open_until)

    def succeeded(self) -> None:
        if any(v is not None for v in self.state.get_many([OPEN_UNTIL, FAILURES])):
            self.state.delete(FAILURES, OPEN_UNTIL, PROBE)

    def failed(self) -> None:
        count = self.state.incr(FAILURES, 1, ttl=self.open_seconds * 4)
        probing = self.state.get(OPEN_UNTIL) is not None
        if count >= self.threshold or probing:
            until = self._clock() + self.open_seconds
            # Kept past its end so the half-open probe can find it; the probe's verdict clears it.
            self.state.set(OPEN_UNTIL, repr(until), ttl=self.open_seconds * 10)
            self.state.delete(PROBE)
