"""Fixtures for the instance client: the app's own client on the sandbox, signed in."""

from __future__ import annotations

import pytest

from tests.support import ACCOUNTS
from webapp.gql import Call


@pytest.fixture
def client(app):
    return app.extensions["instance"]


def sign_in(client, who: str = "learner") -> str:
    email, password = ACCOUNTS[who]
    return client.mutate(Call("Login", {"email": email, "password": password}))


@pytest.fixture
def token(client) -> str:
    return sign_in(client)


# What the dashboard asks for: a learner-heavy batch plus instance-level data.
DASHBOARD_CALLS = (
    Call("CurrentUser"),
    Call("UserContentGroups"),
    Call("UserRecentContent", {"limit": 6}),
    Call("UserEarnedBadgeBoard"),
    Call("BadgeLeaderboard", {"limit": 5}),
    Call("CompanyDetails"),
    Call("CompanyTranslations", {"namespace": "lms"}),
    Call("Languages"),
)
