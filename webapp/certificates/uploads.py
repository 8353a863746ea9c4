"""Certificate images learners upload: checked by their bytes, stored under random names.

Files live in the instance folder (config UPLOAD_FOLDER, default `<instance>/uploads`) and are
served publicly at /uploads/<name>: the instance fetches the image from there, so the URL must
work without a session. Names are 192 random bits, so only someone given one can find it.

The instance's API never gives a certificate's image back, so Atrium files the image each
certificate it created was sent with (an upload's URL or the learner's link) under the
certificate's id, in `by-certificate/` (never served: only generated names are).
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import current_app

from ..security import plausible_id

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


def folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def store(blob: bytes, kind: str) -> str:
    """Write the image under a fresh random name and return the name."""
    if kind not in CONTENT_TYPES:
        raise ValueError(f"not an image type we store: {kind!r}")
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(24)}.{kind}"
    with open(target / name, "xb") as out:  # "x": never overwrite
        out.write(blob)
    return name


def discard(name: str | None) -> None:
    """Remove an image whose certificate was never created."""
    if name and is_ours(name):
        (folder() / name).unlink(missing_ok=True)


def is_ours(name: str) -> bool:
    """A name this module could have generated (anything else is never looked up on disk)."""
    return bool(_NAME.fullmatch(name))


def content_type(name: str) -> str:
    return CONTENT_TYPES[name.rsplit(".", 1)[1]]


def remember(certificate_id: str, asset: str) -> None:
    """File the image a new certificate was sent with under the certificate's id."""
    if not plausible_id(certificate_id) or not asset:
        return
    target = folder() / BY_CERTIFICATE
    target.mkdir(parents=True, exist_ok=True)
    partial = target / f".{certificate_id}.{secrets.token_hex(4)}"
    partial.write_text(asset, encoding="utf-8")
    partial.replace(target / certificate_id)  # whole or not at all


def remembered(certificate_ids) -> dict[str, str]:
    """The images filed for these certificates (those Atrium created), by certificate id."""
    found = {}
    base = folder() / BY_CERTIFICATE
    for certificate_id in certificate_ids:
        if not plausible_id(certificate_id):
            continue
        try:
            found[certificate_id] = (base / certificate_id).read_text(encoding="utf-8")[:2048]
        except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
            continue
    return found
