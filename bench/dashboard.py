"""Benchmark: what one dashboard view costs the instance, batched and cached versus naive.

    .venv/bin/python bench/dashboard.py [--views 10] [--latency-ms 100]

Serves the sandbox over real HTTP (in a thread) with added latency, signs the demo learner in,
then sends the dashboard's operations (with the progress of the courses it shows) N times
two ways:
  - batched + cached: Atrium's client (one request per view; instance-level data cached);
  - naive: one request per operation, nothing cached.
Prints upstream requests, points and wall time per view. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support import LiveServer  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.dashboard.loaders import RECENT, continue_learning  # noqa: E402
from webapp.gql import Call, InstanceClient  # noqa: E402
from webapp.gql.cache import SharedCache  # noqa: E402
from webapp.gql.learner_cache import LearnerCache  # noqa: E402
from webapp.progress import Book, Entry, Standing  # noqa: E402

# The dashboard's operations: the chrome's, the page's, and the progress of the in-progress
# courses "Continue learning" shows (added once the learner is known, see dashboard_calls).
PAGE = (
    Call("CurrentUser"),
    Call("CurrentUserForLearning"),
    Call("UserContentGroups"),
    RECENT.call,
    Call("UserContentItemsForDashboard"),
    Call("UserEarnedBadgeBoardForDashboard"),
    Call("BadgeLeaderboardForDashboard"),
    Call("CompanyDetails"),
    Call("CompanyTranslations", {"namespace": "lms"}),
    Call("Languages"),
)


def dashboard_calls(client: InstanceClient, token: str) -> tuple[Call, ...]:
    """PAGE plus UserCourseProgress for the cards the dashboard shows that are under way."""
    page = client.fetch(Call("CurrentUserForLearning"), RECENT.call, token=token)
    book = Book(Standing(page["CurrentUserForLearning"]))
    recent = [Entry.of(i) for i in RECENT.items(page[RECENT.call.result_key])]
    shown = continue_learning({"recent": recent}, book.state)
    asked = [e.id for e in shown if book.needs_percent(e)]
    return (*PAGE, *(Call("UserCourseProgress", {"id": i}, key=f"progress:{i}") for i in asked))


def measure(
    client: InstanceClient, sandbox, token: str, views: int, calls: tuple, batched: bool
) -> dict:
    before = sandbox.stats.snapshot()
    started = time.perf_counter()
    for _ in range(views):
        if batched:
            page = client.fetch(*calls, token=token)
            assert not page.missing, page.missing
        else:
            for call in calls:
                client.fetch(call, token=token)
    elapsed = time.perf_counter() - started
    after = sandbox.stats.snapshot()
    return {
        "requests": (after["http_requests"] - before["http_requests"]) / views,
        "points": (after["points"] - before["points"]) / views,
        "ms": elapsed * 1000 / views,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=10)
    parser.add_argument("--latency-ms", type=int, default=100)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # figures only, not the app's request log
    folder = Path(tempfile.mkdtemp(prefix="atrium-bench-"))
    env = {"SANDBOX_DB": str(folder / "sandbox.sqlite3"), "SECRET_KEY": "bench"}
    upstream = create_app({"ENV": env})
    sandbox = upstream.extensions["sandbox"]
    server = LiveServer(upstream)
    try:
        # The learner's own answers are not reused here: each view is as if the learner came
        # back after the learner cache's minute (within it, a repeat costs nothing).
        batched = InstanceClient(
            server.url, sandbox.settings.api_key, learner_cache=LearnerCache(None, keep_seconds=0)
        )
        token = batched.mutate(Call("Login", {"email": "learner@acme.test", "password": "learner"}))
        naive = InstanceClient(
            server.url,
            sandbox.settings.api_key,
            cache=SharedCache(ttl=-1, max_stale=0),
            learner_cache=LearnerCache(None, keep_seconds=0),
        )
        calls = dashboard_calls(batched, token)
        sandbox.faults.latency_ms = args.latency_ms
        batched.fetch(*calls, token=token)  # warm the cache, as any running app has
        rows = {
            "batched + cached": measure(batched, sandbox, token, args.views, calls, batched=True),
            "one request per operation, no cache": measure(
                naive, sandbox, token, args.views, calls, batched=False
            ),
        }
    finally:
        server.stop()
    print(
        f"Dashboard: {len(calls)} operations, sandbox latency {args.latency_ms} ms, "
        f"{args.views} views each"
    )
    print(f"{'':38}{'requests/view':>14}{'points/view':>13}{'ms/view':>10}")
    for name, row in rows.items():
        print(f"{name:38}{row['requests']:>14.1f}{row['points']:>13.1f}{row['ms']:>10.0f}")
    print("Views per minute TI's budgets (2,500 requests, 100,000 points) allow a company:")
    for name, row in rows.items():
        views = min(2_500 / row["requests"], 100_000 / row["points"])
        print(f"  {name:36}{views:>8,.0f}")


if __name__ == "__main__":
    main()
