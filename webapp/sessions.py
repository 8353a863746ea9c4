"""Server-side sessions: the cookie holds only an opaque id; the learner's token stays here.

Flask's default session is a signed cookie the browser can read, so the TI authToken must never
go there. This store keeps each session as a row in SQLite, keyed by a hash of its id (the
cookie's value is never stored), with a sliding expiry. The rows hold learners' TI tokens, so the
file is private to the app's user (0600). `regenerate()` gives a session a new id
at sign-in, so an id planted before sign-in is worthless after it.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from flask import Flask, Request, Response, request
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

TOUCH_INTERVAL = 300  # seconds between expiry refreshes of an unchanged session


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, initial: dict | None = None, sid: str | None = None, expires_at: float = 0):
        def on_update(_self) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.sid = sid
        self.expires_at = expires_at
        self.modified = False
        self.rotate = False

    def regenerate(self) -> None:
        """Move this session to a fresh id when it is saved (call at sign-in)."""
        self.rotate = True
        self.modified = True


def private_file(path: str) -> None:
    """Create `path` (and its folder) readable by this user only: sessions hold TI tokens."""
    Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


class SqliteSessionInterface(SessionInterface):
    def __init__(self, path: str, lifetime_seconds: int):
        self.path = path
        self.lifetime = lifetime_seconds
        private_file(path)
        with closing(self._connect()) as conn, conn:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS sessions ("
                " id_hash TEXT PRIMARY KEY, data TEXT NOT NULL, expires_at REAL NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        if sid and len(sid) < 200:
            with closing(self._connect()) as conn, conn:
                row = conn.execute(
                    "SELECT data, expires_at FROM sessions WHERE id_hash = ? AND expires_at > ?",
                    (_digest(sid), time.time()),
                ).fetchone()
            if row:
                return ServerSession(json.loads(row[0]), sid, row[1])
        return ServerSession()

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:
        name = self.get_cookie_name(app)
        options = {
            "domain": self.get_cookie_domain(app),
            "path": self.get_cookie_path(app),
            "httponly": True,
            "secure": self.get_cookie_secure(app),
            "samesite": self.get_cookie_samesite(app),
            "partitioned": app.config.get("SESSION_COOKIE_PARTITIONED", False),
        }
        if session.get("embed") and request.is_secure:
            # Inside a portal's iframe we are a third party: the cookie must be allowed there,
            # and partitioned so it is usable only under that portal (CHIPS).
            options.update(samesite="None", secure=True, partitioned=True)
        now = time.time()
        if not session:
            if session.sid:
                self._delete(session.sid)
                response.delete_cookie(name, **options)
            return
        stale = session.expires_at - now < self.lifetime - TOUCH_INTERVAL
        if not (session.modified or session.rotate or stale or session.sid is None):
            return
        if session.rotate and session.sid:
            self._delete(session.sid)
            session.sid = None
        if session.sid is None:
            session.sid = secrets.token_urlsafe(32)
        expires_at = now + self.lifetime
        with closing(self._connect()) as conn, conn:
            conn.execute(
                "INSERT OR REPLACE INTO sessions (id_hash, data, expires_at) VALUES (?, ?, ?)",
                (_digest(session.sid), json.dumps(dict(session)), expires_at),
            )
            if secrets.randbelow(100) == 0:  # now and then, sweep out expired sessions
                conn.execute("DELETE FROM sessions WHERE expires_at < ?", (now,))
        response.set_cookie(name, session.sid, max_age=self.lifetime, **options)
        response.vary.add("Cookie")

    def _delete(self, sid: str) -> None:
        with closing(self._connect()) as conn, conn:
            conn.execute("DELETE FROM sessions WHERE id_hash = ?", (_digest(sid),))
