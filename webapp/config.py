"""Every setting Atrium reads, from the environment, in one place.

With TI_INSTANCE_URL and TI_API_KEY set, Atrium talks to that Thought Industries instance.
With neither, it runs on the embedded sandbox instance (webapp/sandbox), mounted at /helium.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message says which and how to fix it."""


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None


def _float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None


def _generated_secret_key(instance_path: Path) -> str:
    """Generated once and kept in the instance folder, so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?\Z")
_LOOPBACK = re.compile(r"^http://(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(/|\Z)")
DEMO_PORTAL = ("http://127.0.0.1:5001", "http://localhost:5001")


def _embed_settings(env: dict[str, str], demo_default: bool, secret_key: str) -> dict:
    """Which portals may frame Atrium, and the secret they sign sign-in handoffs with.

    With EMBED_DEMO_PORTAL (the default when no instance is configured, i.e. on the embedded
    sandbox) the demo portal (`flask --app webapp embed-demo`) is allowed out of the box, with
    a secret derived from the app's own; otherwise both must be configured explicitly.
    """
    raw = env.get("EMBED_ALLOWED_ORIGINS", "").replace(",", " ").split()
    origins = [o.strip().rstrip("/").lower() for o in raw]
    bad = [o for o in origins if not _ORIGIN.match(o)]
    if bad:
        raise ConfigError(
            "EMBED_ALLOWED_ORIGINS must list origins like https://portal.example.com, "
            f"got {bad[0]!r}"
        )
    secret = env.get("EMBED_SHARED_SECRET", "").strip()
    demo_portal = _flag(env, "EMBED_DEMO_PORTAL", demo_default)
    if demo_portal and not origins:
        origins = list(DEMO_PORTAL)
    if demo_portal and not secret:
        secret = hashlib.sha256(f"embed-demo:{secret_key}".encode()).hexdigest()
    if origins and len(secret) < 16:
        raise ConfigError(
            "EMBED_SHARED_SECRET (16+ characters) is required with EMBED_ALLOWED_ORIGINS."
        )
    return {
        "EMBED_ALLOWED_ORIGINS": origins,
        "EMBED_SHARED_SECRET": secret,
        "EMBED_AUDIENCE": env.get("EMBED_AUDIENCE", "").strip() or "atrium",
    }


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    return raw in ("1", "true", "yes") if raw else default


def _instance_capabilities(instance_url: str) -> dict:
    """What the instance offers beyond its API, as settings; a configured TI instance offers
    everything. Whatever serves the instance in-process (the embedded sandbox, mounted in
    webapp/__init__.py) says otherwise where it differs."""
    return {
        "INSTANCE_API_URL": instance_url,  # GraphQL goes to <this>/helium
        "INSTANCE_ID": instance_url,  # keeps one instance's shared state apart from another's
        "INSTANCE_CERTIFICATE_PAGES": True,  # certificates' relative URLs are its own pages
        # Blueprints serving an API keyed by apiKey, not Atrium's pages: posted to from
        # anywhere without a form token, and their errors are not dressed as pages.
        "API_BLUEPRINTS": frozenset(),
        "LOCAL_IMAGES": {},  # URL prefix on Atrium's host -> folder: images it can read
        "DEMO_ACCOUNTS": (),  # (email, password, who) the sign-in page may offer
    }


def _sharing_settings(env: dict[str, str], folder: Path) -> dict:
    """Where shared state and uploads live, and how Atrium spends the instance's budget.

    REDIS_URL shares sessions, caches, the budget, the breaker, throttles and single-use
    tokens between processes and machines; without it a SQLite file serves one machine.
    """
    redis_url = env.get("REDIS_URL", "").strip()
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(
            f"REDIS_URL must start with redis://, rediss:// or unix://, got {redis_url!r}"
        )
    deadline = _float(env, "PAGE_DEADLINE", 3.0)
    if not 0.5 <= deadline <= 60:
        raise ConfigError(f"PAGE_DEADLINE must be between 0.5 and 60 seconds, got {deadline}")
    # Throttles (webapp/throttles.py) in Flask-Limiter's notation, checked here so that a typo
    # stops Atrium at start rather than at the first sign-in.
    from limits import parse

    throttles = {
        "THROTTLE_SIGN_IN_ACCOUNT": "5 per 15 minutes",  # failed sign-ins per account
        "THROTTLE_SIGN_IN_ADDRESS": "30 per 15 minutes",  # failed sign-ins per client address
        "THROTTLE_CODE_CHECKS": "40 per 10 minutes",  # codes checked per learner
    }
    for name, default in throttles.items():
        throttles[name] = env.get(name, "").strip() or default
        try:
            parse(throttles[name])
        except ValueError:
            raise ConfigError(
                f"{name} must read like '5 per 15 minutes', got {throttles[name]!r}"
            ) from None
    return {
        "REDIS_URL": redis_url,
        "STATE_DB": env.get("STATE_DB") or str(folder / "state.sqlite3"),
        "UPLOAD_S3_BUCKET": env.get("UPLOAD_S3_BUCKET", "").strip(),
        "UPLOAD_S3_ENDPOINT_URL": env.get("UPLOAD_S3_ENDPOINT_URL", "").strip(),
        "UPLOAD_S3_PREFIX": env.get("UPLOAD_S3_PREFIX", "uploads/").strip(),
        "PAGE_DEADLINE": deadline,
        "BREAKER_FAILURES": max(1, _int(env, "BREAKER_FAILURES", 5)),
        "BREAKER_OPEN_SECONDS": max(1.0, _float(env, "BREAKER_OPEN_SECONDS", 30.0)),
        "LEARNER_CACHE_TTL": max(0.0, _float(env, "LEARNER_CACHE_TTL", 60.0)),
        "STALE_KEEP_SECONDS": max(0.0, _float(env, "STALE_KEEP_SECONDS", 6 * 3600.0)),
        "BUDGET_RESERVE": min(0.9, max(0.0, _float(env, "BUDGET_RESERVE", 0.2))),
        "TRUSTED_PROXIES": max(0, _int(env, "TRUSTED_PROXIES", 0)),
        **throttles,
        "METRICS_TOKEN": env.get("METRICS_TOKEN", "").strip(),  # empty: /metrics is open
    }


def load_settings(instance_path: str, env: dict[str, str] | None = None) -> dict:
    """Flask config values from the environment; refuses a half-configured instance."""
    env = dict(os.environ if env is None else env)
    folder = Path(instance_path)
    instance_url = env.get("TI_INSTANCE_URL", "").strip().rstrip("/")
    api_key = env.get("TI_API_KEY", "").strip()
    if bool(instance_url) != bool(api_key):
        raise ConfigError(
            "Set both TI_INSTANCE_URL and TI_API_KEY to use a Thought Industries instance, "
            "or neither to run on the embedded sandbox."
        )
    if instance_url and not (instance_url.startswith("https://") or _LOOPBACK.match(instance_url)):
        raise ConfigError(
            "TI_INSTANCE_URL must start with https:// (http only on this machine), "
            f"got {instance_url!r}"
        )
    # Without an instance Atrium runs on its embedded sandbox, on this machine: a secret key is
    # generated, the cookie works over http and the demo portal may embed it.
    local = not instance_url
    secret_key = env.get("SECRET_KEY", "").strip()
    if not secret_key:
        if not local:
            raise ConfigError(
                "SECRET_KEY is required when TI_INSTANCE_URL is set: generate one with "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        secret_key = _generated_secret_key(folder)
    secure_default = "false" if local else "true"
    return {
        **_embed_settings(env, local, secret_key),
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", secure_default).lower()
        in ("1", "true", "yes"),
        **_sharing_settings(env, folder),
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER") or str(folder / "uploads"),
        "SESSION_LIFETIME": _int(env, "SESSION_LIFETIME", 12 * 3600),
        # However busy: a session ends this long after sign-in (sliding expiry aside).
        "SESSION_MAX_AGE": max(60, _int(env, "SESSION_MAX_AGE", 7 * 24 * 3600)),
        "TI_CONNECT_TIMEOUT": _float(env, "TI_CONNECT_TIMEOUT", 3.05),
        "TI_READ_TIMEOUT": _float(env, "TI_READ_TIMEOUT", 10.0),
        "TI_CACHE_TTL": _float(env, "TI_CACHE_TTL", 300.0),
        "SECRET_KEY": secret_key,
        "TI_INSTANCE_URL": instance_url,
        "TI_API_KEY": api_key,
        **_instance_capabilities(instance_url),
    }
