"""`flask run` (make run) answers `Server: Werkzeug/3.x Python/3.x` on every response: software
versions tell an attacker which advisories to try. Say only what Atrium is."""

from __future__ import annotations


def hide_software_versions() -> None:
    # Werkzeug's development server has no setting for it; its request handler builds the
    # header from version_string(), so that is what changes. gunicorn says "gunicorn" only.
    from werkzeug.serving import WSGIRequestHandler

    WSGIRequestHandler.version_string = _name_only


def _name_only(_handler) -> str:
    return "Atrium"
