"""The registration form. It validates; `regiosessies.services.register` decides the seat."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.forms import ErrorSummaryMixin, HoneypotMixin, honeypot_layout
from core.translated import translated
from core.validators import MULTI_LINE_FORBIDDEN, SINGLE_LINE_FORBIDDEN, guard_text_fields
from regiosessies.models import Aanmelding


class AanmeldingForm(ErrorSummaryMixin, HoneypotMixin, forms.ModelForm):
    summary_labels = {"consent": _("Toestemming")}
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Geef toestemming voor het verwerken van uw gegevens om u aan te melden.")},
    )
    # Optional and unticked: the results email is a separate purpose (see the privacy statement).
    results_consent = forms.BooleanField(
        required=False,
        initial=False,
        label=_("Stuur mij de resultaten van de consultatie"),
        help_text=_(
            "Optioneel. U krijgt één e-mail als de resultaten er zijn, en daarna hooguit eens per week bericht "
            "als er iets verandert aan de knelpunten uit uw regio. Afmelden kan altijd."
        ),
    )

    class Meta:
        model = Aanmelding
        fields = ["name", "email", "organisation_type", "organisation", "role", "themes", "needs", "remarks"]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "needs": forms.Textarea(attrs={"rows": 2}),
            "remarks": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "email": _("Hierheen sturen we de bevestiging en uw persoonlijke link om de aanmelding te annuleren."),
            "organisation": _("Bijvoorbeeld: gemeente Zwolle."),
            "themes": _("Kies de thema's waarover u wilt meepraten. Dit helpt ons bij het indelen van de tafels."),
            "needs": _("Bijvoorbeeld: rolstoeltoegankelijk, ringleiding, vegetarisch of een allergie."),
            "remarks": _("Optioneel. Ten hoogste 2000 tekens."),
        }
        error_messages = {
            "name": {"required": _("Vul uw naam in.")},
            "email": {
                "required": _("Vul uw e-mailadres in."),
                "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
            },
            "organisation_type": {
                "required": _("Kies het soort organisatie."),
                "invalid_choice": _("Kies een soort organisatie uit de lijst."),
            },
            "themes": {"invalid_choice": _("Kies alleen thema's uit de lijst.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_type"].choices = [("", _("Kies het soort organisatie"))] + list(
            Aanmelding.OrganisationType.choices
        )
        # English names where staff entered them, else the Dutch (core/translated.py).
        self.fields["themes"].label_from_instance = lambda thema: translated(thema, "name")
        guard_text_fields(self, single_line=["name", "organisation", "role"], multi_line=["needs", "remarks"])
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["role"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["consent"].label = format_html(
            _(
                "Ik geef toestemming om mijn gegevens te gebruiken voor deze consultatie, zoals beschreven in de "
                '<a href="{}">privacyverklaring</a>.'
            ),
            reverse("privacy"),
        )

    @cached_property
    def helper(self) -> FormHelper:
        # Built when the form is drawn, not for every submission that only validates.
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True  # the template writes the <form> and its token
        helper.layout = Layout(
            Fieldset(_("Over u"), "name", "email", "organisation_type", "organisation", "role"),
            Fieldset(_("De sessie"), "themes", "needs", "remarks"),
            honeypot_layout(),
            Fieldset(_("Toestemming"), "consent", "results_consent"),
        )
        return helper

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Vul uw naam in."), code="required")
        return name


class ResultsConsentForm(forms.Form):
    """The switch on the personal page: 1 = send me the results, 0 = stop."""

    results_consent = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class GegevensWijzigenForm(ErrorSummaryMixin, forms.ModelForm):
    """Corrections on the personal page: who you are, not where we write to (the address stays fixed)."""

    class Meta:
        model = Aanmelding
        fields = ["name", "organisation_type", "organisation", "role", "needs"]
        widgets = {"needs": forms.Textarea(attrs={"rows": 2})}
        help_texts = AanmeldingForm.Meta.help_texts
        error_messages = AanmeldingForm.Meta.error_messages

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_type"].choices = [("", _("Kies het soort organisatie"))] + list(
            Aanmelding.OrganisationType.choices
        )
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["role"].widget.attrs["autocomplete"] = "organization-title"
        guard_text_fields(self, single_line=["name", "organisation", "role"], multi_line=["needs"])
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template writes the <form> and its token
        self.helper.layout = Layout("name", "organisation_type", "organisation", "role", "needs")

    clean_name = AanmeldingForm.clean_name


# Control characters have no place in a message people read; in a subject they could even add mail
# headers. A message body keeps its line breaks and tabs.
# The same rule as every other field that reaches an email (core/validators.py).
_CONTROL_CHARACTERS = SINGLE_LINE_FORBIDDEN
_CONTROL_CHARACTERS_IN_TEXT = MULTI_LINE_FORBIDDEN


class SessionMessageForm(forms.Form):
    """Staff write to the participants of one session (regiosessies admin, "Deelnemers een bericht
    sturen"). Nothing is sent from this form: the admin shows a preview first."""

    AUDIENCE_CHOICES = [
        ("confirmed", _("Deelnemers met een plaats")),
        ("waitlisted", _("Mensen op de wachtlijst")),
        ("both", _("Beide")),
    ]

    audience = forms.ChoiceField(
        label=_("Aan"), choices=AUDIENCE_CHOICES, initial="confirmed", widget=forms.RadioSelect
    )
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = forms.CharField(
        label=_("Bericht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 70}),
        help_text=_("Verschijnt zo in de e-mail, tussen de aanhef en de gegevens van de sessie."),
    )

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if _CONTROL_CHARACTERS.search(subject):
            raise forms.ValidationError(
                _("Het onderwerp bevat een teken dat niet in een e-mail kan (zoals een regelovergang)."),
                code="control_character",
            )
        return subject

    def clean_body(self):
        # Browsers send a textarea's line breaks as CRLF; the email's text uses LF throughout.
        body = self.cleaned_data["body"].replace("\r\n", "\n").replace("\r", "\n")
        if _CONTROL_CHARACTERS_IN_TEXT.search(body):
            raise forms.ValidationError(
                _("Het bericht bevat een onzichtbaar stuurteken. Typ de tekst opnieuw of plak hem als platte tekst."),
                code="control_character",
            )
        return body
