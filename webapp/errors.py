"""Error pages, and the one place where the instance's failures become responses.

Every error page wears the company's branding and chrome, like any other page: when the
failure came before the page loaded its chrome (an unknown URL, a missing upload, a refused
method), the handler loads it first, so the learner's language and header are known before
the message is worded. When the instance itself is failing, only what the shared cache holds
is used: an error page never waits on the instance it is reporting.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, flash, g, request, session
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .auth.decorators import return_after_sign_in, to_sign_in
from .gql import (
    AuthRequired,
    OperationFailed,
    PageData,
    RateLimited,
    UpstreamUnavailable,
    instance,
)
from .htmx import render_page, wants_fragment
from .pages import chrome_calls, load_chrome, load_page, use_chrome

log = logging.getLogger("atrium.errors")


def dress(*, cached_only: bool = False) -> None:
    """Load the chrome (branding, header, the learner) for an error page that has none yet.

    With `cached_only` nothing is sent upstream: the company's branding, strings and languages
    come from the shared cache when it holds them (the learner's name is then left out).
    """
    if (
        "chrome" in g
        or wants_fragment()
        or request.blueprint in current_app.config["API_BLUEPRINTS"]
    ):
        return  # already dressed; a fragment has no chrome; an API (the sandbox's) has none
    signed_in = bool(session.get("token"))
    try:
        if cached_only:
            _use_cached_chrome(signed_in)
        elif signed_in:
            load_page()
        else:
            load_chrome()
    except AuthRequired:
        _use_cached_chrome(False)  # the session is over: dress the page as for a visitor
    except Exception:  # an error page must render whatever went wrong here
        log.exception("cannot load the chrome for an error page")
        _use_cached_chrome(False)


def _use_cached_chrome(signed_in: bool) -> None:
    cache = instance().cache
    page = PageData()
    for call in chrome_calls(signed_in):
        if call.op.shared:
            value, _state = cache.lookup(call.cache_key())
            if value is not None:
                page.values[call.result_key] = value
    use_chrome(page)


def _render(status: int, title: str, message: str, retry_after: int | None = None):
    try:
        response = render_page(
            "errors/error.html", "errors/_error.html", status, title=title, message=message
        )
    except Exception:  # e.g. a broken header template: still say what happened
        log.exception("cannot render the error page")
        response = Response(f"{title}. {message}", status, mimetype="text/plain")
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def init_error_pages(app: Flask) -> None:
    @app.errorhandler(AuthRequired)
    def auth_required(_error):
        session.pop("token", None)
        flash(_("Your session has ended. Sign in again to continue."), "info")
        # Back to the form the learner was sending, when it kept what they typed; else to
        # the page they were on.
        return to_sign_in(return_after_sign_in())

    @app.errorhandler(RateLimited)
    def rate_limited(error: RateLimited):
        dress(cached_only=True)
        seconds = error.seconds
        message = _(
            "The learning platform is busy right now. Try again in %(seconds)d seconds.",
            seconds=seconds,
        )
        return _render(429, _("Too many requests"), message, seconds)

    @app.errorhandler(UpstreamUnavailable)
    def unavailable(_error):
        dress(cached_only=True)
        message = _("We couldn't reach the learning platform. Try again in a moment.")
        return _render(503, _("Learning platform unavailable"), message)

    @app.errorhandler(OperationFailed)
    def operation_failed(error: OperationFailed):
        dress()
        log.warning("unhandled %s failure: %s", error.operation, error.code)
        return _render(502, _("Something went wrong"), str(error))

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        dress(cached_only=True)  # a refused request reaches nothing upstream
        message = _(
            "This form has expired or didn't come from this site. Reload the page and try again."
        )
        return _render(400, _("Please try again"), message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # A refused form post (cross-site, too large, wrong method) reaches nothing upstream.
        dress(cached_only=request.method not in ("GET", "HEAD"))
        titles = {
            404: _("Page not found"),
            405: _("Not allowed"),
            403: _("Access denied"),
            413: _("File too large"),
        }
        messages = {
            404: _("There is nothing at this address. Check the link, or go to your dashboard."),
            403: _("You don't have permission to see this page."),
            413: _("That file is too large to upload."),
        }
        code = error.code or 500
        return _render(
            code,
            titles.get(code, _("Something went wrong")),
            messages.get(code, _("Your request could not be completed.")),
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error", exc_info=error)
        dress(cached_only=True)
        return _render(
            500, _("Something went wrong"), _("Something went wrong on our side. Try again.")
        )
