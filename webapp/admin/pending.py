"""Uploads waiting for confirmation, and import reports, kept server-side for an hour.

Between the preview and the confirmation the parsed file lives in the shared state (Redis with
several machines, so the confirmation may reach another machine than the preview), never in
the cookie; the session holds only its random name. Each entry records the admin who made it,
and only they can read it. An upload is claimed with `take` (read and delete in one step), so
one upload is imported once even if "Import" is pressed twice.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import asdict

from flask import session

from ..state import shared_state
from .learner_import import LearnerRow, ParsedFile, RowResult

TTL_SECONDS = 60 * 60
UPLOAD_KEY = "admin_import"
REPORT_KEY = "admin_import_report"
_NAME = re.compile(r"^[A-Za-z0-9_-]{20,64}\Z")
# session key -> prefix of its entry in the shared state
_PREFIX = {UPLOAD_KEY: "admin-import:upload:", REPORT_KEY: "admin-import:report:"}


def state_key(session_key: str, name: object) -> str | None:
    """Where the entry the session names lives; None for anything we never generated."""
    if not isinstance(name, str) or not _NAME.match(name):
        return None
    return _PREFIX[session_key] + name


def _save(session_key: str, payload: dict) -> None:
    name = secrets.token_urlsafe(24)
    shared_state().set(state_key(session_key, name), json.dumps(payload), ttl=TTL_SECONDS)
    session[session_key] = name


def _owned(raw: str | None, owner: str) -> dict | None:
    """The entry's payload if it is there, readable, and the admin's own."""
    if raw is None:
        return None
    try:
        payload = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(payload, dict) or payload.get("owner") != owner:
        return None
    return payload


def _read(session_key: str, owner: str) -> dict | None:
    key = state_key(session_key, session.get(session_key))
    return _owned(shared_state().get(key), owner) if key else None


# -- uploads waiting for confirmation ---------------------------------------------------------


def save_upload(parsed: ParsedFile, owner: str, filename: str) -> None:
    discard_upload(owner)
    payload = {
        "owner": owner,
        "filename": filename,
        "columns": parsed.columns,
        "unknown_columns": parsed.unknown_columns,
        "rows": [asdict(row) for row in parsed.rows],
    }
    _save(UPLOAD_KEY, payload)


def _parsed(payload: dict) -> tuple[ParsedFile, str] | None:
    try:
        rows = [LearnerRow(**row) for row in payload["rows"]]
        parsed = ParsedFile(rows, payload["columns"], payload["unknown_columns"])
    except (KeyError, TypeError):
        return None
    return parsed, payload.get("filename") or ""


def load_upload(owner: str) -> tuple[ParsedFile, str] | None:
    """The admin's upload waiting for confirmation, with its file name; None if there is none."""
    payload = _read(UPLOAD_KEY, owner)
    return _parsed(payload) if payload is not None else None


def claim_upload(owner: str) -> tuple[ParsedFile, str] | None:
    """Take the upload for importing: nobody (not even a second click) can take it again."""
    key = state_key(UPLOAD_KEY, session.pop(UPLOAD_KEY, None))
    if key is None:
        return None
    payload = _owned(shared_state().take(key), owner)  # None: claimed, expired or never there
    return _parsed(payload) if payload is not None else None


def discard_upload(owner: str) -> bool:
    key = state_key(UPLOAD_KEY, session.pop(UPLOAD_KEY, None))
    if key is None or _owned(shared_state().get(key), owner) is None:
        return False
    shared_state().delete(key)
    return True


# -- reports ----------------------------------------------------------------------------------


def save_report(results: list[RowResult], owner: str, filename: str) -> None:
    old = state_key(REPORT_KEY, session.get(REPORT_KEY))
    if old is not None and _read(REPORT_KEY, owner) is not None:
        shared_state().delete(old)
    payload = {"owner": owner, "filename": filename, "outcomes": [asdict(r) for r in results]}
    _save(REPORT_KEY, payload)


def load_report(owner: str) -> tuple[list[RowResult], str] | None:
    payload = _read(REPORT_KEY, owner)
    if payload is None:
        return None
    try:
        return [RowResult(**r) for r in payload["outcomes"]], payload.get("filename") or ""
    except (KeyError, TypeError):
        return None


def _waiting(session_key: str) -> bool:
    """Whether the session names an entry that is still there (without reading it whole)."""
    key = state_key(session_key, session.get(session_key))
    return key is not None and shared_state().expires_in(key) is not None


def has_upload() -> bool:
    return _waiting(UPLOAD_KEY)


def has_report() -> bool:
    return _waiting(REPORT_KEY)
