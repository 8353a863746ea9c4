"""Shared fixtures: an app on a fresh copy of the sandbox database, served over real HTTP."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from werkzeug.security import generate_password_hash

from tests.support import ACCOUNTS, Helium, LiveServer, RedisServer, share_template_code
from webapp import create_app
from webapp.sandbox.seed import DEMO_ACCOUNTS
from webapp.sandbox.store import Store

# Property tests: reproducible in CI (CI=true: derandomized, no example database) and never
# failed for being slow on a busy machine. HYPOTHESIS_PROFILE=dev|ci picks one explicitly.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)


@dataclass(frozen=True)
class Seed:
    """The demo database of the run, and what each demo account's Atrium session held after
    signing in and opening the dashboard (on that database, whose instance keeps the tokens)."""

    path: Path
    sessions: dict[str, dict]


@pytest.fixture(scope="session")
def seed(tmp_path_factory) -> Seed:
    """Seeded once per run, each demo account signed in once through Atrium: a test that only
    needs someone signed in carries on that session (tests/web/conftest.py, Browser.resume)
    instead of signing in again, which costs three pages (sign-in form, sign-in, dashboard).
    Each test still gets its own copy of the database, the instance's sessions included."""
    folder = tmp_path_factory.mktemp("seed")
    path = folder / "sandbox.sqlite3"
    Store(str(path)).reset()
    quick_passwords(path)
    sessions = sign_in_once(folder)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the tokens in the file that is copied
    finally:
        conn.close()
    return Seed(path, sessions)


def sign_in_once(folder: Path) -> dict[str, dict]:
    """What each demo account's session holds after signing in on the app of `folder`."""
    from tests.web.conftest import Browser

    app = create_app({"ENV": app_env(folder), "TESTING": True})
    sessions = {}
    for who in ACCOUNTS:
        browser = Browser(app.test_client())
        browser.sign_in(who)
        with browser.client.session_transaction() as stored:
            sessions[who] = dict(stored)
    return sessions


@pytest.fixture(scope="session")
def seeded_db(seed) -> Path:
    """The demo database; each test gets its own copy."""
    return seed.path


def quick_passwords(path: Path) -> None:
    """The demo accounts' passwords, hashed with one round instead of scrypt's slow-by-design
    work (a tenth of a second of CPU per sign-in, and the tests sign in hundreds of times).
    Login checks them the same way (check_password_hash reads the method from the hash)."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            for email, password, _about in DEMO_ACCOUNTS:
                conn.execute(
                    "UPDATE users SET password_hash = ? WHERE email = ?",
                    (generate_password_hash(password, "pbkdf2:sha256:1"), email),
                )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the file that is copied
    finally:
        conn.close()


def app_env(folder: Path) -> dict[str, str]:
    """The settings of a test's app whose files live in `folder` (sandbox.sqlite3 there)."""
    return {
        "SANDBOX_DB": str(folder / "sandbox.sqlite3"),
        "STATE_DB": str(folder / "state.sqlite3"),
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "SECRET_KEY": "test-secret",
        # The learner cache is off unless a test turns it on (tests/web/test_learner_cache.py):
        # most tests change the instance behind Atrium's back and count upstream requests.
        "LEARNER_CACHE_TTL": "0",
        "STALE_KEEP_SECONDS": "0",
    }


@pytest.fixture
def sandbox_env(tmp_path, seeded_db) -> dict[str, str]:
    shutil.copy(seeded_db, tmp_path / "sandbox.sqlite3")
    return app_env(tmp_path)


@pytest.fixture
def app(sandbox_env):
    return share_template_code(create_app({"ENV": sandbox_env, "TESTING": True}))


@pytest.fixture
def sandbox(app):
    """The sandbox engine behind the app: its counters, limits and fault switches."""
    return app.extensions["sandbox"]


@pytest.fixture
def live_server(app) -> Iterator[LiveServer]:
    server = LiveServer(app)
    yield server
    server.stop()


@pytest.fixture
def helium(live_server) -> Helium:
    return Helium(live_server.url)


@pytest.fixture
def learner_token(helium) -> str:
    return helium.login("learner")


@pytest.fixture
def learner2_token(helium) -> str:
    return helium.login("learner2")


@pytest.fixture
def admin_token(helium) -> str:
    return helium.login("admin")


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One real redis-server for the run (each test that uses it starts from an empty one)."""
    import os
    import shutil

    if shutil.which("redis-server") is None and os.environ.get("CI") != "true":
        pytest.skip("redis-server is not installed (make test installs it as root)")
    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server) -> str:
    import redis

    redis.Redis.from_url(redis_server.url).flushall()
    return redis_server.url
