"""The archive page's data: the learner's archives, each with its content's details."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..gql import Call, PageData
from ..pages import load_page
from ..sections import Section, loaded_from
from ..security import plausible_id

# UserArchives.resourceType as TI labels a learning path (its kind picks the restore mutation
# when the content's own details are missing).
_PATH_TYPES = frozenset({"learningPath", "Learning Path", "LearningPath"})


@dataclass
class Entry:
    archive: object
    content: object | None = None  # UserArchivedContent for the archive's resource, if any

    @property
    def item_id(self) -> str | None:
        """The archived content's id: what Restore sends."""
        return self.archive.resource

    @property
    def restorable(self) -> bool:
        """The instance allows it back, and its id is one our URLs can carry."""
        return bool(self.archive.reinstatable) and plausible_id(self.item_id)

    @property
    def title(self) -> str | None:
        return self.archive.name or (self.content.title if self.content else None)

    @property
    def kind(self) -> str:
        if self.content is not None and self.content.kind:
            return self.content.kind
        return "learningPath" if self.archive.resource_type in _PATH_TYPES else "course"


@dataclass
class ArchivePage:
    page: PageData
    entries: list[Entry] = field(default_factory=list)
    archived: Section[list[Entry]] = field(default_factory=lambda: Section([], False))
    details_loaded: bool = False  # the archived items' images and descriptions

    def find(self, item_id: str) -> Entry | None:
        return next((e for e in self.entries if e.item_id == item_id), None)


def load_archive() -> ArchivePage:
    """UserArchives and UserArchivedContent in one request, matched by resource id."""
    page = load_page(Call("UserArchives"), Call("UserArchivedContent"))
    details = {c.id: c for c in page.get("UserArchivedContent", []) if c and c.id}
    entries = [
        Entry(archive=a, content=details.get(a.resource) if a.resource else None)
        for a in page.get("UserArchives", [])
        if a
    ]
    return ArchivePage(
        page=page,
        entries=entries,
        archived=loaded_from(page, "UserArchives", entries),
        details_loaded=page.ok("UserArchivedContent"),
    )
