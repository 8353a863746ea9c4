"""The fuzzed app: a session per role, the sandbox's state, one request sent and judged."""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from tests.web.conftest import Browser
from webapp.admin.forms import PREVIEW_PAGES
from webapp.embed.handoff import issue

from .attempts import Attempt, HandoffToken
from .routes import app_routes


class _Recorder(logging.Handler):
    """What the app logged at WARNING and above during one request (tracebacks included)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = f"{record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info:
            line += "\n" + "".join(traceback.format_exception(*record.exc_info))
        self.lines.append(line)


def known_values(store) -> dict[str, tuple[str, ...]]:
    """Real ids and codes from the sandbox, by the parameter names that take them."""
    with store.read() as conn:

        def column(sql: str) -> tuple[str, ...]:
            return tuple(str(row[0]) for row in conn.execute(sql))

        content = column("SELECT id FROM content ORDER BY id")
        licenses = column("SELECT id FROM licenses ORDER BY id")
        return {
            "course_id": content,
            "item_id": content + column("SELECT content_id FROM archives"),
            "content_id": column("SELECT content_id FROM waitlist") + content[:3],
            "certificate_id": column("SELECT id FROM certificates ORDER BY id"),
            "slug": column("SELECT slug FROM content ORDER BY slug"),
            "code": column("SELECT code FROM codes ORDER BY code"),
            "license_id": licenses,
            "licenses": licenses,
            "client": column("SELECT id FROM clients ORDER BY id"),
            "other_client": column("SELECT id FROM clients ORDER BY id"),
            "user": column("SELECT id FROM users ORDER BY id LIMIT 5"),
            "page_name": PREVIEW_PAGES,
            "name": ("x.png", "missing.jpg"),
        }


# What the instance client counts when the instance looks unhealthy: never, with the healthy
# sandbox, unless a request's input made it so (and then every later page pays for it).
UPSTREAM_TROUBLE = ("unavailable", "breaker_open", "rate_limited", "served_stale", "held_back_")


@dataclass
class Outcome:
    status: int
    refused: bool
    changes: dict = field(default_factory=dict)
    upstream_trouble: dict = field(default_factory=dict)
    logged: list[str] = field(default_factory=list)
    body: str = ""

    def report(self, attempt: Attempt) -> str:
        logged = "\n".join(self.logged[-3:]) or "(nothing logged)"
        trouble = f" upstream trouble: {self.upstream_trouble}" if self.upstream_trouble else ""
        return f"{attempt!r}\n-> {self.status}{trouble}\n{logged}\n{self.body[:300]}"


class Fuzz:
    """Sends attempts to one app as a visitor, the learner or the admin, and judges them."""

    def __init__(self, app):
        self.app = app
        self.store = app.extensions["sandbox"].store
        self.client = app.extensions["instance"]
        self.uploads = Path(app.config["UPLOAD_FOLDER"])
        self.routes = app_routes(app)
        self.known = known_values(self.store)
        self.recorder = _Recorder()
        self._browsers: dict[str, Browser] = {}
        self._expected: dict[str, dict] = {}  # role -> the session keys that make it that role

    # -- sessions -------------------------------------------------------------------------------

    def browser(self, role: str) -> Browser:
        """The role's browser, signed in again if a request signed it out (or in)."""
        if role not in self._browsers:
            browser = Browser(self.app.test_client())
            if role == "visitor":
                browser.get("/login")  # a session holding a CSRF token
            else:
                browser.sign_in(role)
            self._browsers[role] = browser
            self._expected[role] = self._identity(self._session(browser))
        return self._browsers[role]

    @staticmethod
    def _session(browser: Browser) -> dict:
        with browser.client.session_transaction() as session:
            return dict(session)

    @staticmethod
    def _identity(session: dict) -> dict:
        return {key: session.get(key) for key in ("token", "user_id", "csrf_token")}

    def sign(self, claims: HandoffToken) -> str:
        config = self.app.config
        return issue(
            config["EMBED_SHARED_SECRET"],
            config["EMBED_AUDIENCE"],
            email=claims.email,
            auth_token=claims.auth_token,
        )

    # -- the sandbox's state ----------------------------------------------------------------------

    def state(self) -> dict[str, list]:
        """Every row of every table of the sandbox, and the uploaded files."""
        with self.store.read() as conn:
            tables = [
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            found = {
                table: sorted(tuple(row) for row in conn.execute(f'SELECT * FROM "{table}"'))
                for table in tables
            }
        found["uploads/"] = (
            sorted(p.name for p in self.uploads.glob("*")) if self.uploads.exists() else []
        )
        return found

    @staticmethod
    def changes(before: dict, after: dict) -> dict:
        """Per table: rows gone and rows new (a few of each)."""
        changed = {}
        for table in sorted(set(before) | set(after)):
            old, new = set(before.get(table, [])), set(after.get(table, []))
            if old != new:
                changed[table] = {"gone": sorted(old - new)[:3], "new": sorted(new - old)[:3]}
        return changed

    # -- one request ----------------------------------------------------------------------------

    def send(self, attempt: Attempt) -> Outcome:
        browser = self.browser(attempt.role)
        flashes_before = self._session(browser).get("_flashes", [])
        before = self.state()
        self.recorder.lines.clear()
        counted = dict(self.client.counters)
        request = attempt.request(browser.csrf, self.sign)
        if attempt.cookie is None:
            response = browser.client.open(**request)
        else:  # the role's cookie jar would replace the cookie: a client without one sends it
            name = self.app.config["SESSION_COOKIE_NAME"]
            request["headers"]["Cookie"] = f"{name}={attempt.cookie}"
            response = self.app.test_client(use_cookies=False).open(**request)
        session = self._session(browser)
        added = _added(flashes_before, session.get("_flashes", []))
        refused = 400 <= response.status_code < 500 or any(c == "error" for c, _m in added)
        if self._identity(session) != self._expected[attempt.role]:
            self._browsers.pop(attempt.role)  # signed in, out or as someone else: start over
        trouble = {
            name: count - counted.get(name, 0)
            for name, count in self.client.counters.items()
            if name.startswith(UPSTREAM_TROUBLE) and count != counted.get(name, 0)
        }
        return Outcome(
            status=response.status_code,
            refused=refused,
            changes=self.changes(before, self.state()) if refused else {},
            upstream_trouble=trouble,
            logged=list(self.recorder.lines),
            body=response.get_data(as_text=True) if response.status_code >= 500 else "",
        )


def _added(before: list, after: list) -> list:
    before, after = [tuple(f) for f in before], [tuple(f) for f in after]
    return after[len(before) :] if after[: len(before)] == before else after
