"""Sign-in, the current user, the company and its texts, awards, badges and the leaderboard.

These tests only read (Login adds tokens, which no one else looks at), so they share one
sandbox: see the `shared` fixture.
"""

from __future__ import annotations

import re

import pytest

from tests.sandbox.helpers import (
    ADMIN_EMAIL,
    LEARNER2_EMAIL,
    LEARNER_EMAIL,
    certificates,
    code_of,
    ids,
    items,
    me,
    waitlist,
)

LOGIN = "mutation L($e: String!, $p: String!) { Login(email: $e, password: $p) }"
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


# -- Login and CurrentUser -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "password", "who"),
    [
        (LEARNER_EMAIL, "learner", "Jamie Rivera"),
        (LEARNER2_EMAIL, "learner2", "Camille Martin"),
        (ADMIN_EMAIL, "admin", "Alex Morgan"),
    ],
)
def test_login_returns_a_token_that_signs_that_user_in(shared, email, password, who):
    token = shared.helium.data(LOGIN, {"e": email, "p": password})["Login"]
    assert isinstance(token, str) and len(token) >= 16
    user = me(shared.helium, token)
    assert (user["email"], user["name"]) == (email, who)


def test_each_login_issues_a_new_token(shared):
    first = shared.helium.data(LOGIN, {"e": LEARNER_EMAIL, "p": "learner"})["Login"]
    second = shared.helium.data(LOGIN, {"e": LEARNER_EMAIL, "p": "learner"})["Login"]
    assert first != second


@pytest.mark.parametrize(
    ("email", "password"),
    [
        (LEARNER_EMAIL, "wrong"),
        (LEARNER_EMAIL, ""),
        (LEARNER_EMAIL, "learner2"),  # another account's password
        ("nobody@acme.test", "learner"),
        ("taken@acme.test", ""),  # an account without a password cannot sign in
        ("", ""),
    ],
)
def test_login_with_bad_credentials_is_invalid_credentials(shared, email, password):
    answer = shared.helium.run(LOGIN, {"e": email, "p": password})
    assert code_of(answer) == "INVALID_CREDENTIALS"
    assert answer["data"] is None  # Login is non-null: the whole data goes


def test_current_user_describes_the_demo_learner(shared):
    user = me(shared.helium, shared.learner)
    assert user["email"] == LEARNER_EMAIL
    assert (user["firstName"], user["lastName"], user["name"]) == (
        "Jamie",
        "Rivera",
        "Jamie Rivera",
    )
    assert user["lang"] == "en"
    assert user["roleKey"] != "admin"
    assert "Acme" in user["client"]["name"]
    assert user["clientId"] == user["client"]["id"]
    assert user["balance"] > 0
    licenses = [a["license"]["id"] for a in user["allocatedLicenses"]]
    assert len(licenses) == 2 and len(set(licenses)) == 2
    assert user["activeLicense"]["id"] in licenses


def test_current_user_describes_learner2_and_the_admin(shared):
    learner2 = me(shared.helium, shared.learner2)
    assert (learner2["email"], learner2["name"], learner2["lang"]) == (
        LEARNER2_EMAIL,
        "Camille Martin",
        "fr",
    )
    assert learner2["client"]["name"] == "Globex"
    admin = me(shared.helium, shared.admin)
    assert (admin["email"], admin["roleKey"]) == (ADMIN_EMAIL, "admin")
    learner = me(shared.helium, shared.learner)
    assert len({learner["id"], learner2["id"], admin["id"]}) == 3
    assert learner2["client"]["id"] != learner["client"]["id"]


def test_current_user_is_null_without_a_token(shared):
    answer = shared.helium.run("query { CurrentUser { id email } }")
    assert answer == {"data": {"CurrentUser": None}}


@pytest.mark.parametrize("token", ["not-a-token", "x" * 500, "Bearer abc"])
def test_current_user_with_an_unknown_token_is_unauthenticated(shared, token):
    answer = shared.helium.run("query { CurrentUser { id } }", token=token)
    assert code_of(answer) == "UNAUTHENTICATED"


def test_current_user_counts_match_the_lists(shared):
    helium, token = shared.helium, shared.learner
    user = me(helium, token)
    assert user["certificatesCount"] == len(certificates(helium, token))
    assert {w["courseId"] for w in user["waitlistedCourses"]} == set(ids(waitlist(helium, token)))
    statuses = [p["status"] for p in user["purchasedCourses"]]
    assert user["completedCoursesCount"] == statuses.count("completed") > 0
    assert user["startedCoursesCount"] == statuses.count("started") > 0
    assert user["availableCoursesCount"] == len(statuses)


# -- CompanyDetails ------------------------------------------------------------------------------

COMPANY = """
query Company($user: ID) {
  CompanyDetails(user: $user) {
    name subdomain
    settings {
      id logoAsset retinaLogo favicon accentColor secondaryColor linkColor font altFont
      backgroundAsset backgroundAssetTiled customCss globalNavigationLinks { label href }
    }
  }
}
"""


def test_company_details_describe_acme_learning_and_its_branding(shared):
    company = shared.helium.data(COMPANY)["CompanyDetails"]
    assert company["name"] == "Acme Learning"
    assert company["subdomain"]
    settings = company["settings"]
    for key in ("logoAsset", "favicon", "backgroundAsset", "font", "altFont", "customCss"):
        assert settings[key], key
    assert settings["retinaLogo"] is True
    for key in ("accentColor", "secondaryColor", "linkColor"):
        assert HEX.match(settings[key]), settings[key]
    links = settings["globalNavigationLinks"]
    assert links and all(link["label"] and link["href"] for link in links)


def test_company_assets_are_served(shared):
    settings = shared.helium.data(COMPANY)["CompanyDetails"]["settings"]
    for key in ("logoAsset", "favicon", "backgroundAsset"):
        url = settings[key]
        if url.startswith("/"):
            url = shared.helium.base_url + url
        response = shared.helium.http.get(url, timeout=10)
        assert response.status_code == 200, (key, url)


def test_company_details_for_a_globex_learner_show_globex_branding(shared):
    helium = shared.helium
    acme = helium.data(COMPANY)["CompanyDetails"]
    learner = helium.data(COMPANY, {"user": me(helium, shared.learner)["id"]})["CompanyDetails"]
    globex = helium.data(COMPANY, {"user": me(helium, shared.learner2)["id"]})["CompanyDetails"]
    assert learner == acme
    assert globex["name"] == acme["name"]  # the company stays the same...
    theirs, ours = globex["settings"], acme["settings"]
    assert theirs["id"] != ours["id"]  # ...its appearance does not
    assert theirs["logoAsset"] != ours["logoAsset"]
    assert theirs["accentColor"] != ours["accentColor"]
    assert theirs["globalNavigationLinks"] != ours["globalNavigationLinks"]


def test_company_details_for_an_unknown_user_is_not_found(shared):
    answer = shared.helium.run(COMPANY, {"user": "no-such-user"})
    assert code_of(answer) == "NOT_FOUND"


# -- texts ---------------------------------------------------------------------------------------

TRANSLATIONS = """
query T($ns: TranslationNamespace!) { CompanyTranslations(namespace: $ns) { id lang translations } }
"""


def test_languages_include_the_five_demo_languages(shared):
    languages = shared.helium.data("query { Languages { id label code selectorLabel isCustom } }")[
        "Languages"
    ]
    codes = [lang["code"] for lang in languages]
    assert {"en", "fr", "de", "es", "ar"} <= set(codes)
    assert len(set(codes)) == len(codes)
    assert len({lang["id"] for lang in languages}) == len(languages)
    assert all(lang["label"] for lang in languages)


def test_lms_translations_cover_every_language_in_tis_key_style(shared):
    found = shared.helium.data(TRANSLATIONS, {"ns": "lms"})["CompanyTranslations"]
    by_lang = {entry["lang"]: entry["translations"] for entry in found}
    assert {"en", "fr", "de", "es", "ar"} <= set(by_lang)
    assert len({entry["id"] for entry in found}) == len(found)
    english = by_lang["en"]
    assert "dashboard.completed" in english
    assert "redemption-code.validate" in english
    assert all(isinstance(v, str) for t in by_lang.values() for v in t.values())
    values = [v for t in by_lang.values() for v in t.values()]
    assert any("%{" in v for v in values)  # placeholders
    assert any("||||" in v for v in values)  # singular |||| plural
    key_sets = [set(t) for t in by_lang.values()]
    assert any(keys != set(english) for keys in key_sets)  # some keys missing somewhere
    assert by_lang["fr"]["dashboard.completed"] != english["dashboard.completed"]


def test_email_translations_are_a_separate_namespace(shared):
    emails = shared.helium.data(TRANSLATIONS, {"ns": "emails"})["CompanyTranslations"]
    lms = shared.helium.data(TRANSLATIONS, {"ns": "lms"})["CompanyTranslations"]
    assert emails and "en" in {e["lang"] for e in emails}
    assert {e["id"] for e in emails}.isdisjoint({e["id"] for e in lms})
    english = next(e["translations"] for e in emails if e["lang"] == "en")
    assert "dashboard.completed" not in english


def test_terms_and_conditions_have_text(shared):
    terms = shared.helium.data("query { TermsAndConditions { globalTerms } }")
    assert len(terms["TermsAndConditions"]["globalTerms"]) > 100


FIELDS = """
query {
  UserCertificateFields {
    id type label includeOnTranscript includeOnExternalCertificate text dateFormat
    identifierPrefix identifierBodyLength hasIdentifierPrefix awardTypeId
    awardType { id label }
  }
}
"""


def test_certificate_fields_have_several_types_and_date_formats(shared):
    fields = shared.helium.data(FIELDS, token=shared.learner)["UserCertificateFields"]
    assert len({f["type"] for f in fields}) >= 4
    assert len({f["dateFormat"] for f in fields if f["dateFormat"]}) >= 2
    assert len({f["id"] for f in fields}) == len(fields)
    for field in fields:
        assert field["label"]
        if field["type"] == "awardLabel":
            assert field["awardType"]["id"] == field["awardTypeId"]
        if field["type"] == "identifier":
            assert field["hasIdentifierPrefix"] is bool(field["identifierPrefix"])
            assert field["identifierBodyLength"] > 0
    # Instance-level: the same without a token.
    assert shared.helium.data(FIELDS)["UserCertificateFields"] == fields


# -- the leaderboard and badges ------------------------------------------------------------------

LEADERBOARD = """
query Board($limit: Int) {
  BadgeLeaderboard(limit: $limit) {
    awardType { id label pluralLabel icon includeOnDashboard }
    leaders { rank total user { id email name firstName lastName } }
    currentUserPosition { rank total user { id email } }
  }
}
"""


def board(shared, limit=None, who="learner") -> dict:
    variables = {} if limit is None else {"limit": limit}
    return shared.helium.data(LEADERBOARD, variables, shared.token(who))["BadgeLeaderboard"]


def test_the_leaderboard_ranks_learners_by_total(shared):
    full = board(shared, limit=100)
    leaders = full["leaders"]
    assert len(leaders) >= 50
    assert full["awardType"]["label"]
    assert leaders[0]["rank"] == 1
    for position, (before, after) in enumerate(zip(leaders, leaders[1:], strict=False), 2):
        assert before["total"] >= after["total"]
        # competition ranking: a tie shares a rank, otherwise the rank is the position
        expected = before["rank"] if after["total"] == before["total"] else position
        assert after["rank"] == expected
    assert len({leader["user"]["id"] for leader in leaders}) == len(leaders)
    for leader in leaders:
        user = leader["user"]
        assert user["name"] == f"{user['firstName']} {user['lastName']}"


@pytest.mark.parametrize("limit", [1, 5, 25])
def test_the_leaderboard_limit_takes_effect(shared, limit):
    full = board(shared, limit=100)["leaders"]
    assert board(shared, limit=limit)["leaders"] == full[:limit]


def test_the_leaderboard_has_a_default_limit(shared):
    default = board(shared)["leaders"]
    full = board(shared, limit=100)["leaders"]
    assert 0 < len(default) < len(full)
    assert default == full[: len(default)]


def test_the_current_users_position_matches_their_entry(shared):
    full = board(shared, limit=100)
    position = full["currentUserPosition"]
    assert position["user"]["email"] == LEARNER_EMAIL
    entry = next(x for x in full["leaders"] if x["user"]["email"] == LEARNER_EMAIL)
    assert (position["rank"], position["total"]) == (entry["rank"], entry["total"])
    # ...even when the learner is outside the top few.
    top = board(shared, limit=3)
    assert LEARNER_EMAIL not in [x["user"]["email"] for x in top["leaders"]]
    assert top["currentUserPosition"] == position


def test_the_leaderboard_without_a_token_has_no_current_user(shared):
    anonymous = shared.helium.data(LEADERBOARD, {"limit": 10})["BadgeLeaderboard"]
    assert anonymous["currentUserPosition"] is None
    assert anonymous["leaders"] == board(shared, limit=10)["leaders"]


def test_learner2_has_their_own_position(shared):
    position = board(shared, limit=10, who="learner2")["currentUserPosition"]
    assert position["user"]["email"] == LEARNER2_EMAIL
    assert position != board(shared, limit=10)["currentUserPosition"]


BADGES = """
query {
  UserEarnedBadgeBoard {
    earnedBadges { id deleted user { id email } badge { id label asset awardThreshold
      awardType { id } } }
    unearnedBadges { id label asset awardThreshold awardType { id label } }
  }
}
"""


def test_the_badge_board_splits_earned_and_unearned_badges(shared):
    found = shared.helium.data(BADGES, token=shared.learner)["UserEarnedBadgeBoard"]
    earned, unearned = found["earnedBadges"], found["unearnedBadges"]
    assert earned and unearned
    earned_ids = {e["badge"]["id"] for e in earned}
    assert earned_ids.isdisjoint({b["id"] for b in unearned})
    assert {e["user"]["email"] for e in earned} == {LEARNER_EMAIL}
    assert all(b["awardThreshold"] > 0 and b["asset"] for b in unearned)
    # Thresholds agree with the learner's total of the leaderboard's award type.
    full = board(shared, limit=100)
    kind, total = full["awardType"]["id"], full["currentUserPosition"]["total"]
    for entry in earned:
        if entry["badge"]["awardType"]["id"] == kind:
            assert entry["badge"]["awardThreshold"] <= total
    for badge in unearned:
        if badge["awardType"]["id"] == kind:
            assert badge["awardThreshold"] > total


def test_every_learner_sees_every_badge_once(shared):
    def all_badges(token):
        found = shared.helium.data(BADGES, token=token)["UserEarnedBadgeBoard"]
        return sorted(
            [e["badge"]["id"] for e in found["earnedBadges"]]
            + [b["id"] for b in found["unearnedBadges"]]
        )

    learner, learner2 = all_badges(shared.learner), all_badges(shared.learner2)
    assert learner == learner2
    assert len(set(learner)) == len(learner)


def test_the_badge_board_needs_a_token(shared):
    assert code_of(shared.helium.run(BADGES)) == "UNAUTHENTICATED"


# -- awards on learning paths and courses --------------------------------------------------------

PATH_TOTALS = """
query P($slug: Slug!) {
  LearningPathCurrentUserAwardTotals(slug: $slug) {
    resourceId total awardType { id label }
    resource { __typename ... on Course { id title slug } ... on LearningPath { id name slug } }
  }
}
"""


def path_slugs(shared) -> list[str]:
    paths = items(shared.helium, shared.learner, kind=["learningPath"])
    assert paths
    return [p["slug"] for p in paths]


def test_a_learning_path_has_award_totals_for_the_learner(shared):
    helium = shared.helium
    found = {
        slug: helium.data(PATH_TOTALS, {"slug": slug}, shared.learner)[
            "LearningPathCurrentUserAwardTotals"
        ]
        for slug in path_slugs(shared)
    }
    with_totals = [totals for totals in found.values() if totals]
    assert with_totals, found
    for totals in with_totals:
        for total in totals:
            assert total["total"] > 0
            assert total["awardType"]["label"]
            assert total["resource"]["id"] == total["resourceId"]
            assert total["resource"]["__typename"] in ("Course", "LearningPath")


def test_learning_path_totals_without_a_token_are_empty(shared):
    for slug in path_slugs(shared):
        answer = shared.helium.data(PATH_TOTALS, {"slug": slug})
        assert answer == {"LearningPathCurrentUserAwardTotals": []}


@pytest.mark.parametrize("slug", ["no-such-path", "sql-fundamentals"])
def test_learning_path_totals_of_an_unknown_path_are_not_found(shared, slug):
    # sql-fundamentals exists, but it is a course, not a learning path.
    answer = shared.helium.run(PATH_TOTALS, {"slug": slug}, shared.learner)
    assert code_of(answer) == "NOT_FOUND"


AWARD_COUNTS = "query A($id: ID!) { UserCourseAwardCounts(courseId: $id) { id label icon count } }"
COLLABORATIONS = "query C($id: ID!) { UserCourseCollaborations(courseId: $id) }"


def test_a_completed_course_has_award_counts(shared):
    helium = shared.helium
    completed = [
        p["courseId"]
        for p in me(helium, shared.learner)["purchasedCourses"]
        if p["status"] == "completed"
    ]
    assert completed
    for course in completed:
        counts = helium.data(AWARD_COUNTS, {"id": course}, shared.learner)["UserCourseAwardCounts"]
        assert counts, course
        assert all(c["label"] and c["count"] >= 0 for c in counts)
        assert len({c["id"] for c in counts}) == len(counts)
        # no token: nothing
        assert helium.data(AWARD_COUNTS, {"id": course}) == {"UserCourseAwardCounts": []}


def test_award_counts_add_up_to_the_leaderboard_total(shared):
    """The learner's counts of the leaderboard's award type, over everything they have or had,
    sum to their total on the leaderboard."""
    helium = shared.helium
    position = board(shared, limit=100)
    label = position["awardType"]["label"]
    archived = helium.data("query { UserArchivedContent { id } }", token=shared.learner)
    content = ids(items(helium, shared.learner)) + ids(archived["UserArchivedContent"])
    total = 0
    for content_id in content:
        counts = helium.data(AWARD_COUNTS, {"id": content_id}, shared.learner)
        total += sum(c["count"] for c in counts["UserCourseAwardCounts"] if c["label"] == label)
    assert total == position["currentUserPosition"]["total"] > 0


def test_a_course_not_started_has_no_award_counts(shared):
    helium = shared.helium
    fresh = [
        p["courseId"]
        for p in me(helium, shared.learner)["purchasedCourses"]
        if p["status"] == "notStarted"
    ]
    assert fresh
    assert helium.data(AWARD_COUNTS, {"id": fresh[0]}, shared.learner) == {
        "UserCourseAwardCounts": []
    }


def test_collaborations_add_up_to_the_users_count(shared):
    helium = shared.helium
    visible = ids(items(helium, shared.learner))
    archived = ids(
        helium.data("query { UserArchivedContent { id } }", token=shared.learner)[
            "UserArchivedContent"
        ]
    )
    per_course = {
        course: helium.data(COLLABORATIONS, {"id": course}, shared.learner)[
            "UserCourseCollaborations"
        ]
        for course in visible + archived
    }
    total = me(helium, shared.learner)["collaborationsCount"]
    assert total > 0
    assert sum(per_course.values()) == total
    busiest = max(per_course, key=per_course.get)
    assert helium.data(COLLABORATIONS, {"id": busiest}) == {"UserCourseCollaborations": 0}


@pytest.mark.parametrize("query", [AWARD_COUNTS, COLLABORATIONS], ids=["awards", "collaborations"])
@pytest.mark.parametrize("who", ["learner", None])
def test_course_queries_of_an_unknown_course_are_not_found(shared, query, who):
    answer = shared.helium.run(query, {"id": "no-such-course"}, shared.token(who))
    assert code_of(answer) == "NOT_FOUND"
