"""The waitlist page and leaving a waitlist, against the sandbox's demo learner (3 waitlists)."""

from __future__ import annotations

import pytest

from tests.web.conftest import soup
from webapp.gql import Call

LEAVE = "UnenrollFromWaitlist"


@pytest.fixture
def instance_waitlist(app, learner):
    """The learner's waitlist as the instance holds it right now (call it)."""

    def read():
        with learner.client.session_transaction() as stored:
            token = stored["token"]
        with app.app_context():
            return app.extensions["instance"].query(Call("UserWaitlist"), token=token)

    return read


def mutations(sandbox, name: str = LEAVE) -> int:
    return sandbox.stats.snapshot()["by_operation"].get(name, 0)


def rows(response) -> dict[str, object]:
    return {
        li["id"].removeprefix("waitlist-item-"): li
        for li in soup(response).select("li.waitlist-item")
    }


def test_waitlist_needs_a_session(browser):
    response = browser.get("/waitlist")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/login?next=/waitlist")


def test_the_page_shows_what_the_instance_holds_in_one_request(
    learner, instance_waitlist, upstream_requests
):
    held = instance_waitlist()
    assert len(held) == 3
    before = upstream_requests()
    response = learner.get("/waitlist")
    assert upstream_requests() - before == 1
    assert response.status_code == 200 and "<html" in response.get_data(as_text=True)
    page = soup(response)
    assert page.select_one("#waitlist-count").text.strip() == "3 courses"
    shown = rows(response)
    assert list(shown) == [w.id for w in held]
    for course in held:
        row = shown[course.id]
        link = row.select_one("h2 a")
        assert link.text.strip() == course.title and link["href"] == course.url
        times = [t["datetime"] for t in row.select("time")]
        assert times == [
            course.course_start_date.isoformat(),
            course.enrollment_start_date.isoformat(),
        ]
        facts = row.select_one("dl").get_text(" ", strip=True)
        assert str(course.seats_limit) in facts
        assert f"{course.waitlist_count} people waiting" in facts
        assert "(in " in facts  # the start date is also said relative to today
        form = row.select_one("form")
        assert form["action"] == form["hx-post"] == f"/waitlist/{course.id}/leave"
        assert form["data-confirm"] == f"Leave the waitlist for {course.title}?"
    kinds = [r.select_one(".waitlist-item__kind").text.strip() for r in shown.values()]
    assert kinds.count("In-person event") == 1 and kinds.count("Course") == 2


def test_leaving_with_htmx_removes_the_row_and_updates_the_count(
    learner, instance_waitlist, sandbox, upstream_requests
):
    held = instance_waitlist()
    gone = held[0]
    learner.get("/waitlist")
    before = upstream_requests()
    response = learner.htmx(
        "POST",
        f"/waitlist/{gone.id}/leave",
        {"confirm": "yes", "title": gone.title, "count": "3"},
    )
    assert upstream_requests() - before == 2  # the mutation, then one re-read for the count
    assert mutations(sandbox) == 1
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    fragment = soup(response)
    assert f"You left the waitlist for {gone.title}." in fragment.select_one(".notice").text
    assert fragment.find(id=f"waitlist-item-{gone.id}")["hx-swap-oob"] == "delete"
    count = fragment.find(id="waitlist-count")
    assert count["hx-swap-oob"] == "innerHTML" and count.text.strip() == "2 courses"
    assert [w.id for w in instance_waitlist()] == [w.id for w in held[1:]]
    page = learner.get("/waitlist")
    assert gone.id not in rows(page)
    assert soup(page).select_one("#waitlist-count").text.strip() == "2 courses"


def test_leaving_the_last_waitlist_shows_the_empty_state(learner, instance_waitlist):
    learner.get("/waitlist")
    for course in instance_waitlist():
        response = learner.htmx("POST", f"/waitlist/{course.id}/leave", {"confirm": "yes"})
        assert response.status_code == 200
    fragment = soup(response)
    assert fragment.find(id="waitlist-count").text.strip() == "0 courses"
    empty = fragment.find(id="waitlist-empty")
    assert empty["hx-swap-oob"] == "innerHTML"
    assert "You are not on any waitlists." in empty.text
    assert instance_waitlist() == []
    page = soup(learner.get("/waitlist"))
    assert not page.select("li.waitlist-item")
    assert "You are not on any waitlists." in page.select_one(".empty-state").text


def test_without_javascript_a_plain_post_asks_for_confirmation_first(
    learner, instance_waitlist, sandbox
):
    course = instance_waitlist()[1]
    learner.get("/waitlist")
    response = learner.post(f"/waitlist/{course.id}/leave", {"title": course.title})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/waitlist/{course.id}/leave"
    assert mutations(sandbox) == 0 and len(instance_waitlist()) == 3
    page = soup(learner.get(response.headers["Location"]))
    assert page.h1.text.strip() == f"Leave the waitlist for {course.title}?"
    form = page.select_one("main form")
    assert form["action"] == f"/waitlist/{course.id}/leave" and form["method"] == "post"
    assert form.select_one("input[name=confirm]")["value"] == "yes"
    assert form.select_one("button").text.strip() == "Yes, leave"
    assert form.select_one("a")["href"] == "/waitlist"  # cancel


def test_confirming_without_javascript_leaves_and_comes_back_with_a_message(
    learner, instance_waitlist
):
    course = instance_waitlist()[2]
    learner.get(f"/waitlist/{course.id}/leave")
    response = learner.post(
        f"/waitlist/{course.id}/leave", {"confirm": "yes", "title": course.title}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/waitlist"
    assert course.id not in [w.id for w in instance_waitlist()]
    page = learner.get("/waitlist")
    status = soup(page).select_one(".notices")
    assert f"You left the waitlist for {course.title}." in status.text
    assert course.id not in rows(page)
    assert soup(page).select_one("#waitlist-count").text.strip() == "2 courses"
    # The message is said once, not again on the next visit.
    assert "You left" not in soup(learner.get("/waitlist")).select_one(".notices").text


def test_an_unknown_course_leaves_the_list_alone_and_says_why(learner, instance_waitlist):
    learner.get("/waitlist")
    unknown = "00000000-0000-0000-0000-000000000000"
    response = learner.htmx("POST", f"/waitlist/{unknown}/leave", {"confirm": "yes"})
    assert response.status_code == 404 and "<html" not in response.get_data(as_text=True)
    fragment = soup(response)
    assert "doesn't know this course" in fragment.select_one(".notice--error").text
    assert not fragment.select("[hx-swap-oob=delete]")
    assert fragment.find(id="waitlist-count").text.strip() == "3 courses"
    assert len(instance_waitlist()) == 3


def test_an_id_that_cannot_be_one_is_refused_without_asking(learner, sandbox):
    learner.get("/waitlist")
    for bad in ("x" * 10_000, "a.b", "%00"):
        response = learner.htmx("POST", f"/waitlist/{bad}/leave", {"confirm": "yes"})
        assert response.status_code == 404
        assert "doesn't know this course" in soup(response).text
        plain = learner.post(f"/waitlist/{bad}/leave", {"confirm": "yes"})
        assert plain.status_code == 303
        assert learner.get(f"/waitlist/{bad}/leave").status_code == 404
    assert mutations(sandbox) == 0


def test_leaving_twice_says_so_and_keeps_the_count_true(learner, instance_waitlist):
    course = instance_waitlist()[0]
    learner.get("/waitlist")
    learner.htmx("POST", f"/waitlist/{course.id}/leave", {"confirm": "yes"})
    # The page in another tab still shows the row: leaving again gets `false` upstream.
    response = learner.htmx("POST", f"/waitlist/{course.id}/leave", {"confirm": "yes"})
    fragment = soup(response)
    assert "no longer on this waitlist" in fragment.select_one(".notice").text
    assert fragment.find(id=f"waitlist-item-{course.id}")["hx-swap-oob"] == "delete"
    assert fragment.find(id="waitlist-count").text.strip() == "2 courses"


def test_an_unreachable_instance_keeps_the_row_and_says_why(learner, instance_waitlist, sandbox):
    course = instance_waitlist()[0]
    learner.get("/waitlist")
    sandbox.faults.fault_rate = 1.0
    response = learner.htmx(
        "POST", f"/waitlist/{course.id}/leave", {"confirm": "yes", "count": "3"}
    )
    sandbox.faults.fault_rate = 0.0
    assert response.status_code == 503
    fragment = soup(response)
    assert "couldn't reach the learning platform" in fragment.select_one(".notice--error").text
    assert not fragment.select("[hx-swap-oob=delete]")
    row_message = fragment.find(id=f"waitlist-item-{course.id}-message")
    assert row_message["hx-swap-oob"] == "innerHTML" and "couldn't reach" in row_message.text
    assert len(instance_waitlist()) == 3


def test_an_unreachable_instance_without_javascript_says_where_the_learner_stands(
    learner, instance_waitlist, sandbox
):
    course = instance_waitlist()[0]
    learner.get("/waitlist")
    sandbox.faults.fault_rate = 1.0
    response = learner.post(f"/waitlist/{course.id}/leave", {"confirm": "yes"})
    sandbox.faults.fault_rate = 0.0
    assert response.status_code == 303 and response.headers["Location"] == "/waitlist"
    # Told as it happens: the instance is down, so even the re-read can't say; the page the
    # learner comes back to shows the row still there.
    page = learner.get("/waitlist")
    status = soup(page).select_one(".notices")
    assert "couldn't reach the learning platform, so we can't tell whether you left" in status.text
    assert course.id in rows(page)
    assert course.id in [w.id for w in instance_waitlist()]


def test_leaving_without_csrf_is_refused_and_changes_nothing(
    learner, instance_waitlist, upstream_requests
):
    course = instance_waitlist()[0]
    learner.get("/waitlist")
    before = upstream_requests()
    plain = learner.post(f"/waitlist/{course.id}/leave", {"confirm": "yes"}, csrf=False)
    hx = learner.htmx(
        "POST", f"/waitlist/{course.id}/leave", {"confirm": "yes"}, headers={"X-CSRFToken": ""}
    )
    assert plain.status_code == 400 and hx.status_code == 400
    assert upstream_requests() == before
    assert len(instance_waitlist()) == 3


def test_the_confirmation_page_for_a_course_not_on_the_waitlist_is_404(learner):
    response = learner.get("/waitlist/00000000-0000-0000-0000-000000000000/leave")
    assert response.status_code == 404
    assert "You are not on this waitlist" in soup(response).h1.text


def test_a_busy_instance_keeps_the_row_and_says_when_to_retry(
    learner, sandbox, helium, upstream_requests
):
    with learner.client.session_transaction() as stored:
        token = stored["token"]
    query = "{ UserWaitlist { id } }"
    course = helium.data(query, token=token)["UserWaitlist"][0]["id"]
    learner.get("/waitlist")
    sandbox.limiter.points_per_minute = 0  # every request is refused with 429
    response = learner.htmx("POST", f"/waitlist/{course}/leave", {"confirm": "yes", "count": "3"})
    sandbox.limiter.points_per_minute = 100_000
    assert response.status_code == 429
    fragment = soup(response)
    assert "busy right now, so you are still on this waitlist" in fragment.text
    assert not fragment.select("[hx-swap-oob=delete]")
    assert fragment.find(id="waitlist-count").text.strip() == "3 courses"  # the page's count
    assert len(helium.data(query, token=token)["UserWaitlist"]) == 3
