"""A session ends a fixed time after sign-in however busy it is (issue 12, item 4)."""

from __future__ import annotations

import pytest

import webapp.sessions
from tests.web.conftest import Browser
from webapp import create_app

DAY = 24 * 3600


@pytest.fixture
def app(sandbox_env):
    # The sliding expiry is long here, so only the absolute lifetime can end the session.
    env = {**sandbox_env, "SESSION_LIFETIME": str(30 * DAY)}
    return create_app({"ENV": env, "TESTING": True})


@pytest.fixture
def clock(monkeypatch):
    now = [webapp.sessions._now()]
    monkeypatch.setattr(webapp.sessions, "_now", lambda: now[0])
    return now


def test_a_session_used_every_day_still_ends_after_seven_days(app, clock):
    learner = Browser(app.test_client())
    learner.sign_in("learner")
    for _ in range(6):
        clock[0] += DAY - 60
        assert learner.get("/dashboard").status_code == 200
    clock[0] += DAY + 3600  # seven days and a bit since signing in
    answer = learner.get("/dashboard")
    assert answer.status_code in (302, 303) and "/login" in answer.headers["Location"]


def test_signing_in_again_starts_a_new_seven_days(app, clock):
    learner = Browser(app.test_client())
    learner.sign_in("learner")
    clock[0] += 6 * DAY
    learner.sign_in("learner")
    clock[0] += 3 * DAY
    assert learner.get("/dashboard").status_code == 200


def test_the_cookie_never_outlives_the_absolute_lifetime(app, clock):
    learner = Browser(app.test_client())
    learner.sign_in("learner")
    clock[0] += 7 * DAY - 3600  # an hour left
    learner.post("/language", {"lang": "fr", "next": "/dashboard"})  # a change: rewritten
    cookie = learner.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None and cookie.max_age is not None and cookie.max_age <= 3600
