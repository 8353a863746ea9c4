"""One generated request to one route: who sends it, its path, query, headers and body."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from webapp.config import DEMO_PORTAL

from .hostile import (
    CONTENT_TYPES,
    HEADER_VALUES,
    PLAUSIBLE,
    file_parts,
    header_text,
    hostile_text,
    repeated,
)
from .routes import HEADERS, Inputs

# learner2 speaks French at another client (its own branding and strings).
ROLES = ("learner", "learner", "learner2", "admin", "visitor")
ADMIN_ROLES = ("admin", "admin", "admin", "learner", "visitor")
_VARIABLE = re.compile(r"<(?:([a-z]+)(?:\([^)]*\))?:)?(\w+)>")
MAX_BODY = 6 * 1024 * 1024  # the app's MAX_CONTENT_LENGTH
GATEKEEPERS = ("Origin", "Sec-Fetch-Site")  # webapp/security.py refuses cross-site changes
ALLOWED_PORTALS = DEMO_PORTAL  # the embed origins the demo portal (on by default here) allows
# Mostly a valid token, so that the view is reached; sometimes none or a wrong one.
CSRF_MODES = ("field",) * 6 + ("header", "header", "none", "wrong")


@dataclass(frozen=True)
class FilePart:
    content: bytes
    filename: str
    content_type: str

    def __repr__(self) -> str:
        return f"FilePart({_short(self.content)}, {_short(self.filename)}, {self.content_type!r})"


@dataclass(frozen=True)
class HandoffToken:
    """A handoff token the harness signs with the app's own secret (claims fuzzed)."""

    email: str | None
    auth_token: str | None

    def __repr__(self) -> str:
        return f"HandoffToken({_short(self.email)}, {_short(self.auth_token)})"


@dataclass
class Attempt:
    role: str
    method: str
    path: str
    query: str
    headers: dict[str, str]
    fields: list[tuple[str, object]] = field(default_factory=list)
    body: str = "none"  # none | form | multipart | raw | too-large
    content_type: str = ""
    encoding: str = "utf-8"
    csrf: str = "field"  # field | header | none | wrong
    wrong_csrf: str = ""
    cookie: str | None = None  # sent as the session cookie, by a client with no cookie jar

    def __repr__(self) -> str:
        headers = ", ".join(f"{name}: {_short(value)}" for name, value in self.headers.items())
        fields = ", ".join(f"{name}={_short(value)}" for name, value in self.fields)
        return (
            f"Attempt({self.role}: {self.method} {_short(self.path)} ? {_short(self.query)}"
            f" headers[{headers}] body={self.body} {self.content_type!r} {self.encoding}"
            f" csrf={self.csrf} {_short(self.wrong_csrf)} cookie={_short(self.cookie)}"
            f" fields[{fields}])"
        )

    def _repr_pretty_(self, printer, _cycle) -> None:
        printer.text(repr(self))  # Hypothesis's report, with huge values cut short

    def request(self, csrf_token: str | None, sign) -> dict:
        """Keyword arguments for the test client's open(); `sign` makes a handoff token."""
        headers = dict(self.headers)
        fields = [(n, sign(v) if isinstance(v, HandoffToken) else v) for n, v in self.fields]
        token = {"field": csrf_token, "header": csrf_token, "wrong": self.wrong_csrf}.get(self.csrf)
        if self.csrf == "header" or (self.csrf == "wrong" and self.body == "raw"):
            headers["X-CSRFToken"] = token or ""
        elif token is not None and self.method != "GET":
            fields.append(("csrf_token", token))
        kwargs = {
            "path": self.path,
            "method": self.method,
            "query_string": self.query,
            "headers": headers,
        }
        if self.body == "form":
            kwargs["data"] = MultiDict([(n, _as_text(v)) for n, v in fields])
        elif self.body == "multipart":
            kwargs["data"] = MultiDict([(n, _as_part(v)) for n, v in fields])
            kwargs["content_type"] = "multipart/form-data"
        elif self.body == "raw":
            kwargs["data"] = _raw_body(fields, self.content_type, self.encoding)
            kwargs["content_type"] = self.content_type
        elif self.body == "too-large":
            kwargs["data"] = b"x=" + b"y" * MAX_BODY
            kwargs["content_type"] = "application/x-www-form-urlencoded"
        return kwargs


def _no_separators(value: str) -> str:
    return value.replace(";", "").replace(",", "")


def _short(value: object, limit: int = 60) -> str:
    """A value for a report: huge ones cut short, with their length."""
    if not isinstance(value, str | bytes):
        return repr(value)
    return repr(value) if len(value) <= limit else f"{value[:limit]!r}…({len(value)} long)"


def _as_text(value: object) -> str:
    return value.content.decode("utf-8", "replace") if isinstance(value, FilePart) else value


def _as_file(text: str) -> FilePart:
    return FilePart(text.encode("utf-8"), "field.txt", "text/plain")


def _as_part(value: object):
    if isinstance(value, FilePart):
        return (io.BytesIO(value.content), value.filename, value.content_type)
    return value


def _raw_body(fields: list, content_type: str, encoding: str) -> bytes:
    pairs = [(name, _as_text(value)) for name, value in fields]
    if content_type == "application/json":
        return json.dumps(dict(pairs)).encode()
    if encoding == "percent-latin-1":
        return urlencode(pairs, encoding="latin-1", errors="replace").encode()
    if encoding == "broken-escapes":
        return (urlencode(pairs) + "&%C3%28=%FF&%=%zz&&=&a=%E2%82").encode()
    text = "&".join(f"{name}={value}" for name, value in pairs)
    return text.encode(encoding, "replace")  # raw bytes, not percent-encoded


def values_for(name: str, known: dict[str, tuple[str, ...]]) -> st.SearchStrategy[str]:
    plausible = set(PLAUSIBLE.get(name, ())) | set(known.get(name, ()))
    return hostile_text(tuple(plausible))


def _encode_pairs(pairs: list[tuple[str, str]], style: str) -> str:
    if style == "utf-8":
        return urlencode(pairs)
    if style == "latin-1":
        return urlencode(pairs, encoding="latin-1", errors="replace")
    if style == "broken-escapes":
        return urlencode(pairs) + "&%C3%28=%FF&%=%zz&&=&b=%E2%82"
    # As a careless client sends it: UTF-8 bytes, not percent-encoded (a server hands the
    # query string over as Latin-1).
    return "&".join(f"{k}={v}" for k, v in pairs).encode("utf-8").decode("latin-1")


@st.composite
def query_strings(draw, names: tuple[str, ...], known: dict) -> str:
    pairs = []
    for name in names:
        pairs += [(name, v) for v in draw(repeated(values_for(name, known)))]
    if draw(st.integers(0, 4)) == 0:  # a parameter no view reads
        pairs.append((draw(st.sampled_from(("utm_source", "q[]", "", "\x00", "page "))), "1"))
    style = draw(st.sampled_from(("utf-8", "utf-8", "latin-1", "raw", "broken-escapes")))
    return _encode_pairs(draw(st.permutations(pairs)), style)


@st.composite
def paths(draw, rule, known: dict) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(2)
        plausible = tuple(known.get(name, ()))
        value = draw(hostile_text(plausible, max_repeats=2_000), label=name)
        style = draw(st.sampled_from(("utf-8", "utf-8", "latin-1", "odd-escape")))
        if style == "latin-1":
            return quote(value, safe="", encoding="latin-1", errors="replace")
        encoded = quote(value, safe="")
        return encoded + "%C3%28%FF" if style == "odd-escape" else encoded

    return _VARIABLE.sub(fill, rule.rule)


@st.composite
def headers(draw) -> dict[str, str]:
    chosen = {}
    for name in HEADERS:
        # Each header on about one request in four; HTMX's on one in two (a fragment is a
        # path of its own); the two that refuse every state change they don't like on one
        # in ten, so that most requests reach the view.
        odds = 10 if name in GATEKEEPERS else 2 if name.startswith("HX-") else 4
        if draw(st.integers(1, odds)) == 1:
            chosen[name] = draw(header_text(HEADER_VALUES.get(name, ())), label=name)
    if "HX-Request" in chosen and draw(st.booleans()):
        chosen["HX-Request"] = "true"  # what htmx sends: the fragment paths
    return chosen


@st.composite
def code_boxes(draw, known: dict) -> list[tuple[str, object]]:
    count = draw(st.sampled_from((0, 1, 1, 2, 3, 21)))
    names = [f"codes-{i}" for i in range(count)]
    if draw(st.booleans()):
        names.append(draw(st.sampled_from(("codes-999999", "codes-01", "codes-x", "codes-"))))
    plausible = tuple(known.get("code", ())) + ("WELCOME-2026 TEAM-2026", "a,b;c")
    return [(name, draw(hostile_text(plausible, max_repeats=500))) for name in names]


@st.composite
def body_fields(draw, key: tuple[str, str], inputs: Inputs, known: dict) -> list:
    fields: list[tuple[str, object]] = []
    for name in inputs.form:
        if name == "token" and key[0] == "embed.handoff" and draw(st.booleans()):
            email = draw(st.one_of(st.none(), values_for("email", known)))
            auth = draw(st.one_of(st.none(), hostile_text(max_repeats=300)))
            fields.append((name, HandoffToken(email, auth)))
            continue
        fields += [(name, v) for v in draw(repeated(values_for(name, known)), label=name)]
    for name in inputs.files:
        if draw(st.integers(0, 4)):
            fields.append((name, FilePart(*draw(file_parts(name), label=name))))
    if inputs.once and draw(st.integers(0, 3)):
        submission = st.from_regex(r"\A[A-Za-z0-9_-]{16,64}\Z").filter(bool)
        fields.append(("submission_id", draw(st.one_of(submission, hostile_text()))))
    if inputs.code_boxes:
        fields += draw(code_boxes(known))
    draw(st.randoms()).shuffle(fields)
    return fields


@st.composite
def attempts(draw, key: tuple[str, str], inputs: Inputs, rules: list, known: dict) -> Attempt:
    _endpoint, method = key
    attempt = Attempt(
        role=draw(st.sampled_from(ADMIN_ROLES if inputs.admin else ROLES), label="role"),
        method=method,
        path=draw(paths(draw(st.sampled_from(rules)), known), label="path"),
        query=draw(query_strings(inputs.query, known), label="query"),
        headers=draw(headers(), label="headers"),
    )
    if key == ("embed.handoff", "POST") and draw(st.integers(0, 3)):
        # A portal's post names its origin; only an allowed one gets to the token.
        attempt.headers["Origin"] = draw(st.sampled_from(ALLOWED_PORTALS))
    if draw(st.integers(0, 19)) == 0:  # a method the route doesn't take
        attempt.method = draw(st.sampled_from(("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")))
    if draw(st.integers(0, 9)) == 0:  # a session cookie that is none of ours
        attempt.cookie = draw(header_text(("", "x", "a" * 43, "a" * 500)).map(_no_separators))
    if method == "GET":
        return attempt
    fields = draw(body_fields(key, inputs, known), label="fields")
    # A text field sent as a file part: a type no browser sends for it.
    attempt.fields = [
        (n, _as_file(v) if isinstance(v, str) and draw(st.integers(0, 5)) == 0 else v)
        for n, v in fields
    ]
    attempt.body = draw(st.sampled_from(("form", "form", "multipart", "multipart", "raw")))
    if draw(st.integers(0, 60)) == 0:
        attempt.body = "too-large"
    if attempt.body == "raw":
        attempt.content_type = draw(st.one_of(st.sampled_from(CONTENT_TYPES), header_text()))
        attempt.encoding = draw(
            st.sampled_from(("utf-8", "latin-1", "utf-16", "percent-latin-1", "broken-escapes"))
        )
    attempt.csrf = draw(st.sampled_from(CSRF_MODES))
    if attempt.csrf == "wrong":
        attempt.wrong_csrf = draw(header_text())
    return attempt
