"""The /helium protocol: API key, batches, syntax and validation errors, operationName,
introspection, and malformed bodies."""

from __future__ import annotations

import json

import pytest

from tests.sandbox.helpers import (
    CREATE_LEARNER,
    OPERATIONS,
    SCHEMA_ONLY_OPERATIONS,
    assert_no_crash,
    assert_rate_headers,
    code_of,
    raw_post,
)
from tests.support import error_codes

LANGUAGES = "query Languages { Languages { code } }"


# -- the API key ---------------------------------------------------------------------------------


@pytest.mark.parametrize("api_key", ["", "wrong", "sandbox ", "SANDBOX"], ids=repr)
def test_a_missing_or_wrong_api_key_gets_401_and_no_data(shared, api_key):
    helium = shared.helium
    response = helium.post({"query": LANGUAGES}, api_key=api_key)
    assert response.status_code == 401
    body = response.json()
    assert "data" not in body
    assert error_codes(body) == ["INVALID_API_KEY"]
    assert body["errors"][0]["message"]
    assert_rate_headers(response)


def test_a_request_with_a_wrong_api_key_executes_nothing(helium, admin_token):
    learner = {"email": "keyless@acme.test", "firstName": "Key", "lastName": "Less"}
    refused = helium.post({"query": CREATE_LEARNER, "variables": learner}, admin_token, "nope")
    assert refused.status_code == 401
    # Had the refused request run, this would now be ALREADY_EXISTS.
    created = helium.data(CREATE_LEARNER, learner, admin_token)["CreateLearner"]
    assert created["email"] == "keyless@acme.test"


def test_the_right_api_key_answers_200_with_data(shared):
    helium = shared.helium
    response = helium.post({"query": LANGUAGES})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["data"]["Languages"]


# -- batches -------------------------------------------------------------------------------------


def test_a_batch_is_answered_by_an_array_in_the_same_order(shared):
    helium = shared.helium
    learner_token = shared.learner
    batch = [
        {"query": "query { TermsAndConditions { globalTerms } }"},
        {"query": LANGUAGES},
        {"query": "query { CurrentUser { email } }"},
        {
            "query": "query T($ns: TranslationNamespace!) { CompanyTranslations(namespace: $ns) "
            "{ lang } }",
            "variables": {"ns": "emails"},
        },
    ]
    response = helium.post(batch, token=learner_token)
    assert response.status_code == 200
    answers = response.json()
    assert isinstance(answers, list) and len(answers) == 4
    assert list(answers[0]["data"]) == ["TermsAndConditions"]
    assert list(answers[1]["data"]) == ["Languages"]
    assert answers[2]["data"]["CurrentUser"]["email"] == "learner@acme.test"
    assert answers[3]["data"]["CompanyTranslations"]
    assert all("errors" not in a for a in answers)
    # The reverse batch comes back reversed.
    reverse = helium.post(list(reversed(batch)), token=learner_token).json()
    assert [list(a["data"]) for a in reverse] == [list(a["data"]) for a in reversed(answers)]


def test_each_batch_entry_carries_its_own_errors(shared):
    helium = shared.helium
    batch = [
        {"query": LANGUAGES},
        {"query": "query { Languages { code "},  # syntax error
        {"query": "query { NoSuchField }"},  # validation error
        {"query": "query { CurrentUser { email } }"},  # anonymous: null, no error
        {"query": "query { UserArchives { id } }"},  # anonymous: UNAUTHENTICATED
    ]
    response = helium.post(batch)
    assert response.status_code == 200
    first, parse, invalid, anonymous, refused = response.json()
    assert first["data"]["Languages"] and "errors" not in first
    assert "data" not in parse and error_codes(parse) == ["GRAPHQL_PARSE_FAILED"]
    assert "data" not in invalid and error_codes(invalid) == ["GRAPHQL_VALIDATION_FAILED"]
    assert anonymous == {"data": {"CurrentUser": None}}
    assert code_of(refused) == "UNAUTHENTICATED"


def test_a_batch_of_mutations_runs_in_order(helium, admin_token):
    learner = {"email": "twice@acme.test", "firstName": "Twice", "lastName": "Made"}
    body = [{"query": CREATE_LEARNER, "variables": learner}] * 2
    first, second = helium.post(body, token=admin_token).json()
    assert first["data"]["CreateLearner"]["email"] == "twice@acme.test"
    assert code_of(second) == "ALREADY_EXISTS"


# -- syntax and validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["query { Languages { code }", "{ Languages { code } } }", "query ( { }", "}", "query"],
)
def test_a_syntax_error_is_400_graphql_parse_failed_without_data(shared, query):
    helium = shared.helium
    response = helium.post({"query": query})
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert error_codes(body) == ["GRAPHQL_PARSE_FAILED"]
    assert_rate_headers(response)


@pytest.mark.parametrize(
    "query",
    [
        "query { NoSuchOperation }",
        "query { Languages { nope } }",
        "query { Languages }",  # a list of objects needs a selection
        "query { TermsAndConditions(extra: 1) { globalTerms } }",
        'query { UserRecentContent(limit: "five") { id } }',
        "query { CompanyTranslations(namespace: klingon) { lang } }",
        "query { CompanyTranslations { lang } }",  # required argument missing
        "query Q($x: Int) { Languages { code } }",  # unused variable
        "mutation { Languages { code } }",
        "subscription { Languages { code } }",
    ],
)
def test_a_validation_error_is_400_graphql_validation_failed_without_data(shared, query):
    helium = shared.helium
    response = helium.post({"query": query})
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert set(error_codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}
    assert all(e["message"] for e in body["errors"])


def test_a_validation_failure_executes_nothing(helium, admin_token):
    learner = {"email": "invalid-doc@acme.test", "firstName": "In", "lastName": "Valid"}
    query = CREATE_LEARNER.replace("roleKey", "roleKey noSuchField")
    response = helium.post({"query": query, "variables": learner}, token=admin_token)
    assert response.status_code == 400
    created = helium.data(CREATE_LEARNER, learner, admin_token)["CreateLearner"]
    assert created["email"] == "invalid-doc@acme.test"


def test_a_variable_of_the_wrong_type_is_bad_user_input(shared):
    helium = shared.helium
    learner_token = shared.learner
    answer = helium.run(
        "query R($limit: Int) { UserRecentContent(limit: $limit) { id } }",
        {"limit": "many"},
        learner_token,
    )
    assert "BAD_USER_INPUT" in error_codes(answer)
    assert not (answer.get("data") or {}).get("UserRecentContent")


# -- operationName -------------------------------------------------------------------------------

TWO_OPERATIONS = """
query First { Languages { code } }
query Second { TermsAndConditions { globalTerms } }
"""


@pytest.mark.parametrize(
    ("name", "root"), [("First", "Languages"), ("Second", "TermsAndConditions")]
)
def test_operation_name_selects_the_operation_to_run(shared, name, root):
    helium = shared.helium
    response = helium.post({"query": TWO_OPERATIONS, "operationName": name})
    assert response.status_code == 200
    assert list(response.json()["data"]) == [root]


def test_operation_name_selects_a_mutation_among_queries(helium, learner_token):
    document = TWO_OPERATIONS + "mutation Out { Logout }"
    answer = helium.post({"query": document, "operationName": "First"}, learner_token).json()
    assert list(answer["data"]) == ["Languages"]
    # Only "First" ran: the token is still good.
    still = helium.post({"query": document, "operationName": "Out"}, learner_token).json()
    assert still == {"data": {"Logout": True}}


@pytest.mark.parametrize("name", [None, "Third", ""], ids=repr)
def test_several_operations_need_a_known_operation_name(shared, name):
    helium = shared.helium
    body = {"query": TWO_OPERATIONS}
    if name is not None:
        body["operationName"] = name
    response = helium.post(body)
    assert response.status_code == 400
    answer = response.json()
    assert "data" not in answer
    assert error_codes(answer) == ["BAD_USER_INPUT"]


def test_a_single_operation_runs_whatever_its_name(shared):
    helium = shared.helium
    answer = helium.post({"query": LANGUAGES, "operationName": "Languages"}).json()
    assert answer["data"]["Languages"]


# -- introspection -------------------------------------------------------------------------------


def test_introspection_names_the_root_types(shared):
    helium = shared.helium
    schema = helium.data("{ __schema { queryType { name } mutationType { name } } }")["__schema"]
    assert schema == {"queryType": {"name": "Query"}, "mutationType": {"name": "Mutation"}}


def test_introspection_describes_the_content_type(shared):
    helium = shared.helium
    found = helium.data('{ __type(name: "Content") { name kind fields { name } } }')["__type"]
    assert found["name"] == "Content"
    assert found["kind"] == "OBJECT"
    names = {f["name"] for f in found["fields"]}
    assert {"id", "title", "slug", "kind", "tags", "priceInCents", "currentUserDueDate"} <= names


def test_introspection_lists_all_36_operations(shared):
    helium = shared.helium
    schema = helium.data(
        "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }"
    )["__schema"]
    queries = {f["name"] for f in schema["queryType"]["fields"]}
    mutations = {f["name"] for f in schema["mutationType"]["fields"]}
    # The reference's 29 and the 7 more of TI's schema, and nothing else.
    assert queries == set(OPERATIONS["query"]) | set(SCHEMA_ONLY_OPERATIONS["query"])
    assert mutations == set(OPERATIONS["mutation"]) | set(SCHEMA_ONLY_OPERATIONS["mutation"])
    assert len(queries) + len(mutations) == 36


def test_introspection_of_an_unknown_type_is_null(shared):
    helium = shared.helium
    assert helium.data('{ __type(name: "NoSuchType") { name } }') == {"__type": None}


def test_typename_on_the_root_answers(shared):
    helium = shared.helium
    assert helium.data("{ __typename }") == {"__typename": "Query"}


# -- malformed bodies ----------------------------------------------------------------------------

MALFORMED = {
    "empty": b"",
    "not-json": b"this is not json",
    "truncated-json": b'{"query": "{ Languages { code } }"',
    "json-null": b"null",
    "json-string": b'"{ Languages { code } }"',
    "json-number": b"42",
    "empty-object": b"{}",
    "empty-batch": b"[]",
    "query-not-a-string": b'{"query": 5}',
    "query-null": b'{"query": null}',
    "query-is-object": b'{"query": {"a": 1}}',
    "variables-a-list": b'{"query": "{ Languages { code } }", "variables": [1]}',
    "variables-a-string": b'{"query": "{ Languages { code } }", "variables": "x"}',
    "operation-name-number": b'{"query": "{ Languages { code } }", "operationName": 5}',
    "batch-of-numbers": b"[1, 2, 3]",
    "batch-with-a-bad-entry": b'[{"query": "{ Languages { code } }"}, 7]',
    "nested-batch": b'[[{"query": "{ Languages { code } }"}]]',
    "invalid-utf8": b'{"query": "\xff\xfe"}',
    "deeply-nested-json": b"[" * 50_000 + b"]" * 50_000,
    "deeply-nested-variables": (
        b'{"query": "{ Languages { code } }", "variables": {"a": '
        + b"[" * 50_000
        + b"]" * 50_000
        + b"}}"
    ),
    "batch-of-51": json.dumps([{"query": "{ __typename }"}] * 51).encode(),
    "over-a-megabyte": json.dumps(
        {"query": "{ Languages { code } }", "x": "a" * 1_100_000}
    ).encode(),
}


@pytest.mark.parametrize("body", list(MALFORMED.values()), ids=list(MALFORMED))
def test_a_malformed_body_is_400_bad_request_never_500(shared, body):
    helium = shared.helium
    response = raw_post(helium, body)
    assert response.status_code == 400, response.text[:300]
    answer = response.json()
    assert "data" not in answer
    assert error_codes(answer) == ["BAD_REQUEST"]
    assert_rate_headers(response)


def test_a_malformed_body_executes_nothing(helium, sandbox):
    before = sandbox.stats.snapshot()
    raw_post(helium, b'{"query": 5}')
    after = sandbox.stats.snapshot()
    assert after["operations"] == before["operations"]
    assert after["points"] == before["points"]
    assert after["http_requests"] == before["http_requests"] + 1


def test_a_50_entry_batch_is_accepted(shared):
    helium = shared.helium
    response = helium.post([{"query": "{ __typename }"}] * 50)
    assert response.status_code == 200
    assert len(response.json()) == 50


def test_any_answer_survives_a_round_trip_of_odd_json(shared):
    helium = shared.helium
    response = raw_post(helium, b'{"query": "{ Languages { code } }", "variables": null}')
    assert_no_crash(response)
    assert response.status_code == 200
