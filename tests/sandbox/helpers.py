"""Small GraphQL helpers shared by the sandbox tests: the operations they send most often."""

from __future__ import annotations

from typing import Any

import requests

from tests.support import Helium, error_codes

RATE_HEADERS = (
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "X-RateLimit-Requests-Limit",
    "X-RateLimit-Requests-Remaining",
)

# The 29 operations of the API reference.
OPERATIONS = {
    "query": [
        "BadgeLeaderboard",
        "CompanyDetails",
        "CompanyTranslations",
        "CurrentUser",
        "Languages",
        "LearningPathCurrentUserAwardTotals",
        "TermsAndConditions",
        "UserArchivedContent",
        "UserArchives",
        "UserCertificateFields",
        "UserCertificates",
        "UserContentGroups",
        "UserContentItems",
        "UserCourseAwardCounts",
        "UserCourseCollaborations",
        "UserEarnedBadgeBoard",
        "UserRecentContent",
        "UserWaitlist",
    ],
    "mutation": [
        "CreateCertificateFromUpload",
        "CreateLearner",
        "CreateLearners",
        "Login",
        "Logout",
        "RedeemBalance",
        "RedeemRegistrationAndRedemptionCodes",
        "SelectCurrentUserActiveLicense",
        "UnenrollFromWaitlist",
        "ValidateRedemptionCode",
        "ValidateRegistrationCode",
    ],
}

# The root fields of TI's schema the sandbox serves beyond the reference's 29.
SCHEMA_ONLY_OPERATIONS = {
    "query": ["LearningPathBySlug", "UserCourseCompletionProgress", "UserCourseProgress"],
    "mutation": [
        "ArchiveUserCourse",
        "ArchiveUserLearningPath",
        "ReinstateUserCourse",
        "ReinstateUserLearningPath",
    ],
}

# The documented demo data (issue 2): accounts and codes.
LEARNER_EMAIL = "learner@acme.test"
LEARNER2_EMAIL = "learner2@acme.test"
ADMIN_EMAIL = "admin@acme.test"
TAKEN_EMAIL = "taken@acme.test"

ITEM_FIELDS = """
    id title slug kind status description priceInCents authors customFields availabilityStatus
    courseStartDate createdAt currentUserDueDate waitlistCount waitlistingEnabled url
    tags { id label }
"""

ITEMS_QUERY = f"""
query Items($query: String, $kind: [ContentKind!], $sortColumn: SortColumn,
            $sortDirection: SortDirection) {{
  UserContentItems(query: $query, kind: $kind, sortColumn: $sortColumn,
                   sortDirection: $sortDirection) {{ {ITEM_FIELDS} }}
}}
"""

GROUPS_QUERY = """
query Groups($query: String, $includeExpiredCertificates: Boolean) {
  UserContentGroups(query: $query, includeExpiredCertificates: $includeExpiredCertificates) {
    kind count
  }
}
"""

CERTIFICATES_QUERY = """
query Certs($query: String, $includeExpiredCertificates: Boolean) {
  UserCertificates(query: $query, includeExpiredCertificates: $includeExpiredCertificates) {
    id isExpired didExpire expirationDate issuedAt pdfAsset isExternal externalResourceTitle
    identifier source resourceId
  }
}
"""

WAITLIST_QUERY = """
query { UserWaitlist { id title slug kind waitlistCount waitlistingEnabled waitlistingTriggered } }
"""

ME_QUERY = """
query Me {
  CurrentUser {
    id email firstName lastName name roleKey lang balance clientId
    certificatesCount completedCoursesCount startedCoursesCount availableCoursesCount
    collaborationsCount
    client { id name }
    activeLicense { id name }
    allocatedLicenses { licenseId license { id name } }
    purchasedCourses { courseId status }
    waitlistedCourses { courseId }
  }
}
"""

VALIDATE_REDEMPTION = """
mutation V($code: String!) {
  ValidateRedemptionCode(code: $code) { valid alreadyRedeemed codeExpired }
}
"""

VALIDATE_REGISTRATION = """
mutation V($code: String!) { ValidateRegistrationCode(code: $code) { valid alreadyRedeemed } }
"""

REDEEM_CODES = """
mutation R($codes: [String!]!) {
  RedeemRegistrationAndRedemptionCodes(validatedRedemptionCodes: $codes) { redeemed }
}
"""

REDEEM_BALANCE = """
mutation B($id: UUID!, $type: BalanceContentType!) {
  RedeemBalance(contentType: $type, contentId: $id)
}
"""

CREATE_LEARNER = """
mutation C($email: String!, $firstName: String!, $lastName: String!, $clientId: ID,
           $licenseIds: [ID!]) {
  CreateLearner(email: $email, firstName: $firstName, lastName: $lastName,
                clientId: $clientId, licenseIds: $licenseIds) {
    id email firstName lastName name roleKey clientId disabled
    activeLicense { id } allocatedLicenses { licenseId }
  }
}
"""

CREATE_LEARNERS = """
mutation C($learners: [LearnerInput!]!) {
  CreateLearners(learners: $learners) { id email firstName lastName name ref1 clientId }
}
"""


PROGRESS_FIELDS = "percentComplete totalTime totalViews"
CRITERIA_FIELDS = "type required completed percent"
ARCHIVES_QUERY = """
query { UserArchives { id name resourceType status archivedAt reinstatable waitlistActive
  user resource } }
"""
ARCHIVED_CONTENT_QUERY = "query { UserArchivedContent { id title slug kind status isActive } }"
RECENT_QUERY = "query R($limit: Int) { UserRecentContent(limit: $limit) { id title slug kind } }"
LEARNING_QUERY = """
query {
  CurrentUser {
    completedCoursesCount startedCoursesCount
    purchasedCourses { courseId status }
    allocatedLearningPaths { learningPathId status learningPath { id slug name } }
  }
}
"""


def progress_of(helium: Helium, token: str | None, content_ids: list[str]) -> dict[str, dict]:
    """UserCourseProgress and UserCourseCompletionProgress of each id, in one request:
    {id: {"progress": ..., "criteria": [...]}}. Fails the test on any error."""
    fields = " ".join(
        f'p{n}: UserCourseProgress(id: "{cid}") {{ {PROGRESS_FIELDS} }} '
        f'c{n}: UserCourseCompletionProgress(id: "{cid}") {{ {CRITERIA_FIELDS} }}'
        for n, cid in enumerate(content_ids)
    )
    data = helium.data(f"query {{ {fields} }}", None, token) if content_ids else {}
    return {
        cid: {"progress": data[f"p{n}"], "criteria": data[f"c{n}"]}
        for n, cid in enumerate(content_ids)
    }


def learning(helium: Helium, token: str | None) -> dict:
    """The learner's course and path statuses (CurrentUser)."""
    return helium.data(LEARNING_QUERY, None, token)["CurrentUser"]


def items(helium: Helium, token: str | None, **variables: Any) -> list[dict]:
    """UserContentItems with the given arguments (query, kind, sortColumn, sortDirection)."""
    return helium.data(ITEMS_QUERY, variables, token)["UserContentItems"]


def groups(helium: Helium, token: str | None, **variables: Any) -> dict[str, int]:
    """UserContentGroups as {kind: count}."""
    found = helium.data(GROUPS_QUERY, variables, token)["UserContentGroups"]
    return {g["kind"]: g["count"] for g in found}


def certificates(helium: Helium, token: str | None, **variables: Any) -> list[dict]:
    return helium.data(CERTIFICATES_QUERY, variables, token)["UserCertificates"]


def waitlist(helium: Helium, token: str | None) -> list[dict]:
    return helium.data(WAITLIST_QUERY, None, token)["UserWaitlist"]


def me(helium: Helium, token: str | None) -> dict | None:
    return helium.data(ME_QUERY, None, token)["CurrentUser"]


def ids(found: list[dict]) -> list[str]:
    return [x["id"] for x in found]


def only_error(answer: dict) -> dict:
    """The single TI-shaped error of an answer that must have failed."""
    errors = answer.get("errors") or []
    assert len(errors) == 1, answer
    error = errors[0]
    assert isinstance(error.get("message"), str) and error["message"], error
    assert isinstance(error.get("extensions", {}).get("code"), str), error
    return error


def code_of(answer: dict) -> str:
    """The code of the only error of a failed answer; its root field must be null."""
    error = only_error(answer)
    data = answer.get("data")
    if data is not None:
        assert all(v is None for v in data.values()), answer
    return error["extensions"]["code"]


def raw_post(
    helium: Helium, body: bytes, token: str | None = None, api_key: str | None = "sandbox"
) -> requests.Response:
    """POST arbitrary bytes to /helium (the client's `post` always sends valid JSON)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["authToken"] = token
    params = {"apiKey": api_key} if api_key else {}
    return helium.http.post(
        f"{helium.base_url}/helium", params=params, data=body, headers=headers, timeout=30
    )


def assert_rate_headers(response: requests.Response) -> None:
    for name in RATE_HEADERS:
        assert name in response.headers, (response.status_code, name, dict(response.headers))
        assert response.headers[name].isdigit(), (name, response.headers[name])
    assert 1 <= int(response.headers["X-RateLimit-Reset"]) <= 60


def assert_no_crash(response: requests.Response) -> None:
    """Whatever the input, the answer is JSON with TI-shaped errors and never a crash."""
    assert response.status_code != 500, response.text[:500]
    assert response.status_code < 500 or response.status_code == 503, response.status_code
    body = response.json()
    answers = body if isinstance(body, list) else [body]
    for answer in answers:
        assert "INTERNAL_SERVER_ERROR" not in error_codes(answer), answer
        for error in answer.get("errors") or []:
            assert isinstance(error.get("message"), str), error
            assert isinstance(error.get("extensions", {}).get("code"), str), error
