"""Benchmark: Lighthouse's scores for the pages a learner sees first.

    .venv/bin/python bench/lighthouse.py [--pages /login,/dashboard] [--who learner]

Serves Atrium on a fresh copy of the sandbox, signs the demo learner in (the session cookie is
passed to Lighthouse as a header), and runs Lighthouse (npm's `lighthouse`, pinned; installed
on first use into .cache/lighthouse, since the test suite doesn't need it) with Debian's
Chromium on each page, mobile emulation and throttling as Lighthouse defaults. Prints
performance, accessibility, best practices, CLS and the largest contentful paint. Not a test:
it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import ACCOUNTS, LiveServer, demo_app  # noqa: E402

LIGHTHOUSE = "lighthouse@12.2.3"  # 13 needs Node 22; Debian ships 20
CACHE = ROOT / ".cache" / "lighthouse"
PAGES = ("/login", "/dashboard", "/learning", "/badges")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run"


def lighthouse_bin() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(CACHE), "--no-audit", "--no-fund", "-E", LIGHTHOUSE],
            check=True,
            capture_output=True,
        )
    return binary


def session_cookie(base: str, who: str) -> str:
    """Sign in as a browser would and return the Cookie header that carries the session."""
    import re

    http = requests.Session()
    form = http.get(f"{base}/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    email, password = ACCOUNTS[who]
    answer = http.post(
        f"{base}/login",
        data={"csrf_token": token, "email": email, "password": password},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 303, answer.status_code
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def audit(binary: Path, url: str, cookie: str | None) -> dict:
    out = Path(tempfile.mkdtemp()) / "report.json"
    command = [
        str(binary),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--only-categories=performance,accessibility,best-practices",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    subprocess.run(command, check=True, env=env, capture_output=True, timeout=300)
    report = json.loads(out.read_text())
    categories = report["categories"]
    audits = report["audits"]
    return {
        "performance": round(categories["performance"]["score"] * 100),
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "best-practices": round(categories["best-practices"]["score"] * 100),
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "failed": [
            f"{cat}: {ref['id']}"
            for cat in ("accessibility", "best-practices")
            for ref in categories[cat]["auditRefs"]
            if ref.get("weight") and (audits[ref["id"]].get("score") or 0) < 1
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--who", default="learner", choices=sorted(ACCOUNTS))
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    binary = lighthouse_bin()
    server = LiveServer(demo_app("lighthouse"))
    try:
        cookie = session_cookie(server.url, args.who)
        print(f"Lighthouse {LIGHTHOUSE.split('@')[1]}, mobile, as {args.who}")
        print(f"{'page':16}{'perf':>6}{'a11y':>6}{'best':>6}{'CLS':>8}{'LCP ms':>8}")
        for path in args.pages.split(","):
            row = audit(binary, server.url + path, None if path == "/login" else cookie)
            print(
                f"{path:16}{row['performance']:>6}{row['accessibility']:>6}"
                f"{row['best-practices']:>6}{row['cls']:>8.3f}{row['lcp']:>8.0f}"
            )
            for failure in row["failed"]:
                print(f"{'':16}not passed: {failure}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
