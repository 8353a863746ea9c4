"""The only package that speaks GraphQL to the instance (a real TI one, or the sandbox)."""

from __future__ import annotations

import requests
from flask import Flask, current_app

from .breaker import Breaker
from .budget import Governor
from .cache import SharedCache
from .client import Call, InstanceClient, PageData
from .errors import (
    ApiError,
    AuthRequired,
    InstanceError,
    OperationFailed,
    RateLimited,
    UpstreamUnavailable,
)
from .learner_cache import LearnerCache

__all__ = [
    "ApiError",
    "AuthRequired",
    "Call",
    "InstanceClient",
    "InstanceError",
    "OperationFailed",
    "PageData",
    "RateLimited",
    "UpstreamUnavailable",
    "init_instance_client",
    "instance",
]


def init_instance_client(app: Flask) -> InstanceClient:
    """One client per app, for the configured instance (over HTTP, or in-process when an
    `instance_adapter` is mounted: the embedded sandbox)."""
    config = app.config
    state = app.extensions["state"]
    session = requests.Session()
    base_url, api_key = config["INSTANCE_API_URL"], config["TI_API_KEY"]
    adapter = app.extensions.get("instance_adapter")  # an instance answering in-process
    if adapter is not None:
        session.mount(base_url, adapter)
    client = InstanceClient(
        base_url,
        api_key,
        session=session,
        connect_timeout=config["TI_CONNECT_TIMEOUT"],
        read_timeout=config["TI_READ_TIMEOUT"],
        cache=SharedCache(ttl=config["TI_CACHE_TTL"], state=state),
        state=state,
        learner_cache=LearnerCache(
            state,
            fresh_seconds=config["LEARNER_CACHE_TTL"],
            keep_seconds=config["STALE_KEEP_SECONDS"],
        ),
        breaker=Breaker(
            state, failures=config["BREAKER_FAILURES"], open_seconds=config["BREAKER_OPEN_SECONDS"]
        ),
        governor=Governor(state, reserve=config["BUDGET_RESERVE"]),
    )
    app.extensions["instance"] = client
    return client


def instance() -> InstanceClient:
    """The current app's instance client."""
    return current_app.extensions["instance"]
