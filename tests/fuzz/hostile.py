"""Hypothesis strategies for hostile values: odd text, wrong types, odd encodings, files.

Every value is something a client can really send: text without lone surrogates (they have
no UTF-8 form), headers as a server hands them over (Latin-1, no line breaks).
"""

from __future__ import annotations

import operator

from hypothesis import strategies as st

from webapp.learning.forms import CONTENT_KINDS, SORT_CHOICES, STATUS_VALUES

BIDI = "\u202e\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
CONTROL = "".join(map(chr, range(0x20))) + "\x7f\x85\u2028\u2029"
ODD = "\ufeff\u00a0\u200b\u200d\u3000\u0301\ufffd\uffff\U0010ffff🙂İıßſ\u212aǅ١٢"
MARKUP = "<>\"'&%/\\.,;:=?#{}[]$`|*+@!~^()"
WHITESPACE = " \t\n\r\x0b\x0c\u00a0\u1680\u2003\u2028\u3000\u200b\ufeff"
TRICKS = (
    "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "%00",
    "%C3%28",
    "%",
    "%zz",
    "+",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "${7*7}",
    "%(name)s",
    "%{count}",
    "' OR 1=1 --",
    "javascript:alert(1)",
    "JaVa\tScRiPt:alert(1)",
    "data:text/html,<b>x</b>",
    "//evil.test",
    "/\\evil.test",
    "\\\\evil.test",
    "https://evil.test/",
    "http://[::1",
    "null",
    "undefined",
    "None",
    "true",
    "[]",
    "{}",
    '{"a": 1}',
    "a\r\nSet-Cookie: x=1",
    "\u202egnp.exe",
    "x" * 64 + "@" + "y" * 250 + ".test",
)
NUMBERS = (
    "0",
    "-1",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "0x1F",
    "1_000",
    " 7 ",
    "٣",
    "１２",
    "9" * 40,
    "2147483648",
    "1.5",
)


def _huge(max_repeats: int) -> st.SearchStrategy[str]:
    """A long value, made by repetition (generating it character by character is slow)."""
    piece = st.one_of(
        st.sampled_from(("x", "é", "🙂", "\u202e", "\x00", "%", "a b")),
        st.text(min_size=1, max_size=3),
    )
    return st.builds(operator.mul, piece, st.integers(256, max_repeats))


def hostile_text(plausible=(), *, max_repeats: int = 8_000) -> st.SearchStrategy[str]:
    """Text a client may send in place of `plausible`: empty, blank, control and bidi
    characters, odd code points, markup and injection tricks, numbers, huge, or a plausible
    value wrapped in odd characters."""
    odd_char = st.sampled_from(CONTROL + BIDI + ODD + MARKUP + WHITESPACE + "aZ09")
    kinds = [
        st.just(""),
        st.text(alphabet=WHITESPACE, min_size=1, max_size=6),
        st.text(alphabet=odd_char, max_size=20),
        st.text(max_size=20),
        st.sampled_from(TRICKS),
        st.sampled_from(NUMBERS),
        st.integers(-(2**70), 2**70).map(str),
        _huge(max_repeats),
    ]
    if plausible:
        known = st.sampled_from(sorted(plausible))
        small = st.text(alphabet=odd_char, max_size=3)
        kinds += [known, known, st.builds(lambda a, v, b: a + v + b, small, known, small)]
    return st.one_of(kinds)


def header_text(plausible=()) -> st.SearchStrategy[str]:
    """A header value as a WSGI server hands it over: UTF-8 bytes read as Latin-1, no line
    breaks (no server passes those on), at most 8 KB."""
    return hostile_text(plausible, max_repeats=2_000).map(
        lambda v: v.encode("utf-8").decode("latin-1").replace("\r", "").replace("\n", "")[:8000]
    )


def repeated(value: st.SearchStrategy) -> st.SearchStrategy[list]:
    """A parameter's values: usually one, sometimes none or the same name several times."""
    return st.one_of(
        st.builds(lambda v: [v], value),
        st.builds(lambda v: [v], value),
        st.lists(value, min_size=2, max_size=4),
        st.just([]),
    )


# Plausible values by parameter name: a value that passes validation lets the fuzz reach the
# code behind it with its other parameters hostile.
PLAUSIBLE: dict[str, tuple[str, ...]] = {
    "email": ("learner@acme.test", "admin@acme.test", "new.person@acme.test", "a@b"),
    "password": ("learner", "admin", "wrong"),
    "next": ("/dashboard", "/learning?q=x&page=2", "/embed/dashboard", "/license", "/€"),
    "lang": ("fr", "ar", "de", "en-US", "pt-BR", "xx"),
    "confirm": ("yes", "no"),
    "confirmed": ("yes",),
    "title": ("A course",),
    "kind": CONTENT_KINDS,
    "pages": ("1", "3", "0", "1001"),
    "count": ("0", "5", "100001"),
    "action": ("redeem", "check", "add"),
    "completed_on": ("2026-01-05", "2099-01-01", "2026-02-30", "05/01/2026"),
    "expires_on": ("2027-01-05", "2020-01-01"),
    "identifier": ("ABC-123",),
    "image_url": ("https://example.com/c.png", "http://example.com/c.png", "https:///x"),
    "first_name": ("Ada",),
    "last_name": ("Lovelace",),
    "client": ("other", ""),
    "other_licenses": ("lic-a, lic-b", "lic-a;;"),
    "q": ("leadership", "a"),
    "status": STATUS_VALUES,
    "show": ("completed",),
    "page": ("1", "2", "1000", "dashboard", "learning", "badges"),
    "sort": tuple(v for v, _label in SORT_CHOICES),
    "direction": ("asc", "desc"),
    "collapse": ("1",),
    "part": ("status", "field"),
    "expired": ("1", "on", "0", "false"),
    "limit": ("5", "10", "25", "50"),
    "accent": ("#1f5fbf", "#fc0", "1f5fbf"),
    "secondary": ("#000000",),
    "link": ("#0645ad",),
    "font": ("Inter", "Noto Sans Arabic"),
    "alt_font": ("Inter",),
    "alt": ("Inter",),
    "logo": ("https://example.com/l.png", "/static/x.png"),
    "bg": ("https://example.com/bg.png",),
    "tiled": ("1",),
}

HEADER_VALUES: dict[str, tuple[str, ...]] = {
    "HX-Request": ("true",),
    "HX-Target": ("result-pages", "main", "results", "waitlist"),
    "HX-Current-URL": (
        "http://localhost/learning?q=x&page=3",
        "http://localhost/archive",
        "http://[::1",
        "javascript:alert(1)",
    ),
    "HX-Boosted": ("true",),
    "HX-History-Restore-Request": ("true",),
    "Origin": (
        "http://localhost",
        "null",
        "https://evil.test",
        "http://127.0.0.1:5001",
        "http://[::1",
    ),
    "Referer": (
        "http://localhost/learning?kind=course",
        "https://evil.test/",
        "http://localhost",
        "http://[localhost/learning",
    ),
    "Sec-Fetch-Site": ("same-origin", "cross-site", "none", "same-site"),
    "Accept-Language": ("fr-CA,fr;q=0.9", "ar", "*", "de;q=1.1", "xx;q=abc"),
    "Accept-Encoding": ("br, gzip", "gzip;q=0", "identity", "*"),
    "Accept": ("text/plain", "application/openmetrics-text; version=1.0.0", "*/*"),
    "Authorization": ("Bearer fuzz-metrics-token", "Bearer ", "Basic eDp5"),
    "If-None-Match": ("*", '"abc"', 'W/"x"'),
    "Range": (
        "bytes=0-10",
        "bytes=-5",
        "bytes=10-5",
        "bytes=0-0,1-1",
        "bytes=99999999999999999999-",
    ),
}

CONTENT_TYPES = (
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=bogus",
    "multipart/form-data",
    "multipart/form-data; boundary=zz",
    "multipart/form-data; boundary=",
    "application/json",
    "text/plain",
    "",
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
IMAGE_STARTS = (PNG, b"\xff\xd8\xff", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBP")


def _csv(rows: list[list[str]], newline: str, encoding: str) -> bytes:
    text = newline.join(",".join(cells) for cells in rows)
    return text.encode(encoding, "replace")


def csv_files() -> st.SearchStrategy[bytes]:
    """A learners CSV with hostile cells, odd newlines, encodings and delimiters."""
    cell = hostile_text(("a@b.test", "Ada", "lic-acme-standard"), max_repeats=300)
    header = st.sampled_from(
        (["email", "first name", "last name"], ["Email", "Licenses", "ref1"], ["e-mail"], [""])
    )
    rows = st.lists(st.lists(cell, max_size=4), max_size=6)
    return st.builds(
        lambda h, r, nl, enc: _csv([h, *r], nl, enc),
        header,
        rows,
        st.sampled_from(("\n", "\r\n", "\r", "\x00")),
        st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "latin-1")),
    )


def file_bytes(field: str) -> st.SearchStrategy[bytes]:
    odd = st.one_of(
        st.binary(max_size=64),
        st.just(b""),
        st.builds(operator.add, st.sampled_from(IMAGE_STARTS), st.binary(max_size=32)),
    )
    return st.one_of(csv_files(), odd) if field == "file" else odd


def file_parts(field: str) -> st.SearchStrategy[tuple]:
    """(bytes, filename, content type) for a multipart file part."""
    return st.tuples(
        file_bytes(field),
        hostile_text(("learners.csv", "c.png", "x.CSV", "../../x.csv"), max_repeats=300),
        st.sampled_from(("image/png", "text/csv", "application/octet-stream", "", "x/\u00e9")),
    )
