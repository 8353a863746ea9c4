"""The admin forms: trying branding (a GET form), creating a learner, importing a CSV."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..branding import parse_hex, plain_font
from ..forms import Form
from ..learner_pages import previewable
from ..security import TI_ID, safe_url, stripped
from .learner_import import EMAIL_PATTERN, MAX_NAME

LANG_PATTERN = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})?\Z")
# The learner pages the branding preview offers, by name (/admin/branding/preview/<name>).
PREVIEW_PAGES = tuple(page.name for page in previewable())
OTHER = "other"


class Colour:
    def __call__(self, form, field):
        if field.data and parse_hex(field.data) is None:
            raise ValidationError(_l("Enter a colour as a hex code, like #1f5fbf or #fc0."))


class FontName:
    def __call__(self, form, field):
        if field.data and plain_font(field.data) is None:
            raise ValidationError(
                _l("Enter a font name using letters, digits, spaces and hyphens only.")
            )


class SafeUrl:
    def __call__(self, form, field):
        if field.data and safe_url(field.data) is None:
            raise ValidationError(_l("Enter an https, http or relative address."))


class TryBrandingForm(Form):
    """Trial values for the preview; they live only in the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    page = SelectField(
        _l("Learner page"),
        choices=[SelectChoice(p.name, _l(p.label)) for p in previewable()],
        default=PREVIEW_PAGES[0],
        validate_choice=True,
    )
    accent = StringField(
        _l("Accent colour"), filters=[stripped], validators=[Optional(), Length(max=20), Colour()]
    )
    secondary = StringField(
        _l("Secondary colour"),
        filters=[stripped],
        validators=[Optional(), Length(max=20), Colour()],
    )
    link = StringField(
        _l("Link colour"), filters=[stripped], validators=[Optional(), Length(max=20), Colour()]
    )
    font = StringField(
        _l("Font"), filters=[stripped], validators=[Optional(), Length(max=60), FontName()]
    )
    alt_font = StringField(
        _l("Alternative font (headings)"),
        filters=[stripped],
        validators=[Optional(), Length(max=60), FontName()],
    )
    logo = StringField(
        _l("Logo address"), filters=[stripped], validators=[Optional(), Length(max=2048), SafeUrl()]
    )
    user = StringField(
        _l("Preview as user (ID)"),
        filters=[stripped],
        validators=[
            Optional(),
            Length(max=100),
            Regexp(TI_ID, message=_l("A user ID has letters, digits, hyphens and underscores.")),
        ],
    )
    lang = SelectField(
        _l("Language"), choices=[SelectChoice("", _l("Your current language"))], default=""
    )

    def overrides(self) -> dict[str, str]:
        """The trial values that passed their checks (call after validate())."""
        values = {}
        for name in ("accent", "secondary", "link", "font", "alt_font", "logo"):
            field = self[name]
            if field.data and not field.errors:
                colour = name in ("accent", "secondary", "link")
                values[name] = parse_hex(field.data) if colour else field.data
        return values

    def chosen_page(self) -> str:
        valid = self.page.data in PREVIEW_PAGES and not self.page.errors
        return self.page.data if valid else PREVIEW_PAGES[0]


# The learner being created, kept should the admin's session end as they send the form.
TYPED_LEARNER_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "client",
    "other_client",
    "licenses",
    "other_licenses",
)


class CreateLearnerForm(Form):
    """One learner: who they are, their client, their licenses."""

    email = StringField(
        _l("Email"),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the learner's email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Regexp(EMAIL_PATTERN, message=_l("Enter an email address like name@example.com.")),
        ],
    )
    first_name = StringField(
        _l("First name"),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the learner's first name.")),
            Length(max=MAX_NAME, message=_l("A name has at most %(max)d characters.")),
        ],
    )
    last_name = StringField(
        _l("Last name"),
        filters=[stripped],
        validators=[
            DataRequired(_l("Enter the learner's last name.")),
            Length(max=MAX_NAME, message=_l("A name has at most %(max)d characters.")),
        ],
    )
    client = RadioField(_l("Client"), validate_choice=True)
    other_client = StringField(_l("Client ID"), filters=[stripped])
    licenses = SelectMultipleField(
        _l("Licenses"),
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )
    other_licenses = StringField(
        _l("Other license IDs"),
        filters=[stripped],
        validators=[Optional(), Length(max=1000)],
    )

    def offer(self, user) -> None:
        """Choices from the admin's own CurrentUser: their client and allocated licenses."""
        clients = []
        if user is not None and user.client is not None:
            label = _("%(name)s (your client)", name=user.client.name)  # API text: not lazy
            clients.append(SelectChoice(user.client.id, label))
        else:
            clients.append(SelectChoice("", _l("The platform's default client")))
        clients.append(SelectChoice(OTHER, _l("Another client (enter its ID)")))
        self.client.choices = clients
        if self.client.data is None:
            self.client.data = clients[0].value
        licenses = []
        for allocated in (user.allocated_licenses or []) if user is not None else []:
            if allocated is None:
                continue
            name = allocated.license.name if allocated.license else allocated.license_id
            licenses.append(SelectChoice(allocated.license_id, name))
        self.licenses.choices = licenses

    def validate_other_client(self, field):
        if self.client.data != OTHER:
            return
        if not field.data:
            raise ValidationError(_l("Enter the client's ID, or choose a client above."))
        if not TI_ID.match(field.data):
            raise ValidationError(_l("A client ID has letters, digits, hyphens and underscores."))

    def validate_other_licenses(self, field):
        for license_id in self.extra_license_ids():
            if not TI_ID.match(license_id):
                # gettext, not lazy_gettext: Jinja trusts a lazy string as HTML (__html__)
                message = _(
                    "“%(id)s” is not a license ID. Separate IDs with commas.", id=license_id[:40]
                )
                raise ValidationError(message)

    def extra_license_ids(self) -> list[str]:
        parts = re.split(r"[,;\s]+", self.other_licenses.data or "")
        return [p.strip() for p in parts if p.strip()]

    def variables(self) -> dict:
        """CreateLearner's variables from the validated form."""
        client_id = self.other_client.data if self.client.data == OTHER else self.client.data
        licenses = list(dict.fromkeys([*(self.licenses.data or []), *self.extra_license_ids()]))
        variables = {
            "email": self.email.data,
            "firstName": self.first_name.data,
            "lastName": self.last_name.data,
        }
        if client_id:
            variables["clientId"] = client_id
        if licenses:
            variables["licenseIds"] = licenses
        return variables


class ImportForm(Form):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file to upload."))])

    def validate_file(self, field):
        name = (getattr(field.data, "filename", "") or "").lower()
        if not name.endswith(".csv"):
            raise ValidationError(
                _l("Only .csv files can be imported. Export the spreadsheet as CSV (UTF-8).")
            )


class ActionForm(Form):
    """A button that only needs the CSRF token (confirm, cancel)."""


def lang_choices(languages) -> list[SelectChoice]:
    choices = [SelectChoice("", _l("Your current language"))]
    for language in languages or []:
        if language is not None and LANG_PATTERN.match(language.code or ""):
            label = language.selector_label or language.label or language.code
            choices.append(SelectChoice(language.code, label))
    return choices
