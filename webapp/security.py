"""Security defaults: URL checks, safe redirects, CSP nonces and response headers."""

from __future__ import annotations

import re
import secrets
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from flask import Flask, Response, abort, current_app, g, request, session

_CONTROL = re.compile(r"[\x00-\x1f\x7f\s]+")
SAFE_SCHEMES = ("https", "http")


# What an instance id looks like (UUIDs, "lic-acme-standard", "user_123"...): ids from a URL or a
# form that don't are refused before they reach the instance. The same characters make safe
# HTML ids and CSS selectors.
TI_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\Z")


def stripped(value: object) -> object:
    """A WTForms filter: text without surrounding whitespace (other values as they are)."""
    return value.strip() if isinstance(value, str) else value


def plausible_id(value: object) -> bool:
    return isinstance(value, str) and bool(TI_ID.match(value))


def safe_url(value: object, *, allow_http: bool = True) -> str | None:
    """An API-supplied URL fit for href/src, or None.

    Control characters and whitespace go first (browsers ignore them, so `java\\nscript:` would
    otherwise slip through), then only https, http and relative URLs pass. A protocol-relative
    `//host/x` is an absolute URL to another host: it comes back as `https://host/x`, judged
    as one (it would otherwise take the page's scheme: plain http on an http page).
    """
    if not isinstance(value, str):
        return None
    url = _CONTROL.sub("", value)
    if not url or len(url) > 2048:
        return None
    if url.startswith(("\\", "/\\")):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # malformed (`https://[`): no browser could follow it either
        return None
    if parts.scheme:
        allowed = SAFE_SCHEMES if allow_http else ("https",)
        return url if parts.scheme.lower() in allowed and parts.netloc else None
    if url.startswith("//"):
        return "https:" + url if parts.netloc else None
    return url if ":" not in url.split("/", 1)[0] else None


def instance_url(value: object, *, allow_http: bool = True) -> str | None:
    """A URL from the API, checked by safe_url and made absolute against the instance.

    The instance's relative URLs (content pages, assets, navigation) are paths on the instance,
    not on Atrium; on the sandbox the two are the same host, so they stay relative.
    """
    if not isinstance(value, str):
        return None
    return _instance_url(value, allow_http, current_app.config.get("TI_INSTANCE_URL") or "")


@lru_cache(maxsize=4096)
def _instance_url(value: str, allow_http: bool, base: str) -> str | None:
    # A page shows the same dozen or so URLs on every view (logo, navigation, thumbnails): each
    # is judged and joined once per process, not 20 times a view.
    url = safe_url(value, allow_http=allow_http)
    if url and base and not urlsplit(url).scheme and not url.startswith("//"):
        return urljoin(base.rstrip("/") + "/", url)
    return url


def safe_next(value: object, default: str) -> str:
    """A redirect target that stays on this site: a path of ours, never another host."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return default
    cleaned = _CONTROL.sub("", value)
    if cleaned != value or "\\" in value:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str, frame_ancestors: str = "'none'") -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' https: data:",
            "font-src 'self' https:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Posted to from elsewhere by design: the portal's signed handoff, and API_BLUEPRINTS (an API
# keyed by apiKey mounted on Atrium's host, such as the embedded sandbox's).
CROSS_ORIGIN_ALLOWED = frozenset({"embed.handoff"})


def refuse_cross_origin_changes() -> None:
    """Every state change must come from Atrium's own pages (CSRF tokens aside): a browser
    names the page that sent it in `Origin` and `Sec-Fetch-Site`. A cross-site or "null"
    origin (a sandboxed frame, a data: page) is refused; no Origin at all (a non-browser
    client) is left to the CSRF token. Hosts are compared, not schemes: behind a TLS proxy
    Atrium may see http while the browser says https."""
    if request.method not in STATE_CHANGING:
        return
    if (
        request.endpoint in CROSS_ORIGIN_ALLOWED
        or request.blueprint in current_app.config["API_BLUEPRINTS"]
    ):
        return
    origin = request.headers.get("Origin")
    fetch_site = request.headers.get("Sec-Fetch-Site")
    foreign_origin = origin is not None and (
        origin == "null" or _host_of(origin) != request.host.lower()
    )
    if foreign_origin or fetch_site not in (None, "same-origin", "none"):
        current_app.logger.warning(
            "refused cross-origin %s %s from %r", request.method, request.path, origin
        )
        abort(403)


_RAW_CONTROL = re.compile(rb"[\x00-\x1f\x7f]")


def refuse_raw_control_characters() -> None:
    """A query string with a raw control character is no URL (a browser percent-encodes them,
    and a server in front such as gunicorn refuses the request line): refused with 400 before
    routing, whose slash-merging redirect would copy it into a Location header and fail."""
    if _RAW_CONTROL.search(request.query_string):
        abort(400)


def _host_of(url: str) -> str | None:
    """The URL's host (and port), lowercased; None for a malformed one (`http://[`)."""
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return None


def init_security_headers(app: Flask) -> None:
    app.before_request(refuse_raw_control_characters)
    app.before_request(refuse_cross_origin_changes)

    @app.context_processor
    def _nonce() -> dict:
        return {"csp_nonce": csp_nonce}

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        if "Content-Security-Policy" not in headers:
            frame_ancestors = g.get("frame_ancestors", "'none'")
            headers["Content-Security-Policy"] = content_security_policy(
                csp_nonce(), frame_ancestors
            )
        headers.setdefault("X-Content-Type-Options", "nosniff")
        if session.get("token") and response.mimetype == "text/html":
            # A learner's pages must not outlive sign-out in the browser's or a proxy's cache.
            headers.setdefault("Cache-Control", "no-store")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if g.get("frame_ancestors") is None:
            headers.setdefault("X-Frame-Options", "DENY")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
