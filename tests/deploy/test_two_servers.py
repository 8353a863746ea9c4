"""Two Atrium servers behind a load balancer, sharing one redis-server and nothing else, in front
of one instance: real processes over HTTP.

An instance stand-in (the sandbox in its own `flask run`), a redis-server, a local S3 server
(moto) for uploads, and two gunicorns (gunicorn.conf.py, two workers each) in instance mode with
the same SECRET_KEY and REDIS_URL but their own state file and upload folder. A browser
alternates between them: a session and a form work across both, one 429 stops both, the breaker
opens for both, a handoff token works once across both, an import previewed on one is confirmed
on the other, an image uploaded through one is served by the other.

The learner cache is off (LEARNER_CACHE_TTL=0, STALE_KEEP_SECONDS=0): every view goes upstream,
so the stand-in's request counts say exactly who sent what.
"""

from __future__ import annotations

import csv
import io
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests

from tests.admin.test_admin_learners import MIXED
from tests.deploy.servers import STANDIN_KEY, AppServer, Browser, Standin
from tests.support import ACCOUNTS, Helium, fake_aws_environment
from tests.web.test_certificates import PNG, form_data
from webapp.embed.handoff import issue
from webapp.sandbox.store import Store

SECRET_KEY = "one-secret-key-for-every-machine"
PORTAL = "https://portal.globex.test"
EMBED_SECRET = "a-portal-shared-secret-of-some-length"
AUDIENCE = "atrium-deploy"
BREAKER_FAILURES = 4
BREAKER_OPEN_SECONDS = 3.0
# The stand-in's request budget: small, so that a test can spend what is left from outside.
REQUESTS_PER_MINUTE = 150
A, B = 0, 1


@pytest.fixture(scope="module")
def bucket(tmp_path_factory):
    """A local S3 server (moto) and a bucket on it; the settings that send uploads there."""
    server_mode = pytest.importorskip("moto.server", reason="moto[server] is a test extra")
    import boto3

    nowhere = tmp_path_factory.mktemp("aws")
    credentials = fake_aws_environment(nowhere)
    server = server_mode.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    ).client("s3", endpoint_url=endpoint)
    s3.create_bucket(Bucket="atrium-deploy")
    yield {**credentials, "UPLOAD_S3_BUCKET": "atrium-deploy", "UPLOAD_S3_ENDPOINT_URL": endpoint}
    server.stop()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, seeded_db, redis_server, bucket):
    """The stand-in, then two app servers on it sharing Redis and the bucket (started at once)."""
    folder = tmp_path_factory.mktemp("deploy")
    standin = Standin(
        folder / "standin", seeded_db, SANDBOX_REQUESTS_PER_MINUTE=str(REQUESTS_PER_MINUTE)
    )
    servers: list[AppServer] = []
    shared = {
        "TI_INSTANCE_URL": standin.url,
        "TI_API_KEY": STANDIN_KEY,
        "SECRET_KEY": SECRET_KEY,
        "REDIS_URL": redis_server.url,
        "SESSION_COOKIE_SECURE": "false",  # plain http here; TLS ends at the proxy in production
        "LEARNER_CACHE_TTL": "0",
        "STALE_KEEP_SECONDS": "0",
        "BREAKER_FAILURES": str(BREAKER_FAILURES),
        "BREAKER_OPEN_SECONDS": str(BREAKER_OPEN_SECONDS),
        "EMBED_ALLOWED_ORIGINS": PORTAL,
        "EMBED_SHARED_SECRET": EMBED_SECRET,
        "EMBED_AUDIENCE": AUDIENCE,
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
        **bucket,
    }
    try:
        servers += [AppServer(f"app server {n}", folder / f"app-{n}", **shared) for n in "ab"]
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda s: s.wait_ready(), [standin, *servers]))
        yield standin, servers
    finally:
        for server in [*servers, standin]:
            server.stop()


@pytest.fixture
def standin(deployment):
    standin, _servers = deployment
    return standin


@pytest.fixture
def servers(deployment, redis_server):
    """The two app servers, on empty shared state and a stand-in with a fresh budget."""
    standin, servers = deployment
    redis.Redis.from_url(redis_server.url).flushall()
    standin.control(reset=True, fault_rate=0.0, latency_ms=0)
    return servers


@pytest.fixture
def browser(servers):
    browser = Browser(servers)
    yield browser
    browser.close()


def sign_in(browser: Browser, who: str = "learner", form_on: int = A, post_on: int = B):
    email, password = ACCOUNTS[who]
    form = browser.on(form_on).get("/login")
    assert form.status_code == 200 and browser.csrf
    response = browser.on(post_on).post("/login", {"email": email, "password": password})
    assert response.status_code == 303, response.text[:500]
    return response


def sent(standin: Standin) -> int:
    return standin.stats()["http_requests"]


# -- a session and a form -------------------------------------------------------------------------


def test_a_session_and_a_form_work_across_both_servers(browser, servers):
    sign_in(browser, form_on=A, post_on=B)  # the form from A, its post (and CSRF token) to B
    for view, server in enumerate((A, B, A, B)):
        page = browser.on(server).get("/dashboard")
        assert page.status_code == 200, f"server {server}: {page.status_code}"
        assert "Jamie Rivera" in page.text
        if view:  # the first view after sign-in notes what it showed; the next change nothing
            assert "Set-Cookie" not in page.headers, f"view {view} rewrote the session"

    with Browser(servers) as other_device:  # the same learner signs in on another device
        sign_in(other_device, form_on=B, post_on=A)
        assert "Jamie Rivera" in other_device.on(B).get("/dashboard").text
    for server in (A, B):
        page = browser.on(server).get("/dashboard")
        assert page.status_code == 200 and "Jamie Rivera" in page.text  # still signed in

    browser.on(B).get("/logout")
    assert browser.on(A).post("/logout").status_code == 303  # a form from B, posted to A
    assert browser.on(B).get("/dashboard").status_code in (302, 303)  # signed out everywhere


def test_a_post_without_the_csrf_token_is_refused_on_either_server(browser):
    browser.on(A).get("/login")
    email, password = ACCOUNTS["learner"]
    refused = browser.on(B).post("/login", {"email": email, "password": password, "csrf_token": ""})
    assert refused.status_code in (400, 422)
    assert browser.on(A).get("/dashboard").status_code in (302, 303)


# -- one company budget ---------------------------------------------------------------------------


def test_one_429_stops_both_servers(browser, standin):
    sign_in(browser)
    assert browser.on(A).get("/dashboard").status_code == 200
    # The company's other apps spend what is left of the minute after A's last answer, so A's
    # reading of the budget still says there is some: A asks, and meets a 429.
    standin.spend_requests(standin.stats()["requests_remaining"])
    assert standin.stats()["requests_remaining"] == 0
    limited = browser.on(A).get("/dashboard")
    assert standin.stats()["rate_limited"] == 1
    assert "busy" in limited.text

    before = sent(standin)
    for server in (B, A, B):
        page = browser.on(server).get("/dashboard")
        assert "The learning platform is busy" in page.text, f"server {server}"
    assert sent(standin) == before  # nothing more went to the instance, from either server
    assert standin.stats()["rate_limited"] == 1


# -- one circuit breaker --------------------------------------------------------------------------


def test_the_breaker_opens_for_both_servers_and_one_probe_closes_it(browser, standin):
    sign_in(browser)
    standin.control(fault_rate=1.0)
    views_on_a = 0
    while standin.stats()["faults"] < BREAKER_FAILURES and views_on_a < BREAKER_FAILURES:
        page = browser.on(A).get("/dashboard")
        views_on_a += 1
        assert "couldn't reach the learning platform" in page.text
    opened = time.monotonic()
    assert standin.stats()["faults"] == BREAKER_FAILURES

    before = sent(standin)
    for server in (B, B, A, B):
        page = browser.on(server).get("/dashboard")
        assert "couldn't reach the learning platform" in page.text, f"server {server}"
    assert time.monotonic() - opened < BREAKER_OPEN_SECONDS  # all of that while it was open
    assert sent(standin) == before  # the breaker A opened kept B from sending anything

    standin.control(fault_rate=0.0)
    time.sleep(max(0.0, BREAKER_OPEN_SECONDS - (time.monotonic() - opened)) + 0.2)
    probe = browser.on(B).get("/dashboard")  # half-open: this one view goes through
    assert probe.status_code == 200 and "Jamie Rivera" in probe.text
    assert "couldn't reach" not in probe.text
    assert sent(standin) == before + 1
    after_probe = browser.on(A).get("/dashboard")  # closed for A too
    assert after_probe.status_code == 200 and "couldn't reach" not in after_probe.text
    assert sent(standin) == before + 2


# -- a handoff token once -------------------------------------------------------------------------


def handoff(browser: Browser, token: str) -> requests.Response:
    headers = {"Origin": PORTAL, "Sec-Fetch-Site": "cross-site"}
    return browser.http.post(
        f"{browser.base}/embed/session",
        data={"token": token},
        headers=headers,
        allow_redirects=False,
        timeout=15,
    )


def test_a_handoff_token_works_once_across_both_servers(browser, standin, servers):
    auth_token = Helium(standin.url, STANDIN_KEY).login("learner")  # what the portal holds
    token = issue(EMBED_SECRET, AUDIENCE, auth_token=auth_token)
    accepted = handoff(browser.on(A), token)
    assert accepted.status_code == 303, accepted.text[:500]
    signed_in = browser.on(B).get(accepted.headers["Location"])
    assert signed_in.status_code == 200 and "Welcome back, Jamie" in signed_in.text

    with Browser(servers) as someone_else:  # replays it, on the other server and the first
        replay = handoff(someone_else.on(B), token)
        assert replay.status_code == 400
        assert "already used" in replay.text
        assert handoff(someone_else.on(A), token).status_code == 400


# -- an import ----------------------------------------------------------------------------------


def emails(standin: Standin) -> list[str]:
    with Store(str(standin.db)).read() as conn:
        return [r[0] for r in conn.execute("SELECT email FROM users ORDER BY email")]


def test_an_import_previewed_on_one_server_is_confirmed_on_the_other(browser, standin):
    sign_in(browser, "admin")
    before = set(emails(standin))
    browser.on(A).get("/admin/learners")
    uploaded = browser.on(A).http.post(
        f"{browser.base}/admin/learners/import",
        data={"csrf_token": browser.csrf},
        files={"file": ("learners.csv", MIXED, "text/csv")},
        allow_redirects=False,
        timeout=15,
    )
    assert uploaded.status_code == 303, uploaded.text[:500]
    preview = browser.on(B).get("/admin/learners/import")
    assert preview.status_code == 200 and "3 ready to create" in " ".join(preview.text.split())

    confirmed = browser.on(B).post("/admin/learners/import/confirm")
    assert confirmed.headers["Location"] == "/admin/learners/import/report"
    again = browser.on(A).post("/admin/learners/import/confirm")  # a double click, elsewhere
    assert again.headers["Location"] == "/admin/learners"
    created = sorted(set(emails(standin)) - before)
    assert created == ["ana.silva@new.test", "bo.lee@new.test"]

    report = browser.on(A).get("/admin/learners/import/report.csv")
    assert report.status_code == 200 and report.headers["Content-Type"].startswith("text/csv")
    statuses = [row["status"] for row in csv.DictReader(io.StringIO(report.text))]
    assert statuses.count("created") == 2


# -- an image -----------------------------------------------------------------------------------


def test_an_image_uploaded_through_one_server_is_served_by_the_other(browser, servers):
    sign_in(browser)
    browser.on(A).get("/certificates/new")
    fields = {k: v for k, v in form_data().items() if k != "image"}
    created = browser.on(A).http.post(
        f"{browser.base}/certificates/new",
        data={**fields, "csrf_token": browser.csrf},
        files={"image": ("licence.png", PNG, "image/png")},
        allow_redirects=False,
        timeout=15,
    )
    assert created.status_code == 303, created.text[:500]

    listing = browser.on(B).get("/certificates")
    assert listing.status_code == 200
    names = [part.split('"')[0] for part in listing.text.split('src="/uploads/')[1:]]
    assert len(names) == 1, "the other server should know which image the certificate has"
    with Browser(servers) as instance:  # the instance fetches the image, with no session
        image = instance.on(B).get(f"/uploads/{names[0]}")
    assert image.status_code == 200 and image.content == PNG
    assert image.headers["Content-Type"] == "image/png"
    for server in servers:  # in the bucket, on neither server's own disk
        assert not server.uploads.exists() or not any(server.uploads.rglob("*"))
