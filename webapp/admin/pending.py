"""Uploads waiting for confirmation, and import reports, kept server-side for an hour.

Between the preview and the confirmation the parsed file lives in a JSON file under
`<instance>/imports/` (never in the cookie); the session holds only its random name. Each file
records the admin who made it, and only they can read it. A file is claimed by renaming it, so
one upload is imported once even if "Import" is pressed twice.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from contextlib import suppress
from dataclasses import asdict
from pathlib import Path

from flask import current_app, session

from .learner_import import LearnerRow, Outcome, ParsedFile

TTL_SECONDS = 60 * 60
UPLOAD_KEY = "admin_import"
REPORT_KEY = "admin_import_report"
_NAME = re.compile(r"^[A-Za-z0-9_-]{20,64}\Z")


def directory() -> Path:
    path = Path(current_app.config["ADMIN_IMPORT_DIR"])
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def sweep(now: float | None = None) -> None:
    """Forget uploads and reports older than an hour."""
    limit = (now or time.time()) - TTL_SECONDS
    for path in directory().iterdir():
        with suppress(OSError):
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()


def _path(name: object) -> Path | None:
    if not isinstance(name, str) or not _NAME.match(name):
        return None
    return directory() / f"{name}.json"


def _write(payload: dict) -> str:
    sweep()
    name = secrets.token_urlsafe(24)
    target = directory() / f"{name}.json"
    temporary = target.with_suffix(".json.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle)
    os.replace(temporary, target)
    return name


def _read(path: Path | None, owner: str) -> dict | None:
    if path is None:
        return None
    try:
        if path.stat().st_mtime < time.time() - TTL_SECONDS:
            path.unlink()
            return None
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(payload, dict) or payload.get("owner") != owner:
        return None
    return payload


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
    session[UPLOAD_KEY] = _write(payload)


def _parsed(payload: dict) -> tuple[ParsedFile, str]:
    rows = [LearnerRow(**row) for row in payload["rows"]]
    parsed = ParsedFile(rows, payload["columns"], payload["unknown_columns"])
    return parsed, payload.get("filename") or ""


def load_upload(owner: str) -> tuple[ParsedFile, str] | None:
    """The admin's upload waiting for confirmation, with its file name; None if there is none."""
    payload = _read(_path(session.get(UPLOAD_KEY)), owner)
    if payload is None:
        return None
    try:
        return _parsed(payload)
    except (KeyError, TypeError):
        return None


def claim_upload(owner: str) -> tuple[ParsedFile, str] | None:
    """Take the upload for importing: nobody (not even a second click) can take it again."""
    path = _path(session.pop(UPLOAD_KEY, None))
    if path is None:
        return None
    claimed = path.with_suffix(".claimed")
    try:
        os.rename(path, claimed)
    except OSError:
        return None  # already claimed, expired or never there
    try:
        payload = _read(claimed, owner)
        return _parsed(payload) if payload is not None else None
    except (KeyError, TypeError):
        return None
    finally:
        with suppress(OSError):
            claimed.unlink()


def discard_upload(owner: str) -> bool:
    path = _path(session.pop(UPLOAD_KEY, None))
    if path is None or _read(path, owner) is None:
        return False
    with suppress(OSError):
        path.unlink()
    return True


# -- reports ----------------------------------------------------------------------------------


def save_report(outcomes: list[Outcome], owner: str, filename: str) -> None:
    old = _path(session.get(REPORT_KEY))
    if old is not None and _read(old, owner) is not None:
        with suppress(OSError):
            old.unlink()
    payload = {"owner": owner, "filename": filename, "outcomes": [asdict(o) for o in outcomes]}
    session[REPORT_KEY] = _write(payload)


def load_report(owner: str) -> tuple[list[Outcome], str] | None:
    payload = _read(_path(session.get(REPORT_KEY)), owner)
    if payload is None:
        return None
    try:
        return [Outcome(**o) for o in payload["outcomes"]], payload.get("filename") or ""
    except (KeyError, TypeError):
        return None


def _waiting(key: str) -> bool:
    """Whether the session names a file that is still there and not yet expired."""
    path = _path(session.get(key))
    try:
        return path is not None and path.stat().st_mtime >= time.time() - TTL_SECONDS
    except OSError:
        return False


def has_upload() -> bool:
    return _waiting(UPLOAD_KEY)


def has_report() -> bool:
    return _waiting(REPORT_KEY)
