"""Every learner page, declared once: the navigation, the /embed twins, the admin's branding
preview, the dashboard's tiles and the tests all read this list.

A page's feature is the package `webapp/<blueprint>/`, which exports its `blueprint`. A page
that the admin can preview names the loader and template its own view uses, so the preview
shows the page as a learner first opens it (an empty query string), not a rebuilt copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from flask import Blueprint
from werkzeug.datastructures import MultiDict

from .badges.loaders import badges_page
from .dashboard.loaders import dashboard_page
from .i18n import N_
from .learning.loaders import learning_page
from .progress import COMPLETED

# A page's context from its query string, for its template.
Loader = Callable[[MultiDict], dict]


@dataclass(frozen=True)
class Tile:
    """A dashboard tile: how many items the learner has in one of the instance's content
    groups, linking to the page that lists them."""

    kind: str  # the UserContentGroups group it counts (its label: dashboard/index.html)
    place: int  # where it sits among the dashboard's tiles
    args: tuple[tuple[str, str], ...] = ()  # the page's filters that list those items


@dataclass(frozen=True)
class LearnerPage:
    endpoint: str  # "learning.index": the view, in the feature package webapp/learning/
    nav_key: str  # the company's translation key for its title ("nav.my-learning")
    label: str  # our title for it, translated (marked with N_ for extraction)
    load: Loader | None = None  # what its view loads; required to be previewable
    template: str | None = None  # what its view renders; required to be previewable
    in_navigation: bool = True
    embeddable: bool = True  # its feature gets an /embed twin (webapp/embed)
    previewable: bool = False  # the admin's branding preview offers it
    tiles: tuple[Tile, ...] = ()

    @property
    def blueprint(self) -> str:
        return self.endpoint.split(".")[0]

    @property
    def name(self) -> str:
        """Its short name in addresses: /admin/branding/preview/<name>."""
        view = self.endpoint.split(".")[1]
        return self.blueprint if view == "index" else view


LEARNER_PAGES: tuple[LearnerPage, ...] = (
    LearnerPage(
        "dashboard.index",
        "nav.dashboard",
        N_("Dashboard"),
        load=dashboard_page,
        template="dashboard/index.html",
        previewable=True,
    ),
    LearnerPage(
        "learning.index",
        "nav.my-learning",
        N_("My learning"),
        load=learning_page,
        template="learning/index.html",
        previewable=True,
        tiles=(
            Tile("contentItems", 1),
            Tile("completedItems", 2, (("status", COMPLETED),)),
            Tile("learningPaths", 3, (("kind", "learningPath"),)),
        ),
    ),
    LearnerPage(
        "waitlist.index", "nav.waitlist", N_("Waitlist"), tiles=(Tile("waitlistedCourses", 5),)
    ),
    LearnerPage("redeem.index", "nav.redeem", N_("Redeem a code")),
    LearnerPage(
        "certificates.index",
        "nav.certificates",
        N_("Certificates"),
        tiles=(Tile("certificates", 4),),
    ),
    LearnerPage(
        "badges.index",
        "nav.badges",
        N_("Badges"),
        load=badges_page,
        template="badges/index.html",
        previewable=True,
    ),
    LearnerPage(
        "archive.index", "nav.archive", N_("Archive"), tiles=(Tile("archivedContentItems", 6),)
    ),
    LearnerPage("account.profile", "nav.profile", N_("Profile")),
)


def check_pages(pages: tuple[LearnerPage, ...]) -> tuple[LearnerPage, ...]:
    """Mistakes in the list stop the app at start, not a learner at a page."""
    names = [p.name for p in pages]
    if len(set(names)) != len(names):
        raise ValueError(f"two learner pages share a name: {names}")
    for page in pages:
        if page.previewable and not (page.load and page.template):
            raise ValueError(f"{page.endpoint} is previewable: it needs a loader and a template")
    for family in {p.blueprint for p in pages}:
        if len({p.embeddable for p in pages if p.blueprint == family}) != 1:
            raise ValueError(f"{family}'s pages are embedded together: give them one `embeddable`")
    return pages


check_pages(LEARNER_PAGES)


def page_named(name: str) -> LearnerPage | None:
    return next((p for p in LEARNER_PAGES if p.name == name), None)


def navigation() -> tuple[tuple[str, str, str], ...]:
    """(endpoint, company key, our label) of each page in the main navigation, in order."""
    return tuple((p.endpoint, p.nav_key, p.label) for p in LEARNER_PAGES if p.in_navigation)


def previewable() -> tuple[LearnerPage, ...]:
    return tuple(p for p in LEARNER_PAGES if p.previewable)


def dashboard_tiles() -> tuple[tuple[str, str, dict], ...]:
    """(group kind, endpoint, link arguments) of each dashboard tile, in their places."""
    placed = sorted(((t, p) for p in LEARNER_PAGES for t in p.tiles), key=lambda tp: tp[0].place)
    return tuple((tile.kind, page.endpoint, dict(tile.args)) for tile, page in placed)


def families(*, embeddable: bool | None = None) -> list[Blueprint]:
    """The blueprints of the pages' features, once each, in the pages' order (their
    registration order); `embeddable=True`: only those that get an /embed twin."""
    chosen = [p for p in LEARNER_PAGES if embeddable is None or p.embeddable == embeddable]
    names = dict.fromkeys(p.blueprint for p in chosen)
    return [import_module(f"{__package__}.{name}").blueprint for name in names]
