"""Progress and the next step on the dashboard, the path page and the redeem result, and what
they cost the instance: one request per view, the dashboard within 100 points.

Every number on a page is checked against what the instance answers to plain GraphQL.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import soup
from webapp.sandbox.seed import content_id

ME = (
    "query TruthMe { CurrentUser { purchasedCourses { courseId status }"
    " allocatedLearningPaths { learningPathId status } } }"
)
RECENT = "query TruthRecent { UserRecentContent(limit: 12) { id title kind url } }"
PROGRESS = "query TruthProgress($id: ID!) { UserCourseProgress(id: $id) { percentComplete } }"
ITEMS = "query TruthItems { UserContentItems { id kind currentUserDueDate } }"
PATH = """
query TruthPath($slug: Slug!) {
  LearningPathBySlug(slug: $slug) {
    name shortDescription
    milestones { name contentItems { id title kind url } }
  }
}
"""


@pytest.fixture
def truth(helium, learner_token):
    return lambda query, variables=None: helium.data(query, variables or {}, learner_token)


def statuses(truth) -> dict[str, str]:
    me = truth(ME)["CurrentUser"]
    found = {c["courseId"]: c["status"] for c in me["purchasedCourses"]}
    return found | {p["learningPathId"]: p["status"] for p in me["allocatedLearningPaths"]}


def percent(truth, item_id: str) -> int:
    return truth(PROGRESS, {"id": item_id})["UserCourseProgress"]["percentComplete"]


def shown_progress(card) -> tuple[int | None, str]:
    bar = card.select_one("progress")
    words = card.select_one(".progress__words").get_text(strip=True)
    return (int(bar["value"]) if bar is not None else None), words


# -- the dashboard ------------------------------------------------------------------------------


def test_continue_learning_puts_what_is_under_way_first_with_the_instances_progress(learner, truth):
    status = statuses(truth)
    recent = truth(RECENT)["UserRecentContent"]
    order = {"started": 0, "completed": 2}
    expected = sorted(recent, key=lambda i: order.get(status.get(i["id"], "notStarted"), 1))[:4]
    page = soup(learner.get("/dashboard"))
    cards = page.select("#recent-title ~ .cards .course-card")
    assert [c.select_one(".card__title").get_text(strip=True) for c in cards] == [
        i["title"] for i in expected
    ]
    for card, item in zip(cards, expected, strict=True):
        value, words = shown_progress(card)
        assert value == percent(truth, item["id"])
        if status.get(item["id"]) == "started":
            assert words == f"{value}% complete"
            action = card.select_one(".card__action")
            assert action.get_text(strip=True) == "Resume"
            assert action["href"] == item["url"]  # where the course is played: the instance
    assert status.get(expected[0]["id"]) == "started"


def test_the_summary_line_counts_what_is_in_progress_and_due(learner, truth):
    from datetime import UTC, datetime, timedelta

    status = statuses(truth)
    items = truth(ITEMS)["UserContentItems"]
    now = datetime.now(UTC)
    in_progress = sum(status.get(i["id"]) == "started" for i in items)
    due_week = 0
    for item in items:
        due = item["currentUserDueDate"]
        if due and status.get(item["id"]) != "completed":
            moment = datetime.fromisoformat(due.replace("Z", "+00:00"))
            due_week += now <= moment <= now + timedelta(days=7)
    summary = soup(learner.get("/dashboard")).find(id="dashboard-summary")
    parts = [li.get_text(strip=True) for li in summary.select("li")]
    assert parts[:2] == [f"{in_progress} in progress", f"{due_week} due this week"]
    assert in_progress and due_week


def test_the_warm_dashboard_with_progress_costs_at_most_100_points(learner, sandbox):
    learner.get("/dashboard")  # branding and strings now cached
    before = sandbox.stats.snapshot()
    learner.get("/dashboard")
    after = sandbox.stats.snapshot()
    assert after["http_requests"] - before["http_requests"] == 1
    spent = after["points"] - before["points"]
    assert spent <= 100, spent
    assert after["by_operation"]["UserCourseProgress"] > before["by_operation"].get(
        "UserCourseProgress", 0
    )  # progress is in it


def test_first_views_after_sign_in_are_one_request_each(browser, upstream_requests):
    browser.sign_in("learner")  # the sign-in reads what the first pages will show
    for path in ("/dashboard", "/learning", "/learning?page=2", "/dashboard"):
        before = upstream_requests()
        assert browser.get(path).status_code == 200
        assert upstream_requests() - before == 1, path


def test_a_view_nothing_predicted_tops_up_once_then_is_exact(learner, truth, upstream_requests):
    # A search this session never ran: which courses it shows is known only from its answer,
    # so their progress comes in one more request; the next view of it knows them already.
    before = upstream_requests()
    page = soup(learner.get("/learning?q=sql"))
    assert upstream_requests() - before == 2
    sql = content_id("sql-fundamentals")
    value, words = shown_progress(page.find(id=f"card-{sql}"))
    assert value == percent(truth, sql) and words == f"{value}% complete"
    before = upstream_requests()
    learner.get("/learning?q=sql")
    assert upstream_requests() - before == 1


# -- the path page -----------------------------------------------------------------------------


def test_a_path_page_shows_its_milestones_and_courses_in_order_with_progress(
    learner, truth, upstream_requests
):
    path = truth(PATH, {"slug": "data-science-foundations"})["LearningPathBySlug"]
    status = statuses(truth)
    learner.get("/dashboard")
    before = upstream_requests()
    page = soup(learner.get("/paths/data-science-foundations"))
    assert upstream_requests() - before <= 2  # the first visit may top up once
    assert page.h1.get_text(strip=True) == path["name"]
    assert path["shortDescription"] in page.select_one(".lede").text
    sections = page.select("section.milestone")
    assert [s.h2.contents[-1].strip() for s in sections] == [m["name"] for m in path["milestones"]]
    percents = []
    for section, milestone in zip(sections, path["milestones"], strict=True):
        titles = [c.get_text(strip=True) for c in section.select(".card__title")]
        assert titles == [i["title"] for i in milestone["contentItems"]]
        for card, item in zip(
            section.select(".course-card"), milestone["contentItems"], strict=True
        ):
            value, _words = shown_progress(card)
            assert value == percent(truth, item["id"])
            percents.append(value)
    done = sum(
        status.get(i["id"]) == "completed" for m in path["milestones"] for i in m["contentItems"]
    )
    standing = page.find(id="path-progress").get_text(" ", strip=True)
    assert standing.startswith(f"{done} of {len(percents)} items completed")
    assert f"{round(sum(percents) / len(percents))}% complete" in standing
    before = upstream_requests()
    learner.get("/paths/data-science-foundations")
    assert upstream_requests() - before == 1  # and every visit after that is one request


@pytest.mark.parametrize(
    "slug", ["leadership-essentials", "data-science-foundations", "cloud-career-path"]
)
def test_every_demo_path_is_named_and_lists_its_courses(learner, slug):
    page = soup(learner.get(f"/paths/{slug}"))
    assert page.h1.get_text(strip=True) != "Learning path"
    assert page.select("section.milestone .course-card")


def test_a_waitlisted_course_says_so_and_leads_to_the_waitlist(learner, helium, learner_token):
    waiting = helium.data(
        "query W { CurrentUser { waitlistedCourses { courseId } } }", {}, learner_token
    )["CurrentUser"]["waitlistedCourses"]
    bootcamp = content_id("data-science-bootcamp-live")
    assert bootcamp in {w["courseId"] for w in waiting}
    card = soup(learner.get("/learning?q=bootcamp")).find(id=f"card-{bootcamp}")
    assert card.select_one(".card__waitlisted").get_text(strip=True) == "You're on the waitlist"
    assert card.select_one(".progress") is None  # not "Not started / Start"
    action = card.select_one(".card__action")
    assert action["href"] == "/waitlist" and action.get_text(strip=True) == "See your waitlist"
