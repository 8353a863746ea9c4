"""Atrium: a server-rendered learner dashboard for Thought Industries instances."""

from __future__ import annotations

import logging
import re
import sys

from flask import Flask

from .config import ConfigError, load_settings
from .gql import init_instance_client


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; with no TI_INSTANCE_URL it runs on the embedded sandbox instance."""
    app = Flask(__name__, instance_relative_config=True)
    env = None
    if test_config and "ENV" in test_config:
        env = test_config["ENV"]  # tests pass an environment instead of touching os.environ
    try:
        app.config.from_mapping(load_settings(app.instance_path, env))
    except ConfigError as error:
        sys.exit(f"Atrium cannot start: {error}")
    if test_config:
        app.config.from_mapping({k: v for k, v in test_config.items() if k != "ENV"})
    _configure_logging(app)
    if app.config["SANDBOX_MODE"]:
        from .sandbox import mount_sandbox

        mount_sandbox(app, app.config["SANDBOX"])
    init_instance_client(app)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "sandbox": app.config["SANDBOX_MODE"]}

    return app


class RedactSecrets(logging.Filter):
    """Keeps apiKeys (they ride in the instance URL's query string) out of every log line."""

    _API_KEY = re.compile(r"(apiKey=)[^&\s\"']+", re.IGNORECASE)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self._API_KEY.sub(r"\1[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def _configure_logging(app: Flask) -> None:
    root = logging.getLogger()
    if not any(isinstance(f, RedactSecrets) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(RedactSecrets())
        root.addHandler(handler)
    for name in ("atrium", "werkzeug"):
        if logging.getLogger(name).level == logging.NOTSET:
            logging.getLogger(name).setLevel(logging.INFO)
