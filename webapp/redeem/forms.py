"""The redeem form: code boxes named codes-0, codes-1, ... and the button that was pressed."""

from __future__ import annotations

import re

from flask import request
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms import StringField

from ..forms import Form
from ..outcomes import Message

BOX_NAME = re.compile(r"codes-(\d{1,6})")
ACTIONS = ("redeem", "check", "add")


class RedeemForm(Form):
    """CSRF and the pressed button; the boxes are read straight from the form data so that
    none is dropped unseen (a FieldList quietly ignores boxes past its maximum)."""

    action = StringField()

    def chosen_action(self) -> str:
        """The button pressed; Enter in a box submits with the default one, "redeem"."""
        return self.action.data if self.action.data in ACTIONS else "redeem"

    @staticmethod
    def is_box(name: str) -> bool:
        return BOX_NAME.fullmatch(name) is not None

    @staticmethod
    def boxes(formdata=None) -> list[tuple[int, str]]:
        """Every code box sent (or in `formdata`), as (index, value), in index order."""
        found = {}
        for name, value in (request.form if formdata is None else formdata).items():
            match = BOX_NAME.fullmatch(name)
            if match:
                found[int(match.group(1))] = value
        return sorted(found.items())

    def box_values(self) -> list[str]:
        return [value for _index, value in self.boxes()]


# What can be wrong with the form as a whole (each code's own problem is its verdict).
TOO_MANY = "too-many"
EMPTY = "empty"
NONE_VALID = "none-valid"
NO_MORE_BOXES = "no-more-boxes"


def form_problem(problem: str, *, max_codes: int, entered: int = 0) -> Message:
    """The form's problem, in the learner's language: an error, except for a box that can't be
    added (the boxes there stay as they are, so it is a warning)."""
    if problem == NO_MORE_BOXES:
        return Message(
            "warning",
            _(
                "You can redeem up to %(max)d codes at once. Redeem these first, then add more.",
                max=max_codes,
            ),
        )
    if problem == TOO_MANY and entered:
        return Message(
            "error",
            ngettext(
                "You can redeem up to %(max)d codes at once, and you entered %(num)d. Remove "
                "some and try again; nothing was redeemed.",
                "You can redeem up to %(max)d codes at once, and you entered %(num)d. Remove "
                "some and try again; nothing was redeemed.",
                entered,
                max=max_codes,
            ),
        )
    if problem == TOO_MANY:
        return Message(
            "error",
            _(
                "You can redeem up to %(max)d codes at once. Remove some and try again; nothing "
                "was redeemed.",
                max=max_codes,
            ),
        )
    if problem == EMPTY:
        return Message("error", _("Enter a code to redeem."))
    return Message(
        "error",
        _(
            "None of these codes can be redeemed, so nothing was redeemed. The reason is next "
            "to each code."
        ),
    )
