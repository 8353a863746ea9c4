"""The demo portal embeds the dashboard: signed in by handoff, the frame resized by postMessage."""

from __future__ import annotations

import shutil
import socket

import pytest
from werkzeug.serving import make_server

from tests.support import LiveServer
from webapp import create_app
from webapp.embed.demo_portal import create_portal_app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def portal_and_atrium(tmp_path, seeded_db):
    import threading

    portal_port = _free_port()
    portal_origin = f"http://127.0.0.1:{portal_port}"
    db = tmp_path / "sandbox.sqlite3"
    shutil.copy(seeded_db, db)
    env = {
        "SANDBOX_DB": str(db),
        "STATE_DB": str(tmp_path / "state.sqlite3"),
        "SECRET_KEY": "embed-browser-test",
        "EMBED_ALLOWED_ORIGINS": portal_origin,
        "EMBED_SHARED_SECRET": "browser-test-shared-secret",
    }
    app = create_app({"ENV": env})
    atrium = LiveServer(app)
    with app.app_context():
        portal = create_portal_app(
            atrium.url, "browser-test-shared-secret", "atrium", "learner@acme.test"
        )
    server = make_server("127.0.0.1", portal_port, portal, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield portal_origin, atrium
    server.shutdown()
    atrium.stop()


def test_the_portal_signs_the_learner_in_and_the_frame_grows_to_fit(page, portal_and_atrium):
    portal_url, atrium = portal_and_atrium
    page.goto(portal_url)
    frame = page.frame_locator("#atrium-frame")
    frame.get_by_role("heading", name="Welcome back, Jamie").wait_for()
    page.wait_for_function(
        "document.getElementById('atrium-frame').getBoundingClientRect().height > 600"
    )
    # Sized to its content, so the frame never scrolls: once fonts and images have settled
    # the page's last height message (a late one may still be on its way), the two agree.
    for _ in range(50):
        height = page.evaluate(
            "document.getElementById('atrium-frame').getBoundingClientRect().height"
        )
        inner = page.frames[1].evaluate("document.documentElement.scrollHeight")
        if abs(height - inner) <= 2:
            break
        page.wait_for_timeout(100)
    assert abs(height - inner) <= 2
    assert frame.locator(".site-header").count() == 0  # chrome-less inside the portal
