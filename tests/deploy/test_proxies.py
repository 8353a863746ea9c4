"""Behind a TLS proxy: TRUSTED_PROXIES decides whose X-Forwarded-* headers count."""

from __future__ import annotations

from tests.web.conftest import Browser
from webapp import create_app


def app_with(sandbox_env, **env):
    settings = {**sandbox_env, "THROTTLE_SIGN_IN_ADDRESS": "2 per 15 minutes", **env}
    return create_app({"ENV": settings, "TESTING": True})


def failed_sign_in(app, client_address: str) -> int:
    browser = Browser(app.test_client())
    headers = {"X-Forwarded-For": client_address, "X-Forwarded-Proto": "https"}
    browser.get("/login", headers=headers)
    response = browser.post(
        "/login",
        {"email": "someone@acme.test", "password": "guess"},
        # Over https Flask-WTF also wants the form to come from our own page.
        headers={**headers, "Referer": "https://localhost/login"},
    )
    return response.status_code


def test_behind_one_proxy_the_forwarded_client_address_is_the_one_throttled(sandbox_env):
    app = app_with(sandbox_env, TRUSTED_PROXIES="1")
    assert [failed_sign_in(app, "203.0.113.7") for _ in range(3)] == [401, 401, 429]
    assert failed_sign_in(app, "198.51.100.20") == 401  # another client behind the same proxy


def test_without_trusted_proxies_a_forged_address_changes_nothing(sandbox_env):
    app = app_with(sandbox_env)
    codes = [failed_sign_in(app, f"203.0.113.{i}") for i in range(3)]
    assert codes == [401, 401, 429]  # every request is the peer's own address


def test_https_at_the_proxy_is_https_to_the_app(sandbox_env):
    behind = app_with(sandbox_env, TRUSTED_PROXIES="1").test_client()
    response = behind.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers
    direct = app_with(sandbox_env).test_client()
    response = direct.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
