"""Fixtures for the admin pages: the app with its own import folder, an admin and a learner."""

from __future__ import annotations

import pytest

from tests.web.conftest import Browser


@pytest.fixture
def admin_app(app, tmp_path):
    app.config["ADMIN_IMPORT_DIR"] = str(tmp_path / "imports")
    return app


@pytest.fixture
def admin(admin_app) -> Browser:
    browser = Browser(admin_app.test_client())
    browser.sign_in("admin")
    return browser


@pytest.fixture
def learner(admin_app) -> Browser:
    browser = Browser(admin_app.test_client())
    browser.sign_in("learner")
    return browser
