"""Compressed responses: pages, fragments, CSS, JavaScript, SVG and JSON in brotli or gzip.

Flask-Compress compresses what the app makes per request (static files come pre-compressed
from webapp/static_files.py): uncompressed, a page's HTML was 11-40 KB, most of a first view's
budget; brotli or gzip brings it to a fifth or less.

BREACH. Compressing a response that holds a secret next to text an attacker can choose (a
search term echoed on /learning, a `next` parameter) lets someone who sees the encrypted
lengths guess the secret a character at a time, from many requests the victim's browser is
made to send. Atrium's pages hold the CSRF token (in <body hx-headers> and every form). Three
things keep that guess from working, so pages are compressed:

* Only same-origin requests get compressed HTML. The attack needs the victim's browser to send
  the requests from the attacker's page, and browsers mark those `Sec-Fetch-Site: cross-site`
  (or `same-site`); HTML answered to them goes uncompressed (`Vary: Sec-Fetch-Site`). The
  learner's own navigation (`same-origin`, `none` for a typed address or a bookmark) and every
  HTMX request are compressed. Clients that send no Fetch Metadata (non-browsers, browsers
  before 2023) are compressed too; for those the next two points remain.
* The session cookie is SameSite=Lax outside portal embedding, so cross-site subresource
  requests (the cheap way to send thousands) carry no session, and the page they get holds
  no secret of the learner's.
* Flask-WTF's token is `payload.timestamp.signature`, signed anew each second: the signature
  changes every second, long before a byte-at-a-time guess could finish, and the payload alone
  (the session's raw token) forges nothing without the app's secret key.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_compress import Compress

compress = Compress()
MIMETYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
]
# The requests an attacker's page can't make the learner's browser send: its own navigation
# and fetches, an address typed or bookmarked, and clients that send no Fetch Metadata.
TRUSTED_SITES = {None, "same-origin", "none"}
MAX_BUFFERED = 1024 * 1024  # a file sent from disk up to this size is compressed in memory


def init_compression(app: Flask) -> None:
    defaults = {
        "COMPRESS_REGISTER": False,  # registered below, behind the cross-site check
        "COMPRESS_MIMETYPES": MIMETYPES,
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        # Streams of unknown length stay as they are (Flask-Compress's streaming path leaves
        # the file under a send_file response open); files of known size are read and
        # compressed whole below.
        "COMPRESS_STREAMS": False,
        "COMPRESS_BR_LEVEL": 5,  # per request: nearly level 11's size at a fraction of the time
        "COMPRESS_LEVEL": 6,
        "COMPRESS_MIN_SIZE": 256,  # smaller bodies gain less than the header costs
    }
    for key, value in defaults.items():
        app.config.setdefault(key, value)
    compress.init_app(app)
    app.after_request(compress_response)  # registered first, so it runs after every other hook


def compress_response(response: Response) -> Response:
    if response.mimetype == "text/html":
        response.vary.add("Sec-Fetch-Site")
        if request.headers.get("Sec-Fetch-Site") not in TRUSTED_SITES:
            response.vary.add("Accept-Encoding")
            return response
    if (
        response.is_streamed
        and response.mimetype in MIMETYPES
        and response.content_length is not None
        and response.content_length <= MAX_BUFFERED
    ):
        # A file from send_file (the sandbox's SVGs): read and closed here, compressed whole.
        source = response.response
        data = b"".join(response.iter_encoded())
        if hasattr(source, "close"):
            source.close()
        response.direct_passthrough = False
        response.set_data(data)
    return compress.after_request(response)
