"""Error pages, and the one place where the instance's failures become responses."""

from __future__ import annotations

import logging

from flask import Flask, flash, session
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .auth.decorators import to_sign_in
from .gql import AuthRequired, OperationFailed, RateLimited, UpstreamUnavailable
from .htmx import render_page

log = logging.getLogger("atrium.errors")


def _render(status: int, title: str, message: str, retry_after: int | None = None):
    response = render_page(
        "errors/error.html", "errors/_error.html", status, title=title, message=message
    )
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def init_error_pages(app: Flask) -> None:
    @app.errorhandler(AuthRequired)
    def auth_required(_error):
        session.pop("token", None)
        flash(_("Your session has ended. Sign in again to continue."), "info")
        return to_sign_in()

    @app.errorhandler(RateLimited)
    def rate_limited(error: RateLimited):
        seconds = error.seconds
        message = _(
            "The learning platform is busy right now. Try again in %(seconds)d seconds.",
            seconds=seconds,
        )
        return _render(429, _("Too many requests"), message, seconds)

    @app.errorhandler(UpstreamUnavailable)
    def unavailable(_error):
        message = _("We couldn't reach the learning platform. Try again in a moment.")
        return _render(503, _("Learning platform unavailable"), message)

    @app.errorhandler(OperationFailed)
    def operation_failed(error: OperationFailed):
        log.warning("unhandled %s failure: %s", error.operation, error.code)
        return _render(502, _("Something went wrong"), str(error))

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        message = _(
            "This form has expired or didn't come from this site. Reload the page and try again."
        )
        return _render(400, _("Please try again"), message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
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
        return _render(
            500, _("Something went wrong"), _("Something went wrong on our side. Try again.")
        )
