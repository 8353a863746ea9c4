"""CreateLearner and CreateLearners: admins only, no duplicate emails, all or nothing."""

from __future__ import annotations

import pytest

from tests.sandbox.helpers import (
    ADMIN_EMAIL,
    CREATE_LEARNER,
    CREATE_LEARNERS,
    LEARNER_EMAIL,
    TAKEN_EMAIL,
    code_of,
    me,
    only_error,
)

COMPANY_OF = "query C($user: ID) { CompanyDetails(user: $user) { settings { id logoAsset } } }"


def learner(email: str, first: str = "Robin", last: str = "Quinn", **extra) -> dict:
    return {"email": email, "firstName": first, "lastName": last, **extra}


def create(helium, token, **variables):
    return helium.run(CREATE_LEARNER, variables, token)


# -- CreateLearner -------------------------------------------------------------------------------


def test_an_admin_creates_a_learner(helium, admin_token):
    created = helium.data(CREATE_LEARNER, learner("robin@acme.test"), admin_token)["CreateLearner"]
    assert created["id"]
    assert (created["email"], created["firstName"], created["lastName"]) == (
        "robin@acme.test",
        "Robin",
        "Quinn",
    )
    assert created["name"] == "Robin Quinn"
    assert created["roleKey"] == "learner"
    assert created["disabled"] is False
    # No clientId: the default client, the company's own.
    assert created["clientId"] == me(helium, admin_token)["client"]["id"]
    # The new user exists for the rest of the API.
    answer = helium.data(COMPANY_OF, {"user": created["id"]})
    assert answer["CompanyDetails"]["settings"]["id"]


def test_a_learner_created_for_a_client_gets_its_licenses_and_branding(
    helium, admin_token, learner2_token
):
    globex = me(helium, learner2_token)
    client, license_id = globex["client"]["id"], globex["activeLicense"]["id"]
    variables = learner("globex.new@globex.test", clientId=client, licenseIds=[license_id])
    created = helium.data(CREATE_LEARNER, variables, admin_token)["CreateLearner"]
    assert created["clientId"] == client
    assert created["activeLicense"] == {"id": license_id}
    assert created["allocatedLicenses"] == [{"licenseId": license_id}]
    theirs = helium.data(COMPANY_OF, {"user": created["id"]})["CompanyDetails"]["settings"]
    camille = helium.data(COMPANY_OF, {"user": globex["id"]})["CompanyDetails"]["settings"]
    assert theirs == camille


@pytest.mark.parametrize(
    "email", [TAKEN_EMAIL, LEARNER_EMAIL, ADMIN_EMAIL, "TAKEN@ACME.TEST", "  taken@acme.test  "]
)
def test_a_duplicate_email_is_already_exists(helium, admin_token, email):
    assert code_of(create(helium, admin_token, **learner(email))) == "ALREADY_EXISTS"


def test_creating_the_same_learner_twice_fails_the_second_time(helium, admin_token):
    helium.data(CREATE_LEARNER, learner("twice@acme.test"), admin_token)
    assert code_of(create(helium, admin_token, **learner("twice@acme.test"))) == "ALREADY_EXISTS"


@pytest.mark.parametrize(
    "variables",
    [
        learner("not-an-email"),
        learner("two@@acme.test"),
        learner(""),
        learner("blank.first@acme.test", first="  "),
        learner("blank.last@acme.test", last=""),
        learner("long.name@acme.test", first="x" * 500),
    ],
    ids=["no-at", "double-at", "empty", "blank-first", "blank-last", "long-first"],
)
def test_invalid_learner_details_are_bad_user_input(helium, admin_token, variables):
    assert code_of(create(helium, admin_token, **variables)) == "BAD_USER_INPUT"
    if "@" in variables["email"] and variables["email"].count("@") == 1:
        # nothing was created: the email is still free
        fixed = {**variables, "firstName": "Fixed", "lastName": "Name"}
        assert helium.data(CREATE_LEARNER, fixed, admin_token)["CreateLearner"]["id"]


def test_an_unknown_client_is_not_found(helium, admin_token):
    answer = create(helium, admin_token, **learner("lost@acme.test", clientId="no-such-client"))
    assert code_of(answer) == "NOT_FOUND"


def test_an_unknown_license_is_refused_and_creates_nothing(helium, admin_token):
    answer = create(helium, admin_token, **learner("nolicense@acme.test", licenseIds=["nope"]))
    assert code_of(answer) in ("NOT_FOUND", "BAD_USER_INPUT")
    assert helium.data(CREATE_LEARNER, learner("nolicense@acme.test"), admin_token)


def test_a_license_of_another_client_is_refused(helium, admin_token, learner2_token):
    globex_license = me(helium, learner2_token)["activeLicense"]["id"]
    acme = me(helium, admin_token)["client"]["id"]
    variables = learner("mixed@acme.test", clientId=acme, licenseIds=[globex_license])
    assert code_of(create(helium, admin_token, **variables)) == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    ("who", "code"),
    [("learner", "FORBIDDEN"), ("learner2", "FORBIDDEN"), (None, "UNAUTHENTICATED"),
     ("bad", "UNAUTHENTICATED")],
)  # fmt: skip
def test_creating_a_learner_needs_an_admin(
    helium, admin_token, learner_token, learner2_token, who, code
):
    token = {"learner": learner_token, "learner2": learner2_token, "bad": "nope", None: None}[who]
    assert code_of(create(helium, token, **learner("wannabe@acme.test"))) == code
    # Nothing was created: the admin can still create that learner.
    created = helium.data(CREATE_LEARNER, learner("wannabe@acme.test"), admin_token)
    assert created["CreateLearner"]["email"] == "wannabe@acme.test"


# -- CreateLearners ------------------------------------------------------------------------------


def test_an_admin_creates_learners_in_bulk(helium, admin_token):
    batch = [
        learner("bulk.one@acme.test", "Ada", "One", ref1="dept-engineering"),
        learner("bulk.two@acme.test", "Bo", "Two"),
        learner("bulk.three@acme.test", "Cy", "Three"),
    ]
    created = helium.data(CREATE_LEARNERS, {"learners": batch}, admin_token)["CreateLearners"]
    assert [c["email"] for c in created] == [b["email"] for b in batch]
    assert [c["name"] for c in created] == ["Ada One", "Bo Two", "Cy Three"]
    assert [c["ref1"] for c in created] == ["dept-engineering", None, None]
    assert len({c["id"] for c in created}) == 3
    for entry in batch:
        assert code_of(create(helium, admin_token, **learner(entry["email"]))) == "ALREADY_EXISTS"


def test_create_learners_is_all_or_nothing_and_names_the_bad_entries(helium, admin_token):
    good = [learner("good.one@acme.test"), learner("good.two@acme.test")]
    batch = [
        good[0],
        learner(TAKEN_EMAIL),  # 1: exists already
        good[1],
        learner("not-an-email"),  # 3: invalid
        learner("GOOD.ONE@acme.test"),  # 4: the same email as entry 0
        learner("nameless@acme.test", first=""),  # 5: no first name
    ]
    answer = helium.run(CREATE_LEARNERS, {"learners": batch}, admin_token)
    error = only_error(answer)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert answer["data"] is None
    invalid = error["extensions"]["invalidLearners"]
    assert [entry["index"] for entry in invalid] == [1, 3, 4, 5]
    assert [entry["email"] for entry in invalid] == [batch[i]["email"] for i in (1, 3, 4, 5)]
    assert all(entry["problems"] for entry in invalid)
    assert TAKEN_EMAIL in error["message"]
    # None were created: the good entries alone now succeed.
    created = helium.data(CREATE_LEARNERS, {"learners": good}, admin_token)["CreateLearners"]
    assert [c["email"] for c in created] == [g["email"] for g in good]


def test_create_learners_refuses_an_empty_list(helium, admin_token):
    assert code_of(helium.run(CREATE_LEARNERS, {"learners": []}, admin_token)) == "BAD_USER_INPUT"


@pytest.mark.parametrize(("who", "code"), [("learner", "FORBIDDEN"), (None, "UNAUTHENTICATED")])
def test_creating_learners_needs_an_admin(helium, admin_token, learner_token, who, code):
    batch = [learner("crowd.one@acme.test"), learner("crowd.two@acme.test")]
    token = learner_token if who else None
    assert code_of(helium.run(CREATE_LEARNERS, {"learners": batch}, token)) == code
    created = helium.data(CREATE_LEARNERS, {"learners": batch}, admin_token)["CreateLearners"]
    assert len(created) == 2
