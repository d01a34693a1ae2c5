"""Control characters out of every free-text field that ends up in an email (issue 17, finding 8).

A name typed as "Evil\r\nBcc: x@y" showed up in the confirmation email as separate lines ("Beste Evil /
Bcc: …"); in a subject it would be refused by Django's mail headers only at sending time, after the
registration was stored. The forms refuse such text at once, with a Dutch message:

* single-line fields (name, organisation, role, a subject): no C0 or C1 control character at all
  (CR, LF and tab included), nor the Unicode line and paragraph separators;
* multi-line fields (needs, remarks, a message): line breaks and tabs are allowed, the other control
  characters are not. Such a field is never put in a mail header or a single-line spot of an email.

Used by the registration form, its correction form on the personal page, and the contact form.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MULTI_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def validate_single_line(value: str) -> None:
    if value and SINGLE_LINE_FORBIDDEN.search(value):
        raise ValidationError(
            _("Dit veld mag geen regelovergang, tab of onzichtbaar stuurteken bevatten. Typ de tekst op één regel."),
            code="control_character",
        )


def validate_multi_line(value: str) -> None:
    if value and MULTI_LINE_FORBIDDEN.search(value):
        raise ValidationError(
            _("Dit veld bevat een onzichtbaar stuurteken. Typ de tekst opnieuw of plak hem als platte tekst."),
            code="control_character",
        )


def guard_text_fields(form: forms.BaseForm, *, single_line: list[str], multi_line: list[str] = ()) -> None:
    """Add the validators above to the named fields of `form` (in its __init__)."""
    for name in single_line:
        form.fields[name].validators.append(validate_single_line)
    for name in multi_line:
        form.fields[name].validators.append(validate_multi_line)
