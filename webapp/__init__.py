"""Atrium: a server-rendered learner dashboard for Thought Industries instances."""

from __future__ import annotations

import logging
import os
import re
import sys

from flask import Flask, g, has_request_context, request
from flask_wtf.csrf import CSRFProtect

from .config import ConfigError, load_settings
from .dev_server import hide_software_versions
from .gql import init_instance_client
from .state import init_state

csrf = CSRFProtect()


class Atrium(Flask):
    """Flask, with links from an embedded page leading to embedded pages (webapp/embed), and
    links remembered: a page builds ~30, the same ones view after view, and building one is
    a routing-map walk (with hashed static names), while looking one up is a dict read."""

    _URL_MEMO_SIZE = 4_096

    def url_for(self, /, endpoint: str, **values) -> str:
        if g.get("embedded") and not endpoint.startswith((".", "embed")):
            from .embed.views import embed_endpoint

            endpoint = embed_endpoint(endpoint)
        key = _url_memo_key(endpoint, values)
        if key is None:
            return super().url_for(endpoint, **values)
        memo = self.__dict__.setdefault("_url_memo", {})
        url = memo.get(key)
        if url is None:
            if len(memo) >= self._URL_MEMO_SIZE:
                memo.clear()
            url = memo[key] = super().url_for(endpoint, **values)
        return url


def _url_memo_key(endpoint: str, values: dict) -> tuple | None:
    """What a relative URL depends on, when that is all plain values; else None (not kept)."""
    if endpoint.startswith(".") or not has_request_context():
        return None
    for name, value in values.items():
        if name.startswith("_") or type(value) not in (str, int):
            return None
    return (request.script_root, endpoint, tuple(sorted(values.items())))


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; with no TI_INSTANCE_URL it runs on the embedded sandbox instance."""
    app = Atrium(__name__, instance_relative_config=True)
    env = None
    if test_config and "ENV" in test_config:
        env = test_config["ENV"]  # tests pass an environment instead of touching os.environ
    try:
        app.config.from_mapping(load_settings(app.instance_path, env))
    except ConfigError as error:
        sys.exit(f"Atrium cannot start: {error}")
    app.config.from_mapping(_web_defaults(app))
    if test_config:
        app.config.from_mapping({k: v for k, v in test_config.items() if k != "ENV"})
    _configure_logging()
    hide_software_versions()
    if not app.config["TI_INSTANCE_URL"]:
        _run_on_the_sandbox(app, os.environ if env is None else env)
    init_state(app)  # before the client: its caches, budget and breaker live there
    init_instance_client(app)
    _init_web(app)
    _init_serving(app)
    return app


def _run_on_the_sandbox(app: Flask, env) -> None:
    """Mount the embedded sandbox and make it the instance. The only place that knows Atrium
    runs on it: what it differs in from a TI instance becomes instance-neutral settings."""
    from .gql.schema import SCHEMA_PATH
    from .sandbox import mount_sandbox

    try:
        sandbox = mount_sandbox(app, env, app.instance_path, SCHEMA_PATH)
    except ValueError as error:  # a malformed SANDBOX_* setting
        sys.exit(f"Atrium cannot start: {error}")
    csrf.exempt(sandbox.api_blueprint)  # an API keyed by apiKey, not a browser form
    app.extensions["instance_adapter"] = sandbox.adapter  # reached in-process, not by socket
    prefix, folder = sandbox.assets
    app.config.update(
        INSTANCE_API_URL=sandbox.api_url,
        TI_API_KEY=sandbox.api_key,
        INSTANCE_ID=sandbox.instance_id,
        INSTANCE_CERTIFICATE_PAGES=sandbox.certificate_pages,
        API_BLUEPRINTS=app.config["API_BLUEPRINTS"] | {sandbox.api_blueprint.name},
        LOCAL_IMAGES={**app.config["LOCAL_IMAGES"], prefix: str(folder)},
        DEMO_ACCOUNTS=sandbox.demo_accounts,
    )
    app.extensions["sign_in_by_email"] = sandbox.sign_in_by_email


def _init_serving(app: Flask) -> None:
    """What running on many machines needs: probes, metrics, throttles, proxy headers."""
    from . import health, metrics
    from .throttles import init_throttles

    app.register_blueprint(health.blueprint)
    app.register_blueprint(metrics.blueprint)
    init_throttles(app)  # last: it binds its limits to the views registered by then
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind TLS-terminating proxies, believe exactly that many hops of X-Forwarded-*:
        # the client's address (throttles), https (secure cookies, HSTS) and the host.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def _web_defaults(app: Flask) -> dict:
    secure = app.config["SESSION_COOKIE_SECURE"]
    return {
        "SESSION_COOKIE_NAME": "__Host-atrium" if secure else "atrium_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session, which expires on its own
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
    }


def _init_web(app: Flask) -> None:
    from . import admin, errors, language, stylesheets
    from .auth import blueprint as auth_blueprint
    from .compression import init_compression
    from .embed.views import init_embed
    from .fonts import init_fonts
    from .freshness import init_freshness
    from .htmx import htmx
    from .i18n import init_i18n
    from .learner_pages import families
    from .once import init_once
    from .security import init_security_headers
    from .sessions import StateSessionInterface
    from .static_files import init_static_files
    from .templating import init_templating

    init_compression(app)  # first: its after_request hook then runs after every other one
    init_static_files(app)
    init_fonts(app)
    init_freshness(app)
    app.session_interface = StateSessionInterface(
        app.extensions["state"], app.config["SESSION_LIFETIME"], app.config["SESSION_MAX_AGE"]
    )
    csrf.init_app(app)
    htmx.init_app(app)
    init_i18n(app)
    init_security_headers(app)
    init_templating(app)
    init_once(app)
    errors.init_error_pages(app)
    app.register_blueprint(auth_blueprint)
    app.register_blueprint(stylesheets.blueprint)
    app.register_blueprint(language.blueprint)
    for family in families():  # every learner page's feature (webapp/learner_pages.py)
        app.register_blueprint(family)
    # Signing in and out too: an embedded page's sign-in link stays in the frame.
    init_embed(app, [auth_blueprint, *families(embeddable=True)])
    app.register_blueprint(admin.blueprint)


class RedactSecrets(logging.Filter):
    """Keeps apiKeys (they ride in the instance URL's query string) out of every log line."""

    _API_KEY = re.compile(r"(apiKey=)[^&\s\"']+", re.IGNORECASE)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self._API_KEY.sub(r"\1[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def _configure_logging() -> None:
    root = logging.getLogger()
    if not any(isinstance(f, RedactSecrets) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(RedactSecrets())
        root.addHandler(handler)
    for name in ("atrium", "werkzeug"):
        if logging.getLogger(name).level == logging.NOTSET:
            logging.getLogger(name).setLevel(logging.INFO)


__all__ = ["create_app"]
