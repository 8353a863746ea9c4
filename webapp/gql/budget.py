"""The budget governor: every process together stays within what the instance allows.

TI rations its API per company (points and requests a minute), and every answer says what is
left (`X-RateLimit-Remaining`, `X-RateLimit-Requests-Remaining`) and when it refills
(`X-RateLimit-Reset`). The governor keeps the latest reading in shared state, so every process
on every machine paces by it:
- one 429 stops everyone until its `Retry-After` has passed;
- a request that would overspend is not sent;
- a request that only refreshes what the page could show from its cache is not sent once the
  budget is down to its reserve — a share of the minute's budget that shrinks as the minute
  ends, to half of itself — so what is left goes to pages that have nothing cached.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

WINDOW = "budget:window"
BLOCKED = "budget:blocked-until"
WINDOW_SECONDS = 60.0
# The reserve shrinks as the minute ends, but never below this share of itself: pages with
# nothing cached keep arriving in the minute's last seconds too.
RESERVE_FLOOR = 0.5
# TI rounds X-RateLimit-Reset up to whole seconds, so the refill comes at the latest when the
# reading says: a page with nothing cached waits for it (when that fits in its deadline) rather
# than being sent early into a 429 whose Retry-After would outlast the deadline.


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    wait: float = 0.0  # seconds until the budget refills (when not allowed)
    reason: str = ""  # "blocked" (a 429), "spent", "reserve"


ALLOWED = Verdict(True)


@dataclass(frozen=True)
class Reading:
    """What the instance last said about its budget."""

    points_left: int
    requests_left: int | None
    points_limit: int | None
    requests_limit: int | None
    reset_at: float  # wall time


class Governor:
    def __init__(self, state, reserve: float = 0.2, clock=time.time):
        self.state = state
        self.reserve = reserve
        self._clock = clock

    def admit(self, points: int, has_fallback: bool) -> Verdict:
        """May a request of about `points` go out now? `has_fallback`: the page can do without."""
        raw_window, blocked = self.state.get_many([WINDOW, BLOCKED])
        now = self._clock()
        if blocked is not None and now < float(blocked):
            return Verdict(False, float(blocked) - now, "blocked")
        reading = _reading(raw_window)
        if reading is None or now >= reading.reset_at:
            return ALLOWED
        wait = reading.reset_at - now
        spent = reading.points_left < points or (reading.requests_left or 1) < 1
        if spent:
            return Verdict(False, wait, "spent")
        if has_fallback and self.reserve:
            share = self.reserve * max(RESERVE_FLOOR, min(1.0, wait / WINDOW_SECONDS))
            short_of_points = reading.points_left - points < share * (reading.points_limit or 0)
            short_of_requests = reading.requests_left is not None and (
                reading.requests_left - 1 < share * (reading.requests_limit or 0)
            )
            if short_of_points or short_of_requests:
                return Verdict(False, wait, "reserve")
        return ALLOWED

    def observe(self, headers) -> Reading | None:
        """Remember what an answer's rate-limit headers say (the lowest reading of a minute)."""
        reading = _from_headers(headers, self._clock())
        if reading is None:
            return None
        previous = _reading(self.state.get(WINDOW))
        same_minute = previous is not None and abs(previous.reset_at - reading.reset_at) < 2
        if same_minute and previous.points_left < reading.points_left:
            return previous  # an answer overtaken by a later one: keep the later, lower reading
        ttl = max(1.0, reading.reset_at - self._clock()) + 5
        self.state.set(WINDOW, json.dumps(reading.__dict__), ttl=ttl)
        return reading

    def block(self, seconds: float) -> None:
        """A 429: nobody sends anything for `seconds`."""
        self.state.set(BLOCKED, repr(self._clock() + seconds), ttl=seconds)

    def blocked_for(self) -> float:
        blocked = self.state.get(BLOCKED)
        return max(0.0, float(blocked) - self._clock()) if blocked else 0.0


def _reading(raw: str | None) -> Reading | None:
    if not raw:
        return None
    try:
        return Reading(**json.loads(raw))
    except (ValueError, TypeError):
        return None


def _number(headers, name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def _from_headers(headers, now: float) -> Reading | None:
    points_left = _number(headers, "X-RateLimit-Remaining")
    reset = _number(headers, "X-RateLimit-Reset")
    if points_left is None or reset is None or reset < 0:
        return None
    # Seconds until the refill, as TI sends it; an epoch timestamp is read as one.
    reset_at = float(reset) if reset > 1_000_000_000 else now + reset
    return Reading(
        points_left=max(0, points_left),
        requests_left=_number(headers, "X-RateLimit-Requests-Remaining"),
        points_limit=_number(headers, "X-RateLimit-Limit"),
        requests_limit=_number(headers, "X-RateLimit-Requests-Limit"),
        reset_at=min(reset_at, now + WINDOW_SECONDS * 10),
    )
