"""Two machines behind a load balancer, sharing only Redis (and an S3 bucket for uploads): a
handoff token works once across both, an import previewed on one is confirmed on the other, an
image uploaded through one is served by the other."""

from __future__ import annotations

import pytest

from tests.admin.test_admin_learners import MIXED, emails, report_rows, text_of, upload
from tests.state.machines import Roaming, bucket_keys, machines
from tests.web.conftest import soup
from tests.web.test_certificates import PNG, form_data, post_form
from webapp.embed.handoff import issue

PORTAL = "https://portal.globex.test"
SECRET = "a-portal-shared-secret-of-some-length"


@pytest.fixture
def embed_env(sandbox_env) -> dict:
    return {**sandbox_env, "EMBED_ALLOWED_ORIGINS": PORTAL, "EMBED_SHARED_SECRET": SECRET,
            "EMBED_AUDIENCE": "atrium-tests"}  # fmt: skip


def handoff(client, token: str):
    headers = {"Origin": PORTAL, "Sec-Fetch-Site": "cross-site"}
    return client.post("/embed/session", data={"token": token}, headers=headers)


def test_a_handoff_token_works_once_across_both_machines(embed_env, tmp_path, redis_url):
    one, two = machines(embed_env, tmp_path, REDIS_URL=redis_url)
    token = issue(SECRET, "atrium-tests", email="learner@acme.test")
    assert handoff(one.test_client(), token).status_code == 303
    replay = handoff(two.test_client(), token)
    assert replay.status_code == 400
    assert "already used" in replay.get_data(as_text=True)


def test_a_handoff_token_is_single_use_on_one_machine_without_redis(embed_env, tmp_path):
    (one,) = machines(embed_env, tmp_path, count=1)
    token = issue(SECRET, "atrium-tests", email="learner@acme.test")
    assert handoff(one.test_client(), token).status_code == 303
    assert handoff(one.test_client(), token).status_code == 400


def test_an_import_previewed_on_one_machine_is_confirmed_on_the_other(
    sandbox_env, tmp_path, redis_url
):
    apps = machines(sandbox_env, tmp_path, REDIS_URL=redis_url)
    sandbox = apps[0].extensions["sandbox"]
    admin = Roaming(apps)
    admin.on(0).sign_in("admin")
    before = emails(sandbox)
    assert upload(admin.on(0), MIXED).status_code == 303
    preview = admin.on(1).get("/admin/learners/import")
    assert "3 ready to create" in text_of(preview)
    confirmed = admin.on(0).post("/admin/learners/import/confirm")
    assert confirmed.headers["Location"] == "/admin/learners/import/report"
    again = admin.on(1).post("/admin/learners/import/confirm")  # a double click, elsewhere
    assert again.headers["Location"] == "/admin/learners"
    created = sorted(set(emails(sandbox)) - set(before))
    assert created == ["ana.silva@new.test", "bo.lee@new.test"]
    statuses = sorted(r["status"] for r in report_rows(admin.on(1)))
    assert statuses.count("created") == 2


def test_an_image_uploaded_through_one_machine_is_served_by_the_other(
    sandbox_env, tmp_path, redis_url, s3_config
):
    apps = machines(sandbox_env, tmp_path, REDIS_URL=redis_url, **s3_config)
    learner = Roaming(apps)
    learner.on(0).sign_in("learner")
    learner.get("/certificates/new")
    assert post_form(learner, form_data()).status_code == 303
    keys = bucket_keys(s3_config)
    (record,) = [k for k in keys if k.startswith("uploads/by-certificate/")]
    (name,) = [k.removeprefix("uploads/") for k in keys if k != record]
    assert not (tmp_path / "uploads-1").exists()  # nothing on the machine's own disk

    image = learner.on(1).client.get(f"/uploads/{name}")
    assert image.status_code == 200 and image.get_data() == PNG
    assert image.headers["Content-Type"] == "image/png"
    assert image.headers["Cache-Control"] == "private, max-age=86400"  # no shared cache
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    image.close()
    card = soup(learner.on(1).get("/certificates")).select_one("img.cert__image")
    assert card["src"] == f"/uploads/{name}"  # the other machine knows which image it is
    assert learner.on(1).client.get(f"/uploads/{'A' * 32}.png").status_code == 404
