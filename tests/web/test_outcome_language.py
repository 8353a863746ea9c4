"""An action's message is worded in its own request, in the learner's language, from the first
request after sign-in on: the language is known at sign-in, not only once a page has loaded."""

from __future__ import annotations

import secrets

from itsdangerous import URLSafeTimedSerializer

from tests.web.conftest import ACCOUNTS, Browser, instance_answer, soup


def signed_in_without_a_page(app, who: str) -> Browser:
    """Signed in, and no page read since: the first request after sign-in is the action (its
    form token made here as Flask-WTF makes it, since every page would read the learner)."""
    browser = Browser(app.test_client())
    email, password = ACCOUNTS[who]
    browser.get("/login")
    assert browser.post("/login", {"email": email, "password": password}).status_code == 303
    raw = secrets.token_hex(20)
    with browser.client.session_transaction() as stored:
        stored["csrf_token"] = raw
    browser.csrf = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    return browser


def test_a_plain_forms_message_is_in_the_learners_language_right_after_sign_in(app):
    learner2 = signed_in_without_a_page(app, "learner2")  # French
    item = next(i for i in instance_answer(app, learner2, "UserContentItems") if i.kind == "course")
    response = learner2.post(
        f"/learning/{item.id}/archive", {"confirm": "yes", "title": item.title}
    )
    assert response.status_code == 303
    page = soup(learner2.get(response.headers["Location"]))
    assert page.html["lang"] == "fr"
    notice = page.select_one(".notices").get_text(" ", strip=True)
    assert f"«\u00a0{item.title}\u00a0» figure désormais dans vos archives" in notice


def test_the_waitlists_message_no_longer_waits_in_the_session(learner):
    learner.get("/waitlist")
    course = instance_answer(learner.client.application, learner, "UserWaitlist")[0]
    learner.post(f"/waitlist/{course.id}/leave", {"confirm": "yes", "title": course.title})
    with learner.client.session_transaction() as stored:
        assert not [key for key in stored if "waitlist" in key]
    notices = soup(learner.get("/waitlist")).select_one(".notices").text
    assert f"You left the waitlist for {course.title}." in notices
