"""Once only: a form submitted twice (a double click, a resent POST) changes things once.

Every form of an action that must not run twice carries a random submission id, made when
the form is rendered (the `submission_id_field` macro in _macros/forms.html), so it works
without JavaScript. `@once_only` on the POST view claims that id in the shared state with
`add()`: the one request that claims it runs the view and keeps what it answered (status,
body, the headers that matter, the flashes and session notes it left) for a few minutes; a
second request with the same id, on any process or machine, waits for that answer and gives
it again, so the learner sees what the first request did rather than "code already used".

The claim is scoped to the signed-in session (one learner never sees another's answer) and
to what was submitted: one rendered form may send different things (the redeem form's "Add
another code", then "Redeem"), and only a repeat of the same submission is a double submit.
A request without an id (a form rendered before this existed) runs as it always did.

A repeat waits at most the page deadline; if the first is still running then, it says so
(409) rather than run the action a second time. An answer that says "busy" or "failed, try
again" (429, 5xx) or an exception is not kept: trying again must really try.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
from functools import wraps

from flask import Flask, current_app, flash, g, make_response, request, session
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .errors import dress
from .htmx import render_page, wants_fragment
from .security import csp_nonce
from .state import shared_state

FIELD = "submission_id"
_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}\Z")
# Long enough for any request to finish (a claim whose owner died must not block for ever).
CLAIM_TTL = 60
# How long a repeat can still get the first answer: double clicks and resends are seconds apart.
RESULT_TTL = 300
POLL_INTERVAL = 0.05
_PENDING = "pending"
# What a replayed answer needs to behave like the first: where it leads and how to read it.
_KEPT_HEADERS = {"location", "content-type", "vary", "retry-after", "cache-control"}
_MAX_BODY = 512 * 1024


def init_once(app: Flask) -> None:
    app.add_template_global(new_submission_id)


def new_submission_id() -> str:
    """A fresh id for one rendered form."""
    return secrets.token_urlsafe(18)


def once_only(*, session_keys: tuple[str, ...] = ()):
    """Run the view once per submission id; a repeat gets the first run's answer.

    `session_keys` names what the view leaves in the session for the page it leads to
    (besides flashes), so a repeat that reaches that page finds it there too.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            key = _claim_key()
            if key is None:
                return view(*args, **kwargs)
            state = shared_state()
            deadline = time.monotonic() + current_app.config.get("PAGE_DEADLINE", 3.0)
            while True:
                if state.add(key, _PENDING, CLAIM_TTL):
                    return _run_and_keep(key, session_keys, view, args, kwargs)
                stored = state.get(key)
                if stored not in (None, _PENDING):
                    return _replay(json.loads(stored))
                if time.monotonic() >= deadline:
                    return _still_running()
                time.sleep(POLL_INTERVAL)

        return wrapper

    return decorate


def _claim_key() -> str | None:
    """`once:<session>:<submission id>:<what was sent>`, or None when there is nothing to
    claim: no id (an old form), an id that is not one of ours, or nobody signed in to scope
    it to (the view then sends them to sign in)."""
    submission = request.form.get(FIELD) if request.method == "POST" else None
    sid = getattr(session, "sid", None)
    if not submission or not _ID.match(submission) or not sid or not session.get("token"):
        return None
    # The session id is hashed: like the session store, the state never holds a cookie value.
    scope = hashlib.sha256(f"once\0{sid}".encode()).hexdigest()[:32]
    return f"once:{scope}:{submission}:{_what_was_sent()}"


def _what_was_sent() -> str:
    fields = sorted(
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in (FIELD, "csrf_token")
    )
    shape = [request.full_path, wants_fragment(), fields]
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:32]


def _run_and_keep(key: str, session_keys: tuple[str, ...], view, args, kwargs) -> Response:
    state = shared_state()
    flashes_before = list(session.get("_flashes", []))
    notes_before = {name: session.get(name) for name in session_keys}
    try:
        response = make_response(view(*args, **kwargs))
    except BaseException:
        state.delete(key)  # nothing to show: a repeat runs the view itself
        raise
    body = None if _try_again_later(response) else response.get_data()
    if body is None or len(body) > _MAX_BODY:
        # "Busy, try again" is no result: the learner's next try must really try. (And a
        # body too big to keep is answered by running the view again.)
        state.delete(key)
        return response
    notes = {
        name: session.get(name) for name in session_keys if session.get(name) != notes_before[name]
    }
    kept = {
        "status": response.status_code,
        "headers": [
            [name, value]
            for name, value in response.headers.items()
            if name.lower() in _KEPT_HEADERS or name.lower().startswith("hx-")
        ],
        "body": base64.b64encode(body).decode("ascii"),
        "nonce": g.get("csp_nonce"),
        "flashes": _added(flashes_before, session.get("_flashes", [])),
        "notes": notes,
    }
    state.set(key, json.dumps(kept), RESULT_TTL)
    return response


def _try_again_later(response: Response) -> bool:
    """An answer not to give again: busy or failing upstream, or a body we cannot copy."""
    if response.is_streamed or response.direct_passthrough:
        return True
    return response.status_code == 429 or response.status_code >= 500


def _added(before: list, after: list) -> list:
    """The flashes the view added. A page it rendered shows (and takes) the waiting ones."""
    before, after = [list(f) for f in before], [list(f) for f in after]
    return after[len(before) :] if after[: len(before)] == before else after


def _replay(kept: dict) -> Response:
    """The first answer again, its flashes and notes in this request's session."""
    waiting = [list(f) for f in session.get("_flashes", [])]
    for category, message in kept["flashes"]:
        if [category, message] not in waiting:  # the first answer's page has not shown it yet
            flash(message, category)
    for name, value in kept["notes"].items():
        if value is None:
            session.pop(name, None)
        elif session.get(name) != value:
            session[name] = value
    body = base64.b64decode(kept["body"])
    if kept.get("nonce"):
        # The body's inline scripts and styles carry the first response's CSP nonce; this
        # response's policy names a fresh one.
        body = body.replace(kept["nonce"].encode(), csp_nonce().encode())
    response = Response(body, kept["status"])
    for name, value in kept["headers"]:
        response.headers[name] = value
    return response


def _still_running() -> Response:
    """The first request outlived the page deadline: say so rather than run the action twice."""
    dress(cached_only=True)  # the chrome, without asking the instance that is being slow
    return render_page(
        "errors/error.html",
        "errors/_error.html",
        409,
        title=_("Still working on it"),
        message=_(
            "This form was already sent and is still being handled. Wait a moment, then "
            "reload the page to see the result."
        ),
    )
