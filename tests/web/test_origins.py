"""State changes come from Atrium's own pages only, embedding or not (issue 12, item 5)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "null"},  # a sandboxed frame or a data: page
        {"Origin": "https://evil.test"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_state_change_from_elsewhere_is_refused_and_changes_nothing(learner, headers):
    answer = learner.post("/language", {"lang": "fr", "next": "/dashboard"}, headers=headers)
    assert answer.status_code == 403
    assert 'lang="en"' in learner.get("/dashboard").get_data(as_text=True)  # still English


def test_a_state_change_from_our_own_page_goes_through(learner):
    headers = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
    answer = learner.post("/language", {"lang": "fr", "next": "/dashboard"}, headers=headers)
    assert answer.status_code == 303
    assert 'lang="fr"' in learner.get("/dashboard").get_data(as_text=True)


def test_sign_in_from_another_site_is_refused(browser):
    browser.get("/login")
    answer = browser.post(
        "/login",
        {"email": "learner@acme.test", "password": "learner"},
        headers={"Origin": "https://evil.test"},
    )
    assert answer.status_code == 403
