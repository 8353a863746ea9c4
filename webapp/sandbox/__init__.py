"""The embedded sandbox instance: a TI-compatible GraphQL endpoint over SQLite.

A package of its own: it imports nothing else of webapp, and the app reaches it through
`mount_sandbox` only (webapp/__init__.py mounts it when no TI_INSTANCE_URL is configured).
Any GraphQL client can use it at POST /helium?apiKey=<SANDBOX_API_KEY>; the app itself reaches
it in-process through the adapter in the `SandboxInfo` the mount returns (transport.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import click
from flask import Blueprint, Flask, current_app
from flask.cli import AppGroup
from requests.adapters import BaseAdapter

from .engine import SandboxInstance, SandboxResponse
from .http import ASSETS, blueprint
from .seed import DEMO_ACCOUNTS, DEMO_CODES
from .settings import SandboxSettings, SandboxSettingsError, settings_from_env
from .transport import SANDBOX_BASE_URL, SandboxAdapter

__all__ = [
    "SandboxInfo",
    "SandboxInstance",
    "SandboxResponse",
    "SandboxSettings",
    "SandboxSettingsError",
    "mount_sandbox",
]

log = logging.getLogger("atrium.sandbox")


@dataclass(frozen=True)
class SandboxInfo:
    """What an app needs to use the mounted sandbox as its instance, in plain values."""

    api_url: str  # where GraphQL requests go; `adapter` answers them in-process
    api_key: str
    adapter: BaseAdapter
    instance_id: str  # tells this sandbox (its database) from another, e.g. in shared state
    api_blueprint: Blueprint  # an API keyed by apiKey: posted to from anywhere, no form token
    assets: tuple[str, Path]  # (URL prefix, folder): the demo images, served on the app's host
    demo_accounts: tuple[tuple[str, str, str], ...]  # (email, password, who) anyone may use
    sign_in_by_email: Callable[[str], str | None]  # a token for a learner named by email
    certificate_pages: bool = False  # an API only: the certificates' URLs lead to no page


def mount_sandbox(
    app: Flask, env: Mapping[str, str], instance_path: str | Path, schema_path: str | Path
) -> SandboxInfo:
    """Serve the sandbox from `app`: SANDBOX_* settings from `env`, its database in
    `instance_path` unless SANDBOX_DB says otherwise, TI's schema from `schema_path`.

    Raises SandboxSettingsError (a ValueError) when a SANDBOX_* setting is malformed."""
    settings = settings_from_env(env, instance_path, schema_path)
    instance = SandboxInstance(settings)
    created = not instance.store.is_seeded()
    instance.store.ensure_seeded()
    app.extensions["sandbox"] = instance
    app.register_blueprint(blueprint)
    app.cli.add_command(sandbox_cli)
    _announce(settings, created)
    return SandboxInfo(
        api_url=SANDBOX_BASE_URL,
        api_key=settings.api_key,
        adapter=SandboxAdapter(instance),
        instance_id=f"sandbox:{settings.db_path}",
        api_blueprint=blueprint,
        assets=("/sandbox/assets/", ASSETS),
        demo_accounts=tuple(DEMO_ACCOUNTS),
        sign_in_by_email=instance.issue_token,
    )


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
