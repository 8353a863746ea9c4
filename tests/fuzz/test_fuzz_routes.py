"""Hostile input on every parameter of every route, signed in or not (issue 12): no answer
is a 5xx, and input that is refused changes nothing on the instance.

Each route gets generated requests: odd text (control and bidi characters, NUL, huge, empty,
blank), wrong types (numbers for ids, repeated parameters, file parts for text fields), odd
encodings (Latin-1 and raw UTF-8 bytes, broken percent-escapes, a claimed UTF-16 charset),
odd headers, session cookies and methods, with a valid CSRF token mostly (so the views are
reached) and a missing or wrong one sometimes. The sandbox is healthy here, so any 5xx is a
bug, and so is a request that makes the instance client see trouble (a failure it counts
against the instance trips the breaker, and every learner's next pages pay). "Refused" is a
4xx, or an error message flashed for the next page.

CI runs a few examples per route (derandomized under CI=true, see tests/conftest.py);
ATRIUM_FUZZ_EXAMPLES=2000 runs that many per route; --hypothesis-show-statistics shows the
answers each route gave, by role.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from .attempts import attempts
from .routes import INPUTS

EXAMPLES = int(os.environ.get("ATRIUM_FUZZ_EXAMPLES") or 20)


@pytest.mark.parametrize("route", sorted(INPUTS), ids=" ".join)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
    ],
)
@given(data=st.data())
def test_hostile_input_gets_no_5xx_and_changes_nothing_when_refused(fuzz, route, data):
    attempt = data.draw(
        attempts(route, INPUTS[route], fuzz.routes[route], fuzz.known), label="request"
    )
    outcome = fuzz.send(attempt)
    event(f"{attempt.role}: {outcome.status}")  # pytest --hypothesis-show-statistics
    assert outcome.status < 500, outcome.report(attempt)
    assert not outcome.upstream_trouble, outcome.report(attempt)  # the sandbox is healthy
    if outcome.refused:
        assert not outcome.changes, f"refused ({outcome.status}) yet changed: {outcome.changes}"
