"""The archive page's data: the learner's archives, each with its content's details."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..gql import Call, PageData
from ..pages import load_page


@dataclass
class Entry:
    archive: object
    content: object | None = None  # UserArchivedContent for the archive's resource, if any


@dataclass
class ArchivePage:
    page: PageData
    entries: list[Entry] = field(default_factory=list)


def load_archive() -> ArchivePage:
    """UserArchives and UserArchivedContent in one request, matched by resource id."""
    page = load_page(Call("UserArchives"), Call("UserArchivedContent"))
    details = {c.id: c for c in page.get("UserArchivedContent", []) if c and c.id}
    entries = [
        Entry(archive=a, content=details.get(a.resource) if a.resource else None)
        for a in page.get("UserArchives", [])
        if a
    ]
    return ArchivePage(page=page, entries=entries)
