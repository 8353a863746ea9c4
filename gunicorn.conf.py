"""Gunicorn settings for serving Atrium in production:

    gunicorn -c gunicorn.conf.py 'webapp:create_app()'

Every number can be overridden from the environment (see README, "Deploying"). Workers are
processes and threads serve requests inside them: a page mostly waits on the instance, so a
few threads per worker keep the cores busy without a process per request.
"""

from __future__ import annotations

import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


# Where to listen: BIND ("0.0.0.0:8000", "unix:/run/atrium.sock") or just PORT.
bind = os.environ.get("BIND") or f"0.0.0.0:{_int('PORT', 8000)}"

# 2 x cores + 1, the usual rule for workers that wait on the network, capped so that a big
# machine doesn't start dozens of processes that each hold their own connections and caches.
MAX_WORKERS = 12
workers = _int("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, MAX_WORKERS))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)

# A page answers within its 3 s deadline (PAGE_DEADLINE) whatever the instance does, so a
# worker silent for 30 s is stuck, not busy. On a restart, requests under way get 30 s to end.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind a load balancer that reuses connections, set this above its idle timeout.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# The proxies (TLS terminators, load balancers) whose X-Forwarded-Proto gunicorn believes.
# The app itself reads X-Forwarded-For/-Proto/-Host through ProxyFix (TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn 25+ opens a control socket at one fixed path in $HOME, where two servers on one
# machine would collide: only when asked for (GUNICORN_CONTROL_SOCKET=/run/atrium/gunicorn.ctl).
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# Heartbeat files in memory, not on a disk that may stall (containers mount /tmp on overlay);
# gunicorn makes them with mkstemp and unlinks them at once, so a shared folder is safe.
SHARED_MEMORY = "/dev/shm"  # noqa: S108
if Path(SHARED_MEMORY).is_dir():
    worker_tmp_dir = SHARED_MEMORY

# Access log on stdout, with the path only: query strings may carry what is nobody's business
# (search terms, `next` targets), and the referrer would bring them back.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'


# Prometheus: each worker writes its metrics to files in PROMETHEUS_MULTIPROC_DIR and /metrics
# adds them up (webapp/metrics.py). Files of an earlier run would be counted again, so the
# folder is emptied at start; a worker that exits has its live gauges dropped.
def on_starting(server) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for stale in Path(folder).glob("*.db"):
            stale.unlink()


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
