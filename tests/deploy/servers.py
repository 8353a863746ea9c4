"""Real server processes for deployment tests: an instance stand-in (the sandbox served by its own
`flask run`), Atrium app servers under gunicorn, and a browser a load balancer sends to either.

Nothing here runs in the test's own process but the browser: each server is a subprocess with an
environment built from scratch for it, so what two app servers share is only what the test
passes to both (REDIS_URL, SECRET_KEY, a bucket).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
STANDIN_KEY = "deploy-standin-key-4321"
PUBLIC_HOST = "atrium.test"  # the name the load balancer answers to

# Settings a developer's shell might carry that would join servers the test means to keep
# apart (or point them somewhere else): never inherited, only passed on purpose.
_PRIVATE = ("TI_", "SANDBOX_", "REDIS_", "STATE_", "UPLOAD_", "SECRET_KEY", "EMBED_", "AWS_",
            "BREAKER_", "LEARNER_CACHE", "STALE_", "PROMETHEUS_", "BIND", "PORT",
            "WEB_CONCURRENCY", "GUNICORN_", "FLASK_")  # fmt: skip
_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CSRF_HEADER = re.compile(r'&#34;X-CSRFToken&#34;: &#34;([^&]+)&#34;|"X-CSRFToken": "([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_PRIVATE)}
    return {**env, "PYTHONPATH": str(ROOT), **settings}


class Server:
    """A subprocess listening on 127.0.0.1:`port`, its output in `log`."""

    def __init__(
        self,
        name: str,
        command: list[str],
        env: dict[str, str],
        port: int,
        log: Path,
        cwd: Path = ROOT,
    ):
        self.name = name
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        with log.open("w") as output:
            self.process = subprocess.Popen(
                command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
            )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).ok:
                    return
            except requests.RequestException:  # not listening yet, or a worker still booting
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class Standin(Server):
    """A TI-compatible instance in its own process: the sandbox on a copy of the demo data, with
    its own apiKey. `control()` changes its faults or resets its budget and counters."""

    def __init__(self, folder: Path, seeded_db: Path, **settings: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.db = folder / "sandbox.sqlite3"
        shutil.copy(seeded_db, self.db)
        port = free_port()
        env = clean_environment(
            SANDBOX_DB=str(self.db),
            SANDBOX_API_KEY=STANDIN_KEY,
            SECRET_KEY="standin-secret",
            STATE_DB=str(folder / "state.sqlite3"),
            UPLOAD_FOLDER=str(folder / "uploads"),
            **settings,
        )
        command = [sys.executable, "-m", "flask", "--app", "webapp", "run", "--port", str(port)]
        super().__init__("the instance stand-in", command, env, port, folder / "standin.log")

    def control(self, **changes) -> dict:
        """POST /sandbox/control (latency_ms, fault_rate, reset); the stats after the change."""
        answer = requests.post(
            f"{self.url}/sandbox/control", params={"apiKey": STANDIN_KEY}, json=changes, timeout=5
        )
        answer.raise_for_status()
        return answer.json()

    def stats(self) -> dict:
        return self.control()

    def spend_requests(self, count: int) -> None:
        """Spend `count` of the minute's requests from outside, as the company's other apps do."""
        with requests.Session() as other:
            for _ in range(count):
                other.post(
                    f"{self.url}/helium",
                    params={"apiKey": STANDIN_KEY},
                    json={"query": "{ Languages { code } }"},
                    timeout=5,
                )


class AppServer(Server):
    """Atrium under gunicorn (gunicorn.conf.py), in instance mode, on a folder of its own."""

    def __init__(self, name: str, folder: Path, **settings: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.uploads = folder / "uploads"
        port = free_port()
        env = clean_environment(
            BIND=f"127.0.0.1:{port}",
            STATE_DB=str(folder / "state.sqlite3"),
            UPLOAD_FOLDER=str(self.uploads),
            PROMETHEUS_MULTIPROC_DIR=str(folder / "prometheus"),
            **settings,
        )
        command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                   "webapp:create_app()"]  # fmt: skip
        super().__init__(name, command, env, port, folder / "gunicorn.log")


def csrf_from(html: str) -> str | None:
    match = _CSRF_INPUT.search(html)
    if match:
        return match.group(1)
    match = _CSRF_HEADER.search(html)
    return (match.group(1) or match.group(2)) if match else None


class Browser:
    """One browser behind a load balancer: `on(n)` sends its next requests to server n.

    A load balancer presents one host: every request carries its name (`PUBLIC_HOST`) in the
    Host header, whichever server it reaches, and the browser keeps one cookie jar for it (the
    servers differ only by port, which cookies do not tell apart). It remembers the CSRF token
    of the last page it saw, wherever that page came from. Redirects are not followed: tests
    look at them.
    """

    def __init__(self, servers: list[Server]):
        self.servers = servers
        self.http = requests.Session()
        self.http.headers["Host"] = PUBLIC_HOST
        self.base = servers[0].url
        self.csrf: str | None = None

    def on(self, number: int) -> Browser:
        self.base = self.servers[number].url
        return self

    def get(self, path: str, **kwargs) -> requests.Response:
        response = self.http.get(self.base + path, allow_redirects=False, timeout=15, **kwargs)
        if "text/html" in response.headers.get("Content-Type", ""):
            self.csrf = csrf_from(response.text) or self.csrf
        return response

    def post(self, path: str, data: dict | None = None, **kwargs) -> requests.Response:
        data = {"csrf_token": self.csrf or "", **(data or {})}
        return self.http.post(
            self.base + path, data=data, allow_redirects=False, timeout=15, **kwargs
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()
