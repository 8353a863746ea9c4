from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import Form


class LicenseForm(Form):
    """Switch the active license; the choices are checked against the learner's own."""

    license_id = StringField(
        _l("License"),
        validators=[DataRequired(_l("Choose a license.")), Length(max=200)],
    )
    next = HiddenField()
