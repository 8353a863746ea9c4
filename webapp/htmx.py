"""The only place that reads HX-* request headers or writes HX-* response headers."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, make_response, redirect, render_template, request
from flask_htmx import HTMX
from werkzeug.urls import iri_to_uri

htmx = HTMX()


def wants_fragment() -> bool:
    """An HTMX swap asks for a fragment; boosted and history-restore requests need the page."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def swap_target() -> str | None:
    """The id of the element an HTMX request will swap (HX-Target), if any."""
    return htmx.target if htmx else None


def render_page(
    page_template: str, fragment_template: str | None = None, status: int = 200, **context
) -> Response:
    """The full page, or just its fragment for an HTMX swap (same URL, same view)."""
    template = fragment_template if fragment_template and wants_fragment() else page_template
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def see_other(location: str) -> Response:
    """After a state change: a 303 for a plain form, a client-side redirect for HTMX."""
    if htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = iri_to_uri(location)  # headers are Latin-1 only
        return response
    return redirect(location, 303)


def current_path() -> str:
    """The page the learner is on: for an HTMX request, the page that sent it (HX-Current-URL,
    reduced to its path), else this request's own path."""
    if htmx and htmx.current_url:
        try:
            parts = urlsplit(htmx.current_url)
        except ValueError:  # a malformed header: fall back to this request's own path
            parts = None
        if parts is not None:
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.full_path.rstrip("?")
