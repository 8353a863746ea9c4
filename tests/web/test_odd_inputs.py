"""No input, however odd, gets a 500: every route, odd path segments, queries and forms."""

from __future__ import annotations

import re

import pytest

ODD_VALUES = [
    "",
    " ",
    "x" * 5000,
    "../../etc/passwd",
    "%00",
    "\u202e\u0000\u0007",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "javascript:alert(1)",
    "//evil.test",
    "9" * 40,
    "-1",
    "null",
    "🙂" * 50,
    "a\r\nSet-Cookie: x=1",
]
ODD_QUERIES = [
    {"q": v, "kind": v, "sort": v, "direction": v, "show": v, "limit": v, "expired": v,
     "next": v, "page": v, "lang": v, "user": v, "accent": v, "font": v, "logo": v}
    for v in ODD_VALUES
]  # fmt: skip
FORM_FIELDS = (
    "email", "password", "next", "lang", "code", "codes", "license_id", "title", "completed_on",
    "expires_on", "identifier", "image_url", "token", "confirm", "action", "q", "first_name",
    "last_name", "client_id",
)  # fmt: skip
SKIP_PREFIXES = ("/static/", "/sandbox/", "/helium", "/uploads/")
_VARIABLE = re.compile(r"<(int:|[^:<>]+:)?[^<>]+>")


def _rules(app, method: str):
    for rule in app.url_map.iter_rules():
        if method in rule.methods and not rule.rule.startswith(SKIP_PREFIXES):
            yield rule


def _paths(rule) -> list[str]:
    """The rule's path with odd values in its variables (ints get a plausible number)."""
    if not rule.arguments:
        return [rule.rule]

    def fill(value: str) -> str:
        return _VARIABLE.sub(lambda m: "42" if m.group(1) == "int:" else value, rule.rule)

    return [fill(v) for v in ("unknown-id", "0", "x" * 300, "a.b", "%2e%2e", "%20", "ÿ")]


@pytest.mark.parametrize("signed_in", [True, False], ids=["learner", "visitor"])
def test_no_get_route_fails_on_odd_input(app, browser, signed_in):
    if signed_in:
        browser.sign_in("learner")
    failures, checked = [], 0
    for rule in _rules(app, "GET"):
        for path in _paths(rule):
            for query in [{}, *ODD_QUERIES[::3]]:
                checked += 1
                response = browser.client.get(path, query_string=query)
                if response.status_code >= 500:
                    failures.append((path, query.get("q", "")[:20], response.status_code))
    assert not failures, failures[:10]
    assert checked > 100  # the routes really were exercised


def test_no_post_route_fails_on_odd_forms(app, learner):
    failures = []
    rules = sorted(_rules(app, "POST"), key=lambda r: r.rule.endswith("logout"))  # sign out last
    for rule in rules:
        for path in _paths(rule)[:3]:
            for value in ODD_VALUES:
                form = dict.fromkeys(FORM_FIELDS, value)
                for headers in ({}, {"HX-Request": "true", "X-CSRFToken": learner.csrf}):
                    response = learner.post(path, form, headers=headers)
                    if response.status_code >= 500:
                        failures.append((path, value[:20], bool(headers), response.status_code))
    assert not failures, failures[:10]


def test_odd_htmx_headers_and_redirect_targets_are_handled(app, learner):
    response = app.test_client().get(  # signed out: sent to sign in, back to "the page"
        "/dashboard", headers={"HX-Request": "true", "HX-Current-URL": "http://[::1"}
    )
    assert response.status_code == 200 and "HX-Redirect" in response.headers
    response = learner.post(
        "/license", {"license_id": "lic-acme-leadership", "next": "/€"},
        headers={"HX-Request": "true", "X-CSRFToken": learner.csrf},
    )  # fmt: skip
    assert response.headers["HX-Redirect"] == "/%E2%82%AC"
