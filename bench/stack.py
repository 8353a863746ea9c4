"""The processes the workload benchmark (bench/workload.py) runs against, each its own process:

- redis-server (tests.support.RedisServer), shared by Atrium's workers;
- an instance stand-in: the sandbox served in its own process (bench/standin.py, or plain
  `flask run`), with TI's budget and added latency, on a copy of the demo database holding
  many learners (clones of the demo learner);
- Atrium in instance mode under gunicorn (gunicorn.conf.py at the repository's root).

Not a test and not imported by the app. `Stack` is a context manager that stops everything it
started, on leaving it, at exit, and on SIGTERM/SIGHUP (ctrl-C arrives as KeyboardInterrupt).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from werkzeug.security import generate_password_hash

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import RedisServer  # noqa: E402
from webapp.sandbox.seed import LEARNER_ID  # noqa: E402
from webapp.sandbox.store import Store  # noqa: E402

API_KEY = "workload-bench-key"
PASSWORD = "learner"  # noqa: S105 - the demo learner's, kept by every clone
TICKS = os.sysconf("SC_CLK_TCK")
# TI's budget, the sandbox's defaults; sign-in happens before the measurement on a stand-in
# with a budget nobody reaches, so that signing a thousand learners in costs the run nothing.
BUDGET = {"SANDBOX_POINTS_PER_MINUTE": "100000", "SANDBOX_REQUESTS_PER_MINUTE": "2500"}
NO_BUDGET = {"SANDBOX_POINTS_PER_MINUTE": "1000000000", "SANDBOX_REQUESTS_PER_MINUTE": "1000000"}
# Atrium with its learner cache off, the stale fallback off and no reserve: "today".
BASELINE = {"LEARNER_CACHE_TTL": "0", "STALE_KEEP_SECONDS": "0", "BUDGET_RESERVE": "0"}


INDEXES = {
    "certificates": "user_id, content_id",
    "archives": "user_id",
    "bookmark_folders": "user_id",
    "tokens": "user_id",
}


_UPSTREAM_LINE = re.compile(
    r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) \w+ atrium\.gql: upstream \S+ (\d+) ms"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def learner_email(number: int) -> str:
    return f"bench-{number:05d}@acme.test"


def seed_learners(db_path: Path, count: int) -> list[tuple[str, str]]:
    """The demo database plus `count` learners, each a copy of the demo learner (Jamie Rivera):
    the same enrollments, progress, waitlists, badges and certificates under a new id and email.
    Returns their (email, password)."""
    Store(str(db_path)).reset()
    # The demo learner's scrypt hash costs the stand-in ~0.1 s of CPU per sign-in: the clones
    # get a cheap one (werkzeug checks either), so signing a thousand in takes seconds.
    quick_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        # The stand-in shares this machine's two cores with Atrium, so it must not cost more
        # than a real instance would: indexes its demo-sized schema never needed, and clones
        # without leaderboard points (the sandbox ranks every learner with points in SQL and
        # Python on each BadgeLeaderboard, 50-100 ms with a thousand more).
        for table, columns in INDEXES.items():
            conn.execute(f'CREATE INDEX "bench_{table}" ON "{table}" ({columns})')
        ranking = {
            r[0] for r in conn.execute("SELECT id FROM award_types WHERE ranks_leaderboard = 1")
        }
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name != "tokens"
        ]
        for table in tables:
            columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
            owner = "id" if table == "users" else "user_id"
            if owner not in columns:
                continue
            rows = conn.execute(
                f'SELECT * FROM "{table}" WHERE "{owner}" = ?', (LEARNER_ID,)
            ).fetchall()
            if table == "awards":  # not the points that rank the leaderboard: see above
                rows = [r for r in rows if r[columns.index("award_type_id")] not in ranking]
            marks = ", ".join("?" * len(columns))
            names = ", ".join(f'"{c}"' for c in columns)
            for number in range(count):
                clones = []
                for row in rows:
                    values = dict(zip(columns, row, strict=True))
                    if table == "users":
                        values.update(
                            id=f"{LEARNER_ID}-{number:05d}",
                            email=learner_email(number),
                            first_name="Bench",
                            last_name=f"Learner {number}",
                            password_hash=quick_hash,
                        )
                    else:
                        values["user_id"] = f"{LEARNER_ID}-{number:05d}"
                        if "id" in values:
                            values["id"] = f"{values['id']}-{number:05d}"
                    clones.append(tuple(values[c] for c in columns))
                conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', clones)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return [(learner_email(n), PASSWORD) for n in range(count)]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{url} did not come up:\n{tail}")
        time.sleep(0.2)


def cpu_seconds(pid: int) -> float:
    """CPU time of a process, its live children, and the children it has reaped."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # fields[0] is the state (field 3): utime is field 14, stime 15, cutime 16, cstime 17
    total += sum(int(f) for f in fields[11:15]) / TICKS
    for child in _children(pid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:13]) / TICKS
    return total


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


class Stack:
    """redis-server, the instance stand-in and Atrium under gunicorn, in a temporary folder."""

    def __init__(
        self,
        learners: int,
        *,
        baseline: bool,
        latency_ms: int = 100,
        workers: int | None = None,
        plain_flask: bool = False,
        keep: bool = False,
    ):
        self.folder = Path(tempfile.mkdtemp(prefix="atrium-workload-"))
        self.learners = learners
        self.baseline = baseline
        self.latency_ms = latency_ms
        self.workers = workers
        self.plain_flask = plain_flask
        self.keep = keep  # the folder (databases, logs) stays after stop()
        self.db = self.folder / "sandbox.sqlite3"
        self.upstream_port = free_port()
        self.upstream_url = f"http://127.0.0.1:{self.upstream_port}"
        self.app_port = free_port()
        self.url = f"http://127.0.0.1:{self.app_port}"
        self.accounts: list[tuple[str, str]] = []
        self.redis: RedisServer | None = None
        self.upstream: subprocess.Popen | None = None
        self.app: subprocess.Popen | None = None
        self._previous_handlers: dict[int, object] = {}

    # -- lifetime ------------------------------------------------------------------------------

    def __enter__(self) -> Stack:
        atexit.register(self.stop)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            self._previous_handlers[sig] = signal.signal(sig, _exit_on_signal)
        try:
            self.accounts = seed_learners(self.db, self.learners)
            self.redis = RedisServer()
            self.start_upstream(budget=False)
            self.start_app()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()
        for sig, handler in self._previous_handlers.items():
            signal.signal(sig, handler)
        atexit.unregister(self.stop)

    def stop(self) -> None:
        """Stop what was started (the app first, so that nothing calls a stopped instance)."""
        for name in ("app", "upstream"):
            process = getattr(self, name)
            if process is not None:
                _stop(process)
                setattr(self, name, None)
        if self.redis is not None:
            with contextlib.suppress(Exception):
                self.redis.stop()
            self.redis = None
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- the processes -----------------------------------------------------------------------

    def start_upstream(self, budget: bool) -> None:
        """The stand-in: TI's budget and the latency, or (for signing in) neither."""
        if self.upstream is not None:
            _stop(self.upstream)
        env = {
            **_clean_environ(),
            "SANDBOX_DB": str(self.db),
            "SANDBOX_API_KEY": API_KEY,
            "SANDBOX_LATENCY_MS": str(self.latency_ms if budget else 0),
            "SECRET_KEY": "workload-upstream",
            "STATE_DB": str(self.folder / "upstream-state.sqlite3"),
            "UPLOAD_FOLDER": str(self.folder / "upstream-uploads"),
            **(BUDGET if budget else NO_BUDGET),
        }
        if self.plain_flask:
            command = [sys.executable, "-m", "flask", "--app", "webapp", "run"]
            command += ["--port", str(self.upstream_port), "--with-threads"]
        else:  # the same, parsing each document once (bench/standin.py)
            command = [sys.executable, str(ROOT / "bench" / "standin.py"), str(self.upstream_port)]
        self.upstream = _spawn(command, env, self.folder / "upstream.log")
        wait_until_up(f"{self.upstream_url}/healthz", self.upstream, self.folder / "upstream.log")

    def start_app(self) -> None:
        env = {
            **_clean_environ(),
            "TI_INSTANCE_URL": self.upstream_url,
            "TI_API_KEY": API_KEY,
            "SECRET_KEY": "workload-atrium",
            "REDIS_URL": self.redis.url,
            "STATE_DB": str(self.folder / "state.sqlite3"),
            "UPLOAD_FOLDER": str(self.folder / "uploads"),
            "PROMETHEUS_MULTIPROC_DIR": str(self.folder / "prometheus"),
            "SESSION_COOKIE_SECURE": "false",  # plain http on loopback
            "BIND": f"127.0.0.1:{self.app_port}",
            **(BASELINE if self.baseline else {}),
        }
        if self.workers:
            env["WEB_CONCURRENCY"] = str(self.workers)
        conf = ROOT / "gunicorn.conf.py"
        if conf.exists():
            command = [sys.executable, "-m", "gunicorn", "-c", str(conf), "webapp:create_app()"]
        else:
            command = [sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "8"]
            command += ["--bind", env["BIND"], "webapp:create_app()"]
        self.app = _spawn(command, env, self.folder / "gunicorn.log")
        wait_until_up(f"{self.url}/healthz", self.app, self.folder / "gunicorn.log")

    # -- readings ----------------------------------------------------------------------------

    def upstream_stats(self, reset: bool = False) -> dict:
        """The stand-in's counters (points and requests served, 429s); `reset` restarts them
        and the budget's minute."""
        answer = requests.post(
            f"{self.upstream_url}/sandbox/control",
            params={"apiKey": API_KEY},
            json={"reset": True} if reset else {},
            timeout=10,
        )
        answer.raise_for_status()
        return answer.json()

    def round_trips(self, since: float, until: float) -> list[float]:
        """How long each request to the instance took (ms) between two wall times, as Atrium
        logged it ("upstream CurrentUser,... 137 ms points=97 ok")."""
        found = []
        with (self.folder / "gunicorn.log").open(errors="replace") as log:
            for line in log:
                match = _UPSTREAM_LINE.match(line)
                if match:
                    at = time.mktime(time.strptime(match[1], "%Y-%m-%d %H:%M:%S"))
                    if since <= at + int(match[2]) / 1000 <= until:
                        found.append(float(match[3]))
        return found

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far: Atrium (gunicorn's master and workers), the stand-in, redis."""
        return {
            "app": cpu_seconds(self.app.pid) if self.app else 0.0,
            "upstream": cpu_seconds(self.upstream.pid) if self.upstream else 0.0,
            "redis": cpu_seconds(self.redis._process.pid) if self.redis else 0.0,
        }

    def workers_pids(self) -> list[int]:
        return _children(self.app.pid) if self.app else []


def _clean_environ() -> dict[str, str]:
    """This environment without anything that would point the processes elsewhere."""
    skip = {"TI_INSTANCE_URL", "TI_API_KEY", "REDIS_URL", "WEB_CONCURRENCY", "BIND", "PORT"}
    skip |= set(BASELINE) | set(BUDGET) | {"SANDBOX_LATENCY_MS", "SANDBOX_FAULT_RATE"}
    return {k: v for k, v in os.environ.items() if k not in skip}


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("a") as output:
        # A session of its own: ctrl-C reaches the bench, which stops them in order.
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    # Whatever is left of its group (a gunicorn worker that outlived its master).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def _exit_on_signal(signum, _frame) -> None:
    raise SystemExit(128 + signum)
