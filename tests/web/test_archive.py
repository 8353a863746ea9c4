"""The archive page: the learner's archives with their content's details."""

from __future__ import annotations

from flask_babel import format_date

from tests.web.conftest import instance_answer, soup
from webapp.gql import ApiError


def _facts(item) -> dict[str, str]:
    return {
        div.dt.text.strip(): div.dd.get_text(" ", strip=True)
        for div in item.select(".archive-item__facts > div")
    }


def test_every_archive_shows_with_its_facts_and_details(app, learner):
    archives = instance_answer(app, learner, "UserArchives")
    details = {c.id: c for c in instance_answer(app, learner, "UserArchivedContent")}
    page = soup(learner.get("/archive"))
    items = page.select(".archive-item")
    assert len(items) == len(archives) == 4
    assert "4 archived items." in page.text
    for item, archive in zip(items, archives, strict=True):
        content = details[archive.resource]
        assert item.h3.text.strip() == archive.name
        assert item.h3.a["href"] == content.url
        image = item.find("img")
        assert image["src"] == content.asset and image["alt"] == content.asset_alt_text
        assert content.description in item.text
        facts = _facts(item)
        with app.test_request_context():
            assert facts["Archived"] == format_date(archive.archived_at, "medium")
        assert facts["Can be reinstated"] == ("Yes" if archive.reinstatable else "No")
        assert facts["Waitlist"] == ("Active" if archive.waitlist_active else "Not active")
        assert facts["Status"] == archive.status.capitalize()
    kinds = {i.h3.text.strip(): _facts(i)["Type"] for i in items}
    assert kinds["Sales Kickoff: Chicago"] == "In-person event"
    assert kinds["Excel Macros (Legacy)"] == "Course"


def test_restore_is_offered_exactly_where_the_instance_allows_it(app, learner):
    archives = {a.name: a for a in instance_answer(app, learner, "UserArchives")}
    page = soup(learner.get("/archive"))
    assert "Restore an item to bring it back" in page.select_one(".lede").text
    for item in page.select(".archive-item"):
        archive = archives[item.h3.text.strip()]
        form = item.select_one("form.archive-item__restore")
        if archive.reinstatable:
            assert form["action"] == form["hx-post"] == f"/archive/{archive.resource}/restore"
            assert form.button.get_text(strip=True) == "Restore"
            assert "Restore" in form["data-confirm"]
        else:
            assert form is None
            assert "can't be restored" in item.select_one(".archive-item__note").text


def test_a_learner_with_nothing_archived_gets_an_empty_state(learner2):
    page = soup(learner2.get("/archive"))
    assert not page.select(".archive-item")
    empty = page.select_one("#archive-list .empty-state")  # learner2 reads French: no wording
    assert empty is not None and empty.find("a")["href"] == "/dashboard"


def test_one_upstream_request_and_fragments_for_htmx(learner, upstream_requests):
    before = upstream_requests()
    response = learner.get("/archive")
    assert upstream_requests() - before == 1
    assert "<html" in response.get_data(as_text=True)
    fragment = learner.htmx("GET", "/archive")
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and 'id="archive-list"' in html
    assert len(soup(fragment).select(".archive-item")) == 4
    assert "HX-Request" in fragment.headers["Vary"]


def test_rows_still_show_when_the_details_fail(learner, monkeypatch):
    from webapp.archive import loaders

    real = loaders.load_page

    def details_fail(*calls):
        page = real(*calls)
        page.values["UserArchivedContent"] = None
        page.errors["UserArchivedContent"] = [ApiError("boom", "INTERNAL_SERVER_ERROR")]
        return page

    monkeypatch.setattr(loaders, "load_page", details_fail)
    page = soup(learner.get("/archive"))
    items = page.select(".archive-item")
    assert len(items) == 4 and not page.select(".archive-item img")
    assert "Images and descriptions for these items couldn't be loaded" in page.text
    assert _facts(items[0])["Type"] == "Course"  # UserArchives' own resourceType


def test_signed_out_visitors_are_sent_to_sign_in(browser):
    response = browser.get("/archive")
    assert response.status_code == 303
    assert response.headers["Location"] == "/login?next=/archive"


def test_the_instance_being_down_leaves_a_clear_gap(learner, sandbox):
    sandbox.faults.fault_rate = 1.0
    response = learner.get("/archive")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one(".missing-state")
    assert not page.select(".archive-item")
