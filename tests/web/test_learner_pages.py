"""Each learner page, declared once, is where its declaration says: in the navigation, in an
/embed frame, in the admin's branding preview; and each one opens for a signed-in learner."""

from __future__ import annotations

import pytest
from flask import template_rendered

from tests.pages import LEARNER_PAGES, PAGE_IDS, path_of
from tests.web.conftest import Browser, soup
from webapp.learner_pages import LearnerPage, check_pages


def rendered_templates(app, browser: Browser, path: str) -> tuple[object, list[str]]:
    names = []

    def record(_sender, template, **_extra):
        names.append(template.name)

    with template_rendered.connected_to(record, app):
        response = browser.get(path)
    return response, names


@pytest.mark.parametrize("page", LEARNER_PAGES, ids=PAGE_IDS)
def test_every_learner_page_opens_with_its_title(app, learner, page):
    path = path_of(app, page)
    response, templates = rendered_templates(app, learner, path)
    assert response.status_code == 200, path
    assert page.label in soup(response).title.text
    if page.template:  # what the admin's preview renders is what the learner gets
        assert templates[0] == page.template


def test_the_header_links_every_page_in_the_navigation_and_no_other(app, learner):
    header = soup(learner.get("/dashboard")).select_one("header.site-header")
    links = {a["href"] for a in header.select("a[href^='/']")}
    for page in LEARNER_PAGES:
        assert (path_of(app, page) in links) == page.in_navigation, page.endpoint


@pytest.mark.parametrize("page", LEARNER_PAGES, ids=PAGE_IDS)
def test_an_embeddable_page_has_its_embed_twin(app, learner, page):
    embedded = learner.get("/embed" + path_of(app, page))
    if page.embeddable:
        assert embedded.status_code == 200
        assert soup(embedded).select_one(".site-header") is None  # no chrome in the frame
        assert page.label in soup(embedded).title.text
    else:
        assert embedded.status_code == 404


@pytest.mark.parametrize("page", LEARNER_PAGES, ids=PAGE_IDS)
def test_a_previewable_page_is_offered_and_shown_in_the_branding_preview(admin, page):
    choices = {
        o["value"]: o.text for o in soup(admin.get("/admin/branding")).select("#page option")
    }
    preview = admin.get(f"/admin/branding/preview/{page.name}")
    if page.previewable:
        assert choices[page.name] == page.label
        assert preview.status_code == 200
        assert page.label in soup(preview).title.text
    else:
        assert page.name not in choices
        assert preview.status_code == 404


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        ((LearnerPage("goals.index", "nav.goals", "Goals", previewable=True),), "loader"),
        ((LearnerPage("goals.index", "nav.goals", "Goals"),) * 2, "share a name"),
        (
            (
                LearnerPage("goals.index", "nav.goals", "Goals"),
                LearnerPage("goals.mine", "nav.mine", "Mine", embeddable=False),
            ),
            "embedded together",
        ),
    ],
    ids=["preview-without-loader", "same-name", "half-embedded-feature"],
)
def test_a_declaration_that_cannot_work_stops_the_app_at_start(pages, message):
    with pytest.raises(ValueError, match=message):
        check_pages(pages)
