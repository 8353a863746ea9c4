"""Benchmark: bytes on the wire per page, first view (cold cache) and repeat view.

    .venv/bin/python bench/bytes.py [--budget-kb 60] [--verbose]

Serves Atrium on its sandbox over real HTTP and opens each page in Debian's Chromium through
Playwright, so the request headers (Accept-Encoding included) are the browser's own. A page's
first view runs in a fresh browser context (an empty cache; the session cookie copied in), the
repeat view navigates to the page again from about:blank in that same context. /login is
measured signed out (it wears the company's branding, Acme's, whoever comes). Bytes are
Chromium's own count of what crossed the network for every request the view made (response
headers and encoded bodies, from the DevTools protocol), after `load`, `document.fonts.ready`
and a quiet network, so late font, image and HTMX requests are counted. Fonts are shown
separately, and so is a third view: the page opened after another page of the same visit (the
browser's cache warm), what a learner moving through Atrium pays per page. Acme is the demo
learner (and the admin for /admin/branding); Globex is learner2@acme.test. Not a test: it
asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.support import ACCOUNTS, LiveServer, demo_app, sign_in_at  # noqa: E402

PAGES = (
    ("/login", None),
    ("/dashboard", "learner"),
    ("/learning", "learner"),
    ("/badges", "learner"),
    ("/certificates", "learner"),
    ("/paths/data-science-foundations", "learner"),
    ("/admin/branding", "admin"),
)
COMPANIES = (("Acme", "learner"), ("Globex", "learner2"))


@dataclass
class View:
    """What one page view pulled over the network, per request."""

    requests: dict[str, dict] = field(default_factory=dict)

    def total(self, *, fonts: bool = True) -> int:
        return sum(r["bytes"] for r in self.requests.values() if fonts or r.get("type") != "Font")

    def fonts(self) -> int:
        return self.total() - self.total(fonts=False)

    def lines(self) -> list[str]:
        return [
            f"      {r['bytes']:>7,}  {r.get('encoding') or '-':5} {r.get('url', '?')[:90]}"
            for r in sorted(self.requests.values(), key=lambda r: -r["bytes"])
            if r["bytes"]
        ]


class Recorder:
    """Listens to one page's DevTools network events and sums bytes per view."""

    def __init__(self, page):
        self.view = View()
        self.accept_encoding = ""
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestWillBeSentExtraInfo", self._sent_extra)
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)

    def _entry(self, request_id: str) -> dict:
        return self.view.requests.setdefault(request_id, {"bytes": 0})

    def _sent(self, event: dict) -> None:
        entry = self._entry(event["requestId"])
        entry["url"] = event["request"]["url"]
        entry["type"] = event.get("type")

    def _sent_extra(self, event: dict) -> None:
        headers = {k.lower(): v for k, v in event.get("headers", {}).items()}
        if "accept-encoding" in headers and not self.accept_encoding:
            self.accept_encoding = headers["accept-encoding"]

    def _received(self, event: dict) -> None:
        entry = self._entry(event["requestId"])
        entry["type"] = event.get("type", entry.get("type"))
        headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
        entry["encoding"] = headers.get("content-encoding")

    def _finished(self, event: dict) -> None:
        self._entry(event["requestId"])["bytes"] = int(event.get("encodedDataLength", 0))

    def start(self) -> View:
        self.view = View()
        return self.view


def settle(page) -> None:
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")


def sign_in(browser, base: str, who: str) -> dict:
    """A signed-in browser's cookies (storage state), from the real login form."""
    context = browser.new_context()
    sign_in_at(context.new_page(), base, who)
    state = context.storage_state()
    context.close()
    return state


def measure(
    browser, base: str, path: str, state: dict | None
) -> tuple[View, View, View | None, str]:
    """First view (empty cache), repeat view, and the page opened after another page of the
    same visit (None signed out): what the page costs once the shared files are cached."""
    context = browser.new_context(storage_state=state, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    recorder = Recorder(page)
    first = recorder.start()
    page.goto(base + path)
    settle(page)
    page.goto("about:blank")
    repeat = recorder.start()
    page.goto(base + path)
    settle(page)
    context.close()
    after = None
    if state is not None:
        context = browser.new_context(storage_state=state, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        recorder = Recorder(page)
        page.goto(base + ("/badges" if path == "/dashboard" else "/dashboard"))
        settle(page)
        after = recorder.start()
        page.goto(base + path)
        settle(page)
        context.close()
    return first, repeat, after, recorder.accept_encoding


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget-kb", type=float, default=60)
    parser.add_argument("--verbose", action="store_true", help="list every request of a view")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    logging.disable(logging.WARNING)  # figures only, not the app's request log
    server = LiveServer(demo_app("bench"))
    budget = args.budget_kb * 1000
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            states = {who: sign_in(browser, server.url, who) for who in ACCOUNTS}
            encoding = ""
            rows = []
            for company, learner in COMPANIES:
                for path, who in PAGES:
                    if who is None and company != "Acme":
                        continue  # signed out, every visitor sees the company's (Acme's) look
                    if who == "admin" and company != "Acme":
                        continue  # the demo admin belongs to Acme
                    state = states[learner if who == "learner" else who] if who else None
                    first, repeat, after, encoding = measure(browser, server.url, path, state)
                    rows.append((company, path, first, repeat, after))
            browser.close()
    finally:
        server.stop()

    print(f"Bytes on the wire per view (Chromium, Accept-Encoding: {encoding})")
    print(f"{'':42}{'first view (empty cache)':>30}{'repeat':>10}{'after':>10}")
    print(f"{'':42}{'total':>10}{'fonts':>10}{'no fonts':>10}{'view':>10}{'another':>10}")
    for company, path, first, repeat, after in rows:
        print(
            f"{company + ' ' + path:42}{first.total():>10,}{first.fonts():>10,}"
            f"{first.total(fonts=False):>10,}{repeat.total():>10,}"
            + (f"{after.total():>10,}" if after else f"{'-':>10}")
        )
        if args.verbose:
            print("    first view:", *first.lines(), sep="\n")
            print("    repeat view:", *repeat.lines(), sep="\n")
    for label, fonts in (("with fonts", True), ("without fonts", False)):
        over = [p for _c, p, first, _r, _a in rows if first.total(fonts=fonts) > budget]
        largest = max(first.total(fonts=fonts) for _c, _p, first, _r, _a in rows)
        print(
            f"First views {label}: largest {largest:,} bytes; budget {budget:,.0f}: "
            + (f"{len(over)} of {len(rows)} pages over" if over else "every page within it")
        )
    print(f"Repeat views: largest {max(r.total() for _c, _p, _f, r, _a in rows):,} bytes")
    afters = [a.total() for *_rest, a in rows if a]
    print(f"A page after another of the same visit: largest {max(afters):,} bytes")


if __name__ == "__main__":
    main()
