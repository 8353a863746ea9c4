"""`login_required`: learner pages send visitors to sign in and bring them back."""

from __future__ import annotations

from functools import wraps

from flask import g, request, session, url_for

from .. import resume
from ..gql import AuthRequired
from ..htmx import current_path, see_other


def sign_in_url(next_path: str | None = None) -> str:
    """The sign-in page, with a `next` that returns to `next_path` or the page the learner
    is on."""
    return url_for("auth.login", next=next_path or current_path())


def to_sign_in(next_path: str | None = None):
    """Off to sign in (a client-side redirect for HTMX, a 303 otherwise)."""
    return see_other(sign_in_url(next_path))


def return_after_sign_in() -> str | None:
    """The form page a sign-in should lead back to, when a form sent in this request kept
    what the learner typed (set by `keeps_typed_input`)."""
    return g.get("return_after_sign_in")


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


def keeps_typed_input(page_endpoint: str, fields: resume.Wanted):
    """A form whose typed text outlives the learner's sign-in ending: a POST that finds them
    signed out (here, or by the instance: AuthRequired) keeps `fields` for the form's page
    (`page_endpoint`, relative to the blueprint, so embedded pages come back embedded) and
    sends them to sign in and back to that page, where the form is refilled (resume.py)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if request.method != "POST":
                return view(*args, **kwargs)
            page = url_for(page_endpoint)
            if not learner_token():
                resume.keep(page, fields)
                return to_sign_in(page)
            try:
                return view(*args, **kwargs)
            except AuthRequired:
                resume.keep(page, fields)
                g.return_after_sign_in = page  # not the POST's own URL: it has no page
                raise

        return wrapper

    return decorate


def start_session(token: str, user, **extra) -> None:
    """Sign the learner in here: a fresh session id holding their token (and their language
    pick, which outlives signing in and out, and what they typed into a form when their last
    session ended, which only they get back)."""
    lang = session.get("lang")
    typed = resume.belonging_to(user.id)
    session.clear()
    session.regenerate()
    client = getattr(user, "client", None)
    session.update(token=token, user_id=user.id, **extra)
    if getattr(client, "id", None):
        session["client_id"] = client.id  # branding is cached per client (pages.py)
    if lang:
        session["lang"] = lang
    if typed:
        session[resume.KEY] = typed
