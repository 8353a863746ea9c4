"""In a right-to-left page, code-like text (redemption codes, search syntax, email addresses)
is isolated and reads left to right: otherwise `authors:"Lin Zhou"` comes out scrambled."""

from __future__ import annotations

import pytest

from tests.i18n.test_languages import choose_language
from tests.web.conftest import soup


def isolated_ltr(element) -> bool:
    """Left to right and isolated from the text around it (HTML isolates any element with a
    dir attribute; <bdi> isolates by itself)."""
    return element.get("dir") == "ltr" or (element.name == "bdi" and element.get("dir") != "rtl")


@pytest.fixture
def arabic(learner):
    choose_language(learner, "ar")
    return learner


def test_the_search_examples_read_left_to_right(arabic):
    page = soup(arabic.get("/learning"))
    assert page.html["dir"] == "rtl"
    examples = page.select("#q-hint code")
    assert [code.text for code in examples] == ['tags:"Leadership"', 'authors:"Lin Zhou"']
    assert all(isolated_ltr(code) for code in examples)


def test_codes_on_the_redeem_pages_read_left_to_right(arabic):
    page = soup(arabic.get("/redeem"))
    assert page.html["dir"] == "rtl"
    assert isolated_ltr(page.select_one("#codes-0"))  # what the learner types
    checked = soup(arabic.post("/redeem/check", {"codes-0": "REDEEMED-0001 EXPIRED-2024"}))
    shown = checked.select("#codes-0-status .code-status__code")
    assert [code.text for code in shown] == ["REDEEMED-0001", "EXPIRED-2024"]
    assert all(isolated_ltr(code) for code in shown)
    response = arabic.post("/redeem", {"codes-0": "WELCOME-2026", "codes-1": "EXPIRED-2024"})
    assert response.status_code == 303
    done = soup(arabic.get("/redeemed"))
    assert done.html["dir"] == "rtl"
    codes = done.select(".code-status__code")
    assert [code.text for code in codes] == ["WELCOME-2026", "EXPIRED-2024"]
    assert all(isolated_ltr(code) for code in codes)


def test_email_addresses_on_the_sign_in_page_read_left_to_right(browser):
    page = soup(browser.get("/login", headers={"Accept-Language": "ar"}))
    assert page.html["dir"] == "rtl"
    assert isolated_ltr(page.select_one("input[name=email]"))
    emails = [kbd for kbd in page.select(".demo-accounts kbd") if "@" in kbd.text]
    assert len(emails) == 3 and all(isolated_ltr(code) for code in emails)
