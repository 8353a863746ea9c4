"""What a learner typed survives signing in again: a form sent after the instance session
ended comes back filled in, for the same learner, once.

When a POST to one of the forms that keep their input (`keeps_typed_input` in
auth/decorators.py) finds the learner signed out, its text fields are kept in the learner's
server-side session under the form's page path (never in the cookie), with the learner's id.
Sign-in carries them into the new session only for that same learner; anyone else starts
clean. The form's GET page takes them back once, refills the form and says nothing was sent:
a state change needs the learner's say-so and a fresh CSRF token, so nothing is re-sent.

Only the fields a form names are kept, and never passwords, tokens or files (a browser cannot
refill a file input); long values and big forms are not kept at all.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Collection

from flask import flash, request, session
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

KEY = "typed_input"
LIFETIME = 30 * 60  # seconds: long enough to sign in again, short enough to be forgotten
MAX_VALUE = 4096  # a longer value is not something typed into these forms: not kept
MAX_TOTAL = 32 * 1024  # characters of one form; a bigger one is not kept at all
MAX_FIELDS = 100
MAX_FORMS = 3  # pages with input waiting at once
# Whatever a form names, these are never kept: a secret or a one-time value is no typed text.
_NEVER = re.compile(r"password|passwd|secret|token|csrf|submission_id", re.IGNORECASE)

Wanted = Callable[[str], object] | Collection[str]


def _now() -> float:
    return time.time()


def _fresh(entry: object, owner: object) -> bool:
    return (
        isinstance(entry, dict)
        and owner is not None
        and entry.get("owner") == owner
        and _now() - float(entry.get("at") or 0) < LIFETIME
    )


def keep(page: str, wanted: Wanted) -> bool:
    """Keep this request's text fields that `wanted` names, for `page`, for the learner of
    this session; True when something was kept."""
    owner = session.get("user_id")
    if not owner:
        return False  # nobody to give it back to
    accepts = wanted if callable(wanted) else set(wanted).__contains__
    try:
        sent = request.form
        files = request.files
    except HTTPException:  # an unreadable body (too large): nothing to keep
        return False
    fields = [
        [name, value]
        for name, value in sent.items(multi=True)
        if accepts(name) and not _NEVER.search(name) and len(value) <= MAX_VALUE
    ]
    size = sum(len(name) + len(value) for name, value in fields)
    if not any(value.strip() for _name, value in fields):
        return False
    if len(fields) > MAX_FIELDS or size > MAX_TOTAL:
        return False
    entries = {p: e for p, e in (session.get(KEY) or {}).items() if _fresh(e, owner)}
    entries[page] = {
        "owner": owner,
        "at": _now(),
        "fields": fields,
        "file_left_out": any(f.filename for f in files.values()),
    }
    while len(entries) > MAX_FORMS:
        entries.pop(min(entries, key=lambda p: entries[p]["at"]))
    session[KEY] = entries
    return True


def belonging_to(owner: object) -> dict | None:
    """The kept input of `owner` (to carry into the session sign-in starts), else None."""
    entries = {p: e for p, e in (session.get(KEY) or {}).items() if _fresh(e, owner)}
    return entries or None


def take(page: str, file_note: str | None = None) -> MultiDict | None:
    """What was kept for `page` for the signed-in learner, once, with a notice saying nothing
    was sent (and `file_note` when a file had been chosen); None if nothing was kept."""
    entries = dict(session.get(KEY) or {})
    entry = entries.pop(page, None)
    if entry is None:
        return None
    if entries:
        session[KEY] = entries
    else:
        session.pop(KEY, None)
    if not _fresh(entry, session.get("user_id")):
        return None
    notice = _("You were signed out, so nothing was sent. Check what you typed and send it again.")
    if entry.get("file_left_out") and file_note:
        notice = f"{notice} {file_note}"
    flash(notice, "warning")
    return MultiDict([(name, value) for name, value in entry["fields"]])
