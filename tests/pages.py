"""The learner pages as the app declares them (webapp/learner_pages.py), for tests that visit
each one: they read that list rather than repeating it."""

from __future__ import annotations

from flask import url_for

from webapp.learner_pages import LEARNER_PAGES, LearnerPage, previewable

PAGE_IDS = [page.name for page in LEARNER_PAGES]
PREVIEW_NAMES = [page.name for page in previewable()]


def path_of(app, page: LearnerPage) -> str:
    """The page's address (a learner page's own view takes no path arguments)."""
    with app.test_request_context():
        return url_for(page.endpoint)


def learner_paths(app) -> list[str]:
    return [path_of(app, page) for page in LEARNER_PAGES]


__all__ = ["LEARNER_PAGES", "PAGE_IDS", "PREVIEW_NAMES", "learner_paths", "path_of"]
