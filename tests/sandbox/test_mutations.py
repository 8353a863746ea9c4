"""Mutations and the state they leave: the waitlist, codes, balance, licenses, sign-out,
uploaded certificates, persistence across app instances, and `flask sandbox reset`.

Each test gets its own copy of the demo database.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.sandbox.helpers import (
    CREATE_LEARNER,
    REDEEM_BALANCE,
    REDEEM_CODES,
    VALIDATE_REDEMPTION,
    VALIDATE_REGISTRATION,
    certificates,
    code_of,
    groups,
    ids,
    items,
    me,
    only_error,
    waitlist,
)
from tests.support import Helium

UNENROLL = "mutation U($id: ID!) { UnenrollFromWaitlist(id: $id) }"
SELECT_LICENSE = "mutation S($id: ID!) { SelectCurrentUserActiveLicense(licenseId: $id) }"
LOGOUT = "mutation { Logout }"
ARCHIVES = "query { UserArchives { id resource status reinstatable } }"
REPO = Path(__file__).resolve().parents[2]
UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000"


def redemption(helium, code, token=None) -> dict:
    return helium.data(VALIDATE_REDEMPTION, {"code": code}, token)["ValidateRedemptionCode"]


def registration(helium, code, token=None) -> dict:
    return helium.data(VALIDATE_REGISTRATION, {"code": code}, token)["ValidateRegistrationCode"]


# -- UnenrollFromWaitlist ------------------------------------------------------------------------


def test_unenrolling_updates_the_waitlist_its_count_and_the_content(helium, learner_token):
    before = waitlist(helium, learner_token)
    visible = {i["id"]: i for i in items(helium, learner_token)}
    target = next(w for w in before if w["id"] in visible)  # one the learner can also see
    waiting = target["waitlistCount"]
    count = groups(helium, learner_token)["waitlistedCourses"]

    assert helium.data(UNENROLL, {"id": target["id"]}, learner_token) == {
        "UnenrollFromWaitlist": True
    }

    after = waitlist(helium, learner_token)
    assert target["id"] not in ids(after)
    assert sorted(ids(after)) == sorted(i for i in ids(before) if i != target["id"])
    assert groups(helium, learner_token)["waitlistedCourses"] == count - 1
    assert target["id"] not in [
        w["courseId"] for w in me(helium, learner_token)["waitlistedCourses"]
    ]
    content = next(i for i in items(helium, learner_token) if i["id"] == target["id"])
    assert content["waitlistCount"] == waiting - 1


def test_unenrolling_twice_changes_nothing_the_second_time(helium, learner_token):
    target = waitlist(helium, learner_token)[0]
    helium.data(UNENROLL, {"id": target["id"]}, learner_token)
    count = groups(helium, learner_token)["waitlistedCourses"]
    again = helium.data(UNENROLL, {"id": target["id"]}, learner_token)
    assert again == {"UnenrollFromWaitlist": False}
    assert groups(helium, learner_token)["waitlistedCourses"] == count


def test_unenrolling_from_someone_elses_waitlist_changes_nothing(
    helium, learner_token, learner2_token
):
    theirs = waitlist(helium, learner2_token)
    mine = ids(waitlist(helium, learner_token))
    target = next(w for w in theirs if w["id"] not in mine)
    answer = helium.data(UNENROLL, {"id": target["id"]}, learner_token)
    assert answer == {"UnenrollFromWaitlist": False}
    assert waitlist(helium, learner2_token) == theirs


def test_unenrolling_from_unknown_content_is_not_found(helium, learner_token):
    answer = helium.run(UNENROLL, {"id": "no-such-content"}, learner_token)
    assert code_of(answer) == "NOT_FOUND"


def test_unenrolling_needs_a_token(helium, learner_token):
    target = waitlist(helium, learner_token)[0]
    assert code_of(helium.run(UNENROLL, {"id": target["id"]})) == "UNAUTHENTICATED"
    assert target["id"] in ids(waitlist(helium, learner_token))


# -- codes ---------------------------------------------------------------------------------------

REDEMPTION_CASES = {
    "WELCOME-2026": {"valid": True, "alreadyRedeemed": False, "codeExpired": False},
    "EXPIRED-2024": {"valid": False, "alreadyRedeemed": False, "codeExpired": True},
    "REDEEMED-0001": {"valid": False, "alreadyRedeemed": True, "codeExpired": False},
    "NO-SUCH-CODE": {"valid": False, "alreadyRedeemed": False, "codeExpired": False},
}


@pytest.mark.parametrize("code", list(REDEMPTION_CASES))
def test_validate_redemption_code_reports_the_codes_state(helium, learner_token, code):
    assert redemption(helium, code, learner_token) == REDEMPTION_CASES[code]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ACME-JOIN", {"valid": True, "alreadyRedeemed": False}),
        ("NO-SUCH-CODE", {"valid": False, "alreadyRedeemed": False}),
    ],
)
def test_validate_registration_code_reports_the_codes_state(helium, learner_token, code, expected):
    assert registration(helium, code, learner_token) == expected


def test_validating_works_without_a_token_and_consumes_nothing(helium, learner_token):
    assert redemption(helium, "WELCOME-2026") == REDEMPTION_CASES["WELCOME-2026"]
    for _ in range(3):
        assert redemption(helium, "WELCOME-2026", learner_token)["valid"] is True
        assert registration(helium, "ACME-JOIN", learner_token)["valid"] is True


def test_a_redeemed_code_is_already_redeemed_and_grants_its_content(helium, learner_token):
    before = set(ids(items(helium, learner_token)))
    count = groups(helium, learner_token)["contentItems"]
    answer = helium.data(REDEEM_CODES, {"codes": ["WELCOME-2026"]}, learner_token)
    assert answer == {"RedeemRegistrationAndRedemptionCodes": {"redeemed": True}}
    assert redemption(helium, "WELCOME-2026", learner_token) == {
        "valid": False,
        "alreadyRedeemed": True,
        "codeExpired": False,
    }
    after = set(ids(items(helium, learner_token)))
    granted = after - before
    assert granted and before <= after
    assert groups(helium, learner_token)["contentItems"] == count + len(granted)
    owned = {p["courseId"] for p in me(helium, learner_token)["purchasedCourses"]}
    assert granted <= owned


def test_a_code_redeemed_by_one_learner_stays_valid_for_another(
    helium, learner_token, learner2_token
):
    helium.data(REDEEM_CODES, {"codes": ["WELCOME-2026"]}, learner_token)
    assert redemption(helium, "WELCOME-2026", learner2_token) == REDEMPTION_CASES["WELCOME-2026"]


def test_redeeming_a_code_twice_fails_the_second_time(helium, learner_token):
    helium.data(REDEEM_CODES, {"codes": ["WELCOME-2026"]}, learner_token)
    before = ids(items(helium, learner_token))
    answer = helium.run(REDEEM_CODES, {"codes": ["WELCOME-2026"]}, learner_token)
    assert code_of(answer) == "BAD_USER_INPUT"
    assert ids(items(helium, learner_token)) == before


def test_a_registration_code_grants_its_license(helium, learner_token):
    user = me(helium, learner_token)
    before = {a["licenseId"] for a in user["allocatedLicenses"]}
    visible = set(ids(items(helium, learner_token)))
    answer = helium.data(REDEEM_CODES, {"codes": ["ACME-JOIN"]}, learner_token)
    assert answer["RedeemRegistrationAndRedemptionCodes"]["redeemed"] is True
    assert registration(helium, "ACME-JOIN", learner_token) == {
        "valid": False,
        "alreadyRedeemed": True,
    }
    after = me(helium, learner_token)
    licenses = {a["licenseId"] for a in after["allocatedLicenses"]}
    assert before < licenses and len(licenses) == len(before) + 1
    assert after["activeLicense"] == user["activeLicense"]  # the active one stays
    assert visible < set(ids(items(helium, learner_token)))  # and its courses are granted


@pytest.mark.parametrize("bad", ["EXPIRED-2024", "REDEEMED-0001", "NOPE-0000"])
def test_redeeming_a_mix_with_a_bad_code_redeems_nothing(helium, learner_token, bad):
    before = ids(items(helium, learner_token))
    answer = helium.run(REDEEM_CODES, {"codes": ["WELCOME-2026", "ACME-JOIN", bad]}, learner_token)
    error = only_error(answer)
    assert error["extensions"]["code"] in ("BAD_USER_INPUT", "NOT_FOUND")
    assert answer["data"] is None
    named = [c["code"] for c in error["extensions"]["invalidCodes"]]
    assert named == [bad]
    assert bad in error["message"]
    assert redemption(helium, "WELCOME-2026", learner_token)["valid"] is True
    assert registration(helium, "ACME-JOIN", learner_token)["valid"] is True
    assert ids(items(helium, learner_token)) == before


def test_redeeming_only_unknown_codes_is_not_found(helium, learner_token):
    answer = helium.run(REDEEM_CODES, {"codes": ["NOPE-1", "NOPE-2"]}, learner_token)
    assert code_of(answer) == "NOT_FOUND"


def test_redeeming_no_codes_is_bad_user_input(helium, learner_token):
    assert code_of(helium.run(REDEEM_CODES, {"codes": []}, learner_token)) == "BAD_USER_INPUT"


def test_redeeming_codes_needs_a_token(helium, learner_token):
    assert code_of(helium.run(REDEEM_CODES, {"codes": ["WELCOME-2026"]})) == "UNAUTHENTICATED"
    assert redemption(helium, "WELCOME-2026", learner_token)["valid"] is True


# -- RedeemBalance -------------------------------------------------------------------------------


def priced_courses(helium, token) -> list[dict]:
    """Priced courses the learner sees but does not own, cheapest first."""
    owned = {p["courseId"] for p in me(helium, token)["purchasedCourses"]}
    found = [
        i
        for i in items(helium, token, kind=["course"])
        if i["priceInCents"] and i["id"] not in owned
    ]
    return sorted(found, key=lambda i: i["priceInCents"])


def balance(helium, token) -> float:
    return me(helium, token)["balance"]


def test_the_balance_covers_some_priced_courses_but_not_all(helium, learner_token):
    prices = [c["priceInCents"] / 100 for c in priced_courses(helium, learner_token)]
    money = balance(helium, learner_token)
    assert any(p <= money for p in prices) and any(p > money for p in prices)


def test_redeem_balance_deducts_the_price_and_adds_the_course(helium, learner_token):
    course = priced_courses(helium, learner_token)[0]
    before = me(helium, learner_token)
    answer = helium.data(REDEEM_BALANCE, {"id": course["id"], "type": "courses"}, learner_token)
    assert answer["RedeemBalance"]  # a URL to go to
    after = me(helium, learner_token)
    assert after["balance"] == pytest.approx(before["balance"] - course["priceInCents"] / 100)
    assert course["id"] in {p["courseId"] for p in after["purchasedCourses"]}
    assert after["availableCoursesCount"] == before["availableCoursesCount"] + 1
    assert course["id"] in ids(items(helium, learner_token))


def test_redeeming_an_owned_course_again_changes_nothing(helium, learner_token):
    course = priced_courses(helium, learner_token)[0]
    variables = {"id": course["id"], "type": "courses"}
    helium.data(REDEEM_BALANCE, variables, learner_token)
    money = balance(helium, learner_token)
    assert code_of(helium.run(REDEEM_BALANCE, variables, learner_token)) == "ALREADY_EXISTS"
    assert balance(helium, learner_token) == money


def test_insufficient_balance_is_an_error_that_changes_nothing(helium, learner_token):
    money = balance(helium, learner_token)
    course = next(
        c for c in priced_courses(helium, learner_token) if c["priceInCents"] / 100 > money
    )
    answer = helium.run(REDEEM_BALANCE, {"id": course["id"], "type": "courses"}, learner_token)
    assert code_of(answer) == "INSUFFICIENT_BALANCE"
    after = me(helium, learner_token)
    assert after["balance"] == money
    assert course["id"] not in {p["courseId"] for p in after["purchasedCourses"]}


def test_spending_the_balance_runs_out(helium, learner_token):
    """Buy the cheapest courses one after another until the balance no longer covers one."""
    refused = None
    for course in priced_courses(helium, learner_token):
        money = balance(helium, learner_token)
        answer = helium.run(REDEEM_BALANCE, {"id": course["id"], "type": "courses"}, learner_token)
        if course["priceInCents"] / 100 <= money:
            assert "errors" not in answer, answer
            assert balance(helium, learner_token) == pytest.approx(
                money - course["priceInCents"] / 100
            )
        else:
            refused = course
            assert code_of(answer) == "INSUFFICIENT_BALANCE"
            assert balance(helium, learner_token) == money
    assert refused is not None
    assert balance(helium, learner_token) >= 0


def test_redeem_balance_refuses_free_content_and_other_kinds(helium, learner_token):
    everything = items(helium, learner_token)
    free = next(i for i in everything if i["kind"] == "course" and not i["priceInCents"])
    path = next(i for i in everything if i["kind"] == "learningPath")
    money = balance(helium, learner_token)
    for variables in (
        {"id": free["id"], "type": "courses"},
        {"id": path["id"], "type": "courses"},
        {"id": priced_courses(helium, learner_token)[0]["id"], "type": "learningPaths"},
    ):
        answer = helium.run(REDEEM_BALANCE, variables, learner_token)
        assert code_of(answer) == "BAD_USER_INPUT", variables
    assert balance(helium, learner_token) == money


def test_redeem_balance_on_unknown_content_is_not_found(helium, learner_token):
    answer = helium.run(REDEEM_BALANCE, {"id": UNKNOWN_UUID, "type": "courses"}, learner_token)
    assert code_of(answer) == "NOT_FOUND"


def test_redeem_balance_needs_a_token(helium, learner_token):
    course = priced_courses(helium, learner_token)[0]
    answer = helium.run(REDEEM_BALANCE, {"id": course["id"], "type": "courses"})
    assert code_of(answer) == "UNAUTHENTICATED"


# -- SelectCurrentUserActiveLicense --------------------------------------------------------------


def test_selecting_the_other_license_changes_the_active_license_and_the_items(
    helium, learner_token
):
    user = me(helium, learner_token)
    active = user["activeLicense"]["id"]
    other = next(a["licenseId"] for a in user["allocatedLicenses"] if a["licenseId"] != active)
    before = set(ids(items(helium, learner_token)))

    assert helium.data(SELECT_LICENSE, {"id": other}, learner_token) == {
        "SelectCurrentUserActiveLicense": True
    }
    assert me(helium, learner_token)["activeLicense"]["id"] == other
    switched = set(ids(items(helium, learner_token)))
    assert switched != before
    assert groups(helium, learner_token)["contentItems"] == len(switched)
    # The choice is the user's, not the session's.
    fresh = helium.login("learner")
    assert me(helium, fresh)["activeLicense"]["id"] == other

    helium.data(SELECT_LICENSE, {"id": active}, learner_token)
    assert me(helium, learner_token)["activeLicense"]["id"] == active
    assert set(ids(items(helium, learner_token))) == before


def test_selecting_the_active_license_again_is_harmless(helium, learner_token):
    active = me(helium, learner_token)["activeLicense"]["id"]
    before = ids(items(helium, learner_token))
    assert helium.data(SELECT_LICENSE, {"id": active}, learner_token)[
        "SelectCurrentUserActiveLicense"
    ]
    assert ids(items(helium, learner_token)) == before


def test_selecting_someone_elses_license_is_forbidden(helium, learner_token, learner2_token):
    mine = me(helium, learner_token)
    allocated = {a["licenseId"] for a in mine["allocatedLicenses"]}
    theirs = me(helium, learner2_token)["activeLicense"]["id"]
    assert theirs not in allocated
    answer = helium.run(SELECT_LICENSE, {"id": theirs}, learner_token)
    assert code_of(answer) == "FORBIDDEN"
    assert me(helium, learner_token)["activeLicense"] == mine["activeLicense"]


def test_selecting_an_unknown_license_is_not_found(helium, learner_token):
    assert code_of(helium.run(SELECT_LICENSE, {"id": "no-such"}, learner_token)) == "NOT_FOUND"


def test_selecting_a_license_needs_a_token(helium, learner_token):
    active = me(helium, learner_token)["activeLicense"]["id"]
    assert code_of(helium.run(SELECT_LICENSE, {"id": active})) == "UNAUTHENTICATED"


# -- Logout and dead tokens ----------------------------------------------------------------------


def test_logout_invalidates_the_token(helium, learner_token):
    other = helium.login("learner")
    assert helium.data(LOGOUT, token=learner_token) == {"Logout": True}
    assert code_of(helium.run("query { CurrentUser { id } }", token=learner_token)) == (
        "UNAUTHENTICATED"
    )
    assert code_of(helium.run("query { UserContentItems { id } }", token=learner_token)) == (
        "UNAUTHENTICATED"
    )
    assert code_of(helium.run(LOGOUT, token=learner_token)) == "UNAUTHENTICATED"
    # Only that session ended.
    assert me(helium, other)["email"] == "learner@acme.test"


def test_logout_without_a_token_is_unauthenticated(helium):
    assert code_of(helium.run(LOGOUT)) == "UNAUTHENTICATED"


# Each operation that acts for the signed-in user, with the variable it needs (if any).
USER_SCOPED = [
    ("query { CurrentUser { id } }", None),
    ("query { UserContentItems { id } }", None),
    ("query { UserRecentContent { id } }", None),
    ("query { UserContentGroups { kind count } }", None),
    ("query { UserCertificates { id } }", None),
    ("query { UserWaitlist { id } }", None),
    ("query { UserArchives { id } }", None),
    ("query { UserArchivedContent { id } }", None),
    ("query { UserEarnedBadgeBoard { unearnedBadges { id } } }", None),
    ('query { LearningPathCurrentUserAwardTotals(slug: "leadership-essentials") { total } }', None),
    ("query Q($id: ID!) { UserCourseAwardCounts(courseId: $id) { id } }", "completed"),
    ("query Q($id: ID!) { UserCourseCollaborations(courseId: $id) }", "completed"),
    ("mutation M($id: ID!) { UnenrollFromWaitlist(id: $id) }", "waitlisted"),
    ("mutation M($id: ID!) { SelectCurrentUserActiveLicense(licenseId: $id) }", "license"),
    ("mutation M($id: UUID!) { RedeemBalance(contentType: courses, contentId: $id) }", "priced"),
    ('mutation { RedeemRegistrationAndRedemptionCodes(validatedRedemptionCodes: ["WELCOME-2026"])'
     " { redeemed } }", None),
    ('mutation { CreateCertificateFromUpload(asset: "https://example.com/c.png") { id } }', None),
    ("query Q($id: ID!) { UserCourseProgress(id: $id) { percentComplete } }", "completed"),
    ("query Q($id: ID!) { UserCourseCompletionProgress(id: $id) { percent } }", "completed"),
    ('query { LearningPathBySlug(slug: "leadership-essentials") { id } }', None),
    ("mutation M($id: ID!) { ArchiveUserCourse(id: $id) }", "completed"),
    ("mutation M($id: ID!) { ArchiveUserLearningPath(id: $id) }", "path"),
    ("mutation M($id: ID!) { ReinstateUserCourse(id: $id) }", "archived"),
    ("mutation M($id: ID!) { ReinstateUserLearningPath(id: $id) }", "path"),
    ("mutation { Logout }", None),
]  # fmt: skip


def test_a_signed_out_token_is_refused_by_every_user_scoped_operation(helium, learner_token):
    user = me(helium, learner_token)
    values = {
        "completed": next(
            p["courseId"] for p in user["purchasedCourses"] if p["status"] == "completed"
        ),
        "waitlisted": waitlist(helium, learner_token)[0]["id"],
        "license": user["activeLicense"]["id"],
        "priced": priced_courses(helium, learner_token)[0]["id"],
        "path": items(helium, learner_token, kind=["learningPath"])[0]["id"],
        "archived": next(
            a["resource"]
            for a in helium.data(ARCHIVES, token=learner_token)["UserArchives"]
            if a["reinstatable"]
        ),
    }
    certificates_before = len(certificates(helium, learner_token))
    archives_before = helium.data(ARCHIVES, token=learner_token)
    helium.data(LOGOUT, token=learner_token)
    for query, value in USER_SCOPED:
        answer = helium.run(query, {"id": values[value]} if value else None, learner_token)
        assert code_of(answer) == "UNAUTHENTICATED", query
    # None of them did anything.
    fresh = helium.login("learner")
    assert me(helium, fresh) == user
    assert redemption(helium, "WELCOME-2026", fresh)["valid"] is True
    assert len(certificates(helium, fresh)) == certificates_before
    assert helium.data(ARCHIVES, token=fresh) == archives_before


# -- CreateCertificateFromUpload -----------------------------------------------------------------

UPLOAD = """
mutation Up($asset: URL!, $fields: [CertificateUploadField!]) {
  CreateCertificateFromUpload(asset: $asset, certificateUploadFields: $fields) {
    id issuedAt expirationDate url isExternal externalResourceTitle source identifier
    isExpired didExpire deleted resourceId user { email }
  }
}
"""


def field_ids(helium, token) -> dict[str, dict]:
    found = helium.data(
        "query { UserCertificateFields { id type identifierPrefix identifierBodyLength } }",
        token=token,
    )["UserCertificateFields"]
    return {f["type"]: f for f in found}


def upload_fields(helium, token, title=None, completed=None, expires=None) -> list[dict]:
    fields = field_ids(helium, token)
    chosen = []
    if title is not None:
        chosen.append(
            {
                "certificateFieldId": fields["courseLabel"]["id"],
                "type": "courseLabel",
                "value": title,
            }
        )
    for kind, date in (("contentCompletionDate", completed), ("expirationDateLabel", expires)):
        if date is not None:
            chosen.append({"certificateFieldId": fields[kind]["id"], "type": kind, "date": date})
    return chosen


def test_an_uploaded_certificate_joins_the_learners_certificates(helium, learner_token):
    before = certificates(helium, learner_token)
    counts = groups(helium, learner_token)
    user_count = me(helium, learner_token)["certificatesCount"]
    fields = upload_fields(helium, learner_token, "Forklift Safety", "2025-06-01")
    created = helium.data(
        UPLOAD, {"asset": "https://example.com/forklift.png", "fields": fields}, learner_token
    )["CreateCertificateFromUpload"]
    assert created["isExternal"] is True
    assert created["externalResourceTitle"] == "Forklift Safety"
    assert created["issuedAt"].startswith("2025-06-01")
    assert created["user"]["email"] == "learner@acme.test"
    assert created["url"] and not created["deleted"] and not created["isExpired"]
    identifier = field_ids(helium, learner_token)["identifier"]
    assert created["identifier"].startswith(identifier["identifierPrefix"])
    assert len(created["identifier"]) == (
        len(identifier["identifierPrefix"]) + identifier["identifierBodyLength"]
    )

    after = certificates(helium, learner_token)
    assert ids(after).count(created["id"]) == 1 and len(after) == len(before) + 1
    assert groups(helium, learner_token)["certificates"] == counts["certificates"] + 1
    assert me(helium, learner_token)["certificatesCount"] == user_count + 1
    found = certificates(helium, learner_token, query="Forklift")
    assert ids(found) == [created["id"]]


def test_an_uploaded_expired_certificate_counts_only_with_expired_ones(helium, learner_token):
    current = len(certificates(helium, learner_token))
    every = len(certificates(helium, learner_token, includeExpiredCertificates=True))
    fields = upload_fields(helium, learner_token, "Old Permit", "2020-01-01", "2021-01-01")
    created = helium.data(
        UPLOAD, {"asset": "https://example.com/old.png", "fields": fields}, learner_token
    )["CreateCertificateFromUpload"]
    assert created["isExpired"] and created["didExpire"]
    assert len(certificates(helium, learner_token)) == current
    assert len(certificates(helium, learner_token, includeExpiredCertificates=True)) == every + 1
    assert groups(helium, learner_token, includeExpiredCertificates=True)["certificates"] == (
        every + 1
    )


def test_an_upload_without_fields_is_accepted(helium, learner_token):
    created = helium.data(UPLOAD, {"asset": "/uploads/scan.png"}, learner_token)[
        "CreateCertificateFromUpload"
    ]
    assert created["isExternal"] and created["externalResourceTitle"]
    assert created["id"] in ids(certificates(helium, learner_token))


@pytest.mark.parametrize(
    ("asset", "fields", "code"),
    [
        ("javascript:alert(1)", None, "BAD_USER_INPUT"),
        ("", None, "BAD_USER_INPUT"),
        ("https://example.com/c.png", "future", "BAD_USER_INPUT"),
        ("https://example.com/c.png", "backwards", "BAD_USER_INPUT"),
        ("https://example.com/c.png", "not-a-date", "BAD_USER_INPUT"),
        ("https://example.com/c.png", "unknown-field", "NOT_FOUND"),
    ],
)
def test_a_bad_upload_is_refused_and_creates_nothing(helium, learner_token, asset, fields, code):
    dates = {
        "future": ("2999-01-01", None),
        "backwards": ("2025-06-01", "2025-01-01"),
        "not-a-date": ("the first of June", None),
    }
    chosen = None
    if fields in dates:
        chosen = upload_fields(helium, learner_token, "Bad", *dates[fields])
    elif fields == "unknown-field":
        chosen = [{"certificateFieldId": "no-such-field", "type": "courseLabel", "value": "x"}]
    every = len(certificates(helium, learner_token, includeExpiredCertificates=True))
    answer = helium.run(UPLOAD, {"asset": asset, "fields": chosen}, learner_token)
    assert code_of(answer) == code
    assert len(certificates(helium, learner_token, includeExpiredCertificates=True)) == every


def test_uploading_a_certificate_needs_a_token(helium):
    answer = helium.run(UPLOAD, {"asset": "https://example.com/c.png"})
    assert code_of(answer) == "UNAUTHENTICATED"


# -- persistence and reset -----------------------------------------------------------------------


def change_things(helium, learner_token, admin_token) -> dict:
    """Redeem a code, spend balance, leave a waitlist and create a learner; what was changed."""
    helium.data(REDEEM_CODES, {"codes": ["WELCOME-2026"]}, learner_token)
    course = priced_courses(helium, learner_token)[0]
    helium.data(REDEEM_BALANCE, {"id": course["id"], "type": "courses"}, learner_token)
    left = waitlist(helium, learner_token)[0]["id"]
    helium.data(UNENROLL, {"id": left}, learner_token)
    learner = {"email": "persisted@acme.test", "firstName": "Per", "lastName": "Sisted"}
    helium.data(CREATE_LEARNER, learner, admin_token)
    return {"learner": learner, "left": left, "me": me(helium, learner_token)}


def test_state_persists_across_a_new_app_instance(helium, learner_token, admin_token, start_app):
    changed = change_things(helium, learner_token, admin_token)
    _app, again = start_app()  # a second app on the same database file
    assert me(again, learner_token) == changed["me"]  # the session survives too
    assert redemption(again, "WELCOME-2026", learner_token)["alreadyRedeemed"] is True
    assert changed["left"] not in ids(waitlist(again, learner_token))
    answer = again.run(CREATE_LEARNER, changed["learner"], admin_token)
    assert code_of(answer) == "ALREADY_EXISTS"


def test_flask_sandbox_reset_restores_the_demo_data(
    helium, learner_token, admin_token, sandbox_env
):
    original = me(helium, learner_token)
    changed = change_things(helium, learner_token, admin_token)
    assert changed["me"]["balance"] != original["balance"]

    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "webapp", "sandbox", "reset"],
        cwd=REPO,
        env={**os.environ, **sandbox_env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "reset" in result.stdout.lower()

    # Sessions are gone with the rest of the state.
    assert code_of(helium.run("query { CurrentUser { id } }", token=learner_token)) == (
        "UNAUTHENTICATED"
    )
    learner, admin = helium.login("learner"), helium.login("admin")
    assert me(helium, learner) == original
    assert redemption(helium, "WELCOME-2026", learner) == REDEMPTION_CASES["WELCOME-2026"]
    assert changed["left"] in ids(waitlist(helium, learner))
    created = helium.data(CREATE_LEARNER, changed["learner"], admin)["CreateLearner"]
    assert created["email"] == "persisted@acme.test"


def test_sandbox_reset_runs_under_the_flask_test_cli_runner(app, helium, admin_token):
    """Flask's own way to test a command: app.cli, as `flask` runs it, with no context pushed
    by hand (commands registered on app.cli get an app context)."""
    learner = {"email": "runner@acme.test", "firstName": "Run", "lastName": "Ner"}
    helium.data(CREATE_LEARNER, learner, admin_token)
    result = app.test_cli_runner().invoke(args=["sandbox", "reset"])
    assert result.exit_code == 0, repr(result.exception)
    admin = helium.login("admin")
    assert helium.data(CREATE_LEARNER, learner, admin)["CreateLearner"]["email"] == learner["email"]


def test_a_database_of_an_older_sandbox_is_recreated_at_start(sandbox_env, start_app):
    """A database whose tables an older version made would fail the first query that needs a
    newer column; the app recreates it from the demo data instead."""
    conn = sqlite3.connect(sandbox_env["SANDBOX_DB"])
    with conn:
        conn.execute("UPDATE meta SET value = 'older' WHERE key = 'schema'")
        conn.execute("UPDATE users SET first_name = 'Stale' WHERE email = 'learner@acme.test'")
    conn.close()
    _app, helium = start_app()
    assert me(helium, helium.login("learner"))["firstName"] == "Jamie"


# -- concurrent writes ---------------------------------------------------------------------------


def concurrently(helium, query: str, variables: dict, token: str, times: int = 8) -> list[dict]:
    """Send the same operation `times` times at once, each over its own connection."""
    barrier = threading.Barrier(times)

    def send(_):
        client = Helium(helium.base_url)
        barrier.wait()
        return client.run(query, variables, token)

    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(send, range(times)))


def test_concurrent_purchases_of_one_course_charge_once(helium, learner_token):
    course = priced_courses(helium, learner_token)[0]
    money = balance(helium, learner_token)
    answers = concurrently(
        helium, REDEEM_BALANCE, {"id": course["id"], "type": "courses"}, learner_token
    )
    codes = sorted(code_of(a) if a.get("errors") else "OK" for a in answers)
    assert codes == ["ALREADY_EXISTS"] * 7 + ["OK"]
    assert balance(helium, learner_token) == pytest.approx(money - course["priceInCents"] / 100)


def test_concurrent_redemptions_of_one_code_redeem_it_once(helium, learner_token):
    answers = concurrently(helium, REDEEM_CODES, {"codes": ["WELCOME-2026"]}, learner_token)
    codes = sorted(code_of(a) if a.get("errors") else "OK" for a in answers)
    assert codes == ["BAD_USER_INPUT"] * 7 + ["OK"]


def test_concurrent_creations_of_one_learner_create_it_once(helium, admin_token):
    variables = {"email": "racer@acme.test", "firstName": "Ra", "lastName": "Cer"}
    answers = concurrently(helium, CREATE_LEARNER, variables, admin_token)
    codes = sorted(code_of(a) if a.get("errors") else "OK" for a in answers)
    assert codes == ["ALREADY_EXISTS"] * 7 + ["OK"]


def test_a_batch_sees_the_effects_of_its_earlier_entries(helium, learner_token):
    batch = [
        {"query": "query { CurrentUser { email } }"},
        {"query": LOGOUT},
        {"query": "query { CurrentUser { email } }"},
    ]
    before, logout, after = helium.post(batch, token=learner_token).json()
    assert before["data"]["CurrentUser"]["email"] == "learner@acme.test"
    assert logout == {"data": {"Logout": True}}
    assert code_of(after) == "UNAUTHENTICATED"
