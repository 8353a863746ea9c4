"""Test helpers: a live HTTP server for the app and a plain GraphQL client for /helium."""

from __future__ import annotations

import threading

import requests
from jinja2.bccache import Bucket, BytecodeCache
from werkzeug.serving import make_server

SANDBOX_KEY = "sandbox"
ACCOUNTS = {
    "learner": ("learner@acme.test", "learner"),
    "learner2": ("learner2@acme.test", "learner2"),
    "admin": ("admin@acme.test", "admin"),
}


class LiveServer:
    """The app over real HTTP on a free loopback port, in a thread.

    It checks for shutdown every 10 ms: serve_forever's default half second was what stopping
    a server cost, once per test that starts one."""

    POLL_INTERVAL = 0.01

    def __init__(self, app):
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": self.POLL_INTERVAL},
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class SharedTemplateCode(BytecodeCache):
    """Compiled templates kept for the whole run and shared by every app a test creates: each
    app has its own Jinja environment, which would otherwise compile every page it renders
    again (a few tenths of a second per test). Keyed by template name and source checksum,
    so an edited template is compiled afresh."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = SharedTemplateCode()


def share_template_code(app):
    """The app, compiling its templates once per run (see SharedTemplateCode)."""
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    return app


class Helium:
    """A plain GraphQL client for the sandbox's /helium endpoint, over real HTTP."""

    def __init__(self, base_url: str, api_key: str = SANDBOX_KEY):
        self.base_url = base_url
        self.api_key = api_key
        self.http = requests.Session()

    def post(self, body, token: str | None = None, api_key: str | None = None) -> requests.Response:
        headers = {"authToken": token} if token else {}
        key = self.api_key if api_key is None else api_key
        params = {"apiKey": key} if key else {}
        return self.http.post(
            f"{self.base_url}/helium", params=params, json=body, headers=headers, timeout=30
        )

    def run(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        """The JSON answer to one operation (data and/or errors)."""
        body = {"query": query, "variables": variables or {}}
        return self.post(body, token=token).json()

    def data(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        """The data of one operation, failing the test on any GraphQL error."""
        answer = self.run(query, variables, token)
        assert not answer.get("errors"), answer.get("errors")
        return answer["data"]

    def login(self, who: str) -> str:
        email, password = ACCOUNTS[who]
        return self.data(
            "mutation Login($email: String!, $password: String!) "
            "{ Login(email: $email, password: $password) }",
            {"email": email, "password": password},
        )["Login"]


def error_codes(answer: dict) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in answer.get("errors") or []]


def sign_in_at(page, base: str, who: str = "learner", next_path: str = "/dashboard") -> None:
    """Sign a Playwright page in through the real sign-in form (tests, bench and screenshots)."""
    email, password = ACCOUNTS[who]
    page.goto(f"{base}/login?next={next_path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}{next_path}")


def demo_app(purpose: str, **config):
    """Atrium on its sandbox with fresh demo data in a temporary folder (bench and screenshots);
    the database is seeded on first start."""
    import tempfile
    from pathlib import Path

    from webapp import create_app

    folder = Path(tempfile.mkdtemp(prefix=f"atrium-{purpose}-"))
    env = {
        "SANDBOX_DB": str(folder / "sandbox.sqlite3"),
        "STATE_DB": str(folder / "state.sqlite3"),
        "SECRET_KEY": purpose,
    }
    return create_app({"ENV": env, **config})


class RedisServer:
    """A real redis-server on a free loopback port, in memory only (Debian's redis-server)."""

    def __init__(self):
        import shutil
        import socket
        import subprocess
        import time

        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (make test installs it)")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=10)


def fake_aws_environment(folder) -> dict[str, str]:
    """Credentials for a local S3 server (moto): fake, from the environment as boto3 finds
    them in production, and never the developer's own config or the cloud's metadata."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(folder / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(folder / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
