"""The form behind "Move to archive" and "Restore"."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import AnyOf, Length, NumberRange, Optional

from ..forms import Form, SmallIntegerField
from ..learning.forms import CONTENT_KINDS, MAX_PAGE


class ArchiveChangeForm(Form):
    # "yes" only from the confirmation step (the page without JavaScript, or hx-vals after
    # app.js asked); a plain POST without it is sent to the confirmation page first.
    confirm = HiddenField()
    # What the page showed: the title for the answer's wording, the kind to pick TI's mutation
    # (a wrong one is refused by the instance and changes nothing), and how many pages of My
    # learning are on screen. Only what validated is read.
    title = HiddenField(validators=[Optional(), Length(max=500)])
    kind = HiddenField(validators=[Optional(), AnyOf(CONTENT_KINDS)])
    pages = SmallIntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_PAGE)])

    def known_title(self) -> str | None:
        title = (self.title.data or "").strip()
        return title if title and not self.title.errors else None

    def known_kind(self) -> str | None:
        return self.kind.data or None if not self.kind.errors else None

    def known_pages(self) -> int | None:
        return self.pages.data if not self.pages.errors else None
