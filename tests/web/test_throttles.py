"""Throttles on guessing: failed sign-ins per account and per address, codes per learner."""

from __future__ import annotations

import pytest

from tests.web.conftest import Browser, soup
from webapp import create_app

WRONG = {"email": "learner@acme.test", "password": "not-the-password"}


def sign_in(browser: Browser, email: str, password: str, **kwargs):
    browser.get("/login")
    return browser.post("/login", {"email": email, "password": password}, **kwargs)


def test_the_sixth_wrong_password_for_an_account_is_refused_for_a_while(app, browser, sandbox):
    for _attempt in range(5):
        assert sign_in(browser, **WRONG).status_code == 401
    logins = sandbox.stats.snapshot()["by_operation"]["Login"]

    response = sign_in(browser, **WRONG)
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    page = soup(response)
    assert "Too many unsuccessful sign-in attempts" in page.find(id="login-error").text
    assert "try again in 15 minutes" in page.find(id="login-error").text
    assert page.select_one("input[name=email]")["value"] == "learner@acme.test"  # kept
    assert page.select_one("input[name=password]").get("value") in (None, "")  # never echoed
    # Even the right password waits now, and the instance was not asked either time.
    assert sign_in(browser, "LEARNER@acme.test ", "learner").status_code == 429
    assert sandbox.stats.snapshot()["by_operation"]["Login"] == logins

    other = Browser(app.test_client())  # another account, from the same address
    assert sign_in(other, "learner2@acme.test", "learner2").status_code == 303


def test_successful_sign_ins_and_looking_at_the_form_cost_nothing(app, browser):
    for _view in range(40):
        assert browser.get("/login").status_code == 200
    for _visit in range(7):
        assert sign_in(browser, "learner@acme.test", "learner").status_code == 303
        browser.client.delete_cookie("atrium_session")
    for _attempt in range(4):
        assert sign_in(browser, **WRONG).status_code == 401
    assert sign_in(browser, "learner@acme.test", "learner").status_code == 303


def test_failed_sign_ins_from_one_address_are_limited_across_accounts(sandbox_env):
    app = create_app(
        {"ENV": {**sandbox_env, "THROTTLE_SIGN_IN_ADDRESS": "3 per 15 minutes"}, "TESTING": True}
    )
    browser = Browser(app.test_client())
    for who in ("a@acme.test", "b@acme.test", "c@acme.test"):
        assert sign_in(browser, who, "guess").status_code == 401
    assert sign_in(browser, "d@acme.test", "guess").status_code == 429
    # Another address (a different client) is not held up by this one's guessing.
    elsewhere = Browser(app.test_client())
    response = sign_in(elsewhere, "d@acme.test", "guess", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 401


def test_a_bad_limit_setting_stops_the_app_at_start(sandbox_env):
    with pytest.raises(SystemExit, match="THROTTLE_CODE_CHECKS"):
        create_app({"ENV": {**sandbox_env, "THROTTLE_CODE_CHECKS": "lots"}})


# -- redemption codes ------------------------------------------------------------------------


@pytest.fixture
def strict_app(sandbox_env):
    return create_app(
        {"ENV": {**sandbox_env, "THROTTLE_CODE_CHECKS": "4 per 10 minutes"}, "TESTING": True}
    )


def check(browser: Browser, code: str):
    return browser.htmx("POST", "/redeem/check?part=status", {"codes-0": code})


def test_codes_checked_by_one_learner_are_limited(strict_app):
    learner = Browser(strict_app.test_client())
    learner.sign_in("learner")
    learner.get("/redeem")
    for guess in ("GUESS-1", "GUESS-2", "GUESS-3", "GUESS-4"):
        assert check(learner, guess).status_code == 200
    # Asking about a code already judged minutes ago asks nothing, so costs nothing.
    assert check(learner, "GUESS-2").status_code == 200

    response = check(learner, "GUESS-5")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "checked a lot of codes" in response.get_data(as_text=True)
    # Without JavaScript the form's "Check codes" says the same, on a full branded page.
    response = learner.post("/redeem", {"codes-0": "GUESS-6", "action": "check"})
    assert response.status_code == 429
    assert "checked a lot of codes" in soup(response).find("main").text
    # Adding a box checks nothing; another learner is not held up.
    assert learner.post("/redeem", {"codes-0": "GUESS-7", "action": "add"}).status_code == 200
    other = Browser(strict_app.test_client())
    other.sign_in("learner2")
    other.get("/redeem")
    assert check(other, "GUESS-5").status_code == 200


def test_one_form_full_of_codes_counts_every_code(strict_app, sandbox):
    learner = Browser(strict_app.test_client())
    learner.sign_in("learner")
    learner.get("/redeem")
    form = {f"codes-{i}": f"GUESS-{i}" for i in range(5)}
    before = sandbox.stats.snapshot()["by_operation"].get("ValidateRedemptionCode", 0)
    response = learner.post("/redeem", {**form, "action": "check"})
    assert response.status_code == 429
    after = sandbox.stats.snapshot()["by_operation"].get("ValidateRedemptionCode", 0)
    assert after == before  # refused before any code was asked


# -- many machines ----------------------------------------------------------------------------


def test_two_apps_on_one_redis_share_the_limits(sandbox_env, redis_url):
    env = {**sandbox_env, "REDIS_URL": redis_url}
    machines = [create_app({"ENV": env, "TESTING": True}) for _ in range(2)]
    browsers = [Browser(machine.test_client()) for machine in machines]
    for attempt in range(5):
        assert sign_in(browsers[attempt % 2], **WRONG).status_code == 401
    for browser in browsers:
        assert sign_in(browser, **WRONG).status_code == 429
    assert sign_in(browsers[1], "learner2@acme.test", "learner2").status_code == 303
