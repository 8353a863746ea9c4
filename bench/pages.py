"""Benchmark: what each learner page costs the instance, per view.

    .venv/bin/python bench/pages.py [--latency-ms 100]

Runs Atrium on its sandbox (the instance adds `--latency-ms` to every request), signs the demo
learner in, then opens every learner page twice: the first view after signing in and a warm
view (the instance's branding and strings cached, the learner's items known from the view
before). The learner cache is off, as if each view came more than a minute after the last:
within the minute a repeat view costs nothing at all. Prints upstream requests, points and
wall time per view. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support import demo_app  # noqa: E402
from tests.web.conftest import Browser  # noqa: E402
from webapp.sandbox.seed import content_id  # noqa: E402

PAGES = (
    ("Dashboard", "/dashboard"),
    ("My learning", "/learning"),
    ("My learning, page 2", "/learning?page=2"),
    ("My learning, completed", "/learning?status=completed"),
    ("Course details", f"/learning/{content_id('sql-fundamentals')}/details"),
    ("Learning path", "/paths/data-science-foundations"),
    ("Waitlist", "/waitlist"),
    ("Redeem", "/redeem"),
    ("Certificates", "/certificates"),
    ("Transcript", "/certificates/transcript"),
    ("Badges", "/badges"),
    ("Archive", "/archive"),
    ("Profile", "/profile"),
    ("Terms", "/terms"),
)


def view(browser: Browser, sandbox, path: str) -> tuple[int, int, float]:
    before = sandbox.stats.snapshot()
    started = time.perf_counter()
    response = browser.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    after = sandbox.stats.snapshot()
    return (
        after["http_requests"] - before["http_requests"],
        after["points"] - before["points"],
        elapsed,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=100)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # figures only, not the app's request log
    app = demo_app("bench", TESTING=True, LEARNER_CACHE_TTL=0)
    sandbox = app.extensions["sandbox"]
    browser = Browser(app.test_client())
    browser.sign_in("learner")  # its dashboard view warms the shared cache
    sandbox.faults.latency_ms = args.latency_ms
    rows = []
    for name, path in PAGES:
        first = view(browser, sandbox, path)
        warm = view(browser, sandbox, path)
        rows.append((name, first, warm))
    print(f"Every learner page, sandbox latency {args.latency_ms} ms (demo learner)")
    print(f"{'':26}{'first view':>24}{'warm view':>28}")
    print(f"{'':26}" + f"{'requests':>10}{'points':>8}{'ms':>6}" * 2)
    for name, first, warm in rows:
        print(f"{name:26}" + "".join(f"{r:>10}{p:>8}{ms:>6.0f}" for r, p, ms in (first, warm)))
    warm_points = sum(w[1] for _n, _f, w in rows) / len(rows)
    print(
        f"Warm views average {warm_points:.0f} points: {100_000 / warm_points:,.0f} views a minute"
    )
    print("fit TI's 100,000-point budget (2,500 requests a minute at one request a view).")


if __name__ == "__main__":
    main()
