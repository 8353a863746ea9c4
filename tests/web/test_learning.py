"""My learning, course details, using credits, and learning path awards, against the sandbox.

What each page shows is checked against what the instance answers to plain GraphQL over HTTP
(the `helium` client), not against the app's own operations.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import g

from tests.web.conftest import soup
from webapp.gql import UpstreamUnavailable
from webapp.gql.schema import load_schema
from webapp.learning.forms import CONTENT_KINDS, MAX_QUERY
from webapp.learning.loaders import PAGE_SIZE
from webapp.learning.views import after_purchase, follow_target
from webapp.sandbox.seed import content_id

ITEMS = """
query TruthItems($query: String, $kind: [ContentKind!], $sortColumn: SortColumn,
                 $sortDirection: SortDirection) {
  UserContentItems(query: $query, kind: $kind, sortColumn: $sortColumn,
                   sortDirection: $sortDirection) {
    id title slug kind availabilityStatus priceInCents currentUserDueDate assetAltText url
    tags { label } authors
  }
}
"""
ME = (
    "query TruthMe { CurrentUser { balance purchasedCourses { courseId status }"
    " allocatedLearningPaths { learningPathId status } } }"
)
AWARDS = """
query TruthAwards($courseId: ID!) {
  UserCourseAwardCounts(courseId: $courseId) { label count }
}
"""
WAITING = "query TruthWaiting { CurrentUser { waitlistedCourses { courseId } } }"
PROGRESS = "query TruthProgress($id: ID!) { UserCourseProgress(id: $id) { percentComplete } }"
PROGRESS_DETAILS = """
query TruthDetails($id: ID!) {
  UserCourseProgress(id: $id) { percentComplete totalTime totalViews }
  UserCourseCompletionProgress(id: $id) { type required completed percent }
}
"""
POSTS = "query TruthPosts($courseId: ID!) { UserCourseCollaborations(courseId: $courseId) }"
PATH = """
query TruthPath($slug: Slug!) {
  LearningPathCurrentUserAwardTotals(slug: $slug) {
    resourceId total awardType { id label pluralLabel }
    resource { ... on Course { title } ... on LearningPath { name } }
  }
}
"""


@pytest.fixture
def truth(helium, learner_token):
    """The instance's own answer to a query, as the demo learner."""
    return lambda query, variables=None: helium.data(query, variables or {}, learner_token)


def items(truth, **variables) -> list[dict]:
    return truth(ITEMS, variables)["UserContentItems"]


def by_slug(truth, slug: str) -> dict:
    return next(i for i in items(truth) if i["slug"] == slug)


def card_titles(page) -> list[str]:
    return [c.select_one(".card__title").get_text(strip=True) for c in page.select(".course-card")]


def card(page, item_id: str):
    found = page.find(id=f"card-{item_id}")
    assert found is not None, f"no card for {item_id}"
    return found


def completed(truth) -> set[str]:
    """What the instance says the learner completed: courses and learning paths."""
    return {i for i, state in states(truth).items() if state == "completed"}


def states(truth) -> dict[str, str]:
    """Each item's status group as the instance's statuses put it (no record: not started)."""
    me = truth(ME)["CurrentUser"]
    statuses = {c["courseId"]: c["status"] for c in me["purchasedCourses"]}
    statuses |= {p["learningPathId"]: p["status"] for p in me["allocatedLearningPaths"]}
    groups = {"completed": "completed", "started": "inProgress"}
    return {item_id: groups.get(status, "notStarted") for item_id, status in statuses.items()}


def arranged(truth, listed: list[dict], *, sorted_by_learner: bool = False) -> list[dict]:
    """The items in My learning's order: in progress, not started (soonest due first unless
    the learner sorts), completed; the instance's order within each group."""
    state = states(truth)
    group = {s: [i for i in listed if state.get(i["id"], "notStarted") == s] for s in GROUPS}
    if not sorted_by_learner:
        group["notStarted"].sort(
            key=lambda i: (i["currentUserDueDate"] is None, i["currentUserDueDate"] or "")
        )
    return [item for s in GROUPS for item in group[s]]


def every_page(learner, url: str) -> list:
    """Each page of a My learning address, following its "next page" links (no JavaScript)."""
    pages = [soup(learner.get(url))]
    while (following := pages[-1].select_one("#pager a[rel=next]")) is not None:
        pages.append(soup(learner.get(following["href"])))
        assert len(pages) < 20
    return pages


def titles_across(learner, url: str) -> list[str]:
    return [title for page in every_page(learner, url) for title in card_titles(page)]


def recent_first(truth, **variables) -> list[dict]:
    return items(truth, sortColumn="lastActiveAt", sortDirection="desc", **variables)


GROUPS = ("inProgress", "notStarted", "completed")


def duration(seconds: int) -> str:
    """Time spent as the English page writes it: "2 hr, 15 min", "45 min", "3 hr"."""
    hours, minutes = divmod(seconds // 60, 60)
    if hours and minutes:
        return f"{hours} hr, {minutes} min"
    return f"{hours} hr" if hours else f"{minutes} min"


# -- My learning -------------------------------------------------------------------------------


def test_my_learning_lists_what_the_instance_holds_in_one_upstream_request(
    learner, truth, upstream_requests
):
    expected = [i["title"] for i in arranged(truth, recent_first(truth))]
    assert len(expected) == 37
    before = upstream_requests()
    response = learner.get("/learning")
    assert upstream_requests() - before == 1  # the cards' progress rides in the same request
    assert response.status_code == 200 and "<html" in response.get_data(as_text=True)
    page = soup(response)
    assert page.h1.get_text(strip=True) == "My learning"
    assert card_titles(page) == expected[:PAGE_SIZE]
    count = page.find(id="result-count")
    assert count["role"] == "status"
    assert count.get_text(strip=True) == "37 items in your learning."
    assert page.select_one("#pager-status").get_text(strip=True) == "Showing 1–12 of 37"


def test_without_javascript_the_next_page_links_walk_through_everything(learner, truth):
    expected = [i["title"] for i in arranged(truth, recent_first(truth))]
    pages = every_page(learner, "/learning")
    assert [card_titles(p) for p in pages] == [
        expected[n : n + PAGE_SIZE] for n in range(0, len(expected), PAGE_SIZE)
    ]
    assert pages[1].select_one("#pager-status").get_text(strip=True) == "Showing 13–24 of 37"
    assert pages[1].select_one("#pager a[rel=prev]")["href"] == "/learning"
    assert pages[-1].select_one("#pager a[rel=next]") is None


def test_show_more_appends_the_next_page_with_htmx(learner, truth, upstream_requests):
    expected = [i["title"] for i in arranged(truth, recent_first(truth))]
    more = soup(learner.get("/learning")).select_one("#pager .pager__more")
    assert more["href"] == more["hx-get"] == "/learning?page=2"
    assert more["hx-target"] == "#result-pages" and more["hx-swap"] == "beforeend"
    before = upstream_requests()
    on_page = {"HX-Target": "result-pages", "HX-Current-URL": "http://localhost/learning"}
    response = learner.htmx("GET", more["hx-get"], headers=on_page)
    assert upstream_requests() - before == 1
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    fragment = soup(response)
    assert card_titles(fragment) == expected[PAGE_SIZE : 2 * PAGE_SIZE]
    pager = fragment.find(id="pager")
    assert pager["hx-swap-oob"] == "true"
    assert pager.select_one("#pager-status").get_text(strip=True) == "Showing 1–24 of 37"
    assert pager.select_one(".pager__more")["hx-get"] == "/learning?page=3"
    assert pager.find(id="pages-shown")["value"] == "2"
    first_new = fragment.select_one(".course-card .card__title a")
    assert first_new.has_attr("data-autofocus")  # keyboard users land on what is new


def test_cards_are_grouped_by_status_with_counts(learner, truth):
    state = states(truth)
    listed = recent_first(truth)
    counts = {s: sum(state.get(i["id"], "notStarted") == s for i in listed) for s in GROUPS}
    assert all(counts.values())
    pages = every_page(learner, "/learning")
    headings = [
        h.get_text(" ", strip=True)
        for p in pages
        for h in p.select(".status-group:not(.status-group--continued) > h2")
    ]
    assert headings == [
        f"In progress ({counts['inProgress']})",
        f"Not started ({counts['notStarted']})",
        f"Completed ({counts['completed']})",
    ]
    tabs = {
        a["id"]: a.select_one(".kind-tabs__count").get_text(strip=True)
        for a in pages[0].select("#status-tabs a")
    }
    assert tabs == {
        "status-all": f"({len(listed)})",
        "status-inProgress": f"({counts['inProgress']})",
        "status-notStarted": f"({counts['notStarted']})",
        "status-completed": f"({counts['completed']})",
    }


def test_a_status_filter_is_kept_in_the_url(learner, truth):
    state = states(truth)
    for group in GROUPS:
        expected = [
            i["title"]
            for i in arranged(truth, recent_first(truth))
            if state.get(i["id"], "notStarted") == group
        ]
        assert titles_across(learner, f"/learning?status={group}") == expected
    page = soup(learner.get("/learning?status=inProgress"))
    assert page.select_one("#status-tabs [aria-current=page]")["id"] == "status-inProgress"
    # The search form keeps the status; the kind tabs keep it too.
    assert page.select_one("#filters input[name=status]")["value"] == "inProgress"
    assert page.find(id="tab-courses")["href"] == (
        "/learning?kind=course&kind=microCourse&status=inProgress"
    )


def test_every_card_shows_the_instances_progress_and_one_action(learner, truth, helium):
    state = states(truth)
    pages = every_page(learner, "/learning")
    shown = [c for p in pages for c in p.select(".course-card")]
    assert len(shown) == 37
    seen = set()
    waiting = {w["courseId"] for w in truth(WAITING)["CurrentUser"]["waitlistedCourses"]}
    for item in recent_first(truth):
        found = next(c for c in shown if c["id"] == f"card-{item['id']}")
        group = state.get(item["id"], "notStarted")
        if item["id"] in waiting:  # nothing to start: the card leads to the waitlist
            assert found.select_one(".card__action")["href"] == "/waitlist"
            continue
        words = found.select_one(".progress__words").get_text(strip=True)
        action = found.select_one(".card__action")
        if item["kind"] == "learningPath":
            assert action["href"] == f"/paths/{item['slug']}"
        else:
            percent = truth(PROGRESS, {"id": item["id"]})["UserCourseProgress"]["percentComplete"]
            assert int(found.select_one("progress")["value"]) == percent
            assert action["href"] == item["url"]
            seen.add(group)
            if group == "inProgress":
                assert words == f"{percent}% complete" and 0 < percent < 100
        label = {"inProgress": "Resume", "notStarted": "Start", "completed": "Review"}[group]
        assert action.get_text(strip=True) == label
        if group == "completed":
            assert words == "Completed"
        elif group == "notStarted":
            assert words == "Not started"
        bar = found.select_one("progress")
        if bar is not None:
            assert bar["aria-labelledby"] == found.select_one(".progress__words")["id"]
    assert seen == set(GROUPS)


def test_due_dates_are_relative_and_overdue_is_said_in_words(learner, truth):
    now = datetime.now(UTC)
    done = completed(truth)
    dated = [i for i in items(truth) if i["currentUserDueDate"]]
    overdue = {
        i["id"]
        for i in dated
        if datetime.fromisoformat(i["currentUserDueDate"].replace("Z", "+00:00")) < now
        and i["id"] not in done
    }
    cards = [c for p in every_page(learner, "/learning") for c in p.select(".course-card")]
    marked = {c["id"].removeprefix("card-") for c in cards if c.select_one(".card__due--overdue")}
    assert marked == overdue and len(overdue) == 2
    late = next(c for c in cards if c["id"] == f"card-{next(iter(overdue))}")
    assert "ago" in late.select_one(".card__due").get_text()  # "Overdue: Due 3 days ago"
    assert "Overdue" in late.select_one(".card__due").get_text()
    # A completed course whose due date has passed is not overdue.
    conduct = by_slug(truth, "code-of-conduct")
    assert conduct["id"] in done and conduct["currentUserDueDate"]
    conduct_card = next(c for c in cards if c["id"] == f"card-{conduct['id']}")
    assert conduct_card.select_one(".card__due--overdue") is None
    assert conduct_card.select_one(".progress__words").get_text(strip=True) == "Completed"


def test_kind_tabs_are_the_kinds_present_with_their_counts(learner, truth):
    kinds = [i["kind"] for i in items(truth)]
    page = soup(learner.get("/learning"))
    tabs = {
        a.contents[0].strip(): a.select_one(".kind-tabs__count").get_text(strip=True)
        for a in page.select("#kind-tabs a")
    }
    assert tabs == {
        "All": f"({len(kinds)})",
        "Courses": f"({kinds.count('course') + kinds.count('microCourse')})",
        "Learning paths": f"({kinds.count('learningPath')})",
        "Webinars": f"({kinds.count('webinar')})",
        "Articles": f"({kinds.count('article')})",
        "Videos": f"({kinds.count('video')})",
    }
    assert page.select_one("#kind-tabs [aria-current=page]")["id"] == "tab-all"


def test_a_kind_tab_shows_only_that_kind(learner, truth):
    paths = arranged(truth, recent_first(truth, kind=["learningPath"]))
    page = soup(learner.get("/learning?kind=learningPath"))  # the dashboard's tile link
    assert card_titles(page) == [i["title"] for i in paths]
    assert page.select_one("#kind-tabs [aria-current=page]")["id"] == "tab-learningPaths"
    courses = arranged(truth, recent_first(truth, kind=["course", "microCourse"]))
    href = soup(learner.get("/learning")).find(id="tab-courses")["href"]
    assert href == "/learning?kind=course&kind=microCourse"
    assert titles_across(learner, href) == [i["title"] for i in courses]


@pytest.mark.parametrize("query", ['tags:"Security"', 'authors:"Lin Zhou"', "python"])
def test_search_asks_the_instance_and_says_how_many_match(learner, truth, query):
    expected = [i["title"] for i in arranged(truth, items(truth, query=query))]
    response = learner.get("/learning", query_string={"q": query})
    page = soup(response)
    assert card_titles(page) == expected and expected
    assert page.find(id="q")["value"] == query
    assert page.find(id="result-count").get_text(strip=True) == (
        f"{len(expected)} items match “{query}”."
    )


def test_sorting_asks_the_instance_for_its_order(learner, truth):
    expected = arranged(
        truth, items(truth, sortColumn="title", sortDirection="desc"), sorted_by_learner=True
    )
    titles = titles_across(learner, "/learning?sort=title&direction=desc")
    assert titles == [i["title"] for i in expected]
    page = soup(learner.get("/learning?sort=title&direction=desc"))
    assert page.select_one("#sort option[selected]")["value"] == "title"
    assert page.select_one("#direction option[selected]")["value"] == "desc"


def test_completed_shows_what_the_learner_completed(learner, truth):
    done = completed(truth)
    shown = {
        c["id"].removeprefix("card-")
        for p in every_page(learner, "/learning?status=completed")  # the dashboard's tile link
        for c in p.select(".course-card")
    }
    assert shown == done and len(done) == len(completed_items(truth))
    # The address "Completed only" had before statuses still leads there.
    response = learner.get("/learning?show=completed")
    assert response.status_code == 302
    assert response.headers["Location"] == "/learning?status=completed"


def completed_items(truth) -> list[dict]:
    done = completed(truth)
    return [i for i in items(truth) if i["id"] in done]


def test_filters_combine_in_the_url(learner, truth):
    done = completed(truth)
    expected = [
        i["title"]
        for i in items(truth, query="leadership")
        if i["id"] in done and i["kind"] in ("course", "microCourse")
    ]
    page = soup(learner.get("/learning?q=leadership&status=completed&kind=course&kind=microCourse"))
    assert card_titles(page) == expected and expected
    # Every tab keeps the search and the status filter, and changes only the kind.
    assert page.find(id="tab-all")["href"] == "/learning?q=leadership&status=completed"


def test_unknown_values_are_ignored_with_a_visible_note(learner, truth):
    response = learner.get(
        "/learning?kind=bogus&sort=sideways&direction=up&show=everything&status=done&page=x"
    )
    assert response.status_code == 200
    page = soup(response)
    notes = page.select_one(".learning-notes").get_text(" ", strip=True)
    for value in ("bogus", "sideways", "up", "everything", "done", "x"):
        assert f"“{value}”" in notes
    assert page.find(id="result-count").get_text(strip=True) == (
        f"{len(items(truth))} items in your learning."
    )


def test_a_page_past_the_end_leads_to_the_last_page(learner):
    response = learner.get("/learning?page=9")
    assert response.status_code == 302
    assert response.headers["Location"] == "/learning?page=4"
    assert learner.get("/learning?page=1").headers["Location"] == "/learning"


def test_an_overlong_search_is_cut_short_with_a_note(learner):
    response = learner.get("/learning", query_string={"q": "security " * 1000})
    assert response.status_code == 200
    page = soup(response)
    assert f"first {MAX_QUERY} characters" in page.select_one(".learning-notes").text
    assert len(page.find(id="q")["value"]) <= MAX_QUERY


def test_odd_input_never_breaks_the_page(learner):
    for query in ("\x00\x01", '"unclosed', "kind:", "<script>alert(1)</script>", "%" * 50):
        response = learner.get("/learning", query_string={"q": query, "kind": "<b>"})
        assert response.status_code == 200, query
        assert "<script>alert" not in response.get_data(as_text=True)


def test_an_empty_search_box_leads_to_the_clean_address(learner):
    response = learner.get("/learning?q=&sort=&direction=&kind=learningPath")
    assert response.status_code == 302
    assert response.headers["Location"] == "/learning?kind=learningPath"


def test_no_match_says_so_and_offers_to_clear_the_filters(learner):
    page = soup(learner.get("/learning?q=zzqxq"))
    empty = page.select_one("#results .empty-state")
    assert "Nothing in your learning matches “zzqxq”." in empty.text
    assert empty.a["href"] == "/learning"
    assert page.find(id="result-count").get_text(strip=True) == "0 items match “zzqxq”."


def test_a_learner_with_nothing_gets_the_companys_empty_state(learner, monkeypatch):
    from webapp.learning import loaders

    real = loaders.load_page

    def nothing(*calls):
        page = real(*calls)
        page.values["UserContentItems"] = []
        return page

    monkeypatch.setattr(loaders, "load_page", nothing)
    page = soup(learner.get("/learning"))
    # The sandbox company words learning.empty its own way.
    empty = page.select_one("#results .empty-state")
    assert empty.p.get_text(strip=True) == "Nothing here yet."
    assert empty.a["href"] == "/redeem"  # the next step: a code unlocks learning
    assert page.find(id="result-count").get_text(strip=True) == "0 items in your learning."


def test_an_unreachable_instance_leaves_a_page_that_says_what_is_missing(learner, sandbox):
    learner.get("/learning")  # branding now cached
    sandbox.faults.fault_rate = 1.0
    response = learner.get("/learning?kind=course&kind=microCourse")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#results .missing-state") is not None
    assert "couldn't reach the learning platform" in page.select_one(".notices").text
    assert page.select(".course-card") == []


def test_a_hand_made_kind_filter_shows_as_the_current_tab(learner, truth):
    page = soup(learner.get("/learning?kind=article&kind=video"))
    current = page.select_one("#kind-tabs [aria-current=page]")
    assert current["id"] == "tab-custom"  # two tabs' kinds at once: a tab of its own
    assert current.contents[0].strip() == "Article, Video"
    expected = arranged(truth, recent_first(truth, kind=["article", "video"]))
    assert card_titles(page) == [i["title"] for i in expected]


@pytest.mark.parametrize("kind", ["course", "microCourse"])
def test_a_kind_of_a_tabs_group_selects_that_tab_and_adds_none(learner, truth, kind):
    response = learner.get(f"/learning?kind={kind}")
    assert response.status_code == 302  # to the Courses tab's own address
    assert response.headers["Location"] == "/learning?kind=course&kind=microCourse"
    page = soup(learner.get(response.headers["Location"]))
    labels = [a.contents[0].strip() for a in page.select("#kind-tabs a")]
    assert labels.count("Courses") == 1 and "Course" not in labels
    assert "Micro course" not in labels and page.find(id="tab-custom") is None
    assert page.select_one("#kind-tabs [aria-current=page]")["id"] == "tab-courses"
    courses = arranged(truth, recent_first(truth, kind=["course", "microCourse"]))
    assert titles_across(learner, response.headers["Location"]) == [i["title"] for i in courses]


def test_htmx_gets_the_results_with_the_controls_out_of_band(learner, truth, upstream_requests):
    before = upstream_requests()
    response = learner.htmx("GET", "/learning?kind=learningPath")
    assert upstream_requests() - before == 1
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    page = soup(response)
    expected = arranged(truth, recent_first(truth, kind=["learningPath"]))
    assert card_titles(page) == [i["title"] for i in expected]
    assert page.find(id="kind-tabs")["hx-swap-oob"] == "true"
    assert page.find(id="status-tabs")["hx-swap-oob"] == "true"
    assert page.find(id="filter-fields")["hx-swap-oob"] == "true"
    assert page.find(id="result-count")["hx-swap-oob"] == "innerHTML"
    assert page.select_one("#filter-fields input[name=kind]")["value"] == "learningPath"


def test_the_controls_work_without_javascript_and_push_their_urls_with_it(learner):
    page = soup(learner.get("/learning"))
    form = page.find("form", id="filters")
    assert form["method"] == "get" and form["action"] == "/learning"
    assert form["hx-get"] == "/learning" and form["hx-push-url"] == "true"
    for tab in page.select("#kind-tabs a, #status-tabs a"):
        assert tab["href"] == tab["hx-get"] and tab["hx-push-url"] == "true"
    for name in ("q", "sort", "direction"):
        assert page.find("label", attrs={"for": name}) is not None


def test_a_history_restore_gets_the_full_page(learner):
    response = learner.htmx(
        "GET", "/learning?kind=learningPath", headers={"HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.get_data(as_text=True)


def test_my_learning_needs_a_session_and_returns_after_sign_in(browser):
    response = browser.get("/learning?kind=learningPath")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/login?next=/learning?kind%3DlearningPath")


def test_the_dashboard_and_the_menu_lead_here(learner):
    page = soup(learner.get("/dashboard"))
    hrefs = {a["href"] for a in page.select(".tile__link")}
    assert {"/learning", "/learning?kind=learningPath", "/learning?status=completed"} <= hrefs
    assert page.select_one('.main-nav a[href="/learning"]').text == "My learning"


def test_the_kinds_we_accept_are_the_schemas():
    enum = load_schema().type_map["ContentKind"]
    assert set(CONTENT_KINDS) == set(enum.values)


# -- Course details ----------------------------------------------------------------------------


def test_course_details_expand_in_place_with_the_instances_counts(
    learner, truth, upstream_requests
):
    course = by_slug(truth, "leading-high-performing-teams")
    awards = truth(AWARDS, {"courseId": course["id"]})["UserCourseAwardCounts"]
    posts = truth(POSTS, {"courseId": course["id"]})["UserCourseCollaborations"]
    progress = truth(PROGRESS_DETAILS, {"id": course["id"]})
    toggle = card(soup(learner.get("/learning?status=completed")), course["id"]).select_one(
        ".course-details__toggle"
    )
    assert toggle["aria-expanded"] == "false"
    assert toggle["href"] == toggle["hx-get"] == f"/learning/{course['id']}/details"
    before = upstream_requests()
    response = learner.htmx("GET", toggle["hx-get"])
    assert upstream_requests() - before == 1  # progress, criteria, awards and posts together
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    page = soup(response)
    expanded = page.find(id=toggle["id"])
    assert expanded["aria-expanded"] == "true"
    assert page.find(id=expanded["aria-controls"]) is not None
    stats = page.select(".course-stats")
    standing = {d.dt.text: d.dd.text for d in stats[0].select(":scope > div")}
    assert standing == {
        "Complete": f"{progress['UserCourseProgress']['percentComplete']}%",
        "Time spent": duration(progress["UserCourseProgress"]["totalTime"]),
        "Visits": str(progress["UserCourseProgress"]["totalViews"]),
    }
    criteria = progress["UserCourseCompletionProgress"]
    shown_criteria = page.select(".criteria__item")
    assert len(shown_criteria) == len(criteria) and criteria
    for item, criterion in zip(shown_criteria, criteria, strict=True):
        state = item.select_one(".criteria__state").get_text(strip=True)
        if criterion["required"]:
            assert state == f"{len(criterion['completed'])} of {len(criterion['required'])} done"
        assert ("criteria__item--done" in item["class"]) == (criterion["percent"] >= 100)
    shown = {d.dt.text: d.dd.text for d in stats[1].select(":scope > div")}
    assert shown == {a["label"]: str(a["count"]) for a in awards} and awards
    assert f"You have made {posts} discussion posts in this course." in page.text
    # Hiding asks nothing of the instance and gives the collapsed control back.
    before = upstream_requests()
    collapsed = soup(learner.htmx("GET", expanded["hx-get"]))
    assert upstream_requests() == before
    assert collapsed.find(id=toggle["id"])["aria-expanded"] == "false"


def test_course_details_without_javascript_are_a_page_of_their_own(learner, truth):
    course = by_slug(truth, "leading-high-performing-teams")
    response = learner.get(f"/learning/{course['id']}/details")
    assert response.status_code == 200 and "<html" in response.get_data(as_text=True)
    page = soup(response)
    assert page.h1.get_text(strip=True) == course["title"]
    assert [h.text for h in page.select("main h2")] == [
        "Your progress",
        "To complete this course",
        "Your awards",
        "Discussions",
    ]
    assert learner.get(f"/learning/{course['id']}/details?collapse=1").status_code == 302


@pytest.mark.parametrize("course_id", ["no-such-course", "9" * 64, "bad%20id", "-x"])
def test_unknown_course_details_are_a_friendly_not_found(learner, course_id):
    response = learner.get(f"/learning/{course_id}/details")
    assert response.status_code == 404
    assert "<html" in response.get_data(as_text=True)
    text = soup(response).main.get_text(" ", strip=True)
    assert "couldn't find this course" in text or "no course with that address" in text
    fragment = learner.htmx("GET", f"/learning/{course_id}/details")
    assert fragment.status_code == 404 and "<html" not in fragment.get_data(as_text=True)
    assert soup(fragment).find(attrs={"role": "alert"}) is not None


# -- Use my credits ------------------------------------------------------------------------------


def balance(truth) -> float:
    return truth(ME)["CurrentUser"]["balance"]


def redeem_url(item: dict) -> str:
    return f"/learning/{item['id']}/redeem-balance"


def test_credits_are_offered_exactly_when_the_balance_covers_the_price(learner, truth):
    credit = balance(truth)
    cards = {c["id"]: c for p in every_page(learner, "/learning") for c in p.select(".course-card")}
    for item in items(truth):
        shown = cards[f"card-{item['id']}"]
        form = shown.select_one(".credit-offer form")
        priced = item["availabilityStatus"] == "purchasable" and item["priceInCents"]
        covered = priced and credit * 100 >= item["priceInCents"]
        assert (form is not None) == bool(covered), item["slug"]
        if priced and not covered:
            assert "doesn't cover" in shown.select_one(".credit-offer").text
    offered = cards[f"card-{by_slug(truth, 'statistics-for-analysts')['id']}"]
    form = offered.select_one(".credit-offer form")
    assert form["method"] == "post" and form["action"] == form["hx-post"]
    assert "$49.00" in form["data-confirm"] and "$71.00" in form["data-confirm"]
    assert form.find("input", attrs={"name": "csrf_token"})["value"]
    assert form.button.get_text(strip=True) == "Use my balance"  # the company's own words
    aws = cards[f"card-{by_slug(truth, 'aws-architecture')['id']}"]
    assert aws.select_one(".credit-offer form") is None


def test_without_javascript_a_confirmation_step_comes_first(learner, truth, sandbox):
    item = by_slug(truth, "statistics-for-analysts")
    learner.get("/learning")
    response = learner.post(redeem_url(item))
    assert response.status_code == 200
    page = soup(response)
    confirm = page.select_one("form.redeem__form")
    assert confirm.find("input", attrs={"name": "confirmed"})["value"] == "yes"
    assert "Use $49.00 of your credits for Statistics for Analysts?" in page.main.text
    assert sandbox.stats.snapshot()["by_operation"].get("RedeemBalance") is None
    assert balance(truth) == 120
    assert by_slug(truth, "statistics-for-analysts")["availabilityStatus"] == "purchasable"


def test_confirmed_credits_buy_the_course_and_return_to_the_page_the_learner_left(learner, truth):
    item = by_slug(truth, "statistics-for-analysts")
    came_from = "/learning?q=statistics&status=notStarted"
    learner.get(came_from)
    # Without JavaScript the card's button leads to the confirmation step first.
    step = learner.post(redeem_url(item), headers={"Referer": f"http://localhost{came_from}"})
    confirm = soup(step).select_one("form.redeem__form")
    assert confirm.find("input", attrs={"name": "next"})["value"] == came_from
    assert soup(step).select_one(".back-link a")["href"] == came_from
    response = learner.post(redeem_url(item), {"confirmed": "yes", "next": came_from})
    assert response.status_code == 303
    # RedeemBalance answered /dashboard: a list, not something to open, so back where we were.
    assert response.headers["Location"] == came_from
    notices = soup(learner.get(came_from)).select_one(".notices").get_text(" ", strip=True)
    assert "Statistics for Analysts is now in your learning." in notices
    assert "Your credit balance is now $71.00." in notices  # money, as every page says it
    assert "credits left" not in notices
    assert balance(truth) == 71
    assert by_slug(truth, "statistics-for-analysts")["availabilityStatus"] == "available"
    owned = {c["courseId"] for c in truth(ME)["CurrentUser"]["purchasedCourses"]}
    assert item["id"] in owned
    after = card(soup(learner.get("/learning?status=notStarted&q=statistics")), item["id"])
    assert after.select_one(".credit-offer") is None
    assert after.select_one(".card__action").get_text(strip=True) == "Start"


def test_htmx_redeem_sends_the_browser_back_to_the_page_it_was_on(learner, truth):
    item = by_slug(truth, "secure-coding-python")
    came_from = "/learning?kind=course&kind=microCourse&page=2"
    learner.get(came_from)
    response = learner.htmx(
        "POST",
        redeem_url(item),
        {"confirmed": "yes"},
        headers={"HX-Current-URL": f"http://localhost{came_from}"},
    )
    assert response.status_code == 200 and response.headers["HX-Redirect"] == came_from
    assert balance(truth) == 31


@pytest.mark.parametrize(
    "offered",
    ["//evil.test/x", "https://evil.test/learning", "/\\evil.test", "javascript:alert(1)",
     "/nowhere-we-serve", "/learning/{id}/redeem-balance", " /learning"],
)  # fmt: skip
def test_a_return_address_that_is_not_one_of_our_pages_is_not_followed(learner, truth, offered):
    item = by_slug(truth, "statistics-for-analysts")
    learner.get("/learning")
    response = learner.post(
        redeem_url(item), {"confirmed": "yes", "next": offered.format(id=item["id"])}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/learning"


def test_after_a_purchase_content_to_open_is_followed_and_lists_lead_back(app):
    with app.test_request_context():
        back = "/learning?q=statistics"
        assert after_purchase("/dashboard", back) == back
        assert after_purchase("/learning", back) == back
        assert after_purchase("/learn/statistics", back) == "/learn/statistics"  # the course
        assert after_purchase("//evil.test/x", back) == back
        assert after_purchase(None, back) == back
    app.config["TI_INSTANCE_URL"] = "https://acme.instance.test"
    with app.test_request_context():
        opened = "https://acme.instance.test/learn/statistics"
        assert after_purchase(opened, "/learning") == opened
        assert after_purchase("https://evil.test/learn/x", "/learning") == "/learning"


def test_a_price_the_balance_does_not_cover_is_refused_by_the_instance_and_nothing_changes(
    learner, truth, sandbox
):
    item = by_slug(truth, "aws-architecture")
    learner.get(redeem_url(item))
    page = soup(learner.get(redeem_url(item)))
    assert page.select_one("form.redeem__form") is None  # not offered
    response = learner.post(redeem_url(item), {"confirmed": "yes"})  # sent anyway
    assert response.status_code == 409
    assert sandbox.stats.snapshot()["by_operation"]["RedeemBalance"] == 1
    error = soup(response).find(id="redeem-error").get_text(" ", strip=True)
    assert "Your credit balance of $120.00 doesn't cover Architecting on AWS ($250.00)" in error
    assert "Nothing was charged" in error
    assert balance(truth) == 120
    assert by_slug(truth, "aws-architecture")["availabilityStatus"] == "purchasable"


def test_a_course_already_owned_gets_the_instances_error_in_the_card(learner, truth):
    item = by_slug(truth, "negotiation-skills")  # priced, but the learner bought it before
    assert item["priceInCents"] and item["availabilityStatus"] == "available"
    learner.get("/learning")
    response = learner.htmx("POST", redeem_url(item), {"confirmed": "yes"})
    assert response.status_code == 409 and "<html" not in response.get_data(as_text=True)
    alert = soup(response).find(attrs={"role": "alert"})
    assert alert.get_text(strip=True) == (
        "Negotiation Skills is already in your learning. Nothing was charged."
    )
    assert balance(truth) == 120


def test_redeem_without_csrf_is_refused_and_changes_nothing(learner, truth, sandbox):
    item = by_slug(truth, "statistics-for-analysts")
    learner.get("/learning")
    response = learner.post(redeem_url(item), {"confirmed": "yes"}, csrf=False)
    assert response.status_code == 400
    response = learner.htmx(
        "POST", redeem_url(item), {"confirmed": "yes"}, headers={"X-CSRFToken": "forged"}
    )
    assert response.status_code == 400
    assert sandbox.stats.snapshot()["by_operation"].get("RedeemBalance") is None
    assert balance(truth) == 120


@pytest.mark.parametrize(
    "course_id",
    ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "e0e823e7-b2f8-53cf-a91c-af746333f46"],
)
def test_redeeming_something_not_in_my_learning_is_not_found(learner, sandbox, course_id):
    learner.get("/learning")
    response = learner.post(f"/learning/{course_id}/redeem-balance", {"confirmed": "yes"})
    assert response.status_code == 404
    assert "Not found" in soup(response).h1.text
    assert sandbox.stats.snapshot()["by_operation"].get("RedeemBalance") is None


def test_a_course_outside_the_active_license_cannot_be_bought_here(learner, truth, sandbox):
    # executive-presence is a priced course, but not in the learner's active license.
    learner.get("/learning")
    ids = {i["id"] for i in items(truth)}
    outside = content_id("executive-presence")
    assert outside not in ids
    response = learner.post(f"/learning/{outside}/redeem-balance", {"confirmed": "yes"})
    assert response.status_code == 404
    assert balance(truth) == 120


def test_when_the_instance_drops_the_mutation_a_re_read_says_nothing_changed(
    app, learner, truth, monkeypatch
):
    item = by_slug(truth, "statistics-for-analysts")
    learner.get("/learning")

    def unreachable(*_args, **_kwargs):
        raise UpstreamUnavailable("the learning platform did not answer in time")

    monkeypatch.setattr(app.extensions["instance"], "mutate", unreachable)
    response = learner.post(redeem_url(item), {"confirmed": "yes"})
    # The learner's items, read again, still offer the course: nothing was bought.
    assert response.status_code == 503
    text = soup(response).select_one("#redeem-error").get_text(" ", strip=True)
    assert "so nothing changed" in text
    assert balance(truth) == 120


@pytest.mark.parametrize(
    ("returned", "expected"),
    [
        ("/dashboard", "/dashboard"),
        ("/learning?kind=course", "/learning?kind=course"),
        ("//evil.test/x", "/learning"),
        ("/\\evil.test", "/learning"),
        ("https://evil.test/learn/x", "/learning"),
        ("javascript:alert(1)", "/learning"),
        ("learn/x", "/learning"),
        ("/courses/x", "https://acme.instance.test/courses/x"),  # not ours: on the instance
        ("", "/learning"),
        (None, "/learning"),
        ("https://acme.instance.test/learn/x", "https://acme.instance.test/learn/x"),
        ("https://acme.instance.test.evil/learn/x", "/learning"),
        ("http://acme.instance.test/learn/x", "/learning"),
    ],
)
def test_the_redirect_is_followed_only_to_our_paths_or_the_instance(app, returned, expected):
    app.config["TI_INSTANCE_URL"] = "https://acme.instance.test"
    with app.test_request_context():
        assert follow_target(returned, "/learning") == expected


def test_on_the_sandbox_a_path_nobody_serves_is_not_followed(app):
    with app.test_request_context():
        assert follow_target("/courses/statistics", "/learning") == "/learning"
        assert follow_target("/dashboard", "/learning") == "/dashboard"
        # The sandbox's own content pages are on this host: the instance's pages.
        assert follow_target("/learn/statistics", "/learning") == "/learn/statistics"


def test_inside_a_portal_the_redirect_stays_embedded(app):
    with app.test_request_context("/embed/learning"):
        g.embedded = True
        assert follow_target("/dashboard", "/learning") == "/embed/dashboard"


# -- Learning path ----------------------------------------------------------------------------


def test_a_path_shows_each_award_types_shares_in_one_upstream_request(
    learner, truth, upstream_requests
):
    rows = truth(PATH, {"slug": "leadership-essentials"})["LearningPathCurrentUserAwardTotals"]
    groups: dict[str, list[tuple[str, float]]] = {}
    for row in rows:
        name = row["resource"].get("title") or row["resource"].get("name")
        groups.setdefault(row["awardType"]["pluralLabel"], []).append((name, row["total"]))
    assert set(groups) == {"Points", "CPE Credits", "Course Completions"}
    before = upstream_requests()
    response = learner.get("/paths/leadership-essentials")
    assert upstream_requests() - before == 1
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Leadership Essentials"
    sections = page.select("section.award-group")
    assert [s.h3.text for s in sections] == list(groups)
    for section in sections:
        expected = groups[section.h3.text]
        total = sum(t for _name, t in expected)
        shown = [
            (
                r.th.get_text(strip=True),
                float(r.select("td")[0].text),
                r.select_one(".share__percent").text,
                float(r.meter["value"]),
            )
            for r in section.select("tbody tr")
        ]
        assert [(n, t) for n, t, _p, _m in shown] == expected
        for (_n, value, percent, meter), (_name, _t) in zip(shown, expected, strict=True):
            share = round(value / total * 100, 1)
            assert meter == share
            assert percent == f"{share:g}%"
        assert float(section.select_one("tfoot td").text) == total
    points = next(s for s in sections if s.h3.text == "Points")
    assert points.select_one(".award-group__total").text == "Total: 110"


def test_a_path_without_awards_says_so(learner, truth):
    rows = truth(PATH, {"slug": "cloud-career-path"})["LearningPathCurrentUserAwardTotals"]
    assert rows == []
    page = soup(learner.get("/paths/cloud-career-path"))
    assert "haven't earned any awards" in page.select_one(".empty-state").text


@pytest.mark.parametrize("slug", ["no-such-path", "statistics-for-analysts", "%3Cb%3E", "x" * 300])
def test_an_unknown_path_is_a_clear_not_found(learner, slug):
    response = learner.get(f"/paths/{slug}")
    assert response.status_code == 404
    page = soup(response)
    assert page.h1.text == "Not found"
    assert "There is no learning path at this address." in page.main.text


def test_learning_path_cards_link_to_their_path(learner, truth):
    page = soup(learner.get("/learning?kind=learningPath"))
    for item in items(truth, kind=["learningPath"]):
        links = [a["href"] for a in card(page, item["id"]).select("a")]
        assert f"/paths/{item['slug']}" in links
