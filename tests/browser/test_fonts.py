"""The brand's fonts really render: loaded from Atrium's own static files, used for the text."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

LOADED_FACES = """() => document.fonts.ready.then(() =>
  [...document.fonts].filter(f => f.status === "loaded").map(f => f.family.replace(/"/g, "")))"""


def rendered_with(page, selector: str) -> list[dict]:
    """The fonts Chromium drew a node's text with (DevTools: CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


@pytest.mark.parametrize(
    ("who", "body", "heading"),
    [("learner", "Inter", "Merriweather"), ("learner2", "Source Sans 3", "Playfair Display")],
)
def test_the_brands_fonts_render_on_the_dashboard(page, server, who, body, heading):
    sign_in(page, server, who)
    font_requests = []  # those of one view of the dashboard
    page.on("request", lambda r: r.resource_type == "font" and font_requests.append(r.url))
    page.goto(f"{server.url}/dashboard")
    loaded = page.evaluate(LOADED_FACES)
    assert body in loaded and heading in loaded, loaded
    assert page.evaluate(f"document.fonts.check('16px \"{body}\"')")
    assert page.evaluate(f"document.fonts.check('700 32px \"{heading}\"')")
    text = rendered_with(page, "main p, main li, main dd")
    assert text[0]["familyName"].startswith(body) and text[0]["isCustomFont"], text
    title = rendered_with(page, "main h1")
    assert title[0]["familyName"].startswith(heading) and title[0]["isCustomFont"], title
    # Every font came from Atrium's own static files, each once (the preload was used).
    assert font_requests, "no font was requested"
    assert all(u.startswith(f"{server.url}/static/fonts/") for u in font_requests), font_requests
    assert len(font_requests) == len(set(font_requests)), font_requests
