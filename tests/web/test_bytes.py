"""Bytes: compressed pages, immutable content-hashed static files, and the vendored brand fonts."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.pages import LEARNER_PAGES, path_of
from tests.web.conftest import Browser, soup
from webapp import fonts
from webapp.branding import theme_from_query

STATIC = Path(fonts.__file__).with_name("static")
IMMUTABLE = "public, max-age=31536000, immutable"
GZIP_ONLY = {"Accept-Encoding": "gzip", "Sec-Fetch-Site": "same-origin"}
# Every learner page (tests/pages.py) and a learning path, which no menu leads to.
OTHER_PAGES = ["/paths/data-science-foundations"]


def linked(html: str, prefix: str) -> list[str]:
    page = soup_of(html)
    refs = [t.get("href") or t.get("src") for t in page.find_all(["link", "script"])]
    return [r for r in refs if r and r.startswith(prefix)]


def soup_of(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def theme_css(browser: Browser, path: str = "/dashboard") -> str:
    href = linked(browser.get(path).get_data(as_text=True), "/branding/theme.css")[0]
    return browser.get(href).get_data(as_text=True)


def font_faces(css: str) -> dict[str, str]:
    """font-family -> src URL of each @font-face rule."""
    faces = re.findall(r"@font-face\{([^}]*)\}", css)
    found = {}
    for face in faces:
        family = re.search(r'font-family:"([^"]+)"', face).group(1)
        found[family] = re.search(r'src:url\("([^"]+)"\)', face).group(1)
    return found


def assert_compressed(response, what: str) -> None:
    assert response.status_code == 200, what
    assert response.headers.get("Content-Encoding") == "gzip", f"{what} is not compressed"
    assert "Accept-Encoding" in response.headers.get("Vary", ""), what
    gzip.decompress(response.get_data())  # really gzip


# -- fonts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "body", "heading"),
    [("learner", "Inter", "Merriweather"), ("learner2", "Source Sans 3", "Playfair Display")],
)
def test_theme_css_declares_the_brand_fonts_atrium_serves(app, seed, who, body, heading):
    browser = Browser(app.test_client()).resume(seed, who)
    css = theme_css(browser)
    faces = font_faces(css)
    assert set(faces) == {body, heading}
    assert f'--brand-font:"{body}", system-ui' in css
    assert f'--brand-alt-font:"{heading}", Georgia' in css  # both headings are serif faces
    for family, url in faces.items():
        assert url.startswith("/static/fonts/") and "?v=" in url, family
        assert (STATIC / url.removeprefix("/static/").split("?")[0]).is_file(), url
        response = browser.client.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200, url
        assert response.mimetype == "font/woff2", url
        assert response.headers["Cache-Control"] == IMMUTABLE, url
        assert "Content-Encoding" not in response.headers  # WOFF2 is compressed already
        assert response.get_data()[:4] == b"wOF2", url
    face_rules = re.findall(r"@font-face\{[^}]*\}", css)
    assert all("font-display:swap" in rule for rule in face_rules)
    # Latin only: Arabic falls through to the stack's system fonts.
    assert all("unicode-range:U+20-7E" in rule and "U+6" not in rule for rule in face_rules)


def test_the_body_font_is_preloaded_and_a_foreign_font_is_not(app, learner):
    preload = soup(learner.get("/dashboard")).find("link", rel="preload")
    assert preload["as"] == "font" and preload["type"] == "font/woff2"
    assert preload.has_attr("crossorigin")  # fonts are fetched in CORS mode: else fetched twice
    assert preload["href"] == font_faces(theme_css(learner))["Inter"]
    with app.test_request_context():
        assert fonts.preload_url("Lato") is None
        assert fonts.preload_url("Merriweather") is None  # shipped for headings only (700)


def test_names_match_case_insensitively_and_other_families_get_a_designed_fallback(app):
    with app.test_request_context():
        theme = theme_from_query({"font": "source  sans 3", "alt": "PLAYFAIR DISPLAY"})
        css = fonts.theme_font_css(theme.font_name, theme.alt_font_name)
        assert set(font_faces(css)) == {"Source Sans 3", "Playfair Display"}
        assert '--brand-font:"Source Sans 3", system-ui' in css
        # A family Atrium doesn't ship: named first (a device may have it), no @font-face.
        css = fonts.theme_font_css("Lato", "Roboto Slab")
        assert font_faces(css) == {}
        assert f'--brand-font:"Lato", {fonts.SANS_FALLBACK};' in css
        assert f'--brand-alt-font:"Roboto Slab", {fonts.SERIF_FALLBACK};' in css
        assert "Noto Sans Arabic" in fonts.SANS_FALLBACK
        assert "Noto Naskh Arabic" in fonts.SERIF_FALLBACK
        # Shipped bold-only, Merriweather is declared for headings, never for body text.
        assert set(font_faces(fonts.theme_font_css("Merriweather", None))) == set()
        assert set(font_faces(fonts.theme_font_css(None, "Merriweather"))) == {"Merriweather"}
        assert fonts.stack(None) == fonts.SANS_FALLBACK
        assert fonts.stack('Evil"; }') == fonts.SANS_FALLBACK


def test_the_vendored_fonts_are_the_manifests_with_their_licences():
    manifest = json.loads(fonts.MANIFEST.read_text())
    assert {"Inter", "Merriweather", "Source Sans 3", "Playfair Display"} <= set(manifest)
    for family, entry in manifest.items():
        assert entry["source"].startswith("@fontsource"), family
        for face in entry["faces"]:
            data = (STATIC / face["file"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == face["sha256"], face["file"]
            assert len(data) < 50_000, face["file"]
        licence = (STATIC / Path(entry["faces"][0]["file"]).parent / "OFL.txt").read_text()
        assert "SIL Open Font License, Version 1.1" in licence, family
        assert "Copyright" in licence or "©" in licence, family


# -- static files ------------------------------------------------------------------------------


def test_every_static_file_is_served_immutable_at_its_hashed_url(app):
    client = app.test_client()
    files = [p for p in STATIC.rglob("*") if p.is_file()]
    assert len(files) > 10
    with app.test_request_context():
        from flask import url_for

        urls = {p: url_for("static", filename=p.relative_to(STATIC).as_posix()) for p in files}
    for path, url in urls.items():
        assert re.search(r"\?v=[0-9a-f]{16}$", url), url
        response = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'"), url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        body = response.get_data()
        if path.suffix in (".css", ".js", ".svg", ".json", ".txt") and path.stat().st_size >= 500:
            assert_compressed(response, url)
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        assert body == path.read_bytes(), url


def test_a_static_file_without_its_current_hash_revalidates(app):
    client = app.test_client()
    for url in ("/static/css/app.css", "/static/css/app.css?v=0000000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache", url
        again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
    assert client.get("/static/../webapp/__init__.py").status_code == 404
    assert client.get("/static/css/nothing.css").status_code == 404


def test_brotli_when_the_browser_takes_it(app):
    client = app.test_client()
    with app.test_request_context():
        from flask import url_for

        url = url_for("static", filename="vendor/htmx-2.0.11.min.js")
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.headers["Content-Encoding"] == "br"
    assert len(response.get_data()) < 20_000  # 52 KB of JavaScript
    assert client.get(url).headers.get("Content-Encoding") is None  # asked for nothing


def test_every_page_links_static_files_by_hash(learner):
    for path in ["/dashboard", "/learning", "/badges"]:
        html = learner.get(path).get_data(as_text=True)
        statics = linked(html, "/static/")
        assert statics, path
        assert all(re.search(r"\?v=[0-9a-f]{16}$", u) for u in statics), statics


# -- compressed responses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", [*LEARNER_PAGES, *OTHER_PAGES], ids=lambda t: getattr(t, "name", t)
)
def test_pages_are_compressed_for_a_browser_that_accepts_gzip(app, learner, target):
    path = target if isinstance(target, str) else path_of(app, target)
    response = learner.client.get(path, headers=GZIP_ONLY)
    assert_compressed(response, path)
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Sec-Fetch-Site" in response.headers["Vary"]


def test_login_admin_fragments_and_stylesheets_are_compressed(app, learner, admin):
    assert_compressed(app.test_client().get("/login", headers=GZIP_ONLY), "/login")
    assert_compressed(admin.client.get("/admin/branding", headers=GZIP_ONLY), "/admin/branding")
    fragment = learner.client.get("/learning?page=2", headers={**GZIP_ONLY, "HX-Request": "true"})
    assert_compressed(fragment, "an HTMX fragment")
    html = learner.get("/dashboard").get_data(as_text=True)
    theme = linked(html, "/branding/theme.css")[0]
    assert_compressed(learner.client.get(theme, headers=GZIP_ONLY), "theme.css")
    svg = learner.client.get("/sandbox/assets/thumb-data.svg", headers=GZIP_ONLY)
    assert_compressed(svg, "an image of the instance's (sent from its file)")


def test_html_for_cross_site_requests_is_not_compressed(learner):
    """BREACH: requests an attacker's page makes the learner's browser send carry
    Sec-Fetch-Site cross-site (or same-site); their HTML, CSRF token and all, stays plain."""
    for site in ("cross-site", "same-site"):
        response = learner.client.get(
            "/learning?q=csrf", headers={"Accept-Encoding": "gzip", "Sec-Fetch-Site": site}
        )
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers, site
        assert "X-CSRFToken" in response.get_data(as_text=True)
        assert "Sec-Fetch-Site" in response.headers["Vary"]
    typed = learner.client.get(
        "/learning", headers={"Accept-Encoding": "gzip", "Sec-Fetch-Site": "none"}
    )
    assert typed.headers["Content-Encoding"] == "gzip"


def test_branding_stylesheets_are_immutable_at_their_current_urls(learner):
    html = learner.get("/dashboard").get_data(as_text=True)
    theme = linked(html, "/branding/theme.css")[0]
    custom = linked(html, "/branding/custom.css")[0]
    assert "r=" in theme and "r=" in custom and "v=" in custom
    assert learner.client.get(theme).headers["Cache-Control"] == IMMUTABLE
    response = learner.client.get(custom)
    assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    # An old revision or an old CSS hash: served, but revalidated, never kept.
    stale_theme = re.sub(r"r=[0-9a-f]+", "r=000000000000", theme)
    assert learner.client.get(stale_theme).headers["Cache-Control"] == "no-cache"
    stale_custom = re.sub(r"v=[0-9a-f]+", "v=000000000000", custom)
    stale = learner.client.get(stale_custom)
    assert stale.headers["Cache-Control"] == "no-cache"
    assert "Cookie" in stale.headers["Vary"]
    etag = learner.client.get(stale_theme).headers["ETag"]
    assert learner.client.get(stale_theme, headers={"If-None-Match": etag}).status_code == 304
