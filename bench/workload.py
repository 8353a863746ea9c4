"""Benchmark: learners doing realistic sessions against an instance that enforces TI's budget.

    .venv/bin/python bench/workload.py [--learners N | --offered 4000] [--minutes 2]
                                       [--think 1] [--gap 60] [--baseline] [--keep]
    .venv/bin/python bench/workload.py --all     # the README's comparison (20-25 minutes)

Starts, as separate processes (bench/stack.py): redis-server; an instance stand-in (the sandbox
in a process of its own, bench/standin.py, 100 ms added to every request, TI's budget of
100,000 points and 2,500 requests a minute) holding a learner for each simulated one, each a
copy of the demo learner; and Atrium in instance mode under gunicorn (gunicorn.conf.py) with
REDIS_URL. Every learner signs in through the form and lands on the dashboard (before the
measurement, on a stand-in without a budget), then, in a thread of its own, loops sessions:
dashboard, My learning, dashboard, badges, waitlist, thinking 1-3 s (x --think) between views
and away --gap to 2x --gap seconds between sessions (60 s by default: every session finds the
learner's data more than a minute old, as a learner coming back later in the day does; 0 for
learners who never leave). Learners start spread over one cycle, and a cycle of load runs
before the measured minutes (--warmup), so the measurement sees a steady state.

Prints views per minute served, the shares of views whose data was stale ("as of 14:02") or
missing (Atrium's `Atrium-Data` header), p50/p95, upstream points and requests a minute (the
stand-in's counters) and how long Atrium's requests to it took (its log), app CPU per view
(gunicorn's master and workers, from /proc; the stand-in's, redis's and this process's too),
per page the same shares (and whether a missing page had been shown to that learner before,
so Atrium had a copy), when in the budget minute views came back missing, and app CPU per warm
dashboard view from a separate phase before the load (one learner, everything cached).
--baseline runs the same with the learner cache, the stale fallback and the budget reserve off:
today's figures. --all runs today's and Atrium's at the offered load (more than the budget pays
for), then Atrium at 60% of the capacity that run showed (its complete views a minute), and
prints the targets' verdicts and a line for the README. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.stack import Stack  # noqa: E402

SESSION = ("/dashboard", "/learning", "/dashboard", "/badges", "/waitlist")
THINK = (1.0, 3.0)  # seconds between two views of a session, times --think
VIEW_GUESS = 0.05  # seconds a view takes, for sizing the number of learners to an offered load
ROUND_TRIP_MS = 100
_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass(frozen=True)
class View:
    ended: float  # time.monotonic()
    path: str
    status: int  # 0: no answer (timeout, connection error)
    data: str  # Atrium-Data: complete | stale | missing; "failed" for anything but a 200
    seconds: float
    seen: bool  # this learner was shown this page before (so Atrium had a copy to show)


@dataclass
class Result:
    name: str
    learners: int
    offered: float  # views a minute the learners would ask for if every view took VIEW_GUESS
    minutes: float
    views: list[View] = field(default_factory=list)
    upstream: dict = field(default_factory=dict)  # the stand-in's counters over the window
    cpu: dict = field(default_factory=dict)  # CPU seconds over the window, per process
    warm_cpu_ms: float = 0.0
    warm_data: Counter = field(default_factory=Counter)
    warm_upstream_requests: int = 0
    round_trips: list[float] = field(default_factory=list)  # ms, Atrium's requests upstream
    folder: str = ""
    budget_started: float = 0.0  # when the stand-in's first budget minute began

    @property
    def served(self) -> list[View]:
        return [v for v in self.views if v.status == 200]

    def per_minute(self, count: float) -> float:
        return count / self.minutes

    def share(self, data: str, views: list[View] | None = None) -> float:
        views = self.views if views is None else views
        return sum(v.data == data for v in views) / len(views) if views else 0.0

    def percentile(self, q: float) -> float:
        return 1000 * _percentile([v.seconds for v in self.views], q)

    def round_trip(self, q: float) -> float:
        return _percentile(self.round_trips, q)

    def cpu_ms_per_view(self, process: str) -> float:
        return 1000 * self.cpu.get(process, 0.0) / len(self.served) if self.served else math.nan


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return math.nan
    return values[min(len(values) - 1, max(0, math.ceil(q * len(values)) - 1))]


# -- learners ------------------------------------------------------------------------------------


def sign_in(base: str, email: str, password: str) -> requests.Session:
    """A browser of one learner, signed in through the sign-in form and taken to the
    dashboard, as a browser follows the form's redirect."""
    http = requests.Session()
    for attempt in range(5):
        form = http.get(f"{base}/login", timeout=30)
        token = _CSRF_INPUT.search(form.text)
        if token is None:
            raise RuntimeError(f"no CSRF token on the sign-in page ({form.status_code})")
        answer = http.post(
            f"{base}/login",
            data={"email": email, "password": password, "csrf_token": token.group(1), "next": ""},
            allow_redirects=False,
            timeout=30,
        )
        if answer.status_code == 303:
            http.get(urljoin(f"{base}/login", answer.headers["Location"]), timeout=30)
            return http
        time.sleep(1 + attempt)  # busy (429, 503): try again
    raise RuntimeError(f"{email} could not sign in: {answer.status_code}")


def view(
    http: requests.Session, base: str, path: str, record: list[View], seen: set[str] | None = None
) -> None:
    started = time.monotonic()
    try:
        answer = http.get(base + path, allow_redirects=False, timeout=30)
        status = answer.status_code
        data = answer.headers.get("Atrium-Data", "none") if status == 200 else "failed"
    except requests.RequestException:
        status, data = 0, "failed"
    ended = time.monotonic()
    record.append(
        View(ended, path, status, data, ended - started, seen is not None and path in seen)
    )
    if seen is not None and data in ("complete", "stale"):
        seen.add(path)


def learner(http, base, record, stop: threading.Event, think: float, gap: float, start: float):
    rng = random.Random()
    seen: set[str] = set()
    if stop.wait(start):
        return
    while True:
        for number, path in enumerate(SESSION):
            if number and stop.wait(rng.uniform(*THINK) * think):
                return
            view(http, base, path, record, seen)
        if stop.wait(rng.uniform(gap, 2 * gap) if gap else rng.uniform(*THINK) * think):
            return


def session_seconds(think: float, gap: float) -> float:
    """A learner's cycle: one session (its views and the thinking between them) and the gap."""
    thinking = (len(SESSION) - 1) * sum(THINK) / 2 * think
    away = 1.5 * gap if gap else sum(THINK) / 2 * think
    return thinking + len(SESSION) * VIEW_GUESS + away


def learners_for(offered: float, think: float, gap: float) -> int:
    return math.ceil(offered * session_seconds(think, gap) / (60 * len(SESSION)))


def offered_by(learners: int, think: float, gap: float) -> float:
    return learners * len(SESSION) * 60 / session_seconds(think, gap)


# -- one run -------------------------------------------------------------------------------------


def warm_dashboard(stack: Stack, http: requests.Session, views: int, result: Result) -> None:
    """App CPU per dashboard view with nothing to fetch (baseline: its one upstream request)."""
    warm: list[View] = []
    for _ in range(20):
        view(http, stack.url, "/dashboard", warm)
    before_upstream = stack.upstream_stats()["http_requests"]
    before = stack.cpu()["app"]
    warm.clear()
    for _ in range(views):
        view(http, stack.url, "/dashboard", warm)
    result.warm_cpu_ms = 1000 * (stack.cpu()["app"] - before) / views
    result.warm_upstream_requests = stack.upstream_stats()["http_requests"] - before_upstream
    result.warm_data = Counter(v.data for v in warm)


def run(args, name: str, learners: int, baseline: bool) -> Result:
    offered = offered_by(learners, args.think, args.gap)
    result = Result(name, learners, offered, args.minutes)
    print(
        f"\n== {name}: {learners} learners, offering ~{offered:,.0f} views/min "
        f"(think {THINK[0] * args.think:g}-{THINK[1] * args.think:g} s, "
        f"away {args.gap:g}-{2 * args.gap:g} s)",
        flush=True,
    )
    stack = Stack(
        learners + 1,
        baseline=baseline,
        workers=args.workers,
        plain_flask=args.flask_standin,
        keep=args.keep,
    )
    with stack:
        result.folder = str(stack.folder) if args.keep else ""
        started = time.monotonic()
        pool = ThreadPoolExecutor(8)
        try:
            sessions = list(pool.map(lambda a: sign_in(stack.url, *a), stack.accounts))
        finally:  # on ctrl-C, don't wait for a thousand sign-ins
            pool.shutdown(wait=False, cancel_futures=True)
        print(f"   {len(sessions)} signed in in {time.monotonic() - started:.0f} s", flush=True)
        stack.start_upstream(budget=True)  # TI's budget and latency from here on
        warm_dashboard(stack, sessions.pop(), args.warm_views, result)
        print(f"   warm dashboard: {result.warm_cpu_ms:.1f} ms app CPU a view", flush=True)
        if args.warm_only:
            return result

        stack.upstream_stats(reset=True)  # a fresh minute of budget for the load
        result.budget_started = time.monotonic()
        record: list[View] = []
        stop = threading.Event()
        cycle = session_seconds(args.think, args.gap)
        threading.stack_size(512 * 1024)
        threads = [
            threading.Thread(
                target=learner,
                args=(
                    http,
                    stack.url,
                    record,
                    stop,
                    args.think,
                    args.gap,
                    random.uniform(0, cycle),
                ),
                daemon=True,
            )
            for http in sessions
        ]
        for thread in threads:
            thread.start()
        warmup = args.warmup if args.warmup is not None else max(20.0, cycle + 10)
        try:
            time.sleep(warmup)
            print(f"   warm-up ({warmup:.0f} s, not measured): {_tally(record)}", flush=True)
            first = (time.monotonic(), stack.upstream_stats(), stack.cpu(), _own_cpu())
            since = time.time()
            for minute in range(math.ceil(args.minutes)):
                time.sleep(min(60.0, 60 * (args.minutes - minute)))
                done = [v for v in record if v.ended >= first[0]]
                print(f"   {min(minute + 1, args.minutes):g} min: {_tally(done)}", flush=True)
            last = (time.monotonic(), stack.upstream_stats(), stack.cpu(), _own_cpu())
            result.round_trips = stack.round_trips(since, time.time())
        finally:
            stop.set()
            deadline = time.monotonic() + 35  # views under way end within their 3 s deadline
            for thread in threads:
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
    result.minutes = (last[0] - first[0]) / 60
    result.views = [v for v in record if first[0] <= v.ended <= last[0]]
    keys = ("http_requests", "points", "rate_limited", "operations")
    result.upstream = {k: last[1][k] - first[1][k] for k in keys}
    result.cpu = {k: last[2][k] - first[2][k] for k in first[2]}
    result.cpu["bench"] = last[3] - first[3]
    print_run(result)
    return result


def _tally(views: list[View]) -> str:
    counts = Counter(v.data for v in views)
    return f"{len(views):,} views: " + ", ".join(f"{k} {n:,}" for k, n in sorted(counts.items()))


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


# -- reports -------------------------------------------------------------------------------------


def print_run(r: Result) -> None:
    served = r.served
    print(
        f"   {r.per_minute(len(served)):,.0f} views/min served of {r.per_minute(len(r.views)):,.0f}"
        f" answered; stale {r.share('stale'):.1%}, missing {r.share('missing'):.1%}, failed "
        f"{r.share('failed'):.1%}; p50 {r.percentile(0.5):.0f} ms, p95 {r.percentile(0.95):.0f} ms"
    )
    up = r.upstream
    print(
        f"   upstream {r.per_minute(up['points']):,.0f} points/min, "
        f"{r.per_minute(up['http_requests']):,.0f} requests/min "
        f"({r.per_minute(up['rate_limited']):,.0f} of them 429), "
        f"{up['points'] / max(1, len(served)):.1f} points a view; "
        f"a request took p50 {r.round_trip(0.5):.0f} ms, p95 {r.round_trip(0.95):.0f} ms "
        "(the instance's 100 ms and its work)"
    )
    print(
        "   CPU a view (ms): "
        + ", ".join(
            f"{k} {r.cpu_ms_per_view(k):.1f}" for k in ("app", "upstream", "redis", "bench")
        )
        + f"; warm dashboard {r.warm_cpu_ms:.1f} ms app CPU "
        f"({dict(r.warm_data)}, {r.warm_upstream_requests} upstream requests)"
    )
    for path in dict.fromkeys(SESSION):
        views = [v for v in r.views if v.path == path]
        times = [v.seconds for v in views]
        p50, p95 = (1000 * _percentile(times, q) for q in (0.5, 0.95))
        before = sum(v.data == "missing" and v.seen for v in views)
        print(
            f"     {path:11} {len(views):>6,} views  stale {r.share('stale', views):>6.1%}  "
            f"missing {r.share('missing', views):>6.1%} ({before:>4} shown before)  "
            f"failed {r.share('failed', views):>6.1%}  p50 {p50:>5.0f} ms  p95 {p95:>5.0f} ms"
        )
    missing = [v for v in r.views if v.data == "missing"]
    if missing:  # when in the instance's budget minute (0-59 s) views came back missing
        second = Counter(int((v.ended - r.budget_started) % 60 // 10) for v in missing)
        print(
            "   missing by second of the budget minute: "
            + ", ".join(f"{10 * k}-{10 * k + 9}: {second[k]}" for k in range(6))
        )
    statuses = Counter(v.status for v in r.views if v.status != 200)
    if statuses:
        print(f"   not 200: {dict(statuses)}" + (f" (logs in {r.folder})" if r.folder else ""))


COLUMNS = (  # title, unit, width, value
    ("learners", "", 9, lambda r: f"{r.learners:,}"),
    ("offered", "views/min", 10, lambda r: f"{r.offered:,.0f}"),
    ("served", "views/min", 10, lambda r: f"{r.per_minute(len(r.served)):,.0f}"),
    ("stale", "", 7, lambda r: f"{r.share('stale'):.1%}"),
    ("missing", "", 8, lambda r: f"{r.share('missing'):.1%}"),
    ("p50", "ms", 6, lambda r: f"{r.percentile(0.5):.0f}"),
    ("p95", "ms", 6, lambda r: f"{r.percentile(0.95):.0f}"),
    ("upstream", "p50 ms", 9, lambda r: f"{r.round_trip(0.5):.0f}"),
    ("upstream", "points/min", 11, lambda r: f"{r.per_minute(r.upstream['points']):,.0f}"),
    ("upstream", "req/min", 9, lambda r: f"{r.per_minute(r.upstream['http_requests']):,.0f}"),
    ("app CPU", "ms/view", 9, lambda r: f"{r.cpu_ms_per_view('app'):.1f}"),
    ("warm dash", "ms CPU", 10, lambda r: f"{r.warm_cpu_ms:.1f}"),
)


def print_table(results: list[Result]) -> None:
    width = max(len(r.name) for r in results) + 1
    print()
    print(" " * width + "".join(f"{title:>{w}}" for title, _u, w, _v in COLUMNS))
    print(" " * width + "".join(f"{unit:>{w}}" for _t, unit, w, _v in COLUMNS))
    for r in results:
        print(f"{r.name:{width}}" + "".join(f"{value(r):>{w}}" for _t, _u, w, value in COLUMNS))


def with_data(r: Result) -> float:
    """Views a minute answered with the learner's data (fresh or dated), none missing."""
    return r.per_minute(sum(v.data in ("complete", "stale") for v in r.views))


def capacity(r: Result) -> float:
    """Views a minute the budget pays for with fresh data: the complete views of a run that
    offered more than that (stale ones were served because the budget ran short)."""
    complete = r.per_minute(sum(v.data == "complete" for v in r.views))
    return complete if r.share("stale") or r.share("missing") else r.per_minute(len(r.served))


def verdicts(today: Result, atrium: Result, light: Result | None) -> list[str]:
    ratio = with_data(atrium) / with_data(today) if with_data(today) else math.nan
    lines = [
        f"Views a minute with no data missing: today {with_data(today):,.0f}, Atrium "
        f"{with_data(atrium):,.0f} ({ratio:.1f}x; target 3x, no view missing: Atrium's "
        f"missing {atrium.share('missing'):.1%})",
    ]
    if light is not None:
        p95 = light.percentile(0.95)
        trip = light.round_trip(0.5)
        # The target compares with the upstream round trip: the stand-in's 100 ms of added
        # latency plus its own work on this machine, as Atrium timed each request.
        lines.append(
            f"p95 at 60% of capacity: {p95:.0f} ms = {p95 / trip:.2f}x the upstream round trip "
            f"(p50 {trip:.0f} ms, p95 {light.round_trip(0.95):.0f} ms; target <= 1.5x); "
            f"{p95 / ROUND_TRIP_MS:.2f}x the stand-in's added {ROUND_TRIP_MS} ms alone"
        )
    lines.append(
        f"App CPU per warm dashboard view: {atrium.warm_cpu_ms:.1f} ms (target <= 6; today "
        f"{today.warm_cpu_ms:.1f} ms, a view that asks the instance each time)"
    )
    return lines


def readme_line(args, today: Result, atrium: Result, light: Result | None) -> str:
    line = (
        f"{atrium.learners:,} learners (dashboard, My learning, dashboard, badges, waitlist; "
        f"{THINK[0] * args.think:g}-{THINK[1] * args.think:g} s between views, back after "
        f"{args.gap:g}-{2 * args.gap:g} s) offering {atrium.offered:,.0f} views/min to an "
        f"instance {ROUND_TRIP_MS} ms away with TI's budget: Atrium served "
        f"{atrium.per_minute(len(atrium.served)):,.0f} views/min, "
        f"{atrium.share('missing'):.1%} with data missing, {atrium.share('stale'):.0%} dated "
        f"(today: {with_data(today):,.0f} views/min with their data, "
        f"{today.share('missing'):.0%} missing)"
    )
    if light is not None:
        line += (
            f"; at 60% of capacity p50 {light.percentile(0.5):.0f} ms, p95 "
            f"{light.percentile(0.95):.0f} ms"
        )
    return line + (
        f"; app CPU {atrium.warm_cpu_ms:.1f} ms per warm dashboard view "
        f"({atrium.cpu_ms_per_view('app'):.1f} ms per view under load). "
        "`.venv/bin/python bench/workload.py --all`"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, help="simulated learners (default: --offered)")
    parser.add_argument("--offered", type=float, default=4000, help="views a minute to offer")
    parser.add_argument("--minutes", type=float, default=2, help="measured minutes")
    parser.add_argument("--think", type=float, default=1.0, help="scales the 1-3 s think time")
    parser.add_argument("--gap", type=float, default=60, help="seconds away between sessions")
    parser.add_argument(
        "--warmup", type=float, help="seconds of load before measuring (default: one session+gap)"
    )
    parser.add_argument("--warm-views", type=int, default=200, help="warm dashboard views")
    parser.add_argument(
        "--warm-only", action="store_true", help="only the warm dashboard's app CPU, no load"
    )
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: its conf)")
    parser.add_argument("--baseline", action="store_true", help="learner cache off: today")
    parser.add_argument(
        "--flask-standin", action="store_true", help="plain `flask run` stand-in (no doc cache)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the logs and databases")
    parser.add_argument("--all", action="store_true", help="today, Atrium, Atrium at 60%%")
    args = parser.parse_args()
    learners = args.learners or learners_for(args.offered, args.think, args.gap)
    if not args.all:
        name = "today (no learner cache)" if args.baseline else "Atrium"
        result = run(args, name, learners, baseline=args.baseline)
        if not args.warm_only:
            print_table([result])
        return
    today = run(args, "today (no learner cache)", learners, baseline=True)
    atrium = run(args, "Atrium", learners, baseline=False)
    ceiling = capacity(atrium)
    light_learners = max(1, round(learners * 0.6 * ceiling / atrium.offered))
    print(f"\nCapacity with fresh data: {ceiling:,.0f} views/min; 60%: {light_learners} learners")
    light = run(args, "Atrium at 60% of capacity", light_learners, baseline=False)
    print_table([today, atrium, light])
    print("\n".join(["", *verdicts(today, atrium, light)]))
    print("\nFor the README:\n" + readme_line(args, today, atrium, light))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # the processes are stopped by then (Stack.__exit__)
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
