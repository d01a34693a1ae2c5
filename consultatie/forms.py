"""The contact form. It validates; `consultatie.services.submit_contact_message` stores and sends."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorSummaryMixin, HoneypotMixin, honeypot_layout
from core.models import ContactBericht
from core.validators import guard_text_fields


class ContactForm(ErrorSummaryMixin, HoneypotMixin, forms.ModelForm):
    class Meta:
        model = ContactBericht
        fields = ["name", "email", "subject", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "email": _("We sturen ons antwoord naar dit adres."),
            "message": _("Ten hoogste 5000 tekens."),
        }
        error_messages = {
            "name": {"required": _("Vul uw naam in.")},
            "email": {
                "required": _("Vul uw e-mailadres in."),
                "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
            },
            "subject": {"required": _("Vul een onderwerp in.")},
            "message": {"required": _("Schrijf uw vraag of opmerking.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        guard_text_fields(self, single_line=["name", "subject"], multi_line=["message"])
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template writes the <form> and its token
        self.helper.layout = Layout("name", "email", "subject", "message", honeypot_layout())

    def clean(self):
        cleaned = super().clean()
        for name in ("name", "subject", "message"):
            value = cleaned.get(name)
            if value is not None and not value.strip():
                self.add_error(
                    name, forms.ValidationError(_("Dit veld mag niet alleen uit spaties bestaan."), code="blank")
                )
        return cleaned
