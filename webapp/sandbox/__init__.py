"""The embedded sandbox instance: a TI-compatible GraphQL endpoint over SQLite.

Mounted only when no TI_INSTANCE_URL is configured. Any GraphQL client can use it at
POST /helium?apiKey=<SANDBOX_API_KEY>; the app itself reaches it in-process (transport.py).
"""

from __future__ import annotations

import logging

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..config import SandboxSettings
from .engine import SandboxInstance, SandboxResponse
from .http import blueprint
from .seed import DEMO_ACCOUNTS, DEMO_CODES

__all__ = ["SandboxInstance", "SandboxResponse", "mount_sandbox"]

log = logging.getLogger("atrium.sandbox")


def mount_sandbox(app: Flask, settings: SandboxSettings) -> SandboxInstance:
    instance = SandboxInstance(settings)
    created = not instance.store.is_seeded()
    instance.store.ensure_seeded()
    app.extensions["sandbox"] = instance
    app.register_blueprint(blueprint)
    app.cli.add_command(sandbox_cli)
    _announce(settings, created)
    return instance


def _announce(settings: SandboxSettings, created: bool) -> None:
    lines = [
        "This is the SANDBOX instance: demo data, not a Thought Industries account.",
        f"  database: {settings.db_path}" + (" (created with demo data)" if created else ""),
        "  GraphQL:  POST /helium with the apiKey "
        + (f"{settings.api_key!r}" if settings.api_key == "sandbox" else "set by SANDBOX_API_KEY")
        + " (authToken header: Login)",
        "  accounts: "
        + "; ".join(f"{email} / {password} ({what})" for email, password, what in DEMO_ACCOUNTS),
        "  codes:    " + "; ".join(f"{code} ({what})" for code, what in DEMO_CODES),
    ]
    log.warning("\n".join(lines))


sandbox_cli = AppGroup("sandbox", help="Manage the embedded sandbox instance.")


@sandbox_cli.command("reset")
def reset_command() -> None:
    """Restore the sandbox's demo data (every change is lost)."""
    instance: SandboxInstance = current_app.extensions["sandbox"]
    instance.store.reset()
    click.echo(f"Sandbox reset: demo data restored in {instance.settings.db_path}")
