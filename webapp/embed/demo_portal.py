"""A runnable demo of a company portal embedding Atrium.

    flask --app webapp embed-demo            # portal at http://127.0.0.1:5001, Atrium at :5000

Run it beside `make run`. The portal's server signs a handoff token for a sandbox learner (in a
real portal: the learner's TI authToken) with EMBED_SHARED_SECRET; its page posts the token into
the iframe, and resizes the iframe when Atrium reports its height.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app, render_template, send_from_directory
from werkzeug.serving import run_simple

from .handoff import issue


def create_portal_app(atrium_url: str, secret: str, audience: str, email: str) -> Flask:
    """The portal: one page embedding Atrium's dashboard, signed in through the handoff."""
    templates = str(Path(current_app.root_path) / "templates")
    static = current_app.static_folder
    portal = Flask(__name__, template_folder=templates, static_folder=None)
    atrium_url = atrium_url.rstrip("/")

    @portal.get("/")
    def home():
        token = issue(secret, audience, email=email, lifetime=120)
        return render_template(
            "embed/demo_portal.html",
            atrium_url=atrium_url,
            token=token,
            next_path="/embed/dashboard",
        )

    @portal.get("/portal.js")
    def script():
        return send_from_directory(static, "js/demo-portal.js")

    @portal.get("/portal.css")
    def stylesheet():
        return send_from_directory(static, "css/demo-portal.css")

    return portal


@click.command("embed-demo")
@click.option("--port", default=5001, show_default=True, help="Port of the demo portal.")
@click.option("--atrium", default="http://127.0.0.1:5000", show_default=True, help="Atrium's URL.")
@click.option("--email", default="learner@acme.test", show_default=True, help="Sandbox learner.")
def embed_demo_command(port: int, atrium: str, email: str) -> None:
    """Serve a demo company portal that embeds Atrium's dashboard."""
    config = current_app.config
    if not config["EMBED_SHARED_SECRET"]:
        raise click.ClickException("Set EMBED_SHARED_SECRET and EMBED_ALLOWED_ORIGINS first.")
    portal = create_portal_app(
        atrium, config["EMBED_SHARED_SECRET"], config["EMBED_AUDIENCE"], email
    )
    click.echo(f"Demo portal at http://127.0.0.1:{port} embedding {atrium} (run `make run` too).")
    # Flask ignores portal.run() inside a `flask` command, so serve it with Werkzeug directly.
    run_simple("127.0.0.1", port, portal, threaded=True)
