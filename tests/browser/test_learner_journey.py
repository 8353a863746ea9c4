"""A learner's whole path through Atrium, in a real browser, with JavaScript on and off:
sign in -> dashboard -> leave a waitlist -> redeem a code -> the new course in My learning."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import answer_confirmation, sign_in_with_the_form

WELCOME_COURSE = "Mindful Productivity"


def waitlist_count(page) -> int:
    """The number in the waitlist page's count ("3 courses")."""
    return int(re.search(r"\d+", page.locator("#waitlist-count").inner_text()).group())


def test_the_journey_with_javascript(page, server):
    sign_in_with_the_form(page, server)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome back, Jamie")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Waitlist").click()
    page.wait_for_url(re.compile(r"/waitlist$"))
    page.wait_for_load_state("load")
    before = waitlist_count(page)
    leave_buttons = page.get_by_role("button", name="Leave waitlist")
    assert leave_buttons.count() == before
    leave_buttons.first.click()
    answer_confirmation(page)
    expect(page.locator("#waitlist-count")).to_have_text(re.compile(rf"^\s*{before - 1}\b"))
    assert page.get_by_role("button", name="Leave waitlist").count() == before - 1
    assert "/waitlist" in page.url  # an in-page update, no navigation

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Redeem a code").click()
    page.wait_for_url(re.compile(r"/redeem$"))
    page.wait_for_load_state("load")  # htmx is listening before we type
    page.get_by_label("Code 1").fill("WELCOME-2026")
    expect(page.locator(".code-status .badge--ok").first).to_have_text("Valid")
    page.get_by_role("button", name="Redeem", exact=True).click()
    page.get_by_text(WELCOME_COURSE).first.wait_for()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My learning").click()
    page.wait_for_load_state("load")
    page.get_by_role("link", name=re.compile(r"^Not started")).click()
    page.get_by_label("Search your learning").fill("Mindful")
    page.get_by_role("button", name="Search").click()
    card = page.locator(".course-card", has=page.get_by_role("heading", name=WELCOME_COURSE))
    expect(card.locator(".card__action")).to_have_text("Start")
    expect(card.locator(".progress__words")).to_have_text("Not started")


def test_the_journey_without_javascript(page_without_js, server):
    page = page_without_js
    sign_in_with_the_form(page, server)
    page.goto(f"{server.url}/waitlist")
    before = waitlist_count(page)
    page.get_by_role("button", name="Leave waitlist").first.click()
    # Without JavaScript the confirmation is a page of its own.
    page.get_by_role("button", name="Yes, leave").click()
    page.wait_for_url(re.compile(r"/waitlist$"))
    assert waitlist_count(page) == before - 1

    page.goto(f"{server.url}/redeem")
    page.get_by_label("Code 1").fill("WELCOME-2026")
    page.get_by_role("button", name="Redeem", exact=True).click()
    page.get_by_text(WELCOME_COURSE).first.wait_for()

    page.goto(f"{server.url}/learning?status=notStarted&q=mindful")
    card = page.locator(".course-card", has=page.get_by_role("heading", name=WELCOME_COURSE))
    expect(card.locator(".card__action")).to_have_text("Start")
