"""The stylesheets a page links besides app.css: the brand's theme and the company's CSS.

Neither is ever inlined: the theme is a pure function of validated parameters (so it caches
anywhere and needs no nonce), and the company's CSS is untrusted and rebuilt from an allowlist.

Both URLs are keyed by what they serve: the theme's by its parameters, the company CSS's by a
hash of its source (`v=`), and both by `r=`, a hash of the code and font files that turn those
into CSS (added by url_for). A request for the current `r` (and, for the company CSS, the
current `v`) is cached for a year, immutable; any other gets `no-cache` and revalidates.
"""

from __future__ import annotations

import hashlib
import logging
from functools import cache
from pathlib import Path

from flask import Blueprint, Response, request

from .branding import theme_from_query
from .custom_css import css_version, sanitize_css
from .fonts import MANIFEST, shipped, theme_font_css
from .gql import instance
from .pages import company_details_call

log = logging.getLogger("atrium.branding")

blueprint = Blueprint("branding", __name__)
_logged: set[str] = set()
IMMUTABLE = "public, max-age=31536000, immutable"


@cache
def revision() -> str:
    """A hash of everything that shapes these stylesheets besides their parameters: the code
    that writes them and the font files theme.css points at (their URLs carry their hashes)."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("stylesheets.py", "branding.py", "fonts.py", "custom_css.py", "css_tokens.py"):
        digest.update((package / name).read_bytes())
    digest.update(MANIFEST.read_bytes() if MANIFEST.exists() else b"")
    for family in shipped().values():
        for face in family.faces:
            digest.update((package / "static" / face.file).read_bytes())
    return digest.hexdigest()[:12]


@blueprint.url_defaults
def _versioned(endpoint: str, values: dict) -> None:
    values.setdefault("r", revision())


@blueprint.get("/branding/theme.css")
def theme_css():
    """The brand's colours and fonts as CSS custom properties.

    A pure function of its (validated) parameters, so it caches anywhere and needs no inline
    <style>: pages link it with their theme's values (webapp/branding.Theme.css_query).
    """
    theme = theme_from_query(request.args)
    fonts = theme_font_css(theme.font_name, theme.alt_font_name)
    response = Response(theme.css_variables() + theme.css_rules() + fonts, mimetype="text/css")
    response.headers["Cache-Control"] = (
        IMMUTABLE if request.args.get("r") == revision() else "no-cache"
    )
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:16])
    return response.make_conditional(request)


@blueprint.get("/branding/custom.css")
def custom_css():
    """The company's (or the learner's client's) custom CSS, sanitised, as text/css."""
    page = instance().fetch(company_details_call())
    company = page["CompanyDetails"]
    source = company.settings.custom_css if company and company.settings else None
    cleaned = sanitize_css(source)
    version = css_version(source)
    if cleaned.removed and version not in _logged:
        _logged.add(version)
        for removal in cleaned.removed:
            log.warning("custom CSS: removed %r: %s", removal.what, removal.why)
    response = Response(cleaned.css, mimetype="text/css")
    if request.args.get("v") == version and request.args.get("r") == revision():
        # Keyed by the CSS's own hash: the same URL is the same CSS for everyone.
        response.headers["Cache-Control"] = IMMUTABLE.replace("public", "private")
    else:
        response.headers["Cache-Control"] = "no-cache"
        response.vary.add("Cookie")
    response.set_etag(version)
    return response.make_conditional(request)
