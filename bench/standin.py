"""The instance stand-in of bench/workload.py: the sandbox in a process of its own.

    SANDBOX_DB=... SANDBOX_API_KEY=... SANDBOX_LATENCY_MS=100 .venv/bin/python bench/standin.py PORT

What `flask --app webapp run --port PORT --with-threads` serves (the same app, werkzeug's
threaded server, its request log), with one change: a document is parsed, validated and priced
once per distinct text and operation name, as a GraphQL server with a document cache does,
instead of on every request. That was half the sandbox's CPU per request, and the stand-in
shares this machine's cores with the Atrium it is measuring; a real instance does not. What it
answers, what it charges and when it refuses are unchanged (a document's price does not depend
on its variables).
"""

from __future__ import annotations

import dataclasses
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from webapp import create_app  # noqa: E402
from webapp.sandbox import engine  # noqa: E402

_prepare = engine.SandboxInstance._prepare
_prepared: dict[tuple, engine._Prepared] = {}
_lock = threading.Lock()


def prepare_once(self, request: dict) -> engine._Prepared:
    key = (request["query"], request.get("operationName"))
    with _lock:
        known = _prepared.get(key)
    if known is None:
        known = _prepare(self, {"query": request["query"], "operationName": key[1]})
        with _lock:
            if len(_prepared) < 10_000:
                _prepared[key] = known
    return dataclasses.replace(known, variables=request.get("variables") or {})


def main() -> None:
    engine.SandboxInstance._prepare = prepare_once
    app = create_app()
    app.run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
