"""`flask --app webapp embed-demo` really serves the demo portal (as the README says)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import requests


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_embed_demo_command_serves_a_portal_page_with_a_fresh_handoff(sandbox_env):
    port = _free_port()
    env = {**os.environ, **sandbox_env}
    env.pop("TI_INSTANCE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "webapp", "embed-demo", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                page = requests.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None, "the demo portal exited"
                assert time.monotonic() < deadline, "the demo portal did not start"
                time.sleep(0.2)
        assert 'action="http://127.0.0.1:5000/embed/session"' in page.text
        assert 'name="token"' in page.text
        second = requests.get(f"http://127.0.0.1:{port}/", timeout=2).text
        assert second != page.text  # a fresh single-use token each time
    finally:
        process.terminate()
        process.wait(timeout=10)
