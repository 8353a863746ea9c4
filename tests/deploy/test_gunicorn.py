"""gunicorn.conf.py: its numbers, its Prometheus hooks, and Atrium really served by gunicorn."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from tests.deploy.servers import Server, clean_environment, free_port

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "gunicorn.conf.py"
SETTINGS = (
    "BIND",
    "PORT",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "FORWARDED_ALLOW_IPS",
    "PROMETHEUS_MULTIPROC_DIR",
)


@pytest.fixture
def conf(monkeypatch):
    """gunicorn.conf.py's settings, read with the given environment."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)

    def load(**env: str) -> dict:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONF))

    return load


def test_workers_and_threads_follow_the_cores(conf, monkeypatch):
    settings = conf()
    assert settings["workers"] == min(2 * (os.cpu_count() or 1) + 1, 12)
    assert settings["threads"] == 4 and settings["worker_class"] == "gthread"
    assert settings["bind"] == "0.0.0.0:8000"
    # Within a 3 s page deadline a worker silent for 30 s is stuck.
    assert settings["timeout"] == 30 and settings["graceful_timeout"] == 30
    assert settings["keepalive"] == 5
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert conf()["workers"] == 12  # capped


def test_the_environment_overrides_them(conf):
    settings = conf(
        WEB_CONCURRENCY="3", GUNICORN_THREADS="8", PORT="9000", FORWARDED_ALLOW_IPS="10.0.0.5"
    )
    assert (settings["workers"], settings["threads"]) == (3, 8)
    assert settings["bind"] == "0.0.0.0:9000"
    assert settings["forwarded_allow_ips"] == "10.0.0.5"
    assert conf(BIND="unix:/run/atrium.sock")["bind"] == "unix:/run/atrium.sock"


def test_the_access_log_leaves_query_strings_out(conf):
    log_format = conf()["access_log_format"]
    assert "%(U)s" in log_format
    assert not any(atom in log_format for atom in ("%(r)s", "%(q)s", "%(f)s"))


def test_an_exiting_worker_has_its_live_gauges_dropped(conf, tmp_path):
    folder = tmp_path / "prometheus"
    settings = conf(PROMETHEUS_MULTIPROC_DIR=str(folder))
    (folder / "counter_123.db").parent.mkdir()
    (folder / "counter_123.db").write_bytes(b"from an earlier run")
    settings["on_starting"](None)
    assert list(folder.iterdir()) == []  # an earlier run's numbers are not counted again

    worker = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; from webapp import metrics; metrics.budget_left(5); print(os.getpid())",
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    pid = int(worker.stdout)
    assert list(folder.glob(f"gauge_livemostrecent_{pid}.db"))
    settings["child_exit"](None, SimpleNamespace(pid=pid))
    assert not list(folder.glob(f"gauge_livemostrecent_{pid}.db"))


def test_gunicorn_serves_atrium_with_probes_and_summed_metrics(sandbox_env, tmp_path):
    port = free_port()
    env = clean_environment(
        **sandbox_env,
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="2",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
    )
    command = [sys.executable, "-m", "gunicorn", "-c", str(CONF), "webapp:create_app()"]
    server = Server("gunicorn", command, env, port, tmp_path / "gunicorn.log")
    try:
        server.wait_ready()
        base = server.url
        assert requests.get(f"{base}/readyz", timeout=10).json()["status"] == "ready"
        assert requests.get(f"{base}/login?next=/private-place", timeout=10).status_code == 200
        scraped = requests.get(f"{base}/metrics", timeout=10).text
        assert "atrium_upstream_operations_total" in scraped
        assert "python_gc_objects_collected_total" not in scraped  # summed over the workers
    finally:
        server.stop()
