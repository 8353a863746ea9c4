"""How far a learner is in a course: UserCourseProgress and UserCourseCompletionProgress, and
how they agree with the statuses CurrentUser reports, the demo's spread, and the errors.

Read-only, so the module shares one sandbox (the `shared` fixture).
"""

from __future__ import annotations

import pytest

from tests.sandbox.helpers import (
    ARCHIVED_CONTENT_QUERY,
    code_of,
    ids,
    items,
    learning,
    only_error,
    progress_of,
)

PROGRESS = (
    "query P($id: ID!) { UserCourseProgress(id: $id) { percentComplete totalTime totalViews } }"
)
CRITERIA = """
query C($id: ID!) { UserCourseCompletionProgress(id: $id) { type required completed percent } }
"""
PERCENT_TYPES = {"coursePercentViewed", "videoPercentViewed", "articlePercentViewed"}
CRITERIA_TYPES = PERCENT_TYPES | {
    "articleTimeViewedInSeconds", "bongoAssignmentCompleted", "courseAssessmentPassed",
    "courseAssignmentComplete", "courseMeetingAttended", "courseTopicViewed", "scormComplete",
    "surveyGizmoComplete", "videoTopicId", "xApiComplete",
}  # fmt: skip
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def purchased(shared, who: str) -> dict[str, dict]:
    """The learner's courses (purchasedCourses) with their status and progress, by id."""
    token = shared.token(who)
    statuses = {
        p["courseId"]: p["status"] for p in learning(shared.helium, token)["purchasedCourses"]
    }
    found = progress_of(shared.helium, token, list(statuses))
    return {cid: {"status": statuses[cid], **found[cid]} for cid in statuses}


@pytest.fixture(scope="module")
def courses(shared) -> dict[str, dict[str, dict]]:
    return {who: purchased(shared, who) for who in ("learner", "learner2")}


# -- progress agrees with the status ---------------------------------------------------------


@pytest.mark.parametrize("who", ["learner", "learner2"])
def test_a_courses_status_and_its_progress_tell_one_story(courses, who):
    assert courses[who]
    for cid, course in courses[who].items():
        progress = course["progress"]
        percent = progress["percentComplete"]
        if course["status"] == "completed":
            assert percent == 100, cid
            assert progress["totalTime"] > 0 and progress["totalViews"] > 0, cid
        elif course["status"] == "notStarted":
            assert progress == {"percentComplete": 0, "totalTime": 0, "totalViews": 0}, cid
        else:
            assert course["status"] == "started", cid
            assert 1 <= percent <= 99, cid
            assert progress["totalTime"] > 0 and progress["totalViews"] > 0, cid


@pytest.mark.parametrize("who", ["learner", "learner2"])
def test_the_completed_count_is_the_courses_at_100_percent(shared, courses, who):
    user = learning(shared.helium, shared.token(who))
    at_100 = [c for c in courses[who].values() if c["progress"]["percentComplete"] == 100]
    started = [c for c in courses[who].values() if 0 < c["progress"]["percentComplete"] < 100]
    assert user["completedCoursesCount"] == len(at_100) > 0
    assert user["startedCoursesCount"] == len(started) > 0


@pytest.mark.parametrize("who", ["learner", "learner2"])
def test_the_demo_spreads_from_not_started_to_done(courses, who):
    percents = sorted(c["progress"]["percentComplete"] for c in courses[who].values())
    assert 0 in percents  # not started
    assert any(3 <= p <= 8 for p in percents)  # a few percent
    assert any(40 <= p <= 60 for p in percents)  # about half
    assert any(90 <= p <= 97 for p in percents)  # nearly done
    assert 100 in percents  # done


@pytest.mark.parametrize("who", ["learner", "learner2"])
def test_time_spent_and_views_are_plausible(courses, who):
    for cid, course in courses[who].items():
        progress = course["progress"]
        if progress["totalViews"]:
            minutes_per_view = progress["totalTime"] / 60 / progress["totalViews"]
            assert 1 <= minutes_per_view <= 60, (cid, progress)
    done = [c["progress"] for c in courses[who].values() if c["status"] == "completed"]
    barely = [
        c["progress"] for c in courses[who].values() if 0 < c["progress"]["percentComplete"] < 10
    ]
    # Finishing a course took longer than starting one did.
    assert min(d["totalTime"] for d in done) > max(b["totalTime"] for b in barely)


def test_two_learners_progress_in_the_same_course_is_their_own(courses):
    shared_ids = set(courses["learner"]) & set(courses["learner2"])
    assert shared_ids
    differs = [
        cid for cid in shared_ids
        if courses["learner"][cid]["progress"] != courses["learner2"][cid]["progress"]
    ]  # fmt: skip
    assert differs


# -- completion criteria ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["learner", "learner2"])
def test_criteria_agree_with_the_status(courses, who):
    for cid, course in courses[who].items():
        criteria, percent = course["criteria"], course["progress"]["percentComplete"]
        assert 1 <= len(criteria) <= 3, cid
        for criterion in criteria:
            assert criterion["type"] in CRITERIA_TYPES, criterion
            assert 0 <= criterion["percent"] <= 100
            if criterion["type"] in PERCENT_TYPES:
                # a share viewed: nothing to list, and the course's own percent
                assert criterion["required"] is None and criterion["completed"] is None
                assert criterion["percent"] == percent, cid
                continue
            required, completed = criterion["required"], criterion["completed"]
            assert required and len(set(required)) == len(required), criterion
            assert set(completed) <= set(required), criterion
            assert criterion["percent"] == 100 * len(completed) // len(required), criterion
        if course["status"] == "completed":
            assert all(c["percent"] == 100 for c in criteria), cid
            assert all(c["completed"] == c["required"] for c in criteria), cid
        elif course["status"] == "notStarted":
            assert all(c["percent"] == 0 for c in criteria), cid
            assert all(not c["completed"] for c in criteria), cid
        else:
            assert any(c["percent"] < 100 for c in criteria), cid


def test_a_criterion_lists_the_same_ids_for_every_learner(courses):
    for cid in set(courses["learner"]) & set(courses["learner2"]):
        mine = [c["required"] for c in courses["learner"][cid]["criteria"]]
        theirs = [c["required"] for c in courses["learner2"][cid]["criteria"]]
        assert mine == theirs, cid


def test_some_criteria_are_partly_done(courses):
    partly = [
        c for course in courses["learner"].values() for c in course["criteria"]
        if c["completed"] and len(c["completed"]) < len(c["required"])
    ]  # fmt: skip
    assert partly


def test_criteria_fit_the_kind_of_item(shared):
    every = items(shared.helium, shared.learner)
    by_kind = {}
    for item in every:
        by_kind.setdefault(item["kind"], item["id"])
    found = progress_of(
        shared.helium, shared.learner, [by_kind[k] for k in by_kind if k != "learningPath"]
    )
    kinds = {by_kind[k]: k for k in by_kind}
    types = {kinds[cid]: {c["type"] for c in p["criteria"]} for cid, p in found.items()}
    assert types["article"] == {"articlePercentViewed"}
    assert types["video"] == {"videoPercentViewed"}
    assert types["webinar"] == {"courseMeetingAttended"}
    everything = progress_of(
        shared.helium, shared.learner, [i["id"] for i in every if i["kind"] != "learningPath"]
    )
    assert len({c["type"] for p in everything.values() for c in p["criteria"]}) >= 6


# -- content the learner sees but has not begun, and what they cannot see --------------------


def test_an_item_the_license_offers_but_not_taken_up_is_at_zero(shared, courses):
    offered = [
        i for i in items(shared.helium, shared.learner)
        if i["id"] not in courses["learner"] and i["kind"] == "course"
    ]  # fmt: skip
    assert offered
    found = progress_of(shared.helium, shared.learner, ids(offered))
    for cid, p in found.items():
        assert p["progress"] == {"percentComplete": 0, "totalTime": 0, "totalViews": 0}, cid
        assert p["criteria"] and all(c["percent"] == 0 for c in p["criteria"])
        assert all(not c["completed"] for c in p["criteria"])


def test_an_archived_item_keeps_its_progress_readable(shared):
    archived = shared.helium.data(ARCHIVED_CONTENT_QUERY, token=shared.learner)
    found = progress_of(shared.helium, shared.learner, ids(archived["UserArchivedContent"]))
    assert found and all(p["criteria"] for p in found.values())


def test_an_item_the_learner_cannot_see_is_not_found(shared, courses):
    mine = set(ids(items(shared.helium, shared.learner))) | set(courses["learner"])
    theirs = [i for i in items(shared.helium, shared.learner2) if i["kind"] == "course"]
    hidden = next(i for i in theirs if i["id"] not in mine)
    for query in (PROGRESS, CRITERIA):
        answer = shared.helium.run(query, {"id": hidden["id"]}, shared.learner)
        assert code_of(answer) == "NOT_FOUND"
    # ...while its learner sees it.
    assert progress_of(shared.helium, shared.learner2, [hidden["id"]])


@pytest.mark.parametrize("content_id", [UNKNOWN_ID, "", "no-such-course"])
@pytest.mark.parametrize("query", [PROGRESS, CRITERIA], ids=["progress", "criteria"])
def test_an_unknown_id_is_not_found(shared, query, content_id):
    answer = shared.helium.run(query, {"id": content_id}, shared.learner)
    assert code_of(answer) == "NOT_FOUND"


@pytest.mark.parametrize("query", [PROGRESS, CRITERIA], ids=["progress", "criteria"])
def test_a_learning_path_has_no_course_progress(shared, query):
    paths = items(shared.helium, shared.learner, kind=["learningPath"])
    assert paths
    for path in paths:
        answer = shared.helium.run(query, {"id": path["id"]}, shared.learner)
        assert code_of(answer) == "NOT_FOUND"
        assert "learning path" in only_error(answer)["message"]


@pytest.mark.parametrize("token", [None, "not-a-token"], ids=["anonymous", "bad-token"])
@pytest.mark.parametrize("query", [PROGRESS, CRITERIA], ids=["progress", "criteria"])
def test_progress_needs_a_valid_token(shared, courses, query, token):
    course = next(iter(courses["learner"]))
    assert code_of(shared.helium.run(query, {"id": course}, token)) == "UNAUTHENTICATED"
