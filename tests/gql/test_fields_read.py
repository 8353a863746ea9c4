"""Every field an operation asks the instance for is read by some template or code.

The instance charges a point per field, so a field nobody reads is paid for on every view.
A tour signs in as each demo account and opens every page and fragment while each generated
result class records which of its fields were read; whatever was fetched and never read fails
the test.
"""

from __future__ import annotations

import re

import pytest

from tests.field_reads import FieldReads
from tests.web.conftest import Browser
from tests.web.test_certificates import form_data, post_form
from webapp.sandbox.seed import content_id

# Read only when another field is empty (TI may leave any of them null), which the demo data
# never is: the fallback is worth its point where a real instance leaves the first one out.
FALLBACKS = {
    ("Languages", "label"): "selectorLabel",
    ("UserArchivedContent", "title"): "UserArchives.name",
    ("UserArchives", "resource_type"): "UserArchivedContent.kind",
    ("BadgeLeaderboardAwardType", "label"): "pluralLabel",
    ("LearningPathCurrentUserAwardTotalsAwardType", "label"): "pluralLabel",
    ("UserCertificateFieldsAwardType", "plural_label"): "label",
    # A badge's award type is named in the singular for a threshold of one only.
    ("UserEarnedBadgeBoardEarnedBadgesBadgeAwardType", "label"): "pluralLabel",
    ("UserEarnedBadgeBoardUnearnedBadgesAwardType", "label"): "pluralLabel",
}


@pytest.fixture
def reads():
    tracker = FieldReads()
    tracker.install()
    yield tracker
    tracker.uninstall()


def _visit(browser: Browser, paths: list[str]) -> None:
    for path in paths:
        response = browser.get(path)
        assert response.status_code in (200, 302), (path, response.status_code)


def test_every_field_fetched_on_a_tour_of_the_pages_is_read(app, reads):
    learner = Browser(app.test_client())
    learner.sign_in("learner")
    course = content_id("sql-fundamentals")
    _visit(
        learner,
        [
            "/dashboard",
            "/learning",
            "/learning?page=2",
            "/learning?page=3",
            "/learning?page=4",
            "/learning?kind=learningPath",
            f"/learning/{course}/details",
            f"/learning/{content_id('statistics-for-analysts')}/redeem-balance",
            "/paths/leadership-essentials",
            "/paths/data-science-foundations",
            "/paths/cloud-career-path",
            "/waitlist",
            "/redeem",
            "/certificates",
            "/certificates?expired=1",
            "/certificates/transcript",
            "/certificates/new",
            "/badges",
            "/archive",
            f"/archive/{content_id('excel-macros-legacy')}/restore",
            f"/learning/{course}/archive",
            "/profile",
            "/terms",
        ],
    )
    learner.htmx("GET", f"/learning/{course}/details")
    for certificate in set(
        re.findall(
            r'href="/certificates/([0-9a-f-]{36})"',
            learner.get("/certificates?expired=1").get_data(as_text=True),
        )
    ):
        _visit(learner, [f"/certificates/{certificate}"])
    learner.get("/certificates/new")
    assert post_form(learner, form_data()).status_code == 303  # maps fields by their ids
    learner.get("/redeem")
    for code in ("EXPIRED-2024", "REDEEMED-0001", "ACME-JOIN"):
        learner.htmx("POST", "/redeem/check?part=status", {"codes-0": code})
    learner.post("/redeem", {"codes-0": "TEAM-2026", "codes-1": "ACME-JOIN"})
    learner.htmx("POST", "/redeem/check?part=status", {"codes-0": "ACME-JOIN"})  # used now
    _visit(learner, ["/redeemed"])

    other = Browser(app.test_client())
    other.sign_in("learner2")
    _visit(other, ["/dashboard", "/learning", "/profile"])

    admin = Browser(app.test_client())
    admin.sign_in("admin")
    _visit(
        admin,
        [
            "/admin/",
            "/admin/branding",
            "/admin/translations",
            "/admin/learners",
            "/admin/branding/preview/dashboard",
            "/admin/branding/preview/learning",
            "/admin/branding/preview/badges",
        ],
    )
    unread = {
        cls: [f for f in fields if (cls, f) not in FALLBACKS]
        for cls, fields in reads.unread().items()
    }
    unread = {cls: fields for cls, fields in unread.items() if fields}
    assert not unread, "\n".join(f"{cls}: {fields}" for cls, fields in sorted(unread.items()))


def test_the_tracker_notices_a_field_nobody_reads(app, reads):
    from webapp.gql import types

    built = types.UserCourseProgress(percent_complete=3)
    assert reads.unread()["UserCourseProgress"] == ["percent_complete"]
    assert built.percent_complete == 3
    assert "UserCourseProgress" not in reads.unread()
