"""The learner cache as a learner meets it: no double charge within a minute, and a dated page
rather than an empty one when the instance can't answer."""

from __future__ import annotations

import pytest

from tests.web.conftest import Browser, soup
from webapp import create_app


@pytest.fixture
def app(sandbox_env):
    env = {**sandbox_env, "LEARNER_CACHE_TTL": "60", "STALE_KEEP_SECONDS": "21600"}
    return create_app({"ENV": env, "TESTING": True})


@pytest.fixture
def learner(app) -> Browser:
    browser = Browser(app.test_client())
    browser.sign_in("learner")
    return browser


def test_dashboard_my_learning_dashboard_pays_once_for_each_query(learner, sandbox):
    learner.get("/dashboard")
    learner.get("/learning")
    before = sandbox.stats.snapshot()["http_requests"]
    again = learner.get("/dashboard")
    assert again.status_code == 200
    assert sandbox.stats.snapshot()["http_requests"] == before  # all of it from the cache
    assert again.headers["Atrium-Data"] == "complete"
    assert "Jamie" in soup(again).select_one("h1").get_text()


def test_a_dated_page_says_as_of_when_the_instance_is_down(app, learner, sandbox):
    learner.get("/dashboard")
    app.extensions["instance"].learner_cache.fresh_seconds = 0  # the minute has passed
    sandbox.faults.fault_rate = 1.0
    page = learner.get("/dashboard")
    assert page.status_code == 200
    assert page.headers["Atrium-Data"] == "stale"
    notices = soup(page).select_one("#notices").get_text(" ", strip=True)
    assert "as of" in notices
    assert "missing" not in notices
    assert "Jamie" in soup(page).select_one("h1").get_text()


def test_with_nothing_cached_the_page_says_what_is_missing(app, learner, sandbox):
    sandbox.faults.fault_rate = 1.0
    page = learner.get("/badges")
    assert page.headers["Atrium-Data"] == "missing"
    assert "missing" in soup(page).select_one("#notices").get_text(" ", strip=True)


def test_a_plain_page_view_writes_no_session_and_sends_no_cookie(learner):
    learner.get("/dashboard")
    again = learner.get("/learning")
    assert "Set-Cookie" not in again.headers


def test_learners_of_one_client_share_its_branding_from_the_cache(app, sandbox):
    first = Browser(app.test_client())
    first.sign_in("learner")  # Acme's client
    before = sandbox.stats.snapshot()["by_operation"].get("CompanyDetails", 0)
    second = Browser(app.test_client())
    second.sign_in("admin")  # the same client
    second.get("/dashboard")
    assert sandbox.stats.snapshot()["by_operation"].get("CompanyDetails", 0) == before
