"""The base of every form: text fields read text, whatever the request sends.

Flask-WTF gives a form the request's file parts alongside its text fields, so a text field
sent as a file part (a multipart body a browser would never make) reached validators as a
file object and ended in a 500. Only a form's own file fields take files here; everything
else comes from the text parts, and a field sent only as a file is simply missing.
"""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import IntegerField


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            data = super().wrap_formdata(form, formdata)
            if not isinstance(data, CombinedMultiDict):
                return data
            takes_files = {n for n, field in form._fields.items() if isinstance(field, FileField)}
            files = MultiDict(
                [(k, v) for k, v in request.files.items(multi=True) if k in takes_files]
            )
            return CombinedMultiDict((files, request.form))


class SmallIntegerField(IntegerField):
    """An IntegerField for counts and page numbers: more than nine digits is no such number.
    WTForms' NumberRange turns the value into a float to rule out NaN, and a few hundred digits
    overflow that (a 500)."""

    MAX_DIGITS = 9

    def process_formdata(self, valuelist):
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > self.MAX_DIGITS:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
        super().process_formdata(valuelist)
