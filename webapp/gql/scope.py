"""What one page view owes its learner: an answer within its deadline, and word of what it lacks.

Set by the web layer when a request starts (`begin_view`); the client reads the deadline to size
its timeouts and records whether the view got all its data, stale data, or went without.
Outside a request (background refreshes, scripts) there is no view: the default deadline holds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

DEFAULT_DEADLINE = 3.0

COMPLETE = "complete"
STALE = "stale"
MISSING = "missing"
_RANK = {COMPLETE: 0, STALE: 1, MISSING: 2}


@dataclass
class View:
    deadline: float  # time.monotonic() by which the page must be answered
    data: str = COMPLETE
    as_of: float | None = None  # wall time of the oldest stale value shown

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def saw(self, data: str, as_of: float | None = None) -> None:
        if _RANK[data] > _RANK[self.data]:
            self.data = data
        if as_of is not None:
            self.as_of = as_of if self.as_of is None else min(self.as_of, as_of)


_current: ContextVar[View | None] = ContextVar("atrium_view", default=None)


def begin_view(seconds: float = DEFAULT_DEADLINE) -> View:
    view = View(deadline=time.monotonic() + seconds)
    _current.set(view)
    return view


def end_view() -> None:
    _current.set(None)


def current_view() -> View | None:
    return _current.get()


@contextmanager
def view_within(seconds: float) -> Iterator[View]:
    """A view with its deadline, outside a web request (scripts, tests)."""
    view = begin_view(seconds)
    try:
        yield view
    finally:
        end_view()


def time_left(default: float = DEFAULT_DEADLINE) -> float:
    view = _current.get()
    return view.left() if view else default
