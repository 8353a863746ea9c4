"""Progress and the next step in a real browser, with JavaScript on and off: resume from the
dashboard, page through My learning, archive and restore, a learning path's page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import answer_confirmation, sign_in


def test_resume_from_the_dashboard_opens_the_course_where_it_is_learnt(page, server):
    sign_in(page, server)
    card = page.locator("#recent-title ~ .cards .course-card").first
    words = card.locator(".progress__words").inner_text()
    assert re.fullmatch(r"\d{1,2}% complete", words), words
    action = card.get_by_role("link", name="Resume")
    href = action.get_attribute("href")
    assert href.startswith("/learn/")  # the course player, on the instance
    action.click()
    page.wait_for_url(f"{server.url}{href}")


def test_show_more_appends_pages_in_place_and_moves_focus_to_what_is_new(page, server):
    sign_in(page, server, next_path="/learning")
    cards = page.locator(".course-card")
    expect(cards).to_have_count(12)
    status = page.locator("#pager-status")
    expect(status).to_have_text("Showing 1–12 of 37")
    page.get_by_role("link", name="Show more").click()
    expect(cards).to_have_count(24)
    expect(status).to_have_text("Showing 1–24 of 37")
    assert page.url == f"{server.url}/learning"  # appended, not navigated
    thirteenth = cards.nth(12).locator(".card__title a")
    expect(thirteenth).to_be_focused()
    page.get_by_role("link", name="Show more").click()
    expect(cards).to_have_count(36)
    page.get_by_role("link", name="Show more").click()
    expect(cards).to_have_count(37)
    expect(page.get_by_role("link", name="Show more")).to_have_count(0)
    ids = cards.evaluate_all("cards => cards.map(c => c.id)")
    assert len(set(ids)) == 37  # no card twice


def test_without_javascript_show_more_is_the_next_page(page_without_js, server):
    page = page_without_js
    sign_in(page, server, next_path="/learning")
    first = page.locator(".course-card").first.get_attribute("id")
    page.get_by_role("link", name="Show more").click()
    page.wait_for_url(f"{server.url}/learning?page=2")
    expect(page.locator("#pager-status")).to_have_text("Showing 13–24 of 37")
    assert page.locator(f"#{first}").count() == 0
    page.get_by_role("link", name="Previous page").click()
    page.wait_for_url(f"{server.url}/learning")


def _total(page) -> int:
    return int(re.search(r"\d+", page.locator("#result-count").inner_text()).group())


def test_archive_and_restore_with_javascript(page, server):
    sign_in(page, server, next_path="/learning")
    total = _total(page)
    card = page.locator(".course-card").first
    title = card.locator(".card__title").inner_text()
    card_id = card.get_attribute("id")
    card.get_by_role("button", name="Move to archive").click()
    answer_confirmation(page)
    expect(page.locator("#learning-status")).to_contain_text(f"{title} is in your archive now")
    expect(page.locator(f"#{card_id}")).to_have_count(0)
    expect(page.locator("#result-count")).to_have_text(f"{total - 1} items in your learning.")
    assert page.url == f"{server.url}/learning"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Archive").click()
    page.wait_for_load_state("load")
    row = page.locator(".archive-item", has=page.get_by_role("heading", name=title))
    row.get_by_role("button", name="Restore").click()
    answer_confirmation(page)
    expect(page.locator("#archive-status")).to_contain_text(f"{title} is back in My learning")
    expect(
        page.locator(".archive-item", has=page.get_by_role("heading", name=title))
    ).to_have_count(0)
    page.goto(f"{server.url}/learning")
    assert _total(page) == total
    expect(page.locator(f"#{card_id}")).to_have_count(1)


def test_cancelling_the_confirmation_changes_nothing(page, server):
    sign_in(page, server, next_path="/learning")
    card = page.locator(".course-card").first
    card.get_by_role("button", name="Move to archive").click()
    answer_confirmation(page, confirm=False)
    page.wait_for_timeout(300)
    expect(card).to_be_visible()
    expect(page.locator("#learning-status")).to_be_empty()


def test_archive_without_javascript_confirms_on_a_page_of_its_own(page_without_js, server):
    page = page_without_js
    sign_in(page, server, next_path="/learning")
    total = _total(page)
    title = page.locator(".course-card .card__title").first.inner_text()
    page.locator(".course-card").first.get_by_role("button", name="Move to archive").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Move {title} to your archive?")
    page.get_by_role("button", name="Yes, move to archive").click()
    page.wait_for_url(f"{server.url}/learning")
    expect(page.locator(".notices")).to_contain_text(f"{title} is in your archive now")
    assert _total(page) == total - 1


def test_a_path_page_from_my_learning(page, server):
    sign_in(page, server, next_path="/learning?kind=learningPath")
    page.get_by_role("heading", name="Data Science Foundations").get_by_role("link").click()
    page.wait_for_url(f"{server.url}/paths/data-science-foundations")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data Science Foundations")
    steps = page.locator("section.milestone h2")
    expect(steps).to_have_count(3)
    expect(page.locator("#path-progress")).to_contain_text("items completed")
    first_course = page.locator("section.milestone .course-card").first
    expect(first_course.locator(".progress__words")).not_to_be_empty()
    expect(first_course.locator(".card__action")).to_have_text(re.compile("Resume|Start|Review"))
