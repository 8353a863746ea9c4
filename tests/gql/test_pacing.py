"""Pacing the instance: the learner cache, dated fallbacks, the shared budget, the breaker and
the page deadline — against the sandbox behind the app, over its real HTTP answers."""

from __future__ import annotations

import pytest

from tests.gql.conftest import sign_in
from webapp.gql import Call, InstanceClient, RateLimited, UpstreamUnavailable
from webapp.gql.breaker import Breaker
from webapp.gql.budget import Governor
from webapp.gql.learner_cache import LearnerCache
from webapp.gql.scope import view_within
from webapp.state import MemoryState


def served(sandbox) -> int:
    return sandbox.stats.snapshot()["http_requests"]


def asked(sandbox, operation: str) -> int:
    return sandbox.stats.snapshot()["by_operation"].get(operation, 0)


@pytest.fixture
def cached(client):
    """The app's client with the learner cache as in production: a minute fresh, kept hours."""
    client.learner_cache.fresh_seconds, client.learner_cache.keep_seconds = 60, 6 * 3600
    return client


def test_the_same_query_within_a_minute_is_not_paid_twice(cached, sandbox, token):
    cached.fetch(Call("CurrentUser"), Call("UserWaitlist"), token=token)
    before = served(sandbox)
    page = cached.fetch(Call("CurrentUser"), Call("UserContentGroups"), token=token)
    assert served(sandbox) == before + 1
    assert asked(sandbox, "CurrentUser") == 1  # only UserContentGroups went upstream
    assert page["CurrentUser"].name == "Jamie Rivera" and page["UserContentGroups"]


def test_answers_are_never_shared_between_learners(cached):
    mine = cached.fetch(Call("CurrentUser"), token=sign_in(cached, "learner"))
    theirs = cached.fetch(Call("CurrentUser"), token=sign_in(cached, "learner2"))
    assert mine["CurrentUser"].name == "Jamie Rivera"
    assert theirs["CurrentUser"].name == "Camille Martin"


def test_leaving_a_waitlist_drops_the_waitlist_and_the_counts_but_nothing_else(
    cached, sandbox, token
):
    page = cached.fetch(
        Call("UserWaitlist"), Call("CurrentUser"), Call("UserEarnedBadgeBoard"), token=token
    )
    course = page["UserWaitlist"][0]
    cached.mutate(Call("UnenrollFromWaitlist", {"id": course.id}), token=token)
    before = {
        op: asked(sandbox, op) for op in ("UserWaitlist", "CurrentUser", "UserEarnedBadgeBoard")
    }
    page = cached.fetch(
        Call("UserWaitlist"), Call("CurrentUser"), Call("UserEarnedBadgeBoard"), token=token
    )
    assert course.id not in [c.id for c in page["UserWaitlist"]]
    assert asked(sandbox, "UserWaitlist") == before["UserWaitlist"] + 1
    assert asked(sandbox, "CurrentUser") == before["CurrentUser"] + 1
    assert asked(sandbox, "UserEarnedBadgeBoard") == before["UserEarnedBadgeBoard"]  # kept


def test_a_lost_mutation_answer_still_drops_what_it_may_have_changed(cached, sandbox, token):
    cached.fetch(Call("UserWaitlist"), token=token)
    sandbox.faults.fault_rate = 1.0
    with pytest.raises(UpstreamUnavailable):
        cached.mutate(Call("UnenrollFromWaitlist", {"id": "anything"}), token=token)
    sandbox.faults.fault_rate = 0.0
    before = asked(sandbox, "UserWaitlist")
    cached.fetch(Call("UserWaitlist"), token=token)
    assert asked(sandbox, "UserWaitlist") == before + 1


def test_past_its_minute_an_answer_stands_in_dated_when_the_instance_is_down(
    cached, sandbox, token
):
    cached.fetch(Call("CurrentUser"), token=token)
    cached.learner_cache.fresh_seconds = 0  # a minute has passed
    sandbox.faults.fault_rate = 1.0
    page = cached.fetch(Call("CurrentUser"), token=token)
    assert page["CurrentUser"].name == "Jamie Rivera"
    assert page.failure is None and page.missing == []
    assert page.as_of is not None
    assert isinstance(page.held_back, UpstreamUnavailable)


def test_past_its_minute_an_answer_is_asked_again_when_the_instance_answers(cached, sandbox, token):
    cached.fetch(Call("CurrentUser"), token=token)
    cached.learner_cache.fresh_seconds = 0
    page = cached.fetch(Call("CurrentUser"), token=token)
    assert asked(sandbox, "CurrentUser") == 2
    assert page.as_of is None


def clients_sharing(app, state, **governor) -> list[InstanceClient]:
    """Two clients of one instance, as on two machines: they share only `state`."""
    base = app.extensions["instance"]
    return [
        InstanceClient(
            base.endpoint.removesuffix("/helium"),
            app.config["TI_API_KEY"],
            session=base.session,
            state=state,
            learner_cache=LearnerCache(state, fresh_seconds=0, keep_seconds=0),
            governor=Governor(state, **governor),
        )
        for _ in range(2)
    ]


def test_one_429_stops_every_client_until_the_reset(app, sandbox):
    first, second = clients_sharing(app, MemoryState())
    token = sign_in(first)
    sandbox.limiter.requests_per_minute = 1
    sandbox.limiter.reset()
    first.fetch(Call("CurrentUser"), token=token)
    page = first.fetch(Call("CurrentUser"), token=token)  # the instance answers 429
    assert isinstance(page.failure, RateLimited)
    before = served(sandbox)
    page = second.fetch(Call("UserWaitlist"), token=token)
    assert isinstance(page.failure, RateLimited) and 0 < page.failure.retry_after <= 60
    assert served(sandbox) == before  # the other machine sent nothing


def test_the_reserve_goes_to_pages_with_nothing_cached(app, sandbox):
    state = MemoryState()
    first, _ = clients_sharing(app, state, reserve=0.5)
    first.learner_cache = LearnerCache(state, fresh_seconds=0, keep_seconds=3600)
    token = sign_in(first)
    first.fetch(Call("CurrentUser"), token=token)  # cached, and past its minute at once
    # What the instance said last: 300 of 1,000 points left, 50 s before the refill —
    # under the reserve (half the budget, shrinking as the minute ends).
    first.governor.observe(
        {"X-RateLimit-Remaining": "300", "X-RateLimit-Reset": "50", "X-RateLimit-Limit": "1000"}
    )
    before = served(sandbox)
    refresh = first.fetch(Call("CurrentUser"), token=token)
    assert served(sandbox) == before  # held back: the page has a dated copy
    assert refresh["CurrentUser"].name == "Jamie Rivera" and refresh.as_of is not None
    cold = first.fetch(Call("UserWaitlist"), token=token)
    assert served(sandbox) == before + 1 and cold.missing == []  # nothing cached: sent


def test_the_breaker_opens_for_every_client_and_one_probe_closes_it(app, sandbox):
    state = MemoryState()
    clock = [1_000.0]
    first, second = clients_sharing(app, state)
    for client in (first, second):
        client.breaker = Breaker(state, failures=3, open_seconds=30, clock=lambda: clock[0])
    token = sign_in(first)
    sandbox.faults.fault_rate = 1.0
    before = served(sandbox)
    for _ in range(2):
        first.fetch(Call("UserWaitlist"), token=token)  # a try and a retry each
    assert served(sandbox) - before == 3  # the third failure opened it
    page = second.fetch(Call("UserWaitlist"), token=token)
    assert isinstance(page.failure, UpstreamUnavailable)
    assert served(sandbox) - before == 3  # the other machine sent nothing
    sandbox.faults.fault_rate = 0.0
    clock[0] += 31  # half-open: one probe goes through
    page = second.fetch(Call("UserWaitlist"), token=token)
    assert page.failure is None and served(sandbox) - before == 4
    assert first.fetch(Call("CurrentUser"), token=token).failure is None  # closed


class RecordingSession:
    """The client's HTTP session, noting the timeouts each request was given."""

    def __init__(self, session):
        self.session = session
        self.timeouts = []

    def post(self, *args, timeout, **kwargs):
        self.timeouts.append(timeout)
        return self.session.post(*args, timeout=timeout, **kwargs)


def test_a_slow_instance_gets_no_more_time_than_the_page_has(client, sandbox, token):
    client.session = RecordingSession(client.session)
    sandbox.faults.latency_ms = 1_500
    with view_within(1.2):  # the page must answer within 1.2 s
        page = client.fetch(Call("UserWaitlist"), token=token)
    assert isinstance(page.failure, UpstreamUnavailable)
    assert len(client.session.timeouts) == 1  # no retry: a second try would not fit
    connect, read = client.session.timeouts[0]
    assert read <= 1.2 and connect <= 1.2


def governor_reading(points_left: int, reset: int, clock) -> Governor:
    governor = Governor(MemoryState(), reserve=0.2, clock=clock)
    governor.observe(
        {
            "X-RateLimit-Remaining": str(points_left),
            "X-RateLimit-Reset": str(reset),
            "X-RateLimit-Limit": "100000",
        }
    )
    return governor


def test_a_reserve_is_kept_for_pages_with_nothing_cached_until_the_minute_ends():
    now = [1_000.0]
    governor = governor_reading(6_000, 30, lambda: now[0])
    assert governor.admit(100, has_fallback=False).allowed
    assert not governor.admit(100, has_fallback=True).allowed  # 6,000 is under 10,000
    governor = governor_reading(12_000, 10, lambda: now[0])  # 10 s left: 10,000 kept back
    assert governor.admit(100, has_fallback=True).allowed
    governor = governor_reading(9_000, 1, lambda: now[0])  # a second before the refill
    assert not governor.admit(100, has_fallback=True).allowed  # under half of 20,000
    assert governor.admit(100, has_fallback=False).allowed


def test_a_spent_reading_is_not_sent_into_a_429_even_just_before_the_refill():
    now = [1_000.0]
    governor = governor_reading(10, 1, lambda: now[0])  # TI rounds the reset up
    for has_fallback in (False, True):
        verdict = governor.admit(100, has_fallback=has_fallback)
        assert not verdict.allowed and verdict.reason == "spent" and 0 < verdict.wait <= 1
    now[0] += 1.05  # past the refill the reading promised
    assert governor.admit(100, has_fallback=False).allowed
    governor = governor_reading(10, 20, lambda: now[0])
    verdict = governor.admit(100, has_fallback=False)
    assert not verdict.allowed and verdict.reason == "spent" and 19 < verdict.wait <= 20


def test_a_page_with_nothing_cached_waits_for_the_refill_then_gets_its_data(cached, sandbox, token):
    # Another machine's last answer: nothing left, the refill in a second. Sending now would
    # meet a 429 whose Retry-After may outlast the page; waiting for the refill does not.
    cached.governor.observe(
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1", "X-RateLimit-Limit": "100000"}
    )
    waited, sleep = [], cached._sleep
    cached._sleep = lambda seconds: (waited.append(seconds), sleep(seconds))
    before = served(sandbox)
    with view_within(3.0):
        page = cached.fetch(Call("UserWaitlist"), token=token)
    assert len(waited) == 1 and 0.5 < waited[0] <= 1.1
    assert page.failure is None and page["UserWaitlist"] is not None
    assert served(sandbox) == before + 1


def test_a_page_with_nothing_cached_waits_out_a_short_block_within_its_deadline(
    cached, sandbox, token
):
    cached.governor.block(0.3)  # e.g. another machine met a 429 whose Retry-After ends soon
    before = served(sandbox)
    with view_within(3.0):
        page = cached.fetch(Call("UserWaitlist"), token=token)
    assert page.failure is None and page["UserWaitlist"] is not None
    assert served(sandbox) == before + 1


def test_a_page_with_a_dated_copy_does_not_wait_for_the_budget(cached, sandbox, token):
    cached.fetch(Call("UserWaitlist"), token=token)
    cached.learner_cache.fresh_seconds = 0
    cached.governor.block(0.3)
    waited = []
    cached._sleep = waited.append
    before = served(sandbox)
    with view_within(3.0):
        page = cached.fetch(Call("UserWaitlist"), token=token)
    assert waited == [] and served(sandbox) == before
    assert page.as_of is not None and page.failure is None
