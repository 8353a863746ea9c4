"""Fixtures for the admin pages: the signed-in browsers of tests/web (admin among them)."""

from tests.web.conftest import admin, browser, learner  # noqa: F401  (shared fixtures)
