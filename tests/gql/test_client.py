"""The instance client against the sandbox: batching, caching, and each failure as a type."""

from __future__ import annotations

import logging

import pytest

from tests.gql.conftest import DASHBOARD_CALLS, sign_in
from webapp.gql import (
    AuthRequired,
    Call,
    OperationFailed,
    RateLimited,
    UpstreamUnavailable,
)


def served(sandbox) -> int:
    return sandbox.stats.snapshot()["http_requests"]


def test_a_pages_operations_go_upstream_in_one_http_request(client, sandbox, token):
    before = served(sandbox)
    page = client.fetch(*DASHBOARD_CALLS, token=token)
    assert served(sandbox) - before == 1
    assert page.missing == []
    assert page["CurrentUser"].name == "Jamie Rivera"
    assert {g.kind for g in page["UserContentGroups"]} >= {"contentItems", "certificates"}
    assert len(page["UserRecentContent"]) == 6
    assert page["CompanyDetails"].name == "Acme Learning"


def test_results_are_typed_objects_with_dates_parsed(client, token):
    page = client.fetch(Call("UserRecentContent", {"limit": 25}), token=token)
    due = [i.current_user_due_date for i in page["UserRecentContent"] if i.current_user_due_date]
    assert due, "the demo learner has due dates among recent items"
    assert all(d.tzinfo is not None and d.year >= 2000 for d in due)


def test_two_calls_of_one_operation_are_told_apart_by_key(client, token):
    page = client.fetch(
        Call("UserContentItems", {"kind": ["learningPath"]}, key="paths"),
        Call("UserContentItems", {"kind": ["course"]}, key="courses"),
        token=token,
    )
    assert {i.kind for i in page["paths"]} == {"learningPath"}
    assert {i.kind for i in page["courses"]} == {"course"}


def test_a_second_view_within_a_minute_comes_from_the_caches(client, sandbox, token):
    client.learner_cache.fresh_seconds, client.learner_cache.keep_seconds = 60, 3600
    client.fetch(*DASHBOARD_CALLS, token=token)
    first = sandbox.stats.snapshot()["by_operation"]
    page = client.fetch(*DASHBOARD_CALLS, token=token)
    second = sandbox.stats.snapshot()["by_operation"]
    for shared in ("CompanyDetails", "CompanyTranslations", "Languages"):
        assert second[shared] == first[shared] == 1
        assert page[shared] is not None
    assert second["CurrentUser"] == first["CurrentUser"]  # the learner's own, cached a minute
    assert page["CurrentUser"].name == "Jamie Rivera"


def test_a_view_needing_only_cached_data_sends_nothing(client, sandbox, token):
    client.fetch(Call("CompanyDetails"), Call("Languages"), token=token)
    before = served(sandbox)
    page = client.fetch(Call("CompanyDetails"), Call("Languages"), token=token)
    assert served(sandbox) == before
    assert page["CompanyDetails"].name == "Acme Learning"


def test_learner_data_is_never_shared_between_learners(client):
    mine = client.fetch(Call("CurrentUser"), token=sign_in(client, "learner"))
    theirs = client.fetch(Call("CurrentUser"), token=sign_in(client, "learner2"))
    assert mine["CurrentUser"].name == "Jamie Rivera"
    assert theirs["CurrentUser"].name == "Camille Martin"


def test_cached_branding_still_comes_when_the_instance_is_down(client, sandbox, token):
    client.fetch(*DASHBOARD_CALLS, token=token)
    client.forget_learner(token)  # a learner with nothing cached
    sandbox.faults.fault_rate = 1.0
    page = client.fetch(*DASHBOARD_CALLS, token=token)
    assert isinstance(page.failure, UpstreamUnavailable)
    assert page["CompanyDetails"].name == "Acme Learning"
    assert page["Languages"]
    assert page["CurrentUser"] is None
    assert "CurrentUser" in page.missing and "CompanyDetails" not in page.missing


def test_stale_instance_data_is_served_while_it_is_refreshed(client, sandbox, token):
    client.fetch(Call("CompanyDetails"), token=token)
    client.cache.ttl = 0  # everything cached is now stale
    page = client.fetch(Call("CompanyDetails"), Call("CurrentUser"), token=token)
    assert page["CompanyDetails"].name == "Acme Learning"
    # The stale entry rode along in the request the page made anyway.
    assert sandbox.stats.snapshot()["by_operation"]["CompanyDetails"] == 2


def test_instance_down_is_upstream_unavailable_and_a_query_is_retried_once(client, sandbox, token):
    sandbox.faults.fault_rate = 1.0
    before = served(sandbox)
    page = client.fetch(Call("CurrentUser"), token=token)
    assert isinstance(page.failure, UpstreamUnavailable)
    assert served(sandbox) - before == 2  # the first try and one retry
    with pytest.raises(UpstreamUnavailable):
        client.query(Call("CurrentUser"), token=token)


def test_a_mutation_is_never_retried(client, sandbox, token):
    sandbox.faults.fault_rate = 1.0
    before = served(sandbox)
    with pytest.raises(UpstreamUnavailable):
        client.mutate(Call("ValidateRedemptionCode", {"code": "WELCOME-2026"}), token=token)
    assert served(sandbox) - before == 1


def test_latency_past_the_read_timeout_is_upstream_unavailable(client, sandbox, token):
    client.timeout = (1.0, 0.2)
    sandbox.faults.latency_ms = 400
    with pytest.raises(UpstreamUnavailable, match="did not answer in time"):
        client.query(Call("CurrentUser"), token=token)


def test_exhausted_budget_is_rate_limited_and_nothing_is_sent_until_retry_after(
    client, sandbox, token
):
    sandbox.limiter.requests_per_minute = 2
    sandbox.limiter.reset()
    client.fetch(Call("CurrentUser"), token=token)
    client.fetch(Call("UserContentGroups"), token=token)
    page = client.fetch(Call("UserRecentContent", {"limit": 1}), token=token)
    assert isinstance(page.failure, RateLimited)
    assert 0 < page.failure.retry_after <= 60
    before = served(sandbox)
    with pytest.raises(RateLimited):
        client.query(Call("UserWaitlist"), token=token)
    assert served(sandbox) == before  # honoured locally: no request went upstream


def test_a_signed_out_token_raises_auth_required(client, token):
    client.mutate(Call("Logout"), token=token)
    with pytest.raises(AuthRequired):
        client.fetch(Call("CurrentUser"), Call("UserContentGroups"), token=token)


def test_graphql_errors_keep_the_partial_data(client, token):
    page = client.fetch(
        Call("CurrentUser"),
        Call("UserCourseAwardCounts", {"courseId": "no-such-course"}),
        token=token,
    )
    assert page["CurrentUser"].first_name == "Jamie"
    assert page.failure is None
    assert page.missing == ["UserCourseAwardCounts"]
    assert page.errors["UserCourseAwardCounts"][0].code == "NOT_FOUND"


def test_a_refused_mutation_raises_operation_failed_with_the_instances_message(client, token):
    with pytest.raises(OperationFailed) as failed:
        client.mutate(
            Call("RedeemRegistrationAndRedemptionCodes", {"codes": ["EXPIRED-2024"]}), token=token
        )
    assert failed.value.code == "BAD_USER_INPUT"
    assert "EXPIRED-2024" in str(failed.value)


def test_every_upstream_request_is_logged_without_secrets(client, sandbox, caplog):
    caplog.set_level(logging.INFO, logger="atrium.gql")
    token = sign_in(client)
    client.fetch(Call("CurrentUser"), Call("UserContentGroups"), token=token)
    sandbox.faults.fault_rate = 1.0
    client.fetch(Call("UserWaitlist"), token=token)
    lines = [r.getMessage() for r in caplog.records if r.name == "atrium.gql"]
    assert any("CurrentUser,UserContentGroups" in line and "points=" in line for line in lines)
    assert any("unavailable" in line for line in lines)
    everything = caplog.text
    assert token not in everything
    assert "apiKey=sandbox" not in everything


def test_counters_add_up_requests_operations_and_points(client, sandbox, token):
    client.counters.clear()
    before = sandbox.stats.snapshot()
    client.fetch(Call("CurrentUser"), Call("UserRecentContent", {"limit": 3}), token=token)
    after = sandbox.stats.snapshot()
    assert client.counters["requests"] == 1
    assert client.counters["operations"] == 2
    assert client.counters["points"] == after["points"] - before["points"] > 0


def test_independent_mutations_go_in_one_request_each_with_its_own_outcome(client, sandbox, token):
    before = served(sandbox)
    results = client.mutate_each(
        [
            Call("ValidateRedemptionCode", {"code": "WELCOME-2026"}, key="a"),
            Call("ValidateRedemptionCode", {"code": "EXPIRED-2024"}, key="b"),
            Call("UnenrollFromWaitlist", {"id": "no-such-course"}),
        ],
        token=token,
    )
    assert served(sandbox) - before == 1
    assert results[0].valid and results[1].code_expired
    assert isinstance(results[2], OperationFailed) and results[2].code == "NOT_FOUND"
    sandbox.faults.fault_rate = 1.0
    before = served(sandbox)
    with pytest.raises(UpstreamUnavailable):
        client.mutate_each([Call("ValidateRedemptionCode", {"code": "X"})], token=token)
    assert served(sandbox) - before == 1  # never retried
