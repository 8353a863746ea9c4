"""`login_required`: learner pages send visitors to sign in and bring them back."""

from __future__ import annotations

from functools import wraps

from flask import session, url_for

from ..htmx import current_path, see_other


def sign_in_url() -> str:
    """The sign-in page, with a `next` that returns to the page the learner is on."""
    return url_for("auth.login", next=current_path())


def to_sign_in():
    """Off to sign in (a client-side redirect for HTMX, a 303 otherwise)."""
    return see_other(sign_in_url())


def learner_token() -> str | None:
    """The signed-in learner's TI authToken (kept server-side, in the session store)."""
    return session.get("token")


def login_required(view):
    """A learner page: without a session, sign in first and come back."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not learner_token():
            return to_sign_in()
        return view(*args, **kwargs)

    return wrapper


def start_session(token: str, user, **extra) -> None:
    """Sign the learner in here: a fresh session id holding their token (and their language
    pick, which outlives signing in and out)."""
    lang = session.get("lang")
    session.clear()
    session.regenerate()
    client = getattr(user, "client", None)
    session.update(token=token, user_id=user.id, **extra)
    if getattr(client, "id", None):
        session["client_id"] = client.id  # branding is cached per client (pages.py)
    if lang:
        session["lang"] = lang
