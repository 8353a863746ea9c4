"""No response names software versions (issue 12, item 6)."""

from __future__ import annotations

import re

import requests

SOFTWARE = re.compile(r"(werkzeug|python|gunicorn|flask)/\d", re.IGNORECASE)


def test_no_answer_of_the_development_server_names_software_or_its_version(live_server):
    for path in ("/login", "/no-such-page", "/healthz", "/static/css/app.css"):
        answer = requests.get(live_server.url + path, timeout=10)
        assert answer.headers.get("Server") == "Atrium", path
        named = [f"{n}: {v}" for n, v in answer.headers.items() if SOFTWARE.search(v)]
        assert named == [], path
