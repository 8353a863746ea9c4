"""/metrics: the four recording calls, read back the way Prometheus reads them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from webapp import create_app, metrics

ROOT = Path(__file__).resolve().parents[2]


def samples(text: str) -> dict[tuple, float]:
    """Every sample as {(name, (label, value), ...): value}."""
    return {
        (s.name, *sorted(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def scrape(app, **headers) -> dict[tuple, float]:
    response = app.test_client().get("/metrics", headers=headers)
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    assert "Set-Cookie" not in response.headers
    return samples(response.get_data(as_text=True))


def in_process() -> dict[tuple, float]:
    """This process's numbers read directly, so that no scrape counts itself in between."""
    from prometheus_client import REGISTRY

    return samples(generate_latest(REGISTRY).decode())


def test_the_recording_calls_show_up_in_metrics(app):
    before = in_process()

    metrics.upstream_request(3, 42, 0.12, "ok")
    metrics.upstream_request(1, None, 0.05, "http 429")
    metrics.upstream_request(2, 0, 0.0, "breaker open")
    metrics.cache_lookup("instance", "hit")
    metrics.cache_lookup("learner", "stale")
    metrics.cache_lookup("learner", "miss")
    metrics.budget_left(61_234)
    metrics.page_view("complete", 0.08)
    metrics.page_view("stale", 0.2)
    metrics.page_view("missing", 3.1)

    after = scrape(app)

    def grew(*key) -> float:
        return after.get(key, 0) - before.get(key, 0)

    requests = "atrium_upstream_requests_total"
    assert grew(requests, ("outcome", "ok")) == 1
    assert grew(requests, ("outcome", "http 429")) == 1
    assert grew(requests, ("outcome", "breaker open")) == 1
    assert grew("atrium_upstream_operations_total") == 6
    assert grew("atrium_upstream_points_total") == 42
    assert grew("atrium_upstream_request_seconds_count") == 2  # one was never sent
    assert grew("atrium_upstream_request_seconds_sum") == pytest.approx(0.17)
    lookups = "atrium_cache_lookups_total"
    assert grew(lookups, ("result", "hit"), ("scope", "instance")) == 1
    assert grew(lookups, ("result", "stale"), ("scope", "learner")) == 1
    assert grew(lookups, ("result", "miss"), ("scope", "learner")) == 1
    assert after[("atrium_budget_points_left",)] == 61_234
    for data in ("complete", "stale", "missing"):
        assert grew("atrium_page_views_total", ("data", data)) == 1
    assert grew("atrium_page_view_seconds_count") == 3
    assert grew("atrium_page_view_seconds_bucket", ("le", "3.0")) == 2  # one over the deadline


def test_metrics_need_the_token_when_one_is_set(sandbox_env):
    app = create_app({"ENV": {**sandbox_env, "METRICS_TOKEN": "s3cret-scraper"}, "TESTING": True})
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-scraper"})
    assert response.status_code == 200 and b"atrium_" in response.data


# Run in a fresh interpreter: prometheus_client picks multiprocess mode when it is imported.
_RECORD = """
import sys
from webapp import metrics
metrics.upstream_request(2, int(sys.argv[1]), 0.1, "ok")
metrics.page_view("complete", 0.1)
metrics.budget_left(int(sys.argv[2]))
"""

_SCRAPE = """
import json, sys
from webapp import create_app
app = create_app({"ENV": json.loads(sys.argv[1]), "TESTING": True})
sys.stdout.write(app.test_client().get("/metrics").get_data(as_text=True))
"""


def test_under_gunicorn_metrics_add_up_every_worker(sandbox_env, tmp_path):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder), "PYTHONPATH": str(ROOT)}

    def run(code: str, *args: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done

    run(_RECORD, "30", "90000")  # two workers, each with its own numbers
    run(_RECORD, "12", "70000")
    text = run(_SCRAPE, json.dumps(sandbox_env)).stdout
    found = samples(text)
    assert found[("atrium_upstream_requests_total", ("outcome", "ok"))] == 2
    assert found[("atrium_upstream_points_total",)] == 42
    assert found[("atrium_page_views_total", ("data", "complete"))] == 2
    # The budget is one number for the company: the latest reading, not a sum.
    assert found[("atrium_budget_points_left",)] == 70000
    assert "python_gc_objects_collected_total" not in text  # the multiprocess registry
