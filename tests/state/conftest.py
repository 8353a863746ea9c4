"""Fixtures for the shared-state tests: a local S3 server (moto's server mode) and buckets on it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from tests.support import fake_aws_environment


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """A local S3 server (moto) on a free port: its endpoint URL."""
    server_mode = pytest.importorskip("moto.server", reason="moto[server] is a test extra")
    server = server_mode.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_config(s3_server, monkeypatch, tmp_path) -> dict[str, str]:
    """A fresh bucket on the local server, and the settings that send uploads there. The
    credentials are fake and come from the environment, as boto3 finds them in production."""
    fake = fake_aws_environment(tmp_path)
    for name, value in fake.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    import boto3

    bucket = f"atrium-{secrets.token_hex(6)}"
    boto3.session.Session().client("s3", endpoint_url=s3_server).create_bucket(Bucket=bucket)
    return {"UPLOAD_S3_BUCKET": bucket, "UPLOAD_S3_ENDPOINT_URL": s3_server}
