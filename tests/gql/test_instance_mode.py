"""Instance mode: the app talks to a TI-compatible instance in another process over HTTP.

The other process is the sandbox, served by its own `flask run`; only URL and key differ from
sandbox mode, which proves the client does not lean on the in-process shortcut.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys

import pytest
import requests

from tests.deploy.servers import Server, free_port
from tests.gql.conftest import DASHBOARD_CALLS, sign_in
from webapp import create_app
from webapp.gql import AuthRequired, Call, RateLimited, UpstreamUnavailable

API_KEY = "instance-mode-key-1234"


def start_upstream(tmp_path, seeded_db, **extra_env) -> Server:
    """A second process serving the sandbox on its own port, with its own apiKey."""
    db = tmp_path / "upstream.sqlite3"
    shutil.copy(seeded_db, db)
    port = free_port()
    env = {
        **os.environ,
        "SANDBOX_DB": str(db),
        "SANDBOX_API_KEY": API_KEY,
        "SECRET_KEY": "upstream-secret",
        **extra_env,
    }
    env.pop("TI_INSTANCE_URL", None)
    env.pop("TI_API_KEY", None)
    command = [sys.executable, "-m", "flask", "--app", "webapp", "run", "--port", str(port)]
    server = Server("the upstream sandbox", command, env, port, tmp_path / "upstream.log")
    try:
        server.wait_ready(timeout=30)
    except RuntimeError as failure:
        pytest.fail(str(failure))
    return server


@pytest.fixture
def upstream(tmp_path, seeded_db):
    server = start_upstream(tmp_path, seeded_db)
    yield server.url
    server.stop()


@pytest.fixture
def small_budget_upstream(tmp_path, seeded_db):
    server = start_upstream(tmp_path, seeded_db, SANDBOX_REQUESTS_PER_MINUTE="5")
    yield server.url
    server.stop()


def control(url: str, **changes) -> dict:
    return requests.post(
        f"{url}/sandbox/control", params={"apiKey": API_KEY}, json=changes, timeout=5
    ).json()


@pytest.fixture
def instance_app(upstream, tmp_path):
    env = {
        "TI_INSTANCE_URL": upstream,
        "TI_API_KEY": API_KEY,
        "SECRET_KEY": "atrium-secret",
        "TI_READ_TIMEOUT": "1",
    }
    return create_app({"ENV": env, "TESTING": True})


def test_instance_mode_mounts_no_sandbox(instance_app):
    assert "sandbox" not in instance_app.extensions
    assert instance_app.test_client().post("/helium?apiKey=sandbox", json={}).status_code == 404


def test_a_page_is_one_http_request_to_the_real_instance(instance_app, upstream):
    client = instance_app.extensions["instance"]
    token = sign_in(client)
    control(upstream, reset=True)
    page = client.fetch(*DASHBOARD_CALLS, token=token)
    assert page.missing == []
    assert page["CurrentUser"].name == "Jamie Rivera"
    assert control(upstream)["http_requests"] == 1
    client.forget_learner(token)  # the learner's own answers are cached a minute: drop them
    client.fetch(*DASHBOARD_CALLS, token=token)
    stats = control(upstream)
    assert stats["http_requests"] == 2
    assert stats["by_operation"]["CompanyDetails"] == 1  # cached the second time


def test_faults_of_a_real_instance_map_to_the_same_errors(instance_app, upstream):
    client = instance_app.extensions["instance"]
    token = sign_in(client)
    control(upstream, latency_ms=1500)
    with pytest.raises(UpstreamUnavailable, match="in time"):
        client.query(Call("CurrentUser"), token=token)
    control(upstream, latency_ms=0, fault_rate=1.0)
    with pytest.raises(UpstreamUnavailable):
        client.query(Call("CurrentUser"), token=token)
    control(upstream, fault_rate=0.0)
    client.mutate(Call("Logout"), token=token)
    with pytest.raises(AuthRequired):
        client.fetch(Call("CurrentUser"), token=token)


def test_a_429_from_a_real_instance_is_honoured(small_budget_upstream):
    upstream = small_budget_upstream
    env = {"TI_INSTANCE_URL": upstream, "TI_API_KEY": API_KEY, "SECRET_KEY": "s"}
    client = create_app({"ENV": env, "TESTING": True}).extensions["instance"]
    token = sign_in(client)
    # Spend the upstream's whole request budget from outside, as other apps of the company would.
    with requests.Session() as other:
        for _ in range(50):
            answer = other.post(
                f"{upstream}/helium",
                params={"apiKey": API_KEY},
                json={"query": "{ Languages { code } }"},
                timeout=5,
            )
            if answer.status_code == 429:
                break
    with pytest.raises(RateLimited) as limited:
        client.query(Call("CurrentUser"), token=token)
    assert limited.value.retry_after >= 1
    sent = control(upstream)["http_requests"]
    with pytest.raises(RateLimited):
        client.query(Call("CurrentUser"), token=token)
    assert control(upstream)["http_requests"] == sent  # honoured locally: nothing sent


def test_a_wrong_api_key_is_reported_as_unavailable_without_leaking_it(upstream, caplog):
    caplog.set_level(logging.DEBUG)
    env = {"TI_INSTANCE_URL": upstream, "TI_API_KEY": "wrong-key-5678", "SECRET_KEY": "s"}
    app = create_app({"ENV": env, "TESTING": True})
    client = app.extensions["instance"]
    with pytest.raises(UpstreamUnavailable) as failure:
        client.query(Call("Languages"))
    assert "API key" in str(failure.value)
    assert "wrong-key-5678" not in str(failure.value)
    assert "wrong-key-5678" not in "".join(
        h.format(r) for h in logging.getLogger().handlers for r in caplog.records
    )


def test_an_unreachable_instance_is_unavailable_and_says_nothing_of_the_key():
    env = {
        "TI_INSTANCE_URL": f"http://127.0.0.1:{free_port()}",
        "TI_API_KEY": "k-999",
        "SECRET_KEY": "s",
    }
    client = create_app({"ENV": env, "TESTING": True}).extensions["instance"]
    with pytest.raises(UpstreamUnavailable) as failure:
        client.query(Call("Languages"))
    assert "k-999" not in str(failure.value) and "could not be reached" in str(failure.value)
