"""Form parts every public form shares: the error summary at the top of the page and the honeypot field."""

from __future__ import annotations

from crispy_forms.layout import Div, Field
from django import forms
from django.utils.translation import gettext_lazy as _


class ErrorSummaryMixin:
    """Gives templates/core/_error_summary.html one list to show at the top of the page."""

    #: Short names for fields whose label is long or contains a link (a link inside a link is invalid).
    summary_labels: dict = {}

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) for every error, in field order; the anchor is '' for form-wide errors."""
        items = [("", "", str(error)) for error in self.non_field_errors()]
        for field in self:
            if field.is_hidden or not field.errors:
                continue
            anchor = field.auto_id
            if getattr(field.field.widget, "allow_multiple_selected", False) and hasattr(field.field, "choices"):
                anchor = f"{field.auto_id}_0"  # the first checkbox of the group
            label = self.summary_labels.get(field.name, field.label)
            items.extend((anchor, str(label), str(error)) for error in field.errors)
        return items


class HoneypotMixin(forms.Form):
    """A field people never see (display:none hides it from screen readers too); bots fill it in."""

    website = forms.CharField(
        label=_("Laat dit veld leeg"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


def honeypot_layout() -> Div:
    # `hidden` works even without our stylesheet; bots that parse the form still see the input.
    return Div(Field("website"), css_class="cp-hp", hidden="hidden", aria_hidden="true")


# --- The data-subject page (core.admin.AuditLogAdmin) ------------------------------------------


class SubjectSearchForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres van de betrokkene"),
        max_length=254,
        error_messages={
            "required": _("Vul het e-mailadres in waarover het verzoek gaat."),
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
        },
    )


class SubjectEraseForm(SubjectSearchForm):
    confirm = forms.BooleanField(
        label=_("Ik heb gecontroleerd dat dit verzoek van de betrokkene zelf komt, en wis de gegevens definitief."),
        error_messages={
            "required": _("Vink aan dat u het verzoek hebt gecontroleerd; wissen kan niet ongedaan worden gemaakt.")
        },
    )
