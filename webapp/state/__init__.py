"""What every process and machine must share: one small key-value interface, two backends.

With `REDIS_URL` set, state lives in Redis and any process on any machine may serve any
request. Without it, a SQLite file in the instance folder plays the same part for the
processes of one machine, so `make run` needs nothing else. Sessions, the instance cache,
the budget, the breaker, throttles, single-use tokens and staged imports all go through
`shared_state()`; nothing else in Atrium remembers anything between requests.
"""

from __future__ import annotations

import hashlib

from flask import Flask, current_app

from .base import SharedState
from .local import SqliteState
from .memory import MemoryState

__all__ = ["MemoryState", "SharedState", "SqliteState", "init_state", "open_state", "shared_state"]


def open_state(redis_url: str | None, sqlite_path: str, namespace: str = "") -> SharedState:
    if redis_url:
        from .redis_state import PREFIX, RedisState

        return RedisState(redis_url, prefix=f"{PREFIX}{namespace}")
    return SqliteState(sqlite_path, prefix=namespace)


def instance_namespace(config) -> str:
    """Keys of one instance apart from another's, should two ever share a store."""
    instance = config.get("INSTANCE_ID") or config.get("TI_INSTANCE_URL", "")
    return hashlib.sha256(instance.encode()).hexdigest()[:12] + ":"


def init_state(app: Flask) -> SharedState:
    state = open_state(
        app.config.get("REDIS_URL"), app.config["STATE_DB"], instance_namespace(app.config)
    )
    app.extensions["state"] = state
    return state


def shared_state() -> SharedState:
    """The current app's shared state."""
    return current_app.extensions["state"]
