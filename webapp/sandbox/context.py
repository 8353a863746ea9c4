"""What a resolver knows about the request it serves: the database, the learner, the time."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .errors import forbidden, unauthenticated


def token_digest(token: str) -> str:
    """Tokens are stored hashed, so a copy of the database signs no one in."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class RequestContext:
    conn: sqlite3.Connection
    token: str | None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    # Input-object fields a client sent in variables that the schema does not declare, by the
    # variable path they came from (TI accepts e.g. LearnerInput.ref1; see engine.py).
    undeclared_inputs: dict[tuple, dict] = field(default_factory=dict)
    _user: dict | None = None
    _resolved: bool = False

    @property
    def user(self) -> dict | None:
        if not self._resolved:
            self._resolved = True
            if self.token:
                row = self.conn.execute(
                    "SELECT u.* FROM tokens t JOIN users u ON u.id = t.user_id "
                    "WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0",
                    (token_digest(self.token),),
                ).fetchone()
                self._user = dict(row) if row else None
        return self._user

    def forget_user(self) -> None:
        """After Logout or a change to the user row, look the user up again."""
        self._resolved = False
        self._user = None

    def require_user(self) -> dict:
        """The signed-in learner, or TI's UNAUTHENTICATED error."""
        if self.user is None:
            if self.token:
                raise unauthenticated("Your session has expired or was signed out. Sign in again.")
            raise unauthenticated()
        return self.user

    def optional_user(self) -> dict | None:
        """The learner if signed in; anonymous if no token; an error for a dead token."""
        if self.token and self.user is None:
            self.require_user()
        return self.user

    def require_admin(self) -> dict:
        user = self.require_user()
        if user["role_key"] != "admin":
            raise forbidden("Only administrators can create learners.")
        return user
