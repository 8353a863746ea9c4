"""`login_required`: learner pages send visitors to sign in and bring them back."""

from __future__ import annotations

from functools import wraps

from flask import redirect, request, session, url_for

from ..htmx import htmx


def sign_in_url() -> str:
    """The sign-in page, with a `next` that returns here (for HTMX, the page it came from)."""
    target = request.full_path.rstrip("?")
    if htmx and htmx.current_url:
        from urllib.parse import urlsplit

        parts = urlsplit(htmx.current_url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
    return url_for("auth.login", next=target)


def to_sign_in():
    if htmx:
        from flask import make_response

        response = make_response("", 200)
        response.headers["HX-Redirect"] = sign_in_url()
        return response
    return redirect(sign_in_url(), 303)


def learner_token() -> str | None:
    """The signed-in learner's TI authToken (kept server-side, in the session store)."""
    return session.get("token")


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not session.get("token"):
            return to_sign_in()
        return view(*args, **kwargs)

    return wrapper
