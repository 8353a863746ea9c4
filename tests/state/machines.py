"""Helpers for tests of several machines: apps that share only Redis (and S3), a browser a load
balancer sends to either, and a look into the bucket (the S3 server is in conftest.py)."""

from __future__ import annotations

from flask import Flask

from tests.web.conftest import Browser
from webapp import create_app


def machines(sandbox_env: dict, tmp_path, count: int = 2, **config: str) -> list[Flask]:
    """`count` Atriums on one instance (the sandbox database) that share nothing else on disk:
    each has its own state file and upload folder, so only `config` (REDIS_URL, S3) joins them."""
    apps = []
    for number in range(1, count + 1):
        env = {
            **sandbox_env,
            "STATE_DB": str(tmp_path / f"state-{number}.sqlite3"),
            "UPLOAD_FOLDER": str(tmp_path / f"uploads-{number}"),
            **config,
        }
        apps.append(create_app({"ENV": env, "TESTING": True}))
    return apps


class Roaming(Browser):
    """One browser behind a load balancer: `on(n)` sends its next requests to machine n, with
    the cookie the browser holds (as a browser would: it knows nothing of machines)."""

    def __init__(self, apps: list[Flask]):
        super().__init__(apps[0].test_client())
        self.clients = [self.client] + [app.test_client() for app in apps[1:]]
        self.cookie_name = apps[0].config["SESSION_COOKIE_NAME"]

    def on(self, machine: int) -> Roaming:
        target = self.clients[machine]
        if target is not self.client:
            cookie = self.client.get_cookie(self.cookie_name)
            if cookie is None:
                target.delete_cookie(self.cookie_name)
            else:
                target.set_cookie(self.cookie_name, cookie.value)
            self.client = target
        return self


def bucket_keys(config: dict[str, str]) -> list[str]:
    """Every key in the bucket `config` names."""
    import boto3

    client = boto3.session.Session().client("s3", endpoint_url=config["UPLOAD_S3_ENDPOINT_URL"])
    listed = client.list_objects_v2(Bucket=config["UPLOAD_S3_BUCKET"])
    return sorted(item["Key"] for item in listed.get("Contents", []))
