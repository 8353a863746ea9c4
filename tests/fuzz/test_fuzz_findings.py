"""The 5xx test_fuzz_routes.py found, each as a plain example: what the request was, and the
answer a user should get instead."""

from __future__ import annotations

import pytest

from tests.web.conftest import Browser, soup

ADMIN_ACTIONS = ("/admin/learners", "/admin/learners/import", "/admin/learners/import/confirm")
TOO_LARGE = {"x": "y" * (7 * 1024 * 1024)}  # past the app's MAX_CONTENT_LENGTH


def signed_in(app, who: str) -> Browser:
    browser = Browser(app.test_client())
    browser.sign_in(who)
    return browser


@pytest.mark.parametrize("path", ADMIN_ACTIONS)
def test_a_learner_posting_too_much_to_an_admin_action_gets_403_not_a_500(app, path):
    learner = signed_in(app, "learner")
    response = learner.post(path, TOO_LARGE)
    assert response.status_code == 403
    assert "Access denied" in soup(response).find("h1").text


@pytest.mark.parametrize("path", ADMIN_ACTIONS)
def test_a_visitor_posting_too_much_to_an_admin_action_is_sent_to_sign_in(app, path):
    visitor = Browser(app.test_client())
    response = visitor.post(path, TOO_LARGE)
    assert response.status_code == 303
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("origin", ["http://[", "https://[::1"])
def test_a_malformed_origin_on_a_state_change_is_refused_with_403_not_a_500(app, origin):
    learner = signed_in(app, "learner")
    response = learner.post(
        "/language", {"lang": "fr", "next": "/dashboard"}, headers={"Origin": origin}
    )
    assert response.status_code == 403
