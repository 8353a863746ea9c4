"""axe-core finds no WCAG 2.2 A/AA violations on any page, in each of the five languages (Arabic
right to left), for both demo companies."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, choose_language, sign_in
from webapp.sandbox.seed import content_id

SQL = content_id("sql-fundamentals")
EXCEL = content_id("excel-macros-legacy")

LEARNER_PAGES = [
    "/dashboard", "/learning", "/learning?page=2", "/learning?status=completed",
    "/learning?kind=learningPath", "/paths/leadership-essentials",
    "/paths/data-science-foundations", f"/learning/{SQL}/details", f"/learning/{SQL}/archive",
    f"/archive/{EXCEL}/restore", "/waitlist", "/redeem", "/certificates",
    "/certificates/transcript", "/certificates/new", "/badges", "/archive", "/profile", "/terms",
]  # fmt: skip
ADMIN_PAGES = ["/admin/branding", "/admin/translations", "/admin/learners"]


def test_sign_in_page_has_no_violations(page, server):
    page.goto(f"{server.url}/login")
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("who", "lang"),
    [("learner", "en"), ("learner", "fr"), ("learner", "de"), ("learner", "es"),
     ("learner", "ar"), ("learner2", "fr"), ("learner2", "ar")],
)  # fmt: skip
def test_learner_pages_have_no_violations(page, server, who, lang):
    sign_in(page, server, who)
    if lang != {"learner": "en", "learner2": "fr"}[who]:
        choose_language(page, lang)
    found = {}
    for path in LEARNER_PAGES:
        page.goto(f"{server.url}{path}")
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}


def test_admin_pages_have_no_violations(page, server):
    sign_in(page, server, "admin")
    found = {}
    for path in ADMIN_PAGES:
        page.goto(f"{server.url}{path}")
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_csv_imports_preview_and_report_have_no_violations(page, server, tmp_path, lang):
    csv = tmp_path / "learners.csv"
    csv.write_text(
        "email,first name,last name,team\nnew@acme.test,Nia,Okafor,Sales\n"
        "learner@acme.test,Jamie,Rivera,\nnot-an-email,Bo,Lee,\n"
    )
    sign_in(page, server, "admin", next_path="/admin/learners")
    if lang != "en":
        choose_language(page, lang)
    page.set_input_files("input[type=file]", str(csv))
    page.locator("form:has(input[type=file]) button[type=submit]").click()
    page.wait_for_url(f"{server.url}/admin/learners/import")
    found = {"preview": axe_violations(page)}
    page.locator("form[action$='/import/confirm'] button[type=submit]").click()
    page.wait_for_url(f"{server.url}/admin/learners/import/report")
    expect(page.locator(".report-counts .badge")).to_have_count(3)  # created, there, invalid
    found["report"] = axe_violations(page)
    assert found == {"preview": [], "report": []}


def test_keyboard_reaches_the_skip_link_first_and_it_moves_focus_to_main(page, server):
    sign_in(page, server)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible text starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "(document.activeElement.innerText || document.activeElement.value || '').trim()"
        )
        if text.startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_learner_can_leave_a_waitlist_and_switch_tabs_by_keyboard_alone(page, server):
    sign_in(page, server)
    page.goto(f"{server.url}/waitlist")
    rows = page.get_by_role("button", name="Leave waitlist").count()
    tab_to(page, "Leave waitlist")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()  # destructive: Cancel
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Leave waitlist")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main").get_by_role("button", name="Leave waitlist")).to_have_count(
        rows - 1
    )

    page.goto(f"{server.url}/learning")
    tab_to(page, "Learning paths")
    page.keyboard.press("Enter")
    page.wait_for_url("**/learning?kind=learningPath")
    assert page.evaluate("document.activeElement.id") == "tab-learningPaths"  # focus kept
