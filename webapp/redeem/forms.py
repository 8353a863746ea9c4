"""The redeem form: code boxes named codes-0, codes-1, ... and the button that was pressed."""

from __future__ import annotations

import re

from flask import request
from wtforms import StringField

from ..forms import Form

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
