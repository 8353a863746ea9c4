"""Embedded pages: chrome-less, framable by the allowed portals only, signed in by handoff."""

from __future__ import annotations

import time

import pytest

from tests.web.conftest import Browser, soup
from webapp import create_app
from webapp.embed.handoff import issue

PORTAL = "https://portal.globex.test"
SECRET = "a-portal-shared-secret-of-some-length"


@pytest.fixture
def app(sandbox_env):
    env = {**sandbox_env, "EMBED_ALLOWED_ORIGINS": f"{PORTAL} https://intranet.acme.test",
           "EMBED_SHARED_SECRET": SECRET, "EMBED_AUDIENCE": "atrium-tests"}  # fmt: skip
    return create_app({"ENV": env, "TESTING": True})


@pytest.fixture
def portal_browser(app) -> Browser:
    return Browser(app.test_client())


def handoff(browser: Browser, token: str, origin: str = PORTAL, next_path: str | None = None):
    data = {"token": token}
    if next_path:
        data["next"] = next_path
    return browser.client.post(
        "/embed/session", data=data, headers={"Origin": origin, "Sec-Fetch-Site": "cross-site"}
    )


def frame_ancestors(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    return next(p for p in policy.split("; ") if p.startswith("frame-ancestors")).split(" ", 1)[1]


def test_a_valid_handoff_signs_the_learner_in_without_a_second_login(portal_browser):
    token = issue(SECRET, "atrium-tests", email="learner@acme.test")
    response = handoff(portal_browser, token, next_path="/embed/waitlist")
    assert response.status_code == 303
    assert response.headers["Location"] == "/embed/waitlist"
    page = portal_browser.get("/embed/dashboard")
    assert page.status_code == 200
    assert "Welcome back, Jamie" in soup(page).h1.text


def test_the_same_token_is_accepted_once(portal_browser, app):
    token = issue(SECRET, "atrium-tests", email="learner@acme.test")
    assert handoff(portal_browser, token).status_code == 303
    other = Browser(app.test_client())
    replay = handoff(other, token)
    assert replay.status_code == 400
    assert "already used" in replay.get_data(as_text=True)
    assert other.get("/embed/dashboard").status_code == 303  # no session: sent to sign in


@pytest.mark.parametrize(
    ("make_token", "message"),
    [
        (
            lambda: issue("wrong-secret-wrong-secret", "atrium-tests", email="learner@acme.test"),
            "not valid",
        ),
        (
            lambda: issue(
                SECRET,
                "atrium-tests",
                email="learner@acme.test",
                lifetime=30,
                now=time.time() - 120,
            ),
            "expired",
        ),  # fmt: skip
        (lambda: issue(SECRET, "another-app", email="learner@acme.test"), "another application"),
        (
            lambda: issue(SECRET, "atrium-tests", email="learner@acme.test")[:-3] + "abc",
            "not valid",
        ),
        (lambda: "garbage", "not valid"),
    ],
    ids=["tampered", "expired", "wrong-audience", "bad-signature", "garbage"],
)
def test_bad_handoffs_get_a_clear_page_and_no_session(portal_browser, make_token, message):
    response = handoff(portal_browser, make_token())
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert portal_browser.get("/embed/dashboard").status_code == 303


def test_a_handoff_from_a_portal_not_allowed_is_refused(portal_browser):
    token = issue(SECRET, "atrium-tests", email="learner@acme.test")
    assert handoff(portal_browser, token, origin="https://evil.test").status_code == 403


def test_embed_pages_may_be_framed_by_exactly_the_allowed_portals(portal_browser):
    handoff(portal_browser, issue(SECRET, "atrium-tests", email="learner@acme.test"))
    embedded = portal_browser.get("/embed/dashboard")
    assert frame_ancestors(embedded) == f"{PORTAL} https://intranet.acme.test"
    assert "X-Frame-Options" not in embedded.headers
    for path in ("/dashboard", "/login", "/branding/custom.css"):
        response = portal_browser.get(path)
        assert frame_ancestors(response) == "'none'", path
        assert response.headers["X-Frame-Options"] == "DENY"


def test_embedded_pages_have_no_chrome_and_link_to_embedded_pages(portal_browser):
    handoff(portal_browser, issue(SECRET, "atrium-tests", email="learner@acme.test"))
    page = soup(portal_browser.get("/embed/dashboard"))
    assert page.select_one(".site-header") is None and page.select_one(".site-footer") is None
    # Atrium's own links stay in the frame; the instance's content pages (/learn/...) leave it
    # (embed.js opens those in a new tab).
    ours = [
        a["href"] for a in page.select("main a[href^='/']") if not a["href"].startswith("/learn/")
    ]
    assert ours and all(href.startswith("/embed/") for href in ours), ours
    assert page.find("meta", attrs={"name": "atrium-embed-parent"})["content"] == PORTAL


def test_cross_site_state_changes_are_refused(portal_browser, sandbox):
    handoff(portal_browser, issue(SECRET, "atrium-tests", email="learner@acme.test"))
    portal_browser.get("/embed/dashboard")
    before = sandbox.stats.snapshot()["http_requests"]
    for headers in ({"Origin": "https://evil.test"}, {"Sec-Fetch-Site": "cross-site"}):
        response = portal_browser.client.post(
            "/logout", data={"csrf_token": portal_browser.csrf}, headers=headers
        )
        assert response.status_code == 403
    assert sandbox.stats.snapshot()["http_requests"] == before
    assert portal_browser.get("/embed/dashboard").status_code == 200  # still signed in


@pytest.mark.parametrize("origin", [None, "null"])
def test_a_handoff_without_a_portal_origin_is_refused(portal_browser, origin):
    """A sandboxed or no-referrer page posts Origin: null (or none): it could be an attacker
    signing the learner into the attacker's own account."""
    token = issue(SECRET, "atrium-tests", email="learner@acme.test")
    headers = {"Sec-Fetch-Site": "cross-site"} | ({"Origin": origin} if origin else {})
    response = portal_browser.client.post("/embed/session", data={"token": token}, headers=headers)
    assert response.status_code == 403
    assert portal_browser.get("/embed/dashboard").status_code == 303


def test_a_token_with_odd_characters_is_refused_not_a_crash(portal_browser):
    assert handoff(portal_browser, "a.é").status_code == 400
