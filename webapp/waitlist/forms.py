"""The one form of the waitlist pages: leaving a waitlist."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import Length, NumberRange, Optional

from ..forms import Form, SmallIntegerField


class LeaveForm(Form):
    # "yes" only from the confirmation step (the page without JavaScript, or hx-vals after
    # app.js asked); a plain POST without it is sent to the confirmation page first.
    confirm = HiddenField()
    # What the page showed, for the answer's wording and as the count's fallback when the
    # instance cannot be re-read after the mutation. Never trusted for anything else, and a
    # tampered value never stops the learner from leaving: only what validated is read.
    title = HiddenField(validators=[Optional(), Length(max=500)])
    count = SmallIntegerField(validators=[Optional(), NumberRange(min=0, max=100_000)])

    def known_title(self) -> str | None:
        title = (self.title.data or "").strip()
        return title if title and not self.title.errors else None

    def known_count(self) -> int | None:
        return self.count.data if not self.count.errors else None
