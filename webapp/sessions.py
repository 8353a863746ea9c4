"""Server-side sessions: the cookie holds only an opaque id; the learner's token stays here.

Flask's default session is a signed cookie the browser can read, so the TI authToken must never
go there. Each session lives in the shared state (Redis, or the machine's SQLite file), keyed by
a hash of its id (the cookie's value is never stored), with a sliding expiry; any process on any
machine can serve it. `regenerate()` gives a session a new id at sign-in, so an id planted
before sign-in is worthless after it.

A session is written only when its contents change, or every TOUCH_INTERVAL to slide its
expiry: a plain page view writes nothing and sends no cookie. However often it is used, a
session ends `max_age` after it began (sign-in starts a new one): a stolen cookie is not
good forever.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time

from flask import Flask, Request, Response, request
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from .state import SharedState

TOUCH_INTERVAL = 300  # seconds between expiry refreshes of an unchanged session
_ID_LENGTH = 200


class ServerSession(CallbackDict, SessionMixin):
    def __init__(
        self,
        initial: dict | None = None,
        sid: str | None = None,
        expires_at: float = 0,
        saved: str | None = None,
        started_at: float | None = None,
    ):
        def on_update(_self) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.sid = sid
        self.expires_at = expires_at
        self.saved = saved  # the contents as last written, to tell a real change from a touch
        self.started_at = started_at
        self.modified = False
        self.rotate = False

    def regenerate(self) -> None:
        """Move this session to a fresh id when it is saved (call at sign-in)."""
        self.rotate = True
        self.modified = True


def _now() -> float:
    return time.time()


def _key(sid: str) -> str:
    return "session:" + hashlib.sha256(sid.encode()).hexdigest()


def _contents(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


class StateSessionInterface(SessionInterface):
    def __init__(self, state: SharedState, lifetime_seconds: int, max_age_seconds: int):
        self.state = state
        self.lifetime = lifetime_seconds
        self.max_age = max_age_seconds

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        if sid and len(sid) < _ID_LENGTH:
            stored = self.state.get(_key(sid))
            if stored:
                record = json.loads(stored)
                data = record.get("data") or {}
                started_at = record.get("started_at") or 0
                if _now() - started_at < self.max_age:
                    expires_at = record.get("expires_at", 0)
                    return ServerSession(data, sid, expires_at, _contents(data), started_at)
                self.state.delete(_key(sid))  # past its absolute lifetime: sign in again
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
        if not session:
            if session.sid:
                self.state.delete(_key(session.sid))
                response.delete_cookie(name, **options)
            return
        now = _now()
        contents = _contents(dict(session))
        changed = session.sid is None or session.rotate or contents != session.saved
        allowed = min(self.lifetime, self.max_age - (now - (session.started_at or now)))
        due_for_touch = session.expires_at - now < allowed - TOUCH_INTERVAL
        if not (changed or due_for_touch):
            return
        if session.rotate and session.sid:
            self.state.delete(_key(session.sid))
            session.sid = None
        if session.sid is None:
            session.sid = secrets.token_urlsafe(32)
            session.started_at = now
        started_at = session.started_at or now
        left = self.max_age - (now - started_at)
        lifetime = max(1, int(min(self.lifetime, left)))
        record = {"data": dict(session), "expires_at": now + lifetime, "started_at": started_at}
        self.state.set(_key(session.sid), json.dumps(record), lifetime)
        response.set_cookie(name, session.sid, max_age=lifetime, **options)
        response.vary.add("Cookie")
