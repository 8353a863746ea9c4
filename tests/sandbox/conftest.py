"""Fixtures for the sandbox suite.

Speed matters with a few hundred tests that each get a fresh database and server, so:

- `seeded_db` is overridden by a demo database in which the three demo accounts have already
  signed in (over HTTP, with Login), and `learner_token`, `learner2_token` and `admin_token`
  hand out those sessions instead of signing in again (Login's password hashing is slow by
  design). Each test still gets its own copy of the database, sessions included.
- `live_server` is overridden by one that stops in a few milliseconds instead of half a second
  (the same server otherwise).
- Every app of the suite serves the same executable schema, built once: building it from the
  SDL takes graphql-core a few tenths of a second, most of what starting an app costs.
- `shared` is one app on its own copy of the demo database, signed in as each demo account, for
  a whole module of tests that only read (or whose writes change nothing others look at).
- `start_app` starts further apps on this test's database with extra environment settings.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.support import Helium
from webapp import create_app
from webapp.gql.schema import SCHEMA_PATH
from webapp.sandbox import SandboxInstance, engine
from webapp.sandbox.store import Store

ACCOUNTS = ("learner", "learner2", "admin")


@pytest.fixture(scope="session", autouse=True)
def one_executable_schema() -> Iterator[None]:
    schema = engine.build_executable_schema(str(SCHEMA_PATH))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "build_executable_schema", lambda _schema_path: schema)
        yield


class QuickLiveServer:
    """tests.support.LiveServer, polling for shutdown every 10 ms instead of every 500 ms."""

    def __init__(self, app: Flask):
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="session")
def signed_in_seed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The demo database after each demo account signed in once, and their tokens."""
    path = tmp_path_factory.mktemp("seed") / "sandbox.sqlite3"
    Store(str(path)).reset()
    app = create_app(
        {"ENV": {"SANDBOX_DB": str(path), "SECRET_KEY": "test-secret"}, "TESTING": True}
    )
    server = QuickLiveServer(app)
    try:
        helium = Helium(server.url)
        tokens = {who: helium.login(who) for who in ACCOUNTS}
    finally:
        server.stop()
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    finally:
        conn.close()
    return path, tokens


@pytest.fixture(scope="session")
def seeded_db(signed_in_seed) -> Path:
    return signed_in_seed[0]


@pytest.fixture
def learner_token(signed_in_seed) -> str:
    return signed_in_seed[1]["learner"]


@pytest.fixture
def learner2_token(signed_in_seed) -> str:
    return signed_in_seed[1]["learner2"]


@pytest.fixture
def admin_token(signed_in_seed) -> str:
    return signed_in_seed[1]["admin"]


@pytest.fixture
def live_server(app) -> Iterator[QuickLiveServer]:
    server = QuickLiveServer(app)
    yield server
    server.stop()


@pytest.fixture
def start_app(sandbox_env) -> Iterator[Callable[..., tuple[Flask, Helium]]]:
    """Start another app over HTTP on this test's database, with extra environment settings.

    `start_app(SANDBOX_REQUESTS_PER_MINUTE="3")` returns `(app, helium)`; every server it
    started is stopped at the end of the test.
    """
    servers: list[QuickLiveServer] = []

    def start(**extra_env: str) -> tuple[Flask, Helium]:
        app = create_app({"ENV": {**sandbox_env, **extra_env}, "TESTING": True})
        server = QuickLiveServer(app)
        servers.append(server)
        return app, Helium(server.url)

    yield start
    for server in servers:
        server.stop()


@dataclass
class Shared:
    helium: Helium
    sandbox: SandboxInstance
    learner: str
    learner2: str
    admin: str

    def token(self, who: str | None) -> str | None:
        return None if who is None else getattr(self, who)


@pytest.fixture(scope="module")
def shared(tmp_path_factory, signed_in_seed) -> Iterator[Shared]:
    """One sandbox for a module's read-only tests, with a token for each demo account."""
    seed, tokens = signed_in_seed
    db = tmp_path_factory.mktemp("shared") / "sandbox.sqlite3"
    shutil.copy(seed, db)
    app = create_app({"ENV": {"SANDBOX_DB": str(db), "SECRET_KEY": "test-secret"}, "TESTING": True})
    server = QuickLiveServer(app)
    yield Shared(Helium(server.url), app.extensions["sandbox"], **tokens)
    server.stop()
