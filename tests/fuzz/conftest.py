"""One app per test module (and xdist worker) for the fuzz: signing in costs more than a
request, and the properties judge each request on its own, so the app is shared."""

from __future__ import annotations

import logging
import shutil

import pytest

from tests.conftest import app_env
from webapp import create_app

from .harness import Fuzz

# Budgets and throttles out of the way: they would refuse the fuzz's many requests before
# the views behind them are reached (they have tests of their own).
UNLIMITED = {
    "SANDBOX_POINTS_PER_MINUTE": "100000000",
    "SANDBOX_REQUESTS_PER_MINUTE": "1000000",
    "THROTTLE_SIGN_IN_ACCOUNT": "100000 per minute",
    "THROTTLE_SIGN_IN_ADDRESS": "100000 per minute",
    "THROTTLE_CODE_CHECKS": "100000 per minute",
    "METRICS_TOKEN": "fuzz-metrics-token",
}


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory, seeded_db):
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(seeded_db, folder / "sandbox.sqlite3")
    fuzzed = Fuzz(create_app({"ENV": {**app_env(folder), **UNLIMITED}, "TESTING": True}))
    # Upstream calls are logged at INFO, thousands of lines; the recorder keeps what matters.
    atrium = logging.getLogger("atrium")
    level = atrium.level
    atrium.setLevel(logging.WARNING)
    atrium.addHandler(fuzzed.recorder)
    yield fuzzed
    atrium.removeHandler(fuzzed.recorder)
    atrium.setLevel(level)
