"""Each page view's deadline, and what it tells the learner (and the operator) about its data.

A view starts with a deadline (PAGE_DEADLINE, 3 s) that the instance client sizes its timeouts
and retries by. When the client had to show the learner's data from before the last minute
(budget short, instance down), the page says "as of 14:02"; every response says in an
`Atrium-Data` header whether its data was complete, stale or missing, for the metrics and the
workload benchmark.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import Flask, Response, g
from flask_babel import format_time

from . import metrics
from .gql.scope import begin_view, current_view, end_view


def init_freshness(app: Flask) -> None:
    deadline = app.config["PAGE_DEADLINE"]

    @app.before_request
    def start_the_clock() -> None:
        g.view_started = time.perf_counter()
        begin_view(deadline)

    @app.after_request
    def report_the_data(response: Response) -> Response:
        view = current_view()
        # Pages and their fragments only: not probes, metrics, static files or redirects.
        if view is not None and "view_started" in g and response.mimetype == "text/html":
            response.headers["Atrium-Data"] = view.data
            metrics.page_view(view.data, time.perf_counter() - g.view_started)
        return response

    @app.teardown_request
    def stop_the_clock(_error=None) -> None:
        end_view()

    @app.context_processor
    def data_as_of() -> dict:
        return {"data_as_of": shown_as_of}


def shown_as_of() -> str | None:
    """ "14:02" when the page shows data from before the last minute, in the learner's locale."""
    view = current_view()
    if view is None or view.as_of is None:
        return None
    return format_time(datetime.fromtimestamp(view.as_of, UTC), "short")
