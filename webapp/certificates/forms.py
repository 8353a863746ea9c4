"""The certificate search (GET, in the URL) and the external certificate form."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SearchField, StringField, URLField
from wtforms.fields import DateField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..forms import Form
from ..security import safe_url, stripped
from . import uploads

QUERY_MAX = 200
TITLE_MAX = 200
IDENTIFIER_MAX = 100
URL_MAX = 2048


class SearchForm(Form):
    """`q` and `expired` from the query string: a bookmarkable GET form, no CSRF."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Search your certificates"),
        filters=[stripped],
        validators=[
            Optional(),
            Length(max=QUERY_MAX, message=_l("Search for at most %(max)d characters.")),
        ],
    )
    expired = BooleanField(
        _l("Show expired certificates"), false_values=("", "0", "false", "off", "no")
    )

    def criteria(self) -> tuple[str, bool]:
        """(query, include expired); an invalid query searches for nothing rather than guess."""
        self.validate()
        query = "" if self.q.errors else (self.q.data or "")
        return query, bool(self.expired.data)


class IsoDateField(DateField):
    """A date as <input type=date> sends it (YYYY-MM-DD), with our own message when it isn't."""

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        super().__init__(label, validators, format="%Y-%m-%d", **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        self.data = None
        text = " ".join(valuelist).strip() if valuelist else ""
        if not text:
            self.raw_data = []  # only spaces is no input at all: InputRequired says so
            return
        try:
            self.data = datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            raise ValueError(
                str(self.invalid_message or _("Enter a date like 2026-01-05."))
            ) from None


def today() -> date:
    """Today as the instance counts it (UTC): it refuses completion dates after its own now."""
    return datetime.now(UTC).date()


# What a learner typed into the form, kept should their session end as they send it (the
# image file cannot be: a browser never lets a page refill a file input).
TYPED_FIELDS = ("title", "completed_on", "expires_on", "identifier", "image_url")


class ExternalCertificateForm(Form):
    """A certificate earned elsewhere: what it is for, when, and an image of it."""

    too_large = False  # set when the image is past uploads.MAX_BYTES

    title = StringField(
        _l("Course or certificate title"),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the title of the course or certificate.")),
            Length(max=TITLE_MAX, message=_l("Keep the title to %(max)d characters or fewer.")),
        ],
    )
    completed_on = IsoDateField(
        _l("Completion date"),
        validators=[InputRequired(_l("Enter the date you completed it."))],
        invalid_message=_l("Enter the completion date as a real date, like 2026-01-05."),
    )
    expires_on = IsoDateField(
        _l("Expiry date (optional)"),
        validators=[Optional()],
        invalid_message=_l("Enter the expiry date as a real date, like 2027-01-05."),
    )
    identifier = StringField(
        _l("Certificate number (optional)"),
        filters=[stripped],
        validators=[
            Optional(),
            Length(
                max=IDENTIFIER_MAX,
                message=_l("Keep the certificate number to %(max)d characters or fewer."),
            ),
        ],
    )
    image = FileField(_l("Upload an image of the certificate"))
    image_url = URLField(
        _l("Or link to an image of it"),
        filters=[stripped],
        validators=[
            Optional(),
            Length(max=URL_MAX, message=_l("Keep the link to %(max)d characters or fewer.")),
        ],
    )

    upload: tuple[bytes, str] | None = None  # the checked image bytes and their type

    def validate_completed_on(self, field):
        if field.data and field.data > today():
            raise ValidationError(_("The completion date can't be in the future."))

    def validate_expires_on(self, field):
        completed = self.completed_on.data
        if field.data and completed and field.data <= completed:
            raise ValidationError(_("The expiry date must be after the completion date."))

    def validate_image(self, field):
        has_file = field.data is not None
        has_link = bool(self.image_url.raw_data and self.image_url.raw_data[0].strip())
        if has_file and has_link:
            raise ValidationError(_("Upload an image or link to one, not both."))
        if not has_file and not has_link:
            raise ValidationError(_("Upload an image of your certificate, or link to one."))
        if not has_file:
            return
        blob = field.data.stream.read(uploads.MAX_BYTES + 1)
        if len(blob) > uploads.MAX_BYTES:
            self.too_large = True  # the view answers 413, as for a body past the app's limit
            raise ValidationError(
                _(
                    "The image is larger than %(mb)d MB. Choose a smaller one.",
                    mb=uploads.MAX_BYTES >> 20,
                )
            )
        kind = uploads.sniff(blob)
        if kind is None:
            raise ValidationError(_("The file must be a PNG, JPEG, WebP or GIF image."))
        self.upload = (blob, kind)

    def validate_image_url(self, field):
        absolute = field.data.lower().startswith("https://")
        if not absolute or safe_url(field.data, allow_http=False) != field.data:
            raise ValidationError(
                _("Enter an https link to the image, like https://example.com/certificate.png.")
            )
