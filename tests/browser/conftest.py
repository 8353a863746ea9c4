"""Playwright driving Debian's Chromium against the app served over real HTTP."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support import LiveServer, share_template_code, sign_in_at
from webapp import create_app

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        _missing("Debian's chromium is not installed (make test installs it as root)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server(tmp_path, seed):
    db = tmp_path / "sandbox.sqlite3"
    shutil.copy(seed.path, db)
    env = {
        "SANDBOX_DB": str(db),
        "STATE_DB": str(tmp_path / "state.sqlite3"),
        "SECRET_KEY": "browser-tests",
    }
    live = LiveServer(share_template_code(create_app({"ENV": env})))
    live.app = live._server.app
    live.seed = seed
    yield live
    live.stop()


def _context(chromium, javascript: bool):
    context = chromium.new_context(
        java_script_enabled=javascript, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(chromium):
    context = _context(chromium, javascript=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_js(chromium):
    context = _context(chromium, javascript=False)
    yield context.new_page()
    context.close()


def sign_in(page, server, who: str = "learner", next_path: str = "/dashboard") -> None:
    """Open `next_path` signed in as `who`: the session the sign-in form gave `who` once for
    the run (conftest's seed), in this server's session store and in the page's cookie jar,
    as the form would leave it. A browser's first sign-in costs about a second (the form,
    its fonts, the post); the journeys go through the form itself (sign_in_with_the_form)."""
    client = server.app.test_client()
    with client.session_transaction() as stored:
        stored.update(server.seed.sessions[who])
    cookie = client.get_cookie(server.app.config["SESSION_COOKIE_NAME"])
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": server.url, "httpOnly": True}]
    )
    page.goto(f"{server.url}{next_path}")


def sign_in_with_the_form(page, server, who: str = "learner") -> None:
    sign_in_at(page, server.url, who)


def open_account_menu(page) -> None:
    """Open the header's account menu (the language menu when signed out), if it is closed."""
    menu = page.locator(".site-header details.account-menu")
    if not menu.evaluate("details => details.open"):
        menu.locator("summary").click()


def choose_language(page, lang: str) -> None:
    """Pick a language in the header's account menu: with JavaScript it applies at once, without
    it the form's button sends it. Returns once the page is back, in that language."""
    open_account_menu(page)
    select = page.locator("#language-select")
    if page.evaluate("document.documentElement.classList.contains('js')"):
        with page.expect_navigation():
            select.select_option(lang)
    else:
        select.select_option(lang)
        with page.expect_navigation():
            page.locator(".language-picker button").click()
    page.wait_for_load_state("load")


def answer_confirmation(page, confirm: bool = True) -> None:
    """Answer the confirmation dialog app.js opens for a form marked data-confirm: its confirm
    button (named after the action) or Cancel."""
    dialog = page.get_by_role("alertdialog")
    dialog.wait_for()
    if confirm:
        dialog.locator(".confirm-dialog__confirm").click()
    else:
        dialog.get_by_role("button", name="Cancel").click()
    dialog.wait_for(state="hidden")


def axe_violations(page, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")) -> list:
    """axe-core's WCAG A/AA violations on the current page (run through the devtools protocol,
    so the page's CSP needs no exception)."""
    if not AXE.exists():
        _missing("axe-core is not installed (npm install)")
    page.evaluate(AXE.read_text())
    # resultTypes: only violations get their nodes listed (a third less time per page).
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    result = page.evaluate("async (options) => await axe.run(document, options)", options)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x) e.g. {v['nodes'][0]['html'][:120]}"
        for v in result["violations"]
    ]
