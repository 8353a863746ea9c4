"""No input, however odd, makes the sandbox crash: never HTTP 500, never INTERNAL_SERVER_ERROR.

Each case is an operation with odd arguments (huge, empty, unicode, SQL-ish, out of range,
null where the schema allows it) sent with a token; the answer may be data or a TI-shaped
error, but must not be a crash. The cases share one sandbox; none of them signs out.
"""

from __future__ import annotations

import pytest

from tests.sandbox.helpers import assert_no_crash, raw_post

ITEMS = """
query Q($q: String, $k: [ContentKind!], $c: SortColumn, $d: SortDirection) {
  UserContentItems(query: $q, kind: $k, sortColumn: $c, sortDirection: $d) { id title }
}
"""
RECENT = "query R($n: Int) { UserRecentContent(limit: $n) { id } }"
BOARD = """
query B($n: Int) { BadgeLeaderboard(limit: $n) { leaders { rank } currentUserPosition { rank } } }
"""
COMPANY = "query C($u: ID) { CompanyDetails(user: $u) { name settings { id } } }"
TRANSLATIONS = """
query T($ns: TranslationNamespace!) { CompanyTranslations(namespace: $ns) { lang } }
"""
PATH = "query P($s: Slug!) { LearningPathCurrentUserAwardTotals(slug: $s) { total } }"
AWARDS = "query A($id: ID!) { UserCourseAwardCounts(courseId: $id) { id count } }"
COLLABORATIONS = "query C($id: ID!) { UserCourseCollaborations(courseId: $id) }"
CERTS = """
query C($q: String, $x: Boolean) {
  UserCertificates(query: $q, includeExpiredCertificates: $x) { id }
}
"""
GROUPS = """
query G($q: String, $x: Boolean) {
  UserContentGroups(query: $q, includeExpiredCertificates: $x) { kind count }
}
"""
LOGIN = "mutation L($e: String!, $p: String!) { Login(email: $e, password: $p) }"
REDEMPTION = """
mutation V($c: String!) { ValidateRedemptionCode(code: $c) { valid alreadyRedeemed codeExpired } }
"""
REGISTRATION = """
mutation V($c: String!) { ValidateRegistrationCode(code: $c) { valid alreadyRedeemed } }
"""
REDEEM = """
mutation R($c: [String!]!) {
  RedeemRegistrationAndRedemptionCodes(validatedRedemptionCodes: $c) { redeemed }
}
"""
BALANCE = """
mutation B($id: UUID!, $t: BalanceContentType!) { RedeemBalance(contentType: $t, contentId: $id) }
"""
LICENSE = "mutation S($id: ID!) { SelectCurrentUserActiveLicense(licenseId: $id) }"
UNENROLL = "mutation U($id: ID!) { UnenrollFromWaitlist(id: $id) }"
CREATE = """
mutation C($e: String!, $f: String!, $l: String!, $c: ID, $ls: [ID!]) {
  CreateLearner(email: $e, firstName: $f, lastName: $l, clientId: $c, licenseIds: $ls) { id }
}
"""
CREATE_MANY = "mutation C($ls: [LearnerInput!]!) { CreateLearners(learners: $ls) { id } }"
UPLOAD = """
mutation U($a: URL!, $f: [CertificateUploadField!]) {
  CreateCertificateFromUpload(asset: $a, certificateUploadFields: $f) { id issuedAt expirationDate }
}
"""
PROGRESS = "query P($id: ID!) { UserCourseProgress(id: $id) { percentComplete } }"
CRITERIA = "query C($id: ID!) { UserCourseCompletionProgress(id: $id) { type percent } }"
PATH_PAGE = "query P($s: Slug!) { LearningPathBySlug(slug: $s) { id milestones { id } } }"
ARCHIVE = "mutation A($id: ID!) { ArchiveUserCourse(id: $id) }"
REINSTATE_PATH = "mutation R($id: ID!) { ReinstateUserLearningPath(id: $id) }"

HUGE = "x" * 200_000
WEIRD = "日本語 🎓 \u202e مرحبا \u0000 \ufeff"
SQLISH = "'; DROP TABLE content; -- \" OR 1=1 --"


def upload(kind: str, field_id: str, **values) -> dict:
    """Variables for an upload with one certificate field of this kind."""
    entry = {"certificateFieldId": field_id, "type": kind, **values}
    return {"a": "https://example.com/c.png", "f": [entry]}


def person(email: str, **extra) -> dict:
    return {"email": email, "firstName": "A", "lastName": "B", **extra}


ALL_KINDS = [
    "article", "bundle", "course", "courseGroup", "discountGroup", "inPersonEvent",
    "inPersonEventCourse", "learningPath", "microCourse", "pickableGroup", "product", "sellable",
    "shareableContentObject", "video", "webinar", "webinarCourse", "xApiObject",
]  # fmt: skip
COMPLETED = "cf-completion-date"


CASES = {
    # UserContentItems
    "items-huge-query": (ITEMS, {"q": HUGE}, "learner"),
    "items-unicode-query": (ITEMS, {"q": WEIRD}, "learner"),
    "items-sql-query": (ITEMS, {"q": SQLISH}, "learner"),
    "items-unterminated-tag": (ITEMS, {"q": 'tags:"Data'}, "learner"),
    "items-empty-field-terms": (ITEMS, {"q": 'tags: authors:"" difficulty: ::: "'}, "learner"),
    "items-like-wildcards": (ITEMS, {"q": "% _ \\ (.* [a-"}, "learner"),
    "items-empty-kind-list": (ITEMS, {"k": []}, "learner"),
    "items-every-kind": (ITEMS, {"k": ALL_KINDS}, "learner"),
    "items-relevance-without-query": (ITEMS, {"c": "relevance", "d": "desc"}, "learner"),
    "items-sort-last-active": (ITEMS, {"c": "lastActiveAt", "d": "asc"}, "learner"),
    "items-sort-every-date": (ITEMS, {"c": "displayDate", "d": None}, "learner"),
    "items-direction-only": (ITEMS, {"d": "desc"}, "learner"),
    "items-unknown-kind": (ITEMS, {"k": ["podcast"]}, "learner"),
    "items-kind-not-a-list": (ITEMS, {"k": "course"}, "learner"),
    "items-as-admin": (ITEMS, {"q": "difficulty:Easy"}, "admin"),
    # UserRecentContent and BadgeLeaderboard limits
    "recent-negative": (RECENT, {"n": -1}, "learner"),
    "recent-int-max": (RECENT, {"n": 2_147_483_647}, "learner"),
    "recent-int-min": (RECENT, {"n": -2_147_483_648}, "learner"),
    "recent-beyond-int": (RECENT, {"n": 2**40}, "learner"),
    "recent-fraction": (RECENT, {"n": 1.5}, "learner"),
    "recent-string": (RECENT, {"n": "ten"}, "learner"),
    "board-negative": (BOARD, {"n": -5}, "learner"),
    "board-zero": (BOARD, {"n": 0}, "learner"),
    "board-int-max": (BOARD, {"n": 2_147_483_647}, "learner"),
    "board-null": (BOARD, {"n": None}, None),
    # company and texts
    "company-empty-user": (COMPANY, {"u": ""}, None),
    "company-huge-user": (COMPANY, {"u": HUGE}, None),
    "company-sql-user": (COMPANY, {"u": SQLISH}, None),
    "company-numeric-user": (COMPANY, {"u": 12345}, None),
    "translations-unknown-namespace": (TRANSLATIONS, {"ns": "klingon"}, None),
    "translations-null-namespace": (TRANSLATIONS, {"ns": None}, None),
    # awards and collaborations
    "path-empty-slug": (PATH, {"s": ""}, "learner"),
    "path-traversal-slug": (PATH, {"s": "../../etc/passwd"}, "learner"),
    "path-unicode-slug": (PATH, {"s": WEIRD}, "learner"),
    "path-null-slug": (PATH, {"s": None}, "learner"),
    "awards-empty-id": (AWARDS, {"id": ""}, "learner"),
    "collaborations-huge-id": (COLLABORATIONS, {"id": HUGE}, "learner"),
    "collaborations-sql-id": (COLLABORATIONS, {"id": SQLISH}, None),
    # progress, path pages and the archive (none of these ids exist: nothing changes)
    "progress-empty-id": (PROGRESS, {"id": ""}, "learner"),
    "progress-huge-id": (PROGRESS, {"id": HUGE}, "learner"),
    "progress-numeric-id": (PROGRESS, {"id": 12345}, "learner"),
    "criteria-sql-id": (CRITERIA, {"id": SQLISH}, "learner2"),
    "criteria-unicode-id": (CRITERIA, {"id": WEIRD}, "learner"),
    "path-page-traversal-slug": (PATH_PAGE, {"s": "../../etc/passwd"}, None),
    "path-page-huge-slug": (PATH_PAGE, {"s": HUGE}, "learner"),
    "path-page-sql-slug": (PATH_PAGE, {"s": SQLISH}, "learner2"),
    "archive-empty-id": (ARCHIVE, {"id": ""}, "learner"),
    "archive-sql-id": (ARCHIVE, {"id": SQLISH}, "learner"),
    "archive-null-id": (ARCHIVE, {"id": None}, "learner"),
    "reinstate-path-huge-id": (REINSTATE_PATH, {"id": HUGE}, "learner"),
    # certificates and groups
    "certificates-nul-query": (CERTS, {"q": "\x00", "x": None}, "learner"),
    "certificates-huge-query": (CERTS, {"q": HUGE, "x": True}, "learner"),
    "groups-odd-query": (GROUPS, {"q": 'tags:"Data Science" "', "x": None}, "learner"),
    "groups-unicode-query": (GROUPS, {"q": WEIRD, "x": True}, "learner2"),
    # Login
    "login-huge-email": (LOGIN, {"e": HUGE, "p": HUGE}, None),
    "login-null-email": (LOGIN, {"e": None, "p": "learner"}, None),
    "login-sql-email": (LOGIN, {"e": SQLISH, "p": SQLISH}, None),
    "login-unicode-password": (LOGIN, {"e": "learner@acme.test", "p": WEIRD}, None),
    # codes
    "validate-empty-code": (REDEMPTION, {"c": ""}, "learner"),
    "validate-blank-code": (REDEMPTION, {"c": "   "}, "learner"),
    "validate-huge-code": (REDEMPTION, {"c": HUGE}, "learner"),
    "validate-nul-code": (REDEMPTION, {"c": "WELCOME-2026\x00"}, None),
    "validate-lowercase-code": (REDEMPTION, {"c": "welcome-2026"}, "learner"),
    "validate-registration-unicode": (REGISTRATION, {"c": WEIRD}, "learner"),
    "redeem-no-codes": (REDEEM, {"c": []}, "learner2"),
    "redeem-blank-codes": (REDEEM, {"c": ["", "  "]}, "learner2"),
    "redeem-a-thousand-codes": (REDEEM, {"c": [f"CODE-{i}" for i in range(1000)]}, "learner2"),
    "redeem-null-code": (REDEEM, {"c": [None]}, "learner2"),
    "redeem-same-code-twice": (REDEEM, {"c": ["TEAM-2026", " TEAM-2026 "]}, "learner2"),
    "redeem-same-code-other-case": (REDEEM, {"c": ["WELCOME-2026", "welcome-2026"]}, "learner2"),
    # RedeemBalance, licenses, waitlist
    "balance-empty-id": (BALANCE, {"id": "", "t": "courses"}, "learner"),
    "balance-not-a-uuid": (BALANCE, {"id": SQLISH, "t": "courses"}, "learner"),
    "balance-learning-paths": (BALANCE, {"id": "not-a-uuid", "t": "learningPaths"}, "learner"),
    "balance-unknown-type": (BALANCE, {"id": "not-a-uuid", "t": "bundles"}, "learner"),
    "license-empty-id": (LICENSE, {"id": ""}, "learner"),
    "license-null-id": (LICENSE, {"id": None}, "learner"),
    "unenroll-empty-id": (UNENROLL, {"id": ""}, "learner"),
    "unenroll-huge-id": (UNENROLL, {"id": HUGE}, "learner"),
    # CreateLearner(s)
    "create-long-email": (CREATE, {"e": "a" * 300 + "@x.io", "f": "A", "l": "B"}, "admin"),
    "create-unicode-names": (CREATE, {"e": "uni@acme.test", "f": WEIRD, "l": "\u202e"}, "admin"),
    "create-empty-client": (CREATE, {"e": "c1@acme.test", "f": "A", "l": "B", "c": ""}, "admin"),
    "create-empty-licenses": (CREATE, {"e": "c2@acme.test", "f": "A", "l": "B", "ls": []}, "admin"),
    "create-blank-licenses": (
        CREATE,
        {"e": "c3@x.io", "f": "A", "l": "B", "ls": ["", SQLISH]},
        "admin",
    ),
    "create-null-email": (CREATE, {"e": None, "f": "A", "l": "B"}, "admin"),
    "create-many-empty": (CREATE_MANY, {"ls": []}, "admin"),
    "create-many-missing-fields": (CREATE_MANY, {"ls": [{}]}, "admin"),
    "create-many-null-entry": (CREATE_MANY, {"ls": [None]}, "admin"),
    "create-many-unknown-field": (CREATE_MANY, {"ls": [person("u@x.io", shoeSize=44)]}, "admin"),
    "create-many-numeric-ref": (
        CREATE_MANY,
        {"ls": [person("r@x.io", ref1=5, ref2=None)]},
        "admin",
    ),
    "create-many-too-many": (
        CREATE_MANY,
        {"ls": [person(f"m{i}@x.io") for i in range(501)]},
        "admin",
    ),
    # CreateCertificateFromUpload
    "upload-empty-asset": (UPLOAD, {"a": ""}, "learner"),
    "upload-script-asset": (UPLOAD, {"a": "javascript:alert(1)"}, "learner"),
    "upload-protocol-relative-asset": (UPLOAD, {"a": "//evil.test/x.png"}, "learner"),
    "upload-huge-asset": (UPLOAD, {"a": "https://example.com/" + HUGE}, "learner"),
    "upload-empty-fields": (UPLOAD, {"a": "https://example.com/c.png", "f": []}, "learner"),
    "upload-date-words": (
        UPLOAD,
        upload("contentCompletionDate", COMPLETED, date="1 June"),
        "learner",
    ),
    "upload-date-impossible": (
        UPLOAD,
        upload("contentCompletionDate", COMPLETED, date="2025-13-45"),
        "learner",
    ),
    "upload-date-number": (
        UPLOAD,
        upload("contentCompletionDate", COMPLETED, date=12345),
        "learner",
    ),
    "upload-expiry-at-the-end-of-time": (
        UPLOAD,
        upload("expirationDateLabel", "cf-expiration-date", date="9999-12-31T23:59:59-01:00"),
        "learner",
    ),
    "upload-completed-at-the-start-of-time": (
        UPLOAD,
        upload("contentCompletionDate", COMPLETED, date="0001-01-01T00:30:00+01:00"),
        "learner",
    ),
    "upload-huge-title": (UPLOAD, upload("courseLabel", "cf-course", value=HUGE), "learner"),
    "upload-huge-award": (
        UPLOAD,
        upload("awardLabel", "cf-cpe-credits", awardAmount=1e308, awardTypeId="x"),
        "learner",
    ),
    "upload-unknown-type": (UPLOAD, upload("noSuchType", "cf-course", value="x"), "learner"),
}


@pytest.mark.parametrize(("query", "variables", "who"), list(CASES.values()), ids=list(CASES))
def test_an_odd_input_never_crashes(shared, query, variables, who):
    response = shared.helium.post({"query": query, "variables": variables}, token=shared.token(who))
    assert_no_crash(response)


DOCUMENTS = {
    "deeply-nested-selection": "{ CurrentUser " + "{ client " * 300 + "{ id }" + " }" * 301,
    "deeply-nested-list-argument": (
        "{ UserContentItems(kind: " + "[" * 3000 + "course" + "]" * 3000 + ") { id } }"
    ),
    "thousands-of-aliases": "{ " + " ".join(f"a{i}: __typename" for i in range(2000)) + " }",
    "fragment-cycle": "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
    "unknown-fragment": "{ ...Nowhere }",
    "only-fragments": "fragment A on Query { Languages { code } }",
    "skip-the-only-field": "{ Languages @skip(if: true) { code } }",
    "unknown-directive": "{ Languages @cache(ttl: 5) { code } }",
    "introspection-everything": (
        "{ __schema { types { name fields { name args { name type { name ofType { name } } } } } "
        "} }"
    ),
    "nul-in-document": "{ Languages { code } }\u0000",
    "huge-string-literal": '{ CompanyDetails(user: "' + "x" * 500_000 + '") { name } }',
    "many-operations": " ".join(f"query Q{i} {{ __typename }}" for i in range(500)),
}


@pytest.mark.parametrize("query", list(DOCUMENTS.values()), ids=list(DOCUMENTS))
def test_an_odd_document_never_crashes(shared, query):
    response = shared.helium.post({"query": query}, token=shared.learner)
    assert_no_crash(response)


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "{ Languages { code } }", "variables": {"x": ' + b'{"a":' * 5000 + b"1"
        + b"}" * 5000 + b"}}",
        b'{"query": "{ Languages { code } }", "operationName": null, "extensions": {"x": [1]}}',
        b'{"query": "{ Languages { code } }", "query": "{ TermsAndConditions { globalTerms } }"}',
        b'[{"query": "{ __typename }"}, {"query": "{ Languages { code "}, {"query": ""}]',
        b'{"query": "\\ud800"}',  # a lone surrogate
        '{"query": "{ Languages { code } }"}'.encode("utf-16"),
    ],
    ids=["deep-variables", "extra-keys", "duplicate-keys", "mixed-batch", "lone-surrogate",
         "utf-16"],
)  # fmt: skip
def test_an_odd_body_never_crashes(shared, body):
    assert_no_crash(raw_post(shared.helium, body, token=shared.learner))
