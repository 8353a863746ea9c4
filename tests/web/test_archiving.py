"""Moving My learning items to the archive and restoring them, with and without JavaScript.

What changed is checked against what the instance answers to plain GraphQL over HTTP.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import soup
from webapp.gql import UpstreamUnavailable
from webapp.sandbox.seed import content_id

ITEMS = "query TruthItems { UserContentItems { id title kind } }"
GROUPS = "query TruthGroups { UserContentGroups { kind count } }"
ARCHIVES = "query TruthArchives { UserArchives { resource name reinstatable } }"
PROGRESS = "query TruthProgress($id: ID!) { UserCourseProgress(id: $id) { percentComplete } }"


@pytest.fixture
def truth(helium, learner_token):
    return lambda query, variables=None: helium.data(query, variables or {}, learner_token)


def item_ids(truth) -> set[str]:
    return {i["id"] for i in truth(ITEMS)["UserContentItems"]}


def archived(truth) -> set[str]:
    return {a["resource"] for a in truth(ARCHIVES)["UserArchives"]}


def counts(truth) -> dict[str, int]:
    return {g["kind"]: g["count"] for g in truth(GROUPS)["UserContentGroups"]}


SQL = content_id("sql-fundamentals")  # a course the demo learner has under way
PATH = content_id("cloud-career-path")  # a learning path
EXPIRED = content_id("compliance-refresher-previous")  # archived, access ended
RESTORABLE = content_id("excel-macros-legacy")  # archived, can come back


def test_each_card_offers_move_to_archive_with_a_confirmation(learner):
    page = soup(learner.get("/learning?q=sql"))
    form = page.find(id=f"card-{SQL}").select_one("form.card__archive")
    assert form["method"] == "post" and form["action"] == f"/learning/{SQL}/archive"
    assert form["hx-post"] == form["action"] and form["hx-target"] == "#learning-status"
    assert "Move SQL Fundamentals to your archive?" in form["data-confirm"]
    assert form.find("input", attrs={"name": "csrf_token"})["value"]
    assert form.find("input", attrs={"name": "kind"})["value"] == "course"


def test_without_javascript_a_confirmation_page_comes_first(learner, truth, sandbox):
    learner.get("/learning")
    response = learner.post(f"/learning/{SQL}/archive")  # no confirm: ask first
    assert response.status_code == 303
    assert response.headers["Location"] == f"/learning/{SQL}/archive"
    page = soup(learner.get(response.headers["Location"]))
    assert page.h1.get_text(strip=True) == "Move SQL Fundamentals to your archive?"
    form = page.select_one("main form")
    assert form.find("input", attrs={"name": "confirm"})["value"] == "yes"
    assert sandbox.stats.snapshot()["by_operation"].get("ArchiveUserCourse") is None
    assert SQL in item_ids(truth)


def test_archiving_moves_the_item_and_keeps_its_progress(learner, truth):
    before = counts(truth)
    percent = truth(PROGRESS, {"id": SQL})["UserCourseProgress"]["percentComplete"]
    learner.get(f"/learning/{SQL}/archive")
    response = learner.post(
        f"/learning/{SQL}/archive",
        {"confirm": "yes", "kind": "course", "title": "SQL Fundamentals"},
    )
    assert response.status_code == 303 and response.headers["Location"] == "/learning"
    page = soup(learner.get("/learning"))
    assert "SQL Fundamentals is in your archive now" in page.select_one(".notices").text
    assert SQL not in item_ids(truth) and SQL in archived(truth)
    after = counts(truth)
    assert after["contentItems"] == before["contentItems"] - 1
    assert after["archivedContentItems"] == before["archivedContentItems"] + 1
    assert page.find(id="result-count").get_text(strip=True) == (
        f"{after['contentItems']} items in your learning."
    )
    # Restored, it comes back as far along as it was.
    archive = soup(learner.get("/archive"))
    form = next(f for f in archive.select("form.archive-item__restore") if SQL in f["action"])
    response = learner.post(form["action"], {"confirm": "yes", "kind": "course"})
    assert response.status_code == 303 and response.headers["Location"] == "/archive"
    assert "is back in My learning" in soup(learner.get("/archive")).select_one(".notices").text
    assert SQL in item_ids(truth) and SQL not in archived(truth)
    assert truth(PROGRESS, {"id": SQL})["UserCourseProgress"]["percentComplete"] == percent
    card = soup(learner.get("/learning?q=sql")).find(id=f"card-{SQL}")
    assert card.select_one(".progress__words").get_text(strip=True) == f"{percent}% complete"


def test_with_htmx_the_pages_on_screen_and_every_count_follow(learner, truth, upstream_requests):
    learner.get("/learning")
    before = upstream_requests()
    response = learner.htmx(
        "POST",
        f"/learning/{SQL}/archive",
        {"confirm": "yes", "kind": "course", "title": "SQL Fundamentals", "pages": "2"},
        headers={"HX-Current-URL": "http://localhost/learning"},
    )
    # The mutation, then the re-read with the chrome (and the cards' progress) in one request.
    assert upstream_requests() - before == 2
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    page = soup(response)
    assert "SQL Fundamentals is in your archive now" in page.select_one(".notice--success").text
    results = page.find(id="results")
    assert results["hx-swap-oob"] == "true"
    assert results.find(id=f"card-{SQL}") is None
    assert len(results.select(".course-card")) == 24  # the two pages the learner had open
    total = counts(truth)["contentItems"]
    assert page.find(id="result-count").get_text(strip=True) == f"{total} items in your learning."
    status_all = page.select_one("#status-tabs #status-all .kind-tabs__count").get_text(strip=True)
    assert status_all == f"({total})"
    assert page.find(id="kind-tabs")["hx-swap-oob"] == "true"


def test_a_learning_path_is_archived_with_its_own_mutation(learner, truth, sandbox):
    learner.get("/learning?kind=learningPath")
    response = learner.post(f"/learning/{PATH}/archive", {"confirm": "yes", "kind": "learningPath"})
    assert response.status_code == 303
    assert sandbox.stats.snapshot()["by_operation"]["ArchiveUserLearningPath"] == 1
    assert PATH in archived(truth) and PATH not in item_ids(truth)


def test_a_wrong_kind_is_refused_by_the_instance_and_changes_nothing(learner, truth):
    learner.get("/learning")
    response = learner.post(f"/learning/{PATH}/archive", {"confirm": "yes", "kind": "course"})
    assert response.status_code == 303
    notice = soup(learner.get("/learning")).select_one(".notices .notice--error").text
    assert "The learning platform refused" in notice
    assert PATH in item_ids(truth) and PATH not in archived(truth)


def test_an_expired_item_cannot_be_restored_and_the_learner_is_told_why(learner, truth):
    assert soup(learner.get("/archive")).find("form", action=f"/archive/{EXPIRED}/restore") is None
    response = learner.htmx(
        "POST", f"/archive/{EXPIRED}/restore", {"confirm": "yes", "kind": "course", "title": "X"}
    )
    assert response.status_code == 403
    assert "your access to it has ended" in soup(response).select_one(".notice--error").text
    assert EXPIRED in archived(truth)


def test_restore_with_htmx_rerenders_the_archive(learner, truth):
    learner.get("/archive")
    response = learner.htmx(
        "POST",
        f"/archive/{RESTORABLE}/restore",
        {"confirm": "yes", "kind": "course", "title": "Excel Macros"},
    )
    assert response.status_code == 200
    page = soup(response)
    assert "Excel Macros is back in My learning" in page.select_one(".notice--success").text
    listing = page.find(id="archive-list")
    assert listing["hx-swap-oob"] == "true"
    assert listing.find("form", action=f"/archive/{RESTORABLE}/restore") is None
    assert RESTORABLE in item_ids(truth)


@pytest.mark.parametrize("path", [f"/learning/{SQL}/archive", f"/archive/{RESTORABLE}/restore"])
def test_without_csrf_nothing_changes(learner, truth, sandbox, path):
    learner.get("/learning")
    assert learner.post(path, {"confirm": "yes"}, csrf=False).status_code == 400
    by_operation = sandbox.stats.snapshot()["by_operation"]
    assert not any(name.startswith(("Archive", "Reinstate")) for name in by_operation)
    assert SQL in item_ids(truth) and RESTORABLE in archived(truth)


@pytest.mark.parametrize("item_id", ["no-such-item", "bad%20id", "-x", "9" * 120])
def test_odd_ids_get_a_clear_not_found(learner, sandbox, item_id):
    learner.get("/learning")
    response = learner.get(f"/learning/{item_id}/archive")
    assert response.status_code == 404
    assert "isn't in your learning" in soup(response).h1.text
    response = learner.get(f"/archive/{item_id}/restore")
    assert response.status_code == 404
    response = learner.htmx("POST", f"/learning/{item_id}/archive", {"confirm": "yes"})
    assert response.status_code == 404
    assert "isn't in your learning" in soup(response).select_one(".notice--error").text


def test_a_lost_answer_is_settled_by_reading_the_archive_again(app, learner, truth, monkeypatch):
    client = app.extensions["instance"]
    real_mutate = client.mutate

    def applied_but_lost(call, token=None):
        real_mutate(call, token=token)  # the instance did it...
        raise UpstreamUnavailable("the learning platform did not answer in time")  # ...silently

    monkeypatch.setattr(client, "mutate", applied_but_lost)
    learner.get("/learning")
    learner.post(f"/learning/{SQL}/archive", {"confirm": "yes", "kind": "course", "title": "SQL"})
    notices = soup(learner.get("/learning")).select_one(".notices").text
    assert "SQL is in your archive now" in notices  # not "nothing changed"

    def lost(call, token=None):
        raise UpstreamUnavailable("the learning platform could not be reached")

    monkeypatch.setattr(client, "mutate", lost)
    learner.post(f"/archive/{SQL}/restore", {"confirm": "yes", "kind": "course", "title": "SQL"})
    notices = soup(learner.get("/archive")).select_one(".notices").text
    assert "nothing changed" in notices
    assert SQL in archived(truth)
