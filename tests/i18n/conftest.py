from tests.web.conftest import browser, learner, learner2  # noqa: F401  (shared fixtures)
