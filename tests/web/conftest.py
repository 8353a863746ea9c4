"""Fixtures for page tests: the app's test client, signed in as a demo account, CSRF on."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from itsdangerous import URLSafeTimedSerializer

from tests.support import ACCOUNTS
from webapp.gql import Call

_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CSRF_HEADER = re.compile(r'&#34;X-CSRFToken&#34;: &#34;([^&]+)&#34;|"X-CSRFToken": "([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token a page carries (a form field, or the hx-headers on <body>)."""
    match = _CSRF_INPUT.search(html)
    if match:
        return match.group(1)
    match = _CSRF_HEADER.search(html)
    assert match, "the page carries no CSRF token"
    return match.group(1) or match.group(2)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


class Browser:
    """A test client that remembers the CSRF token of the last page it saw."""

    def __init__(self, client):
        self.client = client
        self.csrf = None

    def get(self, path: str, **kwargs):
        response = self.client.get(path, **kwargs)
        html = response.get_data(as_text=True)
        if "csrf_token" in html or "X-CSRFToken" in html:
            self.csrf = csrf_from(html)
        return response

    def post(self, path: str, data: dict | None = None, *, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf:
            if self.csrf is None:
                self.get("/login")
            data.setdefault("csrf_token", self.csrf)
        return self.client.post(path, data=data, **kwargs)

    def htmx(self, method: str, path: str, data: dict | None = None, **kwargs):
        """An HTMX request: HX-Request header, CSRF token in X-CSRFToken as the page sends it."""
        headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost" + path}
        headers.update(kwargs.pop("headers", {}))
        if method.upper() != "GET":
            headers.setdefault("X-CSRFToken", self.csrf or "")
        return self.client.open(path, method=method.upper(), data=data, headers=headers, **kwargs)

    def resume(self, seed, who: str = "learner") -> Browser:
        """Carry on the session `who` got by signing in once for the whole run (conftest's
        seed): the same contents, under a new session id of this test's app, and the CSRF
        token a page of that session carries. For tests that need someone signed in, not a
        sign-in (those call sign_in)."""
        contents = seed.sessions[who]
        with self.client.session_transaction() as stored:
            stored.update(contents)
        serializer = URLSafeTimedSerializer(self.client.application.secret_key, "wtf-csrf-token")
        self.csrf = serializer.dumps(contents["csrf_token"])
        return self

    def sign_in(self, who: str = "learner"):
        email, password = ACCOUNTS[who]
        self.get("/login")
        response = self.post("/login", {"email": email, "password": password})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        self.get("/dashboard")
        return response


def instance_answer(app, browser: Browser, name: str, variables: dict | None = None):
    """What the instance itself says to `name` for the learner signed in on `browser`."""
    with browser.client.session_transaction() as stored:
        token = stored["token"]
    with app.test_request_context():
        return app.extensions["instance"].query(Call(name, variables or {}), token=token)


@pytest.fixture
def browser(app) -> Browser:
    return Browser(app.test_client())


@pytest.fixture
def learner(browser, seed) -> Browser:
    return browser.resume(seed, "learner")


@pytest.fixture
def learner2(app, seed) -> Browser:
    return Browser(app.test_client()).resume(seed, "learner2")


@pytest.fixture
def admin(app, seed) -> Browser:
    return Browser(app.test_client()).resume(seed, "admin")


@pytest.fixture
def upstream_requests(sandbox):
    """How many HTTP requests the instance has served so far (call it)."""
    return lambda: sandbox.stats.snapshot()["http_requests"]
