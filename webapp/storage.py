"""Where files learners upload are kept: a folder on this machine, or an S3-compatible bucket.

One machine keeps them in UPLOAD_FOLDER (the default: `make run` needs nothing). Several
machines set UPLOAD_S3_BUCKET (with UPLOAD_S3_ENDPOINT_URL for a non-AWS server, and keys under
UPLOAD_S3_PREFIX), so a file stored through one machine is served by every other. boto3 is
imported only then; credentials come from its usual places (environment, profile, role).

Names are relative paths of safe characters (`abc.png`, `by-certificate/123`); callers choose
them, this module only refuses names that could reach outside the store.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from pathlib import Path
from typing import Protocol

from flask import current_app

_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}(/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127})?")


class StorageUnavailable(OSError):
    """The store did not answer (a bucket unreachable, refused credentials)."""


class Storage(Protocol):
    def put_new(self, name: str, data: bytes, content_type: str) -> None:
        """Store `data` under a name not in use yet; FileExistsError if it is."""

    def put(self, name: str, data: bytes, content_type: str) -> None:
        """Store `data` under `name`, replacing what was there (whole, never half written)."""

    def read(self, name: str) -> bytes | None:
        """What is stored under `name`, or None if nothing is."""

    def delete(self, name: str) -> None:
        """Forget `name` (nothing happens if it was never stored)."""


def checked(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a storage name: {name!r}")
    return name


class LocalFolder:
    """Files in a folder of this machine: enough for one machine, invisible to the others."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, name: str) -> Path:
        path = self.root / checked(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def put_new(self, name: str, data: bytes, content_type: str) -> None:
        with open(self._path(name), "xb") as out:  # "x": never overwrite
            out.write(data)

    def put(self, name: str, data: bytes, content_type: str) -> None:
        path = self._path(name)
        # Written beside it under a hidden name (never served), then swapped in whole.
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        partial.write_bytes(data)
        partial.replace(path)

    def read(self, name: str) -> bytes | None:
        try:
            return (self.root / checked(name)).read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None

    def delete(self, name: str) -> None:
        (self.root / checked(name)).unlink(missing_ok=True)


class S3Bucket:
    """Objects in an S3 (or S3-compatible) bucket, shared by every machine.

    The credentials need s3:GetObject, s3:PutObject, s3:DeleteObject and s3:ListBucket: without
    the last, S3 answers a missing key with 403 rather than 404.
    """

    def __init__(self, bucket: str, endpoint_url: str | None = None, prefix: str = ""):
        try:
            import boto3
            from botocore.config import Config
            from botocore.exceptions import BotoCoreError, ClientError
        except ImportError:
            raise RuntimeError(
                "UPLOAD_S3_BUCKET is set but boto3 is not installed: pip install 'atrium[s3]'"
            ) from None
        settings = {
            # A page has 3 s to answer: no minute-long default timeouts, one retry at most.
            "connect_timeout": 2,
            "read_timeout": 5,
            "retries": {"max_attempts": 2, "mode": "standard"},
        }
        if endpoint_url:
            # Other S3 servers often reject the checksums boto3 adds by default since 1.36.
            settings["request_checksum_calculation"] = "when_required"
            settings["response_checksum_validation"] = "when_required"
        # A session of our own: boto3's default session must not be shared between threads.
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url or None, config=Config(**settings)
        )
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self._errors = (BotoCoreError, ClientError)

    def _key(self, name: str) -> str:
        return self.prefix + checked(name)

    def _call(self, operation: str, **params):
        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **params)
        except self._errors as error:
            code = getattr(error, "response", {}).get("Error", {}).get("Code")
            if code == "NoSuchKey":
                raise FileNotFoundError(params["Key"]) from None
            if code in ("PreconditionFailed", "ConditionalRequestConflict"):
                raise FileExistsError(params["Key"]) from None  # Conflict: a write in flight
            raise StorageUnavailable(f"S3 {operation} failed: {error}") from error

    def put_new(self, name: str, data: bytes, content_type: str) -> None:
        self._call(
            "put_object", Key=self._key(name), Body=data, ContentType=content_type, IfNoneMatch="*"
        )

    def put(self, name: str, data: bytes, content_type: str) -> None:
        self._call("put_object", Key=self._key(name), Body=data, ContentType=content_type)

    def read(self, name: str) -> bytes | None:
        try:
            body = self._call("get_object", Key=self._key(name))["Body"]
        except FileNotFoundError:
            return None
        with body:
            try:
                return body.read()
            except self._errors as error:
                raise StorageUnavailable(f"S3 read failed: {error}") from error

    def delete(self, name: str) -> None:
        self._call("delete_object", Key=self._key(name))


_creating = threading.Lock()


def storage() -> Storage:
    """The current app's store: its S3 bucket when UPLOAD_S3_BUCKET is set, else its folder."""
    config = current_app.config
    if not config.get("UPLOAD_S3_BUCKET"):
        return LocalFolder(config["UPLOAD_FOLDER"])
    where = (
        config["UPLOAD_S3_BUCKET"],
        config.get("UPLOAD_S3_ENDPOINT_URL") or None,
        config.get("UPLOAD_S3_PREFIX", ""),
    )
    # One client per app (making one takes tens of milliseconds; using one is thread-safe).
    made = current_app.extensions.get("upload_storage")
    if made is None or made[0] != where:
        with _creating:
            made = current_app.extensions.get("upload_storage")
            if made is None or made[0] != where:
                made = current_app.extensions["upload_storage"] = (where, S3Bucket(*where))
    return made[1]
