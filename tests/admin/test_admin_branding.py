"""The branding page judges every setting; trial values reach the admin's preview, no one else."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.pages import PREVIEW_NAMES
from tests.web.conftest import Browser, soup
from webapp.branding import contrast, readable_on


def brand_vars(response, browser: Browser) -> dict[str, str]:
    """The CSS custom properties of the theme stylesheet the page links."""
    href = soup(response).find("link", href=lambda h: h and h.startswith("/branding/theme.css"))
    style = browser.get(href["href"]).get_data(as_text=True)
    body = style[style.index("{") + 1 : style.rindex("}")]
    return dict(part.split(":", 1) for part in body.split(";") if part)


def appearance(sandbox, client_id=None) -> dict:
    where = "client_id IS NULL" if client_id is None else "client_id = ?"
    with sandbox.store.read() as conn:
        row = conn.execute(
            f"SELECT * FROM appearance WHERE {where}", [] if client_id is None else [client_id]
        ).fetchone()
    return dict(row)


def set_appearance(sandbox, **columns):
    with sandbox.store.write() as conn:
        for column, value in columns.items():
            conn.execute(f"UPDATE appearance SET {column} = ? WHERE client_id IS NULL", [value])


def text_of(response) -> str:
    return " ".join(soup(response).get_text(" ").split())


def preview_src(response) -> str:
    frame = soup(response).find("iframe", class_="preview-frame")
    assert frame is not None and frame["title"].strip()
    return frame["src"]


def test_every_setting_is_shown_as_learners_get_it(admin, sandbox):
    stored = appearance(sandbox)
    response = admin.get("/admin/branding")
    assert response.status_code == 200
    page = soup(response)
    images = {img["src"] for img in page.select(".settings__image")}
    assert {stored["logo_asset"], stored["favicon"], stored["background_asset"]} <= images
    text = text_of(response)
    assert "Retina logo Yes" in text and "Background tiled Yes" in text
    accent = stored["accent_color"].lower()
    ratio = contrast(readable_on(accent), accent)
    assert f"{ratio:.2f}:1" in text
    assert stored["font"] in text and stored["alt_font"] in text
    samples = [t["font-family"] for t in page.select("svg.font-sample text")]
    assert any(s.startswith(f'"{stored["font"]}"') for s in samples)
    assert "Help Center" in text and "Yes, opening in a new tab" in text


def test_contrast_verdicts_are_in_words_and_match_the_numbers(admin, sandbox):
    set_appearance(sandbox, link_color="#7fb2e5")  # too light for white: Atrium darkens it
    sandbox_cache_clear(admin)
    response = admin.get("/admin/branding")
    rows = soup(response).select(".colour-table tbody tr")
    assert rows
    for row in rows:
        cells = [c.get_text(" ", strip=True) for c in row.find_all("td")]
        ratio = float(cells[3].split(":")[0])
        needed = float(cells[4].split("needs ")[1].split(":")[0])
        assert ("Passes AA" in cells[4]) == (ratio >= needed), cells
    chosen = next(r for r in rows if "as chosen" in r.text)
    assert "Fails AA" in chosen.text and "#7fb2e5" in chosen.text


def sandbox_cache_clear(browser: Browser) -> None:
    """Appearance is instance-level and cached; a test that edits it starts the cache afresh."""
    browser.client.application.extensions["instance"].cache.clear()


def test_what_sanitising_removed_from_the_css_is_listed_with_reasons(admin):
    response = admin.get("/admin/branding")
    removed = {
        r.find_all("td")[0].get_text(strip=True): r.find_all("td")[1].get_text(strip=True)
        for r in soup(response).select("table:has(caption) tbody tr")
        if len(r.find_all("td")) == 2
    }
    imports = [why for what, why in removed.items() if what.startswith("@import")]
    assert imports and "not allowed" in imports[0]
    assert any("javascript" in what or "bad url" in what for what in removed)
    kept = soup(response).select("details.css-source pre")[1].text
    assert "border-bottom: 3px solid #f2c200" in kept and "@import" not in kept


def test_hostile_settings_are_reported_as_dropped_and_shown_inert(admin, sandbox):
    set_appearance(
        sandbox,
        logo_asset="javascript:alert(1)",
        accent_color="red; } body { display:none",
        nav_links=json.dumps(
            [{"label": "Evil", "href": "javascript:alert(1)"}, {"label": "Ok", "href": "/ok"}]
        ),
    )
    sandbox_cache_clear(admin)
    response = admin.get("/admin/branding")
    html = response.get_data(as_text=True)
    page = soup(response)
    assert not page.find(src=lambda s: s and s.startswith("javascript:"))
    assert not page.find(href=lambda s: s and s.startswith("javascript:"))
    text = text_of(response)
    assert "Not used: only https, http and relative addresses are allowed." in text
    assert "is not a colour Atrium can use" in text
    assert "No, dropped as unsafe" in text
    assert "<script" not in html.split("</head>")[1].replace('<script src="/static', "")


def test_trial_values_reach_the_preview_and_never_a_learner(admin, learner):
    response = admin.get("/admin/branding?accent=%23ff0000&font=Georgia")
    assert response.status_code == 200
    src = preview_src(response)
    assert parse_qs(urlsplit(src).query)["accent"] == ["#ff0000"]
    preview = admin.get(src)
    assert preview.status_code == 200
    variables = brand_vars(preview, admin)
    assert variables["--brand-accent"] == "#ff0000"
    assert variables["--brand-font"].startswith('"Georgia"')
    assert preview.headers["Cache-Control"] == "no-store"
    assert soup(preview).select("main [inert]")  # a picture of the page: nothing to click
    # The learner (and the admin's own pages) still wear the company's accent.
    assert brand_vars(learner.get("/dashboard"), learner)["--brand-accent"] == "#f2c200"
    assert brand_vars(admin.get("/dashboard"), admin)["--brand-accent"] == "#f2c200"
    assert brand_vars(admin.get("/admin/branding"), admin)["--brand-accent"] == "#f2c200"


def test_trying_colours_shows_their_contrast(admin):
    response = admin.get("/admin/branding?accent=%23ffff00")
    trial = soup(response).find(id="try-results")
    text = " ".join(trial.get_text(" ").split())
    assert "#ffff00" in text
    ratio = contrast("#ffff00", "#ffffff")
    assert f"{ratio:.2f}:1" in text and "Fails AA (needs 3.0:1)" in text


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("accent=notacolour", "accent", "hex code"),
        ("link=%23ggg", "link", "hex code"),
        ("font=Comic%3B%7Dbody%7B", "font", "letters, digits, spaces and hyphens"),
        ("logo=javascript%3Aalert(1)", "logo", "https, http or relative"),
        ("user=%3Cscript%3E", "user", "letters, digits"),
        ("user=jamie.rivera", "user", "letters, digits, hyphens and underscores"),
        ("lang=xx", "lang", "does not offer that language"),
        ("accent=" + "f" * 5000, "accent", ""),
    ],
)
def test_bad_trial_values_get_a_clear_message_and_are_not_used(admin, query, field, message):
    response = admin.get(f"/admin/branding?{query}")
    assert response.status_code == 422
    summary = soup(response).find(id="try-results").find(role="alert")
    assert summary.find("a", href=f"#{field}") and message in summary.text
    args = parse_qs(urlsplit(preview_src(response)).query)
    assert field not in args
    assert brand_vars(admin.get(preview_src(response)), admin)["--brand-accent"] == "#f2c200"


def test_previewing_as_a_globex_user_shows_globex_branding(admin, sandbox):
    globex = appearance(sandbox, "client-globex")
    response = admin.get("/admin/branding?user=user-learner2")
    assert response.status_code == 200
    assert "Settings for user user-learner2" in text_of(response)
    assert globex["logo_asset"] in {i["src"] for i in soup(response).select(".settings__image")}
    preview = admin.get(preview_src(response))
    assert brand_vars(preview, admin)["--brand-accent"] == globex["accent_color"].lower()
    css_link = soup(preview).find("link", href=lambda h: h and "/admin/branding/preview.css" in h)
    css = admin.get(css_link["href"]).get_data(as_text=True)
    assert "text-transform: uppercase" in css and "f2c200" not in css
    # Not the admin's own client's custom CSS alongside it.
    assert not soup(preview).find("link", href=lambda h: h and h.startswith("/branding/custom"))


def test_an_unknown_user_gets_a_clear_message(admin):
    response = admin.get("/admin/branding?user=nobody-here")
    assert response.status_code == 422
    assert "There is no user with the ID nobody-here" in text_of(response)
    assert "user" not in parse_qs(urlsplit(preview_src(response)).query)
    frame = admin.get("/admin/branding/preview/dashboard?user=nobody-here")
    assert frame.status_code == 404 and "no user with the ID" in text_of(frame)


def test_the_preview_speaks_the_chosen_language_without_changing_the_admins(admin):
    response = admin.get("/admin/branding?lang=de")
    src = preview_src(response)
    preview = admin.get(src)
    assert soup(preview).find("html")["lang"] == "de"
    assert "Übersicht" in text_of(preview)  # the company's German nav.dashboard
    arabic = admin.get("/admin/branding/preview/badges?lang=ar")
    assert soup(arabic).find("html")["dir"] == "rtl"
    after = admin.get("/dashboard")
    assert soup(after).find("html")["lang"] == "en"


@pytest.mark.parametrize("page", PREVIEW_NAMES)
def test_each_learner_page_can_be_previewed(admin, page):
    response = admin.get(f"/admin/branding?page={page}&secondary=%23004400")
    src = preview_src(response)
    assert urlsplit(src).path == f"/admin/branding/preview/{page}"
    preview = admin.get(src)
    assert preview.status_code == 200 and "<html" in preview.get_data(as_text=True)
    assert brand_vars(preview, admin)["--brand-secondary"] == "#004400"


def test_an_unknown_preview_page_is_not_found(admin):
    assert admin.get("/admin/branding/preview/settings").status_code == 404


def test_htmx_updates_the_preview_region_only(admin):
    response = admin.htmx("GET", "/admin/branding?accent=%23123456")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]
    page = soup(response)
    assert page.find(id="try-results") and page.find(id="preview-status")["hx-swap-oob"]
    assert "accent=%23123456" in page.find("iframe")["src"]
    full = admin.get("/admin/branding?accent=%23123456")  # the pushed URL renders a full page
    assert "<html" in full.get_data(as_text=True)


def test_the_trial_form_works_without_javascript(admin):
    page = soup(admin.get("/admin/branding"))
    form = page.find("form", id="try-form")
    assert form["method"] == "get" and form["action"] == "/admin/branding"
    for name in ("accent", "secondary", "link", "font", "alt_font", "logo", "user", "lang", "page"):
        control = form.find(attrs={"name": name})
        assert control is not None and page.find("label", attrs={"for": control["id"]}), name
    assert "no way to change appearance" in page.get_text()


def test_the_preview_is_one_upstream_request_after_the_branding_page(admin, sandbox):
    src = preview_src(admin.get("/admin/branding?user=user-learner2&accent=%23ff0000"))
    before = sandbox.stats.snapshot()["http_requests"]
    admin.get(src)  # its CompanyDetails(user:) comes from the cache the page just filled
    assert sandbox.stats.snapshot()["http_requests"] - before == 1


@pytest.mark.parametrize("path", ["/admin/branding", "/admin/translations"])
@pytest.mark.parametrize(("lang", "marker"), [("en", "▸"), ("ar", "◂")])
def test_every_disclosure_shows_its_marker(admin, path, lang, marker):
    """The summaries are laid out as flex, which drops the browser's triangle: each carries a
    visible marker of its own, pointing the way the text runs, hidden from screen readers
    (which announce a summary as expanded or collapsed themselves)."""
    admin.post("/language", {"lang": lang, "next": path})
    summaries = soup(admin.get(path)).select("main details > summary")
    assert summaries
    for summary in summaries:
        first = summary.find(True)
        assert first is not None and "disclosure-marker" in first["class"], summary
        assert first["aria-hidden"] == "true" and first.text.strip() == marker
        assert summary.get_text(strip=True) != first.text.strip()  # the summary still says what


def test_the_preview_frame_loads_no_script_and_its_policy_allows_none(admin):
    """The frame is sandboxed without allow-scripts: a script it loaded would only be refused
    (a console error each), so it has none."""
    page = soup(admin.get("/admin/branding"))
    frame = page.select_one("iframe.preview-frame")
    assert "allow-scripts" not in frame["sandbox"]
    response = admin.get(frame["src"])
    assert response.status_code == 200
    assert soup(response).find("script") is None
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert soup(response).select_one("main")  # the page itself is all there
