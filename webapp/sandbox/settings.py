"""The sandbox's own settings (SANDBOX_* in the environment), read at mount time.

The sandbox is handed the environment and the folder it may keep its database in; it reads
nothing else of Atrium's configuration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class SandboxSettingsError(ValueError):
    """A SANDBOX_* setting is malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class SandboxSettings:
    """How the embedded instance behaves; every number here is TI's documented default."""

    db_path: str
    schema_path: str = ""  # TI's schema (SDL) to serve; handed over by whoever mounts it
    api_key: str = "sandbox"
    points_per_minute: int = 100_000
    requests_per_minute: int = 2_500
    max_query_cost: int = 1_000
    latency_ms: int = 0
    fault_rate: float = 0.0


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SandboxSettingsError(f"{name} must be a whole number, got {raw!r}") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise SandboxSettingsError(f"{name} must be a number, got {raw!r}") from None


def settings_from_env(
    env: Mapping[str, str], instance_path: str | Path, schema_path: str | Path
) -> SandboxSettings:
    fault_rate = _float(env, "SANDBOX_FAULT_RATE", 0.0)
    if not 0.0 <= fault_rate <= 1.0:
        raise SandboxSettingsError(f"SANDBOX_FAULT_RATE must be between 0 and 1, got {fault_rate}")
    return SandboxSettings(
        db_path=env.get("SANDBOX_DB") or str(Path(instance_path) / "sandbox.sqlite3"),
        schema_path=str(schema_path),
        api_key=env.get("SANDBOX_API_KEY") or "sandbox",
        points_per_minute=_int(env, "SANDBOX_POINTS_PER_MINUTE", 100_000),
        requests_per_minute=_int(env, "SANDBOX_REQUESTS_PER_MINUTE", 2_500),
        latency_ms=max(0, _int(env, "SANDBOX_LATENCY_MS", 0)),
        fault_rate=fault_rate,
    )
