"""How long `make test`'s suite takes here and at another commit, run back to back.

    .venv/bin/python bench/test_time.py --against 6ef3f9d --runs 2

Each commit is checked out into a temporary git worktree that borrows this checkout's
virtual environment and node_modules, and runs `pytest -n 2` as `make test` does (lint and the
installs aside). Runs alternate between the commits, so a machine that gets busier part way
through weighs on both. Prints tests, wall time and CPU (the suite's processes and their
children, browsers included) per run. Needs a quiet machine: on a shared one the figures
say more about the neighbours than about the suite.
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"(\d+) passed.* in ([\d.]+)s")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_suite(folder: Path) -> tuple[int, float, float]:
    """(tests passed, wall seconds, CPU seconds) of one `pytest -n 2` in `folder`."""
    cpu_before, started = children_cpu(), time.perf_counter()
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "pytest"), "-n", "2", "-q", "-p", "no:cacheprovider"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu_before
    found = SUMMARY.search(done.stdout.splitlines()[-1] if done.stdout else "")
    if done.returncode != 0 or not found:
        sys.exit(f"the suite failed in {folder}:\n{done.stdout[-2000:]}")
    return int(found.group(1)), wall, cpu


def checkout(commit: str, into: Path) -> Path:
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(into), commit],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    for shared in (".venv", "node_modules"):
        if (ROOT / shared).exists():
            (into / shared).symlink_to(ROOT / shared)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", required=True, help="the commit to compare with")
    parser.add_argument("--runs", type=int, default=2, help="runs of each (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="atrium-test-time-", dir=ROOT.parent) as temp:
        other = checkout(args.against, Path(temp) / "against")
        try:
            results: dict[str, list[tuple[int, float, float]]] = {"this": [], args.against: []}
            for run in range(args.runs):
                for name, folder in (("this", ROOT), (args.against, other)):
                    tests, wall, cpu = run_suite(folder)
                    results[name].append((tests, wall, cpu))
                    print(
                        f"run {run + 1} {name:>10}: {tests:5d} tests {wall:6.1f} s {cpu:6.1f} s CPU"
                    )
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False
            )
    print()
    for name, runs in results.items():
        tests = runs[-1][0]
        walls = sorted(r[1] for r in runs)
        cpus = sorted(r[2] for r in runs)
        print(
            f"{name:>10}: {tests} tests, wall {walls[0]:.0f}-{walls[-1]:.0f} s, "
            f"CPU {cpus[0]:.0f}-{cpus[-1]:.0f} s, {min(walls) / tests:.3f} s a test at best"
        )


if __name__ == "__main__":
    main()
