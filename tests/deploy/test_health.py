"""/healthz and /readyz: what a load balancer asks before sending a machine traffic."""

from __future__ import annotations

import socket

import pytest

from webapp import create_app


@pytest.fixture
def upstream_requests(sandbox):
    """How many HTTP requests the instance has served so far (call it)."""
    return lambda: sandbox.stats.snapshot()["http_requests"]


def test_healthz_answers_without_a_session_or_anything_upstream(app, upstream_requests):
    client = app.test_client()
    before = upstream_requests()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}  # which instance is not the probe's business
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert upstream_requests() == before


def test_readyz_is_200_when_state_and_instance_answer(app):
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "state": "ok", "instance": "ok"}
    assert "Set-Cookie" not in response.headers


def test_readyz_asks_the_instance_at_most_once_while_its_answer_is_fresh(app, upstream_requests):
    client = app.test_client()
    before = upstream_requests()
    for _probe in range(5):
        assert client.get("/readyz").status_code == 200
    assert upstream_requests() - before <= 1


def test_readyz_says_503_and_names_the_instance_when_it_fails(sandbox_env):
    app = create_app({"ENV": {**sandbox_env, "SANDBOX_FAULT_RATE": "1"}, "TESTING": True})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "state": "ok", "instance": "failed"}
    # Alive all the same: restarting this process would cure nothing.
    assert app.test_client().get("/healthz").status_code == 200


def test_readyz_says_503_and_names_shared_state_when_redis_is_gone(sandbox_env):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**sandbox_env, "REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    app = create_app({"ENV": env, "TESTING": True})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["state"] == "failed"
    assert app.test_client().get("/healthz").status_code == 200


def test_readyz_with_redis(sandbox_env, redis_url):
    app = create_app({"ENV": {**sandbox_env, "REDIS_URL": redis_url}, "TESTING": True})
    response = app.test_client().get("/readyz")
    assert response.status_code == 200, response.get_json()


def test_readyz_says_503_while_the_breaker_is_open_even_with_languages_cached(app):
    client = app.test_client()
    assert client.get("/readyz").status_code == 200  # Languages now cached fresh
    breaker = app.extensions["instance"].breaker
    for _ in range(breaker.threshold):
        breaker.failed()  # the pages' own requests kept failing
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.get_json()["instance"] == "failed"
