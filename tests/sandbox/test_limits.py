"""Costs, the 1,000-point ceiling, per-minute budgets and 429, faults, and the counters."""

from __future__ import annotations

import time

import pytest

from tests.sandbox.helpers import CREATE_LEARNER, assert_rate_headers, raw_post
from tests.support import error_codes

PEEK = {"query": "{ __typename }"}  # costs 0 points: a way to read the headers


def remaining(response) -> int:
    return int(response.headers["X-RateLimit-Remaining"])


def requests_remaining(response) -> int:
    return int(response.headers["X-RateLimit-Requests-Remaining"])


def aliases(count: int, field: str = "TermsAndConditions { globalTerms }") -> str:
    """A query of `count` aliased copies of one field (2 points each by default)."""
    return "query { " + " ".join(f"a{i}: {field}" for i in range(count)) + " }"


# -- costs ---------------------------------------------------------------------------------------

COSTS = [
    # 6 fields + UserContentItems' extra 3
    ("query { UserContentItems { id title tags { id label } } }", 9),
    # __typename is free
    ("query { __typename UserContentItems { __typename id title tags { id label } } }", 9),
    # a named fragment is expanded where it is spread
    (
        "query { UserContentItems { ...Card } } "
        "fragment Card on Content { id title tags { label } }",
        8,
    ),
    # 3 fields + UserRecentContent's extra 4
    ("query { UserRecentContent(limit: 5) { id slug } }", 7),
    ("query { Languages { id code label } TermsAndConditions { globalTerms } }", 6),
    ("query { a: Languages { code } b: Languages { code } }", 4),
    # inline fragments: every branch counts
    (
        'query { LearningPathCurrentUserAwardTotals(slug: "x") { total resource { '
        "... on Course { id title } ... on LearningPath { id name } } } }",
        7,
    ),
    ("query { CurrentUser { id client { id name } activeLicense { id } } }", 7),
    # nested fields TI documents as costing 3 more: User.purchasedCourses and the like
    ("query { CurrentUser { id purchasedCourses { courseId status } } }", 8),
    ("query { CurrentUser { allocatedLearningPaths { learningPathId status } } }", 7),
    (
        "query { CurrentUser { purchasedBundles { bundleId } attendedMeetings { user { id } } } }",
        12,
    ),
    # ...wherever they are selected: on a fragment, or deep in another root field
    (
        "query { CurrentUser { ...Mine } } fragment Mine on User { purchasedCourses { courseId } }",
        6,
    ),
    ("query { BadgeLeaderboard { leaders { user { purchasedCourses { courseId } } } } }", 8),
    # UserCourseProgress and UserCourseCompletionProgress cost 5 more each (charged even when
    # the id is unknown: the cost is known before the query runs)
    ('query { UserCourseProgress(id: "x") { percentComplete } }', 7),
    (
        'query { a: UserCourseProgress(id: "x") { percentComplete } '
        'b: UserCourseProgress(id: "y") { percentComplete } }',
        14,
    ),
    ('query { UserCourseCompletionProgress(id: "x") { type percent } }', 8),
    ('query { LearningPathBySlug(slug: "x") { id milestones { id } } }', 4),
    ('mutation { ArchiveUserCourse(id: "x") }', 1),
    ('mutation { ValidateRedemptionCode(code: "X") { valid alreadyRedeemed codeExpired } }', 4),
    ("{ __schema { queryType { name } } }", 3),  # introspection counts like any field
    ("{ __typename }", 0),
]


@pytest.mark.parametrize(("query", "cost"), COSTS)
def test_x_query_cost_follows_the_documented_formula(shared, query, cost):
    helium = shared.helium
    learner_token = shared.learner
    response = helium.post({"query": query}, token=learner_token)
    assert response.status_code == 200
    assert int(response.headers["X-Query-Cost"]) == cost


@pytest.mark.parametrize(("query", "cost"), COSTS[:5])
def test_x_ratelimit_remaining_drops_by_the_cost(shared, query, cost):
    helium = shared.helium
    shared.sandbox.limiter.reset()  # a fresh minute: no window rolls over mid-test
    learner_token = shared.learner
    before = remaining(helium.post(PEEK))
    response = helium.post({"query": query}, token=learner_token)
    assert remaining(response) == before - cost
    assert remaining(helium.post(PEEK)) == before - cost


def test_a_course_progress_costs_its_documented_extra(shared):
    helium = shared.helium
    course = helium.data("query { UserContentItems(kind: [course]) { id } }", token=shared.learner)[
        "UserContentItems"
    ][0]["id"]
    one = "UserCourseProgress(id: $id) { percentComplete }"
    single = helium.post(
        {"query": f"query P($id: ID!) {{ {one} }}", "variables": {"id": course}},
        token=shared.learner,
    )
    assert single.status_code == 200 and "errors" not in single.json()
    assert int(single.headers["X-Query-Cost"]) == 1 + 1 + 5
    double = helium.post(
        {"query": f"query P($id: ID!) {{ a: {one} b: {one} }}", "variables": {"id": course}},
        token=shared.learner,
    )
    answer = double.json()["data"]
    assert answer["a"] == answer["b"] == single.json()["data"]["UserCourseProgress"]
    assert int(double.headers["X-Query-Cost"]) == 14


def test_a_batch_costs_the_sum_of_its_operations(shared):
    helium = shared.helium
    shared.sandbox.limiter.reset()  # a fresh minute: no window rolls over mid-test
    learner_token = shared.learner
    batch = [
        {"query": "query { Languages { code } }"},  # 2
        {"query": "query { UserRecentContent { id } }"},  # 2 + 4
        {"query": "query { Languages { code "},  # a syntax error costs nothing
    ]
    before = remaining(helium.post(PEEK))
    response = helium.post(batch, token=learner_token)
    assert response.status_code == 200
    assert int(response.headers["X-Query-Cost"]) == 8
    assert remaining(response) == before - 8


def test_the_limits_default_to_tis_budgets(shared):
    helium = shared.helium
    response = helium.post(PEEK)
    assert response.headers["X-RateLimit-Limit"] == "100000"
    assert response.headers["X-RateLimit-Requests-Limit"] == "2500"


def test_each_request_spends_one_from_the_request_budget(shared):
    helium = shared.helium
    shared.sandbox.limiter.reset()  # a fresh minute: no window rolls over mid-test
    first = requests_remaining(helium.post(PEEK))
    second = requests_remaining(helium.post(PEEK))
    assert second == first - 1


# -- the 1,000-point ceiling ---------------------------------------------------------------------


def test_a_query_of_exactly_1000_points_runs(shared):
    helium = shared.helium
    response = helium.post({"query": aliases(500)})
    assert response.status_code == 200
    assert int(response.headers["X-Query-Cost"]) == 1000
    assert len(response.json()["data"]) == 500


def test_a_query_over_1000_points_is_refused_unexecuted_and_uncharged(helium, sandbox):
    before = remaining(helium.post(PEEK))
    operations = sandbox.stats.snapshot()["operations"]
    response = helium.post({"query": aliases(501)})
    assert response.status_code == 400
    answer = response.json()
    assert "data" not in answer
    assert error_codes(answer) == ["QUERY_TOO_COSTLY"]
    assert remaining(response) == before
    assert remaining(helium.post(PEEK)) == before
    assert sandbox.stats.snapshot()["operations"] == operations + 1  # the peek only
    assert_rate_headers(response)


def test_a_costly_mutation_changes_nothing(helium, admin_token):
    field = 'CreateLearner(email: "costly@acme.test", firstName: "Co", lastName: "Stly") { id }'
    response = helium.post(
        {"query": aliases(501, field).replace("query", "mutation", 1)}, token=admin_token
    )
    assert response.status_code == 400
    assert error_codes(response.json()) == ["QUERY_TOO_COSTLY"]
    # Had any alias run, this would be ALREADY_EXISTS.
    learner = {"email": "costly@acme.test", "firstName": "Co", "lastName": "Stly"}
    assert helium.data(CREATE_LEARNER, learner, admin_token)["CreateLearner"]["id"]


def test_extra_costs_count_towards_the_ceiling(shared):
    field = 'UserCourseProgress(id: "x") { percentComplete }'  # 7 points
    fits = shared.helium.post({"query": aliases(142, field)}, token=shared.learner)
    assert fits.status_code == 200
    assert int(fits.headers["X-Query-Cost"]) == 994
    refused = shared.helium.post({"query": aliases(143, field)}, token=shared.learner)  # 1001
    assert refused.status_code == 400
    assert error_codes(refused.json()) == ["QUERY_TOO_COSTLY"]


def test_nested_extra_costs_count_towards_the_ceiling(shared):
    field = "CurrentUser { purchasedCourses { courseId } }"  # 6 points
    fits = shared.helium.post({"query": aliases(166, field)}, token=shared.learner)
    assert fits.status_code == 200
    assert int(fits.headers["X-Query-Cost"]) == 996
    refused = shared.helium.post({"query": aliases(167, field)}, token=shared.learner)  # 1002
    assert refused.status_code == 400
    assert error_codes(refused.json()) == ["QUERY_TOO_COSTLY"]


def test_a_fragment_bomb_is_refused_as_too_costly(shared):
    helium = shared.helium
    fragments = ["fragment F0 on Language { code label id }"]
    for level in range(1, 12):
        fragments.append(f"fragment F{level} on Language {{ ...F{level - 1} ...F{level - 1} }}")
    query = "query { Languages { ...F11 } } " + " ".join(fragments)
    response = helium.post({"query": query})
    assert response.status_code == 400
    assert error_codes(response.json()) == ["QUERY_TOO_COSTLY"]


def test_a_costly_entry_of_a_batch_is_refused_alone(shared):
    helium = shared.helium
    batch = [{"query": aliases(501)}, {"query": "query { Languages { code } }"}]
    response = helium.post(batch)
    assert response.status_code == 200
    costly, cheap = response.json()
    assert "data" not in costly and error_codes(costly) == ["QUERY_TOO_COSTLY"]
    assert cheap["data"]["Languages"]
    assert int(response.headers["X-Query-Cost"]) == 2


# -- per-minute budgets --------------------------------------------------------------------------


def test_the_request_budget_is_configurable_and_429_once_spent(start_app):
    _app, helium = start_app(SANDBOX_REQUESTS_PER_MINUTE="3")
    answers = [helium.post({"query": "query { Languages { code } }"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [requests_remaining(a) for a in answers] == [2, 1, 0]
    assert answers[0].headers["X-RateLimit-Requests-Limit"] == "3"
    refused = helium.post({"query": "query { Languages { code } }"})
    assert refused.status_code == 429
    body = refused.json()
    assert "data" not in body
    assert error_codes(body) == ["RATE_LIMITED"]
    retry_after = refused.headers["Retry-After"]
    assert retry_after.isdigit() and 0 < int(retry_after) <= 60
    assert_rate_headers(refused)
    assert requests_remaining(refused) == 0


def test_the_point_budget_is_configurable_and_429_once_spent(start_app):
    _app, helium = start_app(SANDBOX_POINTS_PER_MINUTE="10")
    query = {"query": "query { Languages { id code label } }"}  # 4 points
    first, second = helium.post(query), helium.post(query)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.headers["X-RateLimit-Limit"] == "10"
    assert (remaining(first), remaining(second)) == (6, 2)
    refused = helium.post(query)
    assert refused.status_code == 429
    assert error_codes(refused.json()) == ["RATE_LIMITED"]
    assert int(refused.headers["Retry-After"]) > 0
    assert remaining(refused) == 2  # nothing was charged
    # What still fits in the budget still runs.
    assert helium.post({"query": "query { Languages { code } }"}).status_code == 200


def test_a_rate_limited_mutation_changes_nothing(helium, sandbox, admin_token):
    used = 2500 - requests_remaining(helium.post(PEEK))
    sandbox.limiter.requests_per_minute = used
    learner = {"email": "limited@acme.test", "firstName": "Lim", "lastName": "Ited"}
    refused = helium.post({"query": CREATE_LEARNER, "variables": learner}, token=admin_token)
    assert refused.status_code == 429
    sandbox.limiter.requests_per_minute = 2500
    created = helium.data(CREATE_LEARNER, learner, admin_token)["CreateLearner"]
    assert created["email"] == "limited@acme.test"


def test_a_rate_limited_batch_runs_none_of_its_entries(helium, sandbox, learner_token):
    used = 100_000 - remaining(helium.post(PEEK))
    sandbox.limiter.points_per_minute = used + 2
    batch = [{"query": "query { Languages { code } }"}, {"query": "mutation { Logout }"}]  # 3
    refused = helium.post(batch, token=learner_token)
    assert refused.status_code == 429
    assert error_codes(refused.json()) == ["RATE_LIMITED"]
    sandbox.limiter.points_per_minute = 100_000
    # Logout did not run: the token still signs the learner in.
    me = helium.data("query { CurrentUser { email } }", token=learner_token)
    assert me["CurrentUser"]["email"] == "learner@acme.test"


@pytest.mark.parametrize("status", [200, 400, 401, 429, 503])
def test_rate_limit_headers_are_on_every_answer(helium, sandbox, status):
    if status == 429:
        sandbox.limiter.requests_per_minute = 0
    if status == 503:
        sandbox.faults.fault_rate = 1.0
    body = {"query": "{ Languages { code " if status == 400 else "{ Languages { code } }"}
    response = helium.post(body, api_key="wrong" if status == 401 else None)
    assert response.status_code == status
    assert_rate_headers(response)


def test_control_reset_restores_the_budgets(helium, sandbox):
    sandbox.limiter.requests_per_minute = 2
    helium.post(PEEK)
    helium.post(PEEK)
    assert helium.post(PEEK).status_code == 429
    control = helium.http.post(
        f"{helium.base_url}/sandbox/control", params={"apiKey": "sandbox"}, json={"reset": True}
    )
    assert control.status_code == 200
    assert control.json()["requests_remaining"] == 2
    assert helium.post(PEEK).status_code == 200


# -- faults --------------------------------------------------------------------------------------


def test_faults_are_off_by_default(helium):
    statuses = {helium.post({"query": "{ Languages { code } }"}).status_code for _ in range(20)}
    assert statuses == {200}


def test_a_fault_rate_of_one_fails_every_request_with_503(helium, sandbox, admin_token):
    sandbox.faults.fault_rate = 1.0
    learner = {"email": "faulty@acme.test", "firstName": "Fau", "lastName": "Lty"}
    response = helium.post({"query": CREATE_LEARNER, "variables": learner}, token=admin_token)
    assert response.status_code == 503
    body = response.json()
    assert "data" not in body
    assert error_codes(body) == ["SERVICE_UNAVAILABLE"]
    assert_rate_headers(response)
    sandbox.faults.fault_rate = 0.0
    # The failed request changed nothing.
    assert helium.data(CREATE_LEARNER, learner, admin_token)["CreateLearner"]["id"]


def test_the_fault_rate_comes_from_the_environment(start_app):
    _app, helium = start_app(SANDBOX_FAULT_RATE="1")
    response = helium.post({"query": "{ Languages { code } }"})
    assert response.status_code == 503
    assert error_codes(response.json()) == ["SERVICE_UNAVAILABLE"]


def test_a_partial_fault_rate_fails_some_requests(helium, sandbox):
    sandbox.faults.fault_rate = 0.5
    statuses = [helium.post({"query": "{ Languages { code } }"}).status_code for _ in range(40)]
    assert set(statuses) == {200, 503}


def test_latency_adds_at_least_that_delay(helium, sandbox):
    sandbox.faults.latency_ms = 300
    start = time.monotonic()
    response = helium.post({"query": "{ Languages { code } }"})
    assert time.monotonic() - start >= 0.3
    assert response.status_code == 200


def test_the_latency_comes_from_the_environment(start_app):
    _app, helium = start_app(SANDBOX_LATENCY_MS="250")
    start = time.monotonic()
    assert helium.post({"query": "{ Languages { code } }"}).status_code == 200
    assert time.monotonic() - start >= 0.25


def test_control_switches_faults_at_run_time(helium, sandbox):
    url = f"{helium.base_url}/sandbox/control"
    answer = helium.http.post(url, params={"apiKey": "sandbox"}, json={"fault_rate": 1})
    assert answer.status_code == 200 and answer.json()["fault_rate"] == 1
    assert helium.post(PEEK).status_code == 503
    answer = helium.http.post(
        url, params={"apiKey": "sandbox"}, json={"fault_rate": 0, "latency_ms": 150}
    )
    assert sandbox.faults.latency_ms == 150
    start = time.monotonic()
    assert helium.post(PEEK).status_code == 200
    assert time.monotonic() - start >= 0.15


@pytest.mark.parametrize(
    "body", [{"fault_rate": 2}, {"latency_ms": -1}, {"fault_rate": "lots"}, [1]], ids=repr
)
def test_control_refuses_bad_settings(helium, sandbox, body):
    url = f"{helium.base_url}/sandbox/control"
    answer = helium.http.post(url, params={"apiKey": "sandbox"}, json=body)
    assert answer.status_code == 400
    assert sandbox.faults.fault_rate == 0 and sandbox.faults.latency_ms == 0


def test_control_and_stats_need_the_api_key(helium):
    control = helium.http.post(f"{helium.base_url}/sandbox/control", json={"fault_rate": 1})
    stats = helium.http.get(f"{helium.base_url}/sandbox/stats", params={"apiKey": "nope"})
    assert (control.status_code, stats.status_code) == (401, 401)
    assert helium.post(PEEK).status_code == 200


# -- counters ------------------------------------------------------------------------------------


def test_stats_count_requests_operations_and_points(helium, sandbox):
    before = sandbox.stats.snapshot()
    helium.post({"query": "query Langs { Languages { code } }"})  # 2 points
    helium.post(
        [
            {"query": "query Langs { Languages { code } }"},  # 2
            {"query": "query Terms { TermsAndConditions { globalTerms } }"},  # 2
        ]
    )
    helium.post({"query": "query { Languages { code "})  # parse error: 0
    after = sandbox.stats.snapshot()
    assert after["http_requests"] == before["http_requests"] + 3
    assert after["points"] == before["points"] + 6
    assert after["operations"] == before["operations"] + 3
    by_operation = after["by_operation"]
    assert by_operation.get("Langs", 0) == before["by_operation"].get("Langs", 0) + 2
    assert by_operation.get("Terms", 0) == before["by_operation"].get("Terms", 0) + 1


def test_stats_count_refusals(helium, sandbox):
    before = sandbox.stats.snapshot()
    helium.post(PEEK, api_key="wrong")
    raw_post(helium, b"not json")
    sandbox.limiter.requests_per_minute = 0
    helium.post(PEEK)
    sandbox.limiter.requests_per_minute = 2500
    sandbox.faults.fault_rate = 1.0
    helium.post(PEEK)
    after = sandbox.stats.snapshot()
    assert after["http_requests"] == before["http_requests"] + 4
    assert after["rejected"] == before["rejected"] + 2
    assert after["rate_limited"] == before["rate_limited"] + 1
    assert after["faults"] == before["faults"] + 1
    assert after["points"] == before["points"]


def test_the_stats_endpoint_reports_the_counters_and_budget(helium, sandbox):
    response = helium.post({"query": "query { Languages { code } }"})
    stats = helium.http.get(f"{helium.base_url}/sandbox/stats", params={"apiKey": "sandbox"})
    assert stats.status_code == 200
    body = stats.json()
    snapshot = sandbox.stats.snapshot()
    for key in ("http_requests", "operations", "points"):
        assert body[key] == snapshot[key]
    assert body["points_remaining"] == remaining(response)
    assert body["requests_remaining"] == requests_remaining(response)
