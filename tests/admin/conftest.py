"""Fixtures for the admin pages: an admin signed in (and the learner fixtures of tests/web)."""

from __future__ import annotations

import pytest

from tests.web.conftest import Browser, browser, learner  # noqa: F401  (shared fixtures)


@pytest.fixture
def admin(app) -> Browser:
    signed_in = Browser(app.test_client())
    signed_in.sign_in("admin")
    return signed_in
