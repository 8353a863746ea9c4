"""Screenshots of every page, to look at before calling design work done.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--only dashboard,learning]

Serves Atrium on a fresh copy of the sandbox and saves full-page PNGs of every learner page for
both demo companies (Acme's Jamie, Globex's Camille), in English and Arabic, at phone (390 px)
and desktop (1280 px) widths, plus the admin pages: <out>/<who>-<lang>-<width>-<page>.png, and
the first screen alone as <...>-first-screen.png.
Prints the pages that scroll sideways (wider than the window).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, choose_language  # noqa: E402
from tests.support import LiveServer, demo_app, sign_in_at  # noqa: E402
from webapp.sandbox.seed import content_id  # noqa: E402

LEARNER_PAGES = {
    "dashboard": "/dashboard",
    "learning": "/learning",
    "learning-page-2": "/learning?page=2",
    "learning-completed": "/learning?status=completed",
    "details": f"/learning/{content_id('sql-fundamentals')}/details",
    "path": "/paths/data-science-foundations",
    "archive-confirm": f"/learning/{content_id('sql-fundamentals')}/archive",
    "waitlist": "/waitlist",
    "redeem": "/redeem",
    "certificates": "/certificates",
    "transcript": "/certificates/transcript",
    "certificate-new": "/certificates/new",
    "badges": "/badges",
    "archive": "/archive",
    "profile": "/profile",
    "terms": "/terms",
}
ADMIN_PAGES = {
    "admin-branding": "/admin/branding",
    "admin-translations": "/admin/translations",
    "admin-learners": "/admin/learners",
}
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def shoot(browser, base: str, out: Path, who: str, lang: str, pages: dict) -> list[str]:
    wide = []
    for width_name, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        sign_in_at(page, base, who)
        if lang != "en":
            choose_language(page, lang)
        for name, path in pages.items():
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
            stem = f"{who}-{lang}-{width_name}-{name}"
            page.screenshot(path=str(out / f"{stem}.png"), full_page=True)
            page.screenshot(path=str(out / f"{stem}-first-screen.png"))  # what a glance sees
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                wide.append(f"{who} {lang} {width_name} {name}: {scroll_width} px wide")
        context.close()
    return wide


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--only", default="", help="comma-separated page names")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wanted = set(filter(None, args.only.split(",")))
    learner_pages = {k: v for k, v in LEARNER_PAGES.items() if not wanted or k in wanted}
    admin_pages = {k: v for k, v in ADMIN_PAGES.items() if not wanted or k in wanted}
    server = LiveServer(demo_app("screenshots"))
    wide: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for who in ("learner", "learner2"):
                for lang in ("en", "ar"):
                    wide += shoot(browser, server.url, out, who, lang, learner_pages)
            if admin_pages:
                wide += shoot(browser, server.url, out, "admin", "en", admin_pages)
            browser.close()
    finally:
        server.stop()
    print(f"Screenshots in {out}/")
    for line in wide:
        print("scrolls sideways:", line)


if __name__ == "__main__":
    main()
