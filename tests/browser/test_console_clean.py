"""Pages leave nothing in the browser's console: no errors, no Content Security Policy
violations, in the page itself or in any frame it holds."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

# Every document of the page (frames too) records the CSP violations it sees.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(
    [event.violatedDirective, event.blockedURI, event.sourceFile, event.lineNumber].join(" ")
  );
}, true);
"""

LEARNER_PAGES = ["/dashboard", "/learning", "/waitlist", "/badges", "/archive", "/profile"]


class Console:
    """What the page's console and CSP said while the test ran."""

    def __init__(self, page):
        self.page = page
        self.messages: list[str] = []
        page.context.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"uncaught: {error}"))

    def _console(self, message) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            self.messages.append(f"{message.type}: {message.text} ({message.location['url']})")

    def problems(self) -> list[str]:
        violations = []
        for frame in self.page.frames:
            found = frame.evaluate("window.__cspViolations || []")
            violations += [f"CSP in {frame.url}: {v}" for v in found]
        return self.messages + violations


@pytest.fixture
def console(page) -> Console:
    return Console(page)


def settle(page) -> None:
    page.wait_for_load_state("networkidle")


def test_adding_code_boxes_leaves_the_console_clean(page, server, console):
    sign_in(page, server, next_path="/redeem")
    settle(page)
    page.get_by_label("Code 1").fill("WELCOME-2026")
    page.get_by_role("button", name="Add another code").click()
    page.get_by_label("Code 2").wait_for()
    settle(page)
    # Password managers and extensions put a style attribute on inputs; swapping the boxes
    # must not carry it over (htmx would set it with setAttribute, which the CSP refuses).
    page.evaluate("document.getElementById('codes-1').style.backgroundColor = 'white'")
    page.get_by_label("Code 2").fill("EXPIRED-2024")
    page.get_by_label("Code 2").press("Tab")  # leaving a box re-renders it
    page.get_by_role("button", name="Add another code").click()
    page.get_by_label("Code 3").wait_for()
    settle(page)
    expect(page.locator("#codes-1-status .code-status__line")).to_contain_text("expired")
    settle(page)
    assert console.problems() == []


def test_the_branding_page_and_its_preview_frame_leave_the_console_clean(page, server, console):
    sign_in(page, server, "admin", "/admin/branding")
    frame = page.frame_locator("iframe.preview-frame")
    frame.locator("main").wait_for(state="attached")
    settle(page)
    assert len(page.frames) == 2
    preview = page.frames[1]
    assert "/admin/branding/preview/" in preview.url
    assert preview.evaluate("document.scripts.length") == 0  # the sandboxed frame runs none
    assert console.problems() == []


@pytest.mark.parametrize("path", LEARNER_PAGES)
def test_learner_pages_leave_the_console_clean(page, server, console, path):
    sign_in(page, server, next_path=path)
    settle(page)
    assert console.problems() == []
