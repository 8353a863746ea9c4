"""A learning path's page: LearningPathBySlug with its milestones and their content, shaped for
the learner as UserContentItems shapes it, and a path's status following its courses'.

Read-only, so the module shares one sandbox (the `shared` fixture).
"""

from __future__ import annotations

import pytest

from tests.sandbox.helpers import (
    ITEM_FIELDS,
    certificates,
    code_of,
    groups,
    ids,
    items,
    learning,
    progress_of,
)

PATH = f"""
query Path($slug: Slug!) {{
  LearningPathBySlug(slug: $slug) {{
    id name slug kind resourceType status shortDescription longDescription asset heroAsset
    detailAsset dueDate currentUserDueDate currentUserEarnedCertificate
    currentUserPendingCertificate currentUserStartActionDate authors tags {{ id label }}
    milestones {{
      id name kind requirement releaseDate completionCriteriaDescription
      contentItems {{ {ITEM_FIELDS} asset assetAltText }}
      milestoneCourses {{ id contentId contentTitle requirement contentGrouping }}
      learningPath {{ id name slug }}
    }}
  }}
}}
"""
TOTALS = """
query T($slug: Slug!) { LearningPathCurrentUserAwardTotals(slug: $slug) { resourceId total } }
"""
SLUGS = ["leadership-essentials", "data-science-foundations", "cloud-career-path"]
LEARNER_FIELDS = {
    "currentUserDueDate",
    "currentUserEarnedCertificate",
    "currentUserPendingCertificate",
    "currentUserStartActionDate",
}


def path(shared, slug: str, who: str | None = "learner") -> dict:
    return shared.helium.data(PATH, {"slug": slug}, shared.token(who))["LearningPathBySlug"]


def members(found: dict) -> list[dict]:
    return [i for m in found["milestones"] for i in m["contentItems"]]


def rule(statuses: list[str | None]) -> str:
    """A path's status from its items' (None: not enrolled)."""
    if statuses and all(s == "completed" for s in statuses):
        return "completed"
    if any(s in ("started", "completed") for s in statuses):
        return "started"
    return "notStarted"


# -- the path and its milestones -------------------------------------------------------------


def test_the_learners_paths_are_the_demo_paths(shared):
    mine = items(shared.helium, shared.learner, kind=["learningPath"])
    assert sorted(i["slug"] for i in mine) == sorted(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_path_describes_itself(shared, slug):
    found = path(shared, slug)
    listed = next(i for i in items(shared.helium, shared.learner) if i["slug"] == slug)
    assert (found["id"], found["name"], found["slug"]) == (listed["id"], listed["title"], slug)
    assert (found["kind"], found["resourceType"], found["status"]) == (
        "learningPath",
        "learningPath",
        "published",
    )
    assert found["shortDescription"] == listed["description"]
    assert len(found["longDescription"]) > len(found["shortDescription"]) > 0
    assert found["authors"] == listed["authors"]
    assert sorted(t["label"] for t in found["tags"]) == sorted(t["label"] for t in listed["tags"])
    for key in ("asset", "heroAsset", "detailAsset"):
        response = shared.helium.http.get(shared.helium.base_url + found[key], timeout=10)
        assert response.status_code == 200, (key, found[key])
        assert response.headers["Content-Type"].startswith("image/")


@pytest.mark.parametrize("slug", SLUGS)
def test_a_path_has_two_or_three_milestones_of_content_in_order(shared, slug):
    found = path(shared, slug)
    milestones = found["milestones"]
    assert 2 <= len(milestones) <= 3
    assert (
        len({m["id"] for m in milestones})
        == len({m["name"] for m in milestones})
        == len(milestones)
    )
    for milestone in milestones:
        assert milestone["name"] and milestone["kind"] == "content"
        assert milestone["requirement"] == "required"
        assert milestone["completionCriteriaDescription"]
        assert milestone["contentItems"]
        courses = milestone["milestoneCourses"]
        assert [c["contentId"] for c in courses] == ids(milestone["contentItems"])
        assert [c["contentTitle"] for c in courses] == [
            i["title"] for i in milestone["contentItems"]
        ]
        assert {c["contentGrouping"] for c in courses} == {"course"}
        assert milestone["learningPath"] == {
            "id": found["id"],
            "name": found["name"],
            "slug": found["slug"],
        }
    every = ids(members(found))
    assert len(every) == len(set(every)) >= 3  # each item in one milestone only
    assert path(shared, slug) == found  # the same order every time


def test_award_totals_come_from_the_paths_own_items(shared):
    found = path(shared, "leadership-essentials")
    totals = shared.helium.data(TOTALS, {"slug": "leadership-essentials"}, shared.learner)
    resources = {t["resourceId"] for t in totals["LearningPathCurrentUserAwardTotals"]}
    assert resources and resources <= set(ids(members(found))) | {found["id"]}
    assert found["id"] in resources


# -- the content, shaped for the learner -----------------------------------------------------


@pytest.mark.parametrize("who", ["learner", "learner2"])
def test_milestone_content_is_shaped_as_the_learners_items(shared, who):
    listed = {i["id"]: i for i in items(shared.helium, shared.token(who))}
    compared = 0
    for slug in SLUGS:
        for item in members(path(shared, slug, who)):
            if item["id"] in listed:
                expected = listed[item["id"]]
                assert {k: item[k] for k in expected} == expected, item["slug"]
                compared += 1
            assert item["title"] and item["url"] and item["asset"] and item["assetAltText"]
    assert compared >= 4


def test_the_learners_own_due_date_shows_on_a_milestone_item(shared):
    slug = "data-science-foundations"
    theirs = {i["slug"]: i for i in members(path(shared, slug, "learner2"))}
    mine = {i["slug"]: i for i in members(path(shared, slug, "learner"))}
    listed = {i["slug"]: i for i in items(shared.helium, shared.learner2)}
    dated = [s for s in theirs if theirs[s]["currentUserDueDate"]]
    assert dated
    for item_slug in dated:
        assert theirs[item_slug]["currentUserDueDate"] == listed[item_slug]["currentUserDueDate"]
        assert mine[item_slug]["currentUserDueDate"] != theirs[item_slug]["currentUserDueDate"]


def test_a_priced_item_the_learner_lacks_is_purchasable_on_the_path(shared):
    found = members(path(shared, "cloud-career-path"))
    owned = {p["courseId"] for p in learning(shared.helium, shared.learner)["purchasedCourses"]}
    priced = [i for i in found if i["priceInCents"] and i["id"] not in owned]
    assert priced
    assert {i["availabilityStatus"] for i in priced} == {"purchasable"}


# -- the learner's own facts -----------------------------------------------------------------


def test_the_learners_due_date_and_start_are_their_enrollments(shared):
    listed = {i["slug"]: i for i in items(shared.helium, shared.learner, kind=["learningPath"])}
    enrolled = {
        p["learningPath"]["slug"]
        for p in learning(shared.helium, shared.learner)["allocatedLearningPaths"]
    }
    for slug in SLUGS:
        found = path(shared, slug)
        assert found["currentUserDueDate"] == listed[slug]["currentUserDueDate"]
        assert bool(found["currentUserStartActionDate"]) == (slug in enrolled)
    assert path(shared, "data-science-foundations")["currentUserDueDate"]


def test_the_earned_certificate_follows_the_learners_certificates(shared):
    for who in ("learner", "learner2"):
        held = {
            c["resourceId"]
            for c in certificates(shared.helium, shared.token(who), includeExpiredCertificates=True)
        }
        for slug in SLUGS:
            found = path(shared, slug, who)
            assert found["currentUserEarnedCertificate"] == (found["id"] in held), (who, slug)
            assert found["currentUserPendingCertificate"] is False
    assert path(shared, "leadership-essentials")["currentUserEarnedCertificate"] is True


def test_without_a_token_the_path_is_public_and_no_ones(shared):
    for slug in SLUGS:
        anonymous = path(shared, slug, None)
        signed_in = path(shared, slug)
        assert anonymous["currentUserEarnedCertificate"] is False
        assert anonymous["currentUserPendingCertificate"] is False
        assert anonymous["currentUserDueDate"] is None
        assert anonymous["currentUserStartActionDate"] is None
        public = {k: v for k, v in signed_in.items() if k not in LEARNER_FIELDS | {"milestones"}}
        assert {k: anonymous[k] for k in public} == public
        for item in members(anonymous):
            assert item["currentUserDueDate"] is None
        assert ids(members(anonymous)) == ids(members(signed_in))


@pytest.mark.parametrize("slug", ["no-such-path", "sql-fundamentals", ""])
def test_an_unknown_slug_or_a_courses_slug_is_not_found(shared, slug):
    for who in ("learner", None):
        answer = shared.helium.run(PATH, {"slug": slug}, shared.token(who))
        assert code_of(answer) == "NOT_FOUND"


def test_a_dead_token_is_unauthenticated(shared):
    answer = shared.helium.run(PATH, {"slug": SLUGS[0]}, "not-a-token")
    assert code_of(answer) == "UNAUTHENTICATED"


# -- a path's status follows its courses' ----------------------------------------------------


def item_statuses(shared, who: str, path_items: list[dict]) -> list[str | None]:
    """Each item's status for the learner: purchasedCourses says for courses; for the other
    kinds, progress does (100% is completed, 0% not started)."""
    token = shared.token(who)
    owned = {p["courseId"]: p["status"] for p in learning(shared.helium, token)["purchasedCourses"]}
    others = [i["id"] for i in path_items if i["id"] not in owned]
    percents = {
        cid: p["progress"]["percentComplete"]
        for cid, p in progress_of(shared.helium, token, others).items()
    }

    def status(cid: str) -> str | None:
        if cid in owned:
            return owned[cid]
        return {0: None, 100: "completed"}.get(percents[cid], "started")

    return [status(i["id"]) for i in path_items]


def test_a_paths_status_is_what_its_courses_make_it(shared):
    allocated = learning(shared.helium, shared.learner)["allocatedLearningPaths"]
    assert {e["status"] for e in allocated} == {"completed", "started"}
    for entry in allocated:
        found = path(shared, entry["learningPath"]["slug"])
        statuses = item_statuses(shared, "learner", members(found))
        assert entry["status"] == rule(statuses), found["slug"]


def test_completed_items_count_completed_paths_and_courses(shared):
    helium, token = shared.helium, shared.learner
    visible = items(helium, token)
    user = learning(helium, token)
    paths = {p["learningPathId"]: p["status"] for p in user["allocatedLearningPaths"]}
    others = [i["id"] for i in visible if i["kind"] != "learningPath"]
    done = sum(
        p["progress"]["percentComplete"] == 100 for p in progress_of(helium, token, others).values()
    )
    done += sum(paths.get(i["id"]) == "completed" for i in visible)
    assert groups(helium, token)["completedItems"] == done
    assert "completed" in paths.values()
