"""Certificate images learners upload: checked by their bytes, stored under random names.

Files go to the upload storage (webapp/storage.py: the instance folder, or an S3 bucket every
machine shares) and are served publicly at /uploads/<name>: the instance fetches the image from
there, so the URL must work without a session. Names are 192 random bits, so only someone given
one can find it.

The instance's API never gives a certificate's image back, so Atrium files the image each
certificate it created was sent with (an upload's URL or the learner's link) under the
certificate's id, in `by-certificate/` (never served: only generated names are).
"""

from __future__ import annotations

import logging
import re
import secrets

from ..security import plausible_id
from ..storage import StorageUnavailable, storage

log = logging.getLogger("atrium.uploads")

MAX_BYTES = 5 * 1024 * 1024
# extension -> Content-Type; the extension is chosen from the file's bytes, never its name
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp", "gif": "image/gif"}
_NAME = re.compile(r"[A-Za-z0-9_-]{32}\.(png|jpg|webp|gif)")
BY_CERTIFICATE = "by-certificate"


def sniff(blob: bytes) -> str | None:
    """The image type the bytes really hold (PNG, JPEG, WebP or GIF), or None."""
    if blob.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if blob.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if blob.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if len(blob) >= 12 and blob[:4] == b"RIFF" and blob[8:12] == b"WEBP":
        return "webp"
    return None


def store(blob: bytes, kind: str) -> str:
    """Store the image under a fresh random name and return the name."""
    if kind not in CONTENT_TYPES:
        raise ValueError(f"not an image type we store: {kind!r}")
    name = f"{secrets.token_urlsafe(24)}.{kind}"
    storage().put_new(name, blob, CONTENT_TYPES[kind])
    return name


def read(name: str) -> bytes | None:
    """The image stored under `name`; None if there is none, or the name is not one of ours."""
    return storage().read(name) if is_ours(name) else None


def discard(name: str | None) -> None:
    """Remove an image whose certificate was never created."""
    if name and is_ours(name):
        storage().delete(name)


def is_ours(name: str) -> bool:
    """A name this module could have generated (anything else is never looked up)."""
    return bool(_NAME.fullmatch(name))


def content_type(name: str) -> str:
    return CONTENT_TYPES[name.rsplit(".", 1)[1]]


def remember(certificate_id: str, asset: str) -> None:
    """File the image a new certificate was sent with under the certificate's id."""
    if not plausible_id(certificate_id) or not asset:
        return
    try:
        storage().put(f"{BY_CERTIFICATE}/{certificate_id}", asset.encode(), "text/plain")
    except OSError:
        # The certificate exists now: failing the request would invite a duplicate. Only its
        # image goes missing from Atrium's pages.
        log.warning("could not file the image of certificate %s", certificate_id, exc_info=True)


def remembered(certificate_ids) -> dict[str, str]:
    """The images filed for these certificates (those Atrium created), by certificate id."""
    found = {}
    files = storage()
    for certificate_id in certificate_ids:
        if not plausible_id(certificate_id):
            continue
        try:
            record = files.read(f"{BY_CERTIFICATE}/{certificate_id}")
        except StorageUnavailable:
            log.warning("upload storage unavailable: certificates shown without their images")
            break  # the rest would wait as long; the page shows its certificates without images
        if record is None:
            continue
        try:
            found[certificate_id] = record.decode("utf-8")[:2048]
        except UnicodeDecodeError:
            continue
    return found
