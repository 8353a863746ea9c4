"""axe-core finds no WCAG 2.2 A/AA violations on the pages a learner sees first."""

from __future__ import annotations

from tests.browser.conftest import axe_violations, sign_in


def test_sign_in_page_has_no_violations(page, server):
    page.goto(f"{server.url}/login")
    assert axe_violations(page) == []


def test_dashboard_has_no_violations(page, server):
    sign_in(page, server)
    assert axe_violations(page) == []


def test_keyboard_reaches_the_skip_link_first_and_it_moves_focus_to_main(page, server):
    sign_in(page, server)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
