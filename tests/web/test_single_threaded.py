"""The app calls its own sandbox in-process, so one single-threaded server never waits on itself."""

from __future__ import annotations

import re
import threading

import requests
from werkzeug.serving import make_server


def test_a_single_threaded_server_serves_pages_backed_by_its_own_sandbox(app):
    server = make_server("127.0.0.1", 0, app, threaded=False, processes=1)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with requests.Session() as browser:
            login = browser.get(f"{base}/login", timeout=10)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login.text).group(1)
            response = browser.post(
                f"{base}/login",
                data={"email": "learner@acme.test", "password": "learner", "csrf_token": token},
                timeout=10,
            )
            assert response.status_code == 200 and "Welcome back, Jamie" in response.text
    finally:
        server.shutdown()
        thread.join(timeout=5)
