"""The stylesheets a page links besides app.css: the brand's theme and the company's CSS.

Neither is ever inlined: the theme is a pure function of validated parameters (so it caches
anywhere and needs no nonce), and the company's CSS is untrusted and rebuilt from an allowlist.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request, session

from .branding import theme_from_query
from .custom_css import css_version, sanitize_css
from .gql import Call, instance

log = logging.getLogger("atrium.branding")

blueprint = Blueprint("branding", __name__)
_logged: set[str] = set()


@blueprint.get("/branding/theme.css")
def theme_css():
    """The brand's colours and fonts as CSS custom properties.

    A pure function of its (validated) parameters, so it caches anywhere and needs no inline
    <style>: pages link it with their theme's values (webapp/branding.Theme.css_query).
    """
    theme = theme_from_query(request.args)
    response = Response(theme.css_variables() + theme.css_rules(), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@blueprint.get("/branding/custom.css")
def custom_css():
    """The company's (or the learner's client's) custom CSS, sanitised, as text/css."""
    variables = {"user": session["user_id"]} if session.get("user_id") else {}
    page = instance().fetch(Call("CompanyDetails", variables))
    company = page["CompanyDetails"]
    source = company.settings.custom_css if company and company.settings else None
    cleaned = sanitize_css(source)
    version = css_version(source)
    if cleaned.removed and version not in _logged:
        _logged.add(version)
        for removal in cleaned.removed:
            log.warning("custom CSS: removed %r: %s", removal.what, removal.why)
    response = Response(cleaned.css, mimetype="text/css")
    response.headers["Cache-Control"] = "private, max-age=300"
    response.vary.add("Cookie")
    response.set_etag(version)
    return response.make_conditional(request)
