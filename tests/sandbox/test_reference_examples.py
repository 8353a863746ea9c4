"""Every `Example` operation of the API reference, sent as written (with its `# Variables:`),
is accepted with a learner's and an admin's token: it returns data, or a TI-shaped error where
the example names an id the demo lacks (NOT_FOUND) or leaves out a required variable
(BAD_USER_INPUT). Never a crash.

The reference lives outside the repository (../shared/seed/); without it the module is skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, parse

from tests.sandbox.helpers import OPERATIONS, assert_no_crash
from tests.support import error_codes

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_e826332044f6db4c.txt"

if not REFERENCE.exists():
    pytest.skip(
        f"the API reference is not at {REFERENCE} (it lives outside the repository)",
        allow_module_level=True,
    )


@dataclass(frozen=True)
class Example:
    operation: str  # the root field, e.g. "UserContentItems"
    query: str
    variables: dict | None


def extract_examples(text: str) -> list[Example]:
    """The blocks between a line "Example" and the next "Example Response", with the JSON of
    their "# Variables:" comment lines when present."""
    lines = text.splitlines()
    examples, i = [], 0
    while i < len(lines):
        if lines[i].strip() != "Example":
            i += 1
            continue
        block = []
        i += 1
        while i < len(lines) and "Example Response" not in lines[i]:
            block.append(lines[i])
            i += 1
        if i < len(lines):
            block.append(lines[i].split("Example Response")[0])
        comments = [line.strip()[1:] for line in block if line.strip().startswith("#")]
        query = "\n".join(line for line in block if not line.strip().startswith("#")).strip()
        variables = None
        if comments:
            assert comments[0].strip() == "Variables:", comments
            variables = json.loads("\n".join(comments[1:]))
        document = parse(query)
        operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        root = operation.selection_set.selections[0].name.value
        examples.append(Example(root, query, variables))
    return examples


EXAMPLES = extract_examples(REFERENCE.read_text(encoding="utf-8"))

# What each example must produce on the demo data, when it is not data: the ids it names
# ("user_abc123", "lic_abc123", "course_abc123"...) are not in the demo, two leave out a required
# variable, Login's account ("[email protected]" in the reference) does not exist, and the
# CreateLearners emails are not addresses.
EXPECTED_ERROR = {
    "CompanyDetails": "NOT_FOUND",
    "LearningPathCurrentUserAwardTotals": "BAD_USER_INPUT",  # $slug missing
    "UserCourseAwardCounts": "NOT_FOUND",
    "UserCourseCollaborations": "NOT_FOUND",
    "CreateCertificateFromUpload": "BAD_USER_INPUT",  # $asset missing
    "CreateLearner": "NOT_FOUND",  # clientId "client_001"
    "CreateLearners": "BAD_USER_INPUT",
    "Login": "INVALID_CREDENTIALS",
    "RedeemBalance": "NOT_FOUND",
    "RedeemRegistrationAndRedemptionCodes": "NOT_FOUND",
    "SelectCurrentUserActiveLicense": "NOT_FOUND",
    "UnenrollFromWaitlist": "NOT_FOUND",
}
LEARNER_ERROR = {"CreateLearner": "FORBIDDEN", "CreateLearners": "FORBIDDEN"}  # admins only


def test_the_reference_has_an_example_for_each_of_the_29_operations():
    names = [e.operation for e in EXAMPLES]
    assert len(EXAMPLES) == 29
    assert sorted(names) == sorted(OPERATIONS["query"] + OPERATIONS["mutation"])


@pytest.mark.parametrize("who", ["learner", "admin"])
@pytest.mark.parametrize("example", EXAMPLES, ids=[e.operation for e in EXAMPLES])
def test_the_reference_example_is_accepted(shared, example, who):
    helium = shared.helium
    # Logout would end the shared session: give it one of its own.
    token = helium.login(who) if example.operation == "Logout" else shared.token(who)
    body = {"query": example.query}
    if example.variables is not None:
        body["variables"] = example.variables
    response = helium.post(body, token=token)
    assert_no_crash(response)
    assert response.status_code == 200, response.text[:500]
    answer = response.json()
    assert "data" in answer

    expected = EXPECTED_ERROR.get(example.operation)
    if who == "learner":
        expected = LEARNER_ERROR.get(example.operation, expected)
    if expected is None:
        assert "errors" not in answer, answer["errors"]
        assert answer["data"][example.operation] is not None
    else:
        assert error_codes(answer) == [expected], answer
        assert not (answer["data"] or {}).get(example.operation)
