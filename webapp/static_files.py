"""Static files at content-hashed URLs: cached for a year, sent pre-compressed.

`url_for('static', filename=...)` gains `?v=<hash of the file's bytes>` (templates call it as
before), and a request carrying the file's current hash is answered with
`Cache-Control: public, max-age=31536000, immutable`: a repeat view asks for none of them, and
a changed file has a new URL. Any other request (no `v`, or an old one) gets the file with
`no-cache`, so it revalidates (ETag) and never sticks.

Text files (CSS, JavaScript, SVG, JSON, plain text) are compressed once per process, with
brotli at its best quality and gzip at level 9 (a page's own compression, Flask-Compress, runs
at a quicker level, as it works on every request), and sent in the encoding the browser
prefers. Fonts are WOFF2, compressed already.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path

import brotli
from flask import Flask, Response, abort, current_app, request
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = {
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
    "text/css",
    "text/javascript",
    "text/plain",
}
ENCODINGS = ("br", "gzip")  # the server's preference when the browser takes both equally
_TYPES = {".woff2": "font/woff2", ".js": "text/javascript", ".svg": "image/svg+xml"}


@dataclass
class Asset:
    """One static file as read from disk: its bytes, type, hash, and encodings made so far."""

    stamp: tuple[int, int]  # (mtime_ns, size): a changed file is read again
    mimetype: str
    digest: str
    bodies: dict[str, bytes] = field(default_factory=dict)  # "identity", "br", "gzip"

    @property
    def compressible(self) -> bool:
        return self.mimetype in COMPRESSIBLE

    def body(self, encoding: str) -> bytes:
        """The file in `encoding` ("identity" for none), compressed the first time it's asked."""
        if encoding not in self.bodies:
            data = self.bodies["identity"]
            packed = brotli.compress(data, quality=11) if encoding == "br" else None
            if encoding == "gzip":
                packed = gzip.compress(data, compresslevel=9, mtime=0)
            # Smaller or not at all: a tiny file may grow (served as is then).
            self.bodies[encoding] = packed if packed and len(packed) < len(data) else data
        return self.bodies[encoding]


_assets: dict[str, Asset] = {}
_lock = threading.Lock()


def _mimetype(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def load(folder: str, filename: str) -> Asset | None:
    """The static file `filename` under `folder` (None if there is none), read once per
    change."""
    path = safe_join(folder, filename)
    if path is None:
        return None
    try:
        info = Path(path).stat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    stamp = (info.st_mtime_ns, info.st_size)
    cached = _assets.get(path)
    if cached is not None and cached.stamp == stamp:
        return cached
    data = Path(path).read_bytes()
    asset = Asset(
        stamp=stamp,
        mimetype=_mimetype(path),
        digest=hashlib.sha256(data).hexdigest()[:16],
        bodies={"identity": data},
    )
    with _lock:
        _assets[path] = asset
    return asset


def version(filename: str) -> str | None:
    """The content hash of a static file, as its URL carries it (`v=`)."""
    asset = load(current_app.static_folder or "", filename)
    return asset.digest if asset else None


def _encoding(asset: Asset) -> str:
    if not asset.compressible:
        return "identity"
    best = request.accept_encodings.best_match(ENCODINGS)
    if best is None:
        return "identity"
    return best if asset.body(best) is not asset.bodies["identity"] else "identity"


def serve(filename: str) -> Response:
    """The `static` endpoint: the file, immutable when asked for by its current hash."""
    asset = load(current_app.static_folder or "", filename)
    if asset is None:
        abort(404)
    encoding = _encoding(asset)
    response = current_app.response_class(asset.body(encoding), mimetype=asset.mimetype)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    if asset.compressible:
        response.vary.add("Accept-Encoding")
    response.set_etag(f"{asset.digest}-{encoding}")
    current = request.args.get("v") == asset.digest
    response.headers["Cache-Control"] = IMMUTABLE if current else REVALIDATE
    return response.make_conditional(request)


def _hashed_static_urls(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        digest = version(values["filename"])
        if digest:
            values["v"] = digest


def init_static_files(app: Flask) -> None:
    """Hashed URLs for url_for('static', ...), and the static endpoint that honours them."""
    app.url_defaults(_hashed_static_urls)
    app.view_functions["static"] = serve
