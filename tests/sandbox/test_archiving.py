"""Archiving and reinstating courses and learning paths: what leaves the learner's lists and
comes back, progress that survives, the errors, and `flask sandbox reset`.

Each test gets its own copy of the demo database.
"""

from __future__ import annotations

import pytest

from tests.sandbox.helpers import (
    ARCHIVED_CONTENT_QUERY,
    ARCHIVES_QUERY,
    RECENT_QUERY,
    code_of,
    groups,
    ids,
    items,
    learning,
    me,
    only_error,
    progress_of,
)

ARCHIVE_COURSE = "mutation A($id: ID!) { ArchiveUserCourse(id: $id) }"
ARCHIVE_PATH = "mutation A($id: ID!) { ArchiveUserLearningPath(id: $id) }"
REINSTATE_COURSE = "mutation R($id: ID!) { ReinstateUserCourse(id: $id) }"
REINSTATE_PATH = "mutation R($id: ID!) { ReinstateUserLearningPath(id: $id) }"
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def state(helium, token) -> dict:
    """Everything archiving may change, as the learner sees it."""
    return {
        "items": items(helium, token),
        "recent": helium.data(RECENT_QUERY, {"limit": 25}, token)["UserRecentContent"],
        "groups": groups(helium, token),
        "archives": helium.data(ARCHIVES_QUERY, token=token)["UserArchives"],
        "archived": helium.data(ARCHIVED_CONTENT_QUERY, token=token)["UserArchivedContent"],
        "learning": learning(helium, token),
    }


def by_slug(found: list[dict], slug: str) -> dict:
    return next(i for i in found if i["slug"] == slug)


def run(helium, mutation: str, content_id: str, token) -> dict:
    return helium.run(mutation, {"id": content_id}, token)


# -- ArchiveUserCourse and ReinstateUserCourse -----------------------------------------------


@pytest.mark.parametrize("slug", ["sql-fundamentals", "python-for-data-analysis"])
def test_an_archived_course_leaves_the_lists_and_comes_back_intact(helium, learner_token, slug):
    before = state(helium, learner_token)
    course = by_slug(before["items"], slug)
    progress = progress_of(helium, learner_token, [course["id"]])
    assert course["id"] in ids(before["recent"])

    answer = helium.data(ARCHIVE_COURSE, {"id": course["id"]}, learner_token)
    assert answer == {"ArchiveUserCourse": course["id"]}

    archived = state(helium, learner_token)
    assert course["id"] not in ids(archived["items"])
    assert course["id"] not in ids(archived["recent"])
    counts, was = archived["groups"], before["groups"]
    assert counts["contentItems"] == was["contentItems"] - 1
    assert counts["archivedContentItems"] == was["archivedContentItems"] + 1
    completed = progress[course["id"]]["progress"]["percentComplete"] == 100
    assert counts["completedItems"] == was["completedItems"] - completed
    assert completed == (slug == "python-for-data-analysis")
    record = next(a for a in archived["archives"] if a["resource"] == course["id"])
    assert record["name"] == course["title"]
    assert (record["status"], record["reinstatable"]) == ("archived", True)
    assert record["user"] == me(helium, learner_token)["id"] and record["archivedAt"]
    assert record["resourceType"] == "Course"
    assert course["id"] in ids(archived["archived"])
    # Archiving never loses progress: the course is still the learner's, as far as it got.
    assert progress_of(helium, learner_token, [course["id"]]) == progress
    assert archived["learning"] == before["learning"]

    answer = helium.data(REINSTATE_COURSE, {"id": course["id"]}, learner_token)
    assert answer == {"ReinstateUserCourse": course["id"]}
    assert state(helium, learner_token) == before
    assert progress_of(helium, learner_token, [course["id"]]) == progress


def test_an_item_the_license_offers_can_be_archived_and_reinstated(helium, learner_token):
    before = state(helium, learner_token)
    owned = {p["courseId"] for p in before["learning"]["purchasedCourses"]}
    offered = next(i for i in before["items"] if i["kind"] == "course" and i["id"] not in owned)
    helium.data(ARCHIVE_COURSE, {"id": offered["id"]}, learner_token)
    assert offered["id"] not in ids(items(helium, learner_token))
    assert offered["id"] in ids(
        helium.data(ARCHIVED_CONTENT_QUERY, token=learner_token)["UserArchivedContent"]
    )
    helium.data(REINSTATE_COURSE, {"id": offered["id"]}, learner_token)
    assert state(helium, learner_token) == before  # and it did not become an enrollment


def test_articles_videos_and_webinars_are_archived_as_courses(helium, learner_token):
    everything = items(helium, learner_token)
    for kind in ("article", "video", "webinar"):
        item = next(i for i in everything if i["kind"] == kind)
        assert helium.data(ARCHIVE_COURSE, {"id": item["id"]}, learner_token) == {
            "ArchiveUserCourse": item["id"]
        }
    assert {i["kind"] for i in items(helium, learner_token)} >= {"course", "learningPath"}


def test_archiving_an_archived_item_is_already_exists(helium, learner_token):
    course = by_slug(items(helium, learner_token), "sql-fundamentals")
    helium.data(ARCHIVE_COURSE, {"id": course["id"]}, learner_token)
    before = state(helium, learner_token)
    answer = run(helium, ARCHIVE_COURSE, course["id"], learner_token)
    assert code_of(answer) == "ALREADY_EXISTS"
    assert course["title"] in only_error(answer)["message"]
    assert state(helium, learner_token) == before
    # So is a seeded archive, reinstatable or not.
    for record in before["archives"]:
        assert code_of(run(helium, ARCHIVE_COURSE, record["resource"], learner_token)) == (
            "ALREADY_EXISTS"
        )


def test_archiving_what_the_learner_does_not_have_is_not_found(
    helium, learner_token, learner2_token
):
    mine = set(ids(items(helium, learner_token)))
    theirs = next(
        i for i in items(helium, learner2_token) if i["kind"] == "course" and i["id"] not in mine
    )
    before = state(helium, learner_token)
    for content_id in (theirs["id"], UNKNOWN_ID, "no-such-course"):
        assert code_of(run(helium, ARCHIVE_COURSE, content_id, learner_token)) == "NOT_FOUND"
    assert state(helium, learner_token) == before
    assert theirs["id"] in ids(items(helium, learner2_token))


def test_reinstating_what_is_not_archived_is_not_found(helium, learner_token):
    course = by_slug(items(helium, learner_token), "sql-fundamentals")
    before = state(helium, learner_token)
    for content_id in (course["id"], UNKNOWN_ID):
        assert code_of(run(helium, REINSTATE_COURSE, content_id, learner_token)) == "NOT_FOUND"
    assert state(helium, learner_token) == before


def test_an_expired_archive_cannot_be_reinstated(helium, learner_token):
    before = state(helium, learner_token)
    expired = [a for a in before["archives"] if not a["reinstatable"]]
    assert expired
    for record in expired:
        answer = run(helium, REINSTATE_COURSE, record["resource"], learner_token)
        assert code_of(answer) == "FORBIDDEN"
        message = only_error(answer)["message"]
        assert record["name"] in message and "cannot be reinstated" in message
    assert state(helium, learner_token) == before


def test_an_older_archive_reinstated_gives_the_item_back_from_the_start(helium, learner_token):
    before = state(helium, learner_token)
    owned = {p["courseId"] for p in before["learning"]["purchasedCourses"]}
    record = next(a for a in before["archives"] if a["reinstatable"] and a["resource"] not in owned)
    helium.data(REINSTATE_COURSE, {"id": record["resource"]}, learner_token)
    after = state(helium, learner_token)
    assert record["resource"] in ids(after["items"])
    assert record["id"] not in ids(after["archives"])
    assert after["groups"]["archivedContentItems"] == before["groups"]["archivedContentItems"] - 1
    assert after["groups"]["contentItems"] == before["groups"]["contentItems"] + 1
    statuses = {p["courseId"]: p["status"] for p in after["learning"]["purchasedCourses"]}
    assert statuses[record["resource"]] == "notStarted"
    progress = progress_of(helium, learner_token, [record["resource"]])[record["resource"]]
    assert progress["progress"] == {"percentComplete": 0, "totalTime": 0, "totalViews": 0}


@pytest.mark.parametrize(
    ("mutation", "right"),
    [
        (ARCHIVE_COURSE, "ArchiveUserLearningPath"),
        (REINSTATE_COURSE, "ReinstateUserLearningPath"),
    ],
)
def test_a_course_mutation_on_a_path_names_the_path_mutation(
    helium, learner_token, mutation, right
):
    path = items(helium, learner_token, kind=["learningPath"])[0]
    before = state(helium, learner_token)
    answer = run(helium, mutation, path["id"], learner_token)
    assert code_of(answer) == "BAD_USER_INPUT"
    assert right in only_error(answer)["message"]
    assert state(helium, learner_token) == before


# -- ArchiveUserLearningPath and ReinstateUserLearningPath -----------------------------------


def test_an_archived_path_leaves_the_lists_and_comes_back(helium, learner_token):
    before = state(helium, learner_token)
    path = by_slug(before["items"], "data-science-foundations")
    answer = helium.data(ARCHIVE_PATH, {"id": path["id"]}, learner_token)
    assert answer == {"ArchiveUserLearningPath": path["id"]}
    archived = state(helium, learner_token)
    assert path["id"] not in ids(archived["items"]) and path["id"] not in ids(archived["recent"])
    assert archived["groups"]["learningPaths"] == before["groups"]["learningPaths"] - 1
    assert archived["groups"]["contentItems"] == before["groups"]["contentItems"] - 1
    record = next(a for a in archived["archives"] if a["resource"] == path["id"])
    assert (record["resourceType"], record["reinstatable"]) == ("Learning Path", True)
    assert path["id"] in ids(archived["archived"])
    # Only the path: its courses stay where they were.
    assert set(ids(before["items"])) - set(ids(archived["items"])) == {path["id"]}
    assert archived["learning"] == before["learning"]

    helium.data(REINSTATE_PATH, {"id": path["id"]}, learner_token)
    assert state(helium, learner_token) == before


def test_a_completed_path_archived_leaves_the_completed_count(helium, learner_token):
    before = groups(helium, learner_token)
    path = by_slug(items(helium, learner_token), "leadership-essentials")
    helium.data(ARCHIVE_PATH, {"id": path["id"]}, learner_token)
    assert groups(helium, learner_token)["completedItems"] == before["completedItems"] - 1
    allocated = learning(helium, learner_token)["allocatedLearningPaths"]
    assert next(p for p in allocated if p["learningPathId"] == path["id"])["status"] == "completed"


@pytest.mark.parametrize(
    ("mutation", "right"),
    [(ARCHIVE_PATH, "ArchiveUserCourse"), (REINSTATE_PATH, "ReinstateUserCourse")],
)
def test_a_path_mutation_on_a_course_names_the_course_mutation(
    helium, learner_token, mutation, right
):
    course = by_slug(items(helium, learner_token), "sql-fundamentals")
    before = state(helium, learner_token)
    answer = run(helium, mutation, course["id"], learner_token)
    assert code_of(answer) == "BAD_USER_INPUT"
    assert right in only_error(answer)["message"]
    assert state(helium, learner_token) == before


def test_path_archive_errors(helium, learner_token, learner2_token):
    path = by_slug(items(helium, learner_token), "leadership-essentials")
    helium.data(ARCHIVE_PATH, {"id": path["id"]}, learner_token)
    assert code_of(run(helium, ARCHIVE_PATH, path["id"], learner_token)) == "ALREADY_EXISTS"
    assert code_of(run(helium, ARCHIVE_PATH, UNKNOWN_ID, learner_token)) == "NOT_FOUND"
    # Camille's license offers no path, so she has none to archive or reinstate.
    assert code_of(run(helium, ARCHIVE_PATH, path["id"], learner2_token)) == "NOT_FOUND"
    assert code_of(run(helium, REINSTATE_PATH, path["id"], learner2_token)) == "NOT_FOUND"
    assert path["id"] not in ids(items(helium, learner_token))


# -- signing in, and undoing it all -------------------------------------------------------------


@pytest.mark.parametrize(
    "mutation", [ARCHIVE_COURSE, REINSTATE_COURSE, ARCHIVE_PATH, REINSTATE_PATH]
)
@pytest.mark.parametrize("token", [None, "not-a-token"], ids=["anonymous", "bad-token"])
def test_archiving_needs_a_valid_token(helium, learner_token, mutation, token):
    before = state(helium, learner_token)
    pick = {ARCHIVE_COURSE: "sql-fundamentals", ARCHIVE_PATH: "data-science-foundations"}
    if mutation in pick:
        target = by_slug(before["items"], pick[mutation])["id"]
    else:
        target = next(a["resource"] for a in before["archives"] if a["reinstatable"])
    assert code_of(run(helium, mutation, target, token)) == "UNAUTHENTICATED"
    assert state(helium, learner_token) == before


def test_a_batch_archives_in_order(helium, learner_token):
    course = by_slug(items(helium, learner_token), "sql-fundamentals")
    body = [
        {"query": ARCHIVE_COURSE, "variables": {"id": course["id"]}},
        {"query": ARCHIVE_COURSE, "variables": {"id": course["id"]}},
        {"query": REINSTATE_COURSE, "variables": {"id": course["id"]}},
    ]
    first, second, third = helium.post(body, token=learner_token).json()
    assert first == {"data": {"ArchiveUserCourse": course["id"]}}
    assert code_of(second) == "ALREADY_EXISTS"
    assert third == {"data": {"ReinstateUserCourse": course["id"]}}


def test_sandbox_reset_restores_the_archive(app, helium, learner_token):
    original = state(helium, learner_token)
    course = by_slug(original["items"], "sql-fundamentals")
    helium.data(ARCHIVE_COURSE, {"id": course["id"]}, learner_token)
    older = next(a["resource"] for a in original["archives"] if a["reinstatable"])
    helium.data(REINSTATE_COURSE, {"id": older}, learner_token)
    assert state(helium, learner_token) != original

    result = app.test_cli_runner().invoke(args=["sandbox", "reset"])
    assert result.exit_code == 0, repr(result.exception)
    fresh = helium.login("learner")
    restored = state(helium, fresh)
    for key in ("items", "recent", "groups", "archived", "learning"):
        assert restored[key] == original[key], key
    # Archive records keep their ids; their dates are relative to the reset day.
    assert [(a["id"], a["resource"], a["status"]) for a in restored["archives"]] == [
        (a["id"], a["resource"], a["status"]) for a in original["archives"]
    ]
