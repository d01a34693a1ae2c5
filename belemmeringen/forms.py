"""Forms of the facilitators' admin: fast entry of obstacles and the spreadsheet import."""

from __future__ import annotations

import os

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ImportForm

from belemmeringen.models import Belemmering, Knelpunt, LichtmastAntwoord
from belemmeringen.spreadsheets import SpreadsheetError, check_size
from belemmeringen.uploads import SharedUploadStorage, UploadUnavailable
from core.validators import guard_text_fields
from regiosessies.models import Regiosessie
from regiosessies.permissions import sessions_for


class SubthemaSelect(forms.Select):
    """A sub-topic select whose options carry their theme (`data-thema`), so static/js/admin-subthema.js
    can show only the sub-topics of the chosen theme. The server still checks the pair
    (Belemmering.clean); the script only makes the wrong choice hard to make."""

    def __init__(self, attrs=None, choices=()):
        attrs = {"data-subthema": "1", **(attrs or {})}
        super().__init__(attrs, choices)

    class Media:
        js = ["js/admin-subthema.js"]

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-thema"] = str(instance.thema_id)
        return option


class SubthemaChoiceField(forms.ModelChoiceField):
    """Within a theme the sub-topic's own name is enough (and needs no query for the theme)."""

    def label_from_instance(self, obj):
        return obj.name


class BelemmeringForm(forms.ModelForm):
    class Meta:
        model = Belemmering
        fields = [
            "session",
            "thema",
            "subthema",
            "title",
            "description",
            "level",
            "dimension",
            "recognised_by",
            "support_needed",
            "behoeften",
            "status",
        ]
        field_classes = {"subthema": SubthemaChoiceField}
        widgets = {
            "subthema": SubthemaSelect,
            "description": forms.Textarea(attrs={"rows": 3, "cols": 40}),
            "support_needed": forms.Textarea(attrs={"rows": 2, "cols": 40}),
        }


class BelemmeringInlineForm(BelemmeringForm):
    class Media:
        css = {"all": ["css/admin-belemmeringen.css"]}

    class Meta(BelemmeringForm.Meta):
        widgets = {
            **BelemmeringForm.Meta.widgets,
            "title": forms.TextInput(attrs={"size": 28}),
            "description": forms.Textarea(attrs={"rows": 2, "cols": 28}),
            "support_needed": forms.Textarea(attrs={"rows": 2, "cols": 24}),
            "recognised_by": forms.NumberInput(attrs={"min": 0, "class": "vSmallIntegerField"}),
        }
        labels = {"recognised_by": _("herkend door"), "dimension": _("dimensie")}
        help_texts = {"recognised_by": ""}


class SessionChoiceMixin(forms.Form):
    """The session to import into: only the sessions this user may manage are offered (and accepted)."""

    session = forms.ModelChoiceField(
        label=_("Regiosessie"),
        queryset=Regiosessie.objects.none(),
        help_text=_("Alle rijen worden in deze regiosessie ingelezen."),
        error_messages={"invalid_choice": _("Kies een regiosessie die u beheert.")},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = (
            sessions_for(user).select_related("regio") if user else Regiosessie.objects.none()
        )


class BelemmeringImportForm(SessionChoiceMixin, ImportForm):
    field_order = ["session", "resource", "import_file", "format"]
    # After an error the chosen file is kept (in belemmeringen.uploads, bound to this user and session)
    # and named here, so it need not be chosen again; see BelemmeringAdmin.import_action.
    kept_file = forms.CharField(required=False, widget=forms.HiddenInput())
    kept_file_label = forms.CharField(required=False, max_length=255, widget=forms.HiddenInput())

    def __init__(self, formats, resources, *, user=None, owner: str = "", **kwargs):
        super().__init__(formats, resources, user=user, **kwargs)
        # Who uploads (user and login session, see belemmeringen.uploads): the stored file is bound to it.
        self.owner = owner
        self.fields["import_file"].required = False
        self.fields["import_file"].label = _("Bestand (XLSX of CSV, maximaal 10 MB)")
        self.fields["import_file"].widget.attrs["accept"] = ".xlsx,.csv"
        self.fields["format"].label = _("Bestandsformaat")

    def clean_import_file(self):
        upload = self.cleaned_data.get("import_file") or self._kept_upload()
        try:
            check_size(upload.size)
        except SpreadsheetError as e:
            raise forms.ValidationError(str(e), code="too_large") from None
        upload.upload_owner = self.owner
        return upload

    def _kept_upload(self) -> SimpleUploadedFile:
        name = self.data.get("kept_file", "")
        if not name:
            raise forms.ValidationError(_("Kies een bestand."), code="required")
        storage = SharedUploadStorage(name=name, owner=self.owner)
        try:
            data = storage.read()
        except UploadUnavailable as e:
            raise forms.ValidationError(str(e), code="kept_file_gone") from None
        # This attempt stores it again under a new name (or imports it); the old entry is done.
        storage.remove()
        return SimpleUploadedFile(os.path.basename(self.data.get("kept_file_label", "")) or "bestand", data)


class BelemmeringConfirmImportForm(SessionChoiceMixin, ConfirmImportForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["session"].widget = forms.HiddenInput()

    def clean_format(self):
        # Index into the admin's import formats (XLSX, CSV); anything else is a forged form.
        value = self.cleaned_data["format"]
        if value not in ("0", "1"):
            raise forms.ValidationError(_("Onbekend bestandsformaat."), code="invalid_format")
        return value


# --- Knelpunten (programme staff) -----------------------------------------------------------------


class KnelpuntForm(forms.ModelForm):
    """A knelpunt as the team words it. A change of follow-up needs an explanation (participants read
    it); the admin then records the change through services.change_knelpunt_status."""

    class Meta:
        model = Knelpunt
        fields = [
            "title",
            "description",
            "thema",
            "subthema",
            "level",
            "priority",
            "behoeften",
            "status",
            "status_explanation",
        ]
        field_classes = {"subthema": SubthemaChoiceField}
        widgets = {
            "subthema": SubthemaSelect,
            "description": forms.Textarea(attrs={"rows": 4, "cols": 60}),
            "status_explanation": forms.Textarea(attrs={"rows": 3, "cols": 60}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The title and the explanation go out in the follow-up digest email (issue 17, finding 8).
        guard_text_fields(self, single_line=["title"], multi_line=["description", "status_explanation"])

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        explanation = (cleaned.get("status_explanation") or "").strip()
        cleaned["status_explanation"] = explanation
        # Before _post_clean the instance still holds what is stored.
        old = (
            (self.instance.status, self.instance.status_explanation)
            if self.instance.pk
            else (
                Knelpunt.Opvolging.OPEN,
                "",
            )
        )
        if status and (status, explanation) != old and not explanation:
            self.add_error(
                "status_explanation",
                forms.ValidationError(
                    _("Leg uit waarom de opvolging verandert; deelnemers lezen deze toelichting."),
                    code="explanation_required",
                ),
            )
        return cleaned


class KnelpuntKiesForm(forms.Form):
    """Step two of the action "voeg toe aan knelpunt…": which knelpunt."""

    knelpunt = forms.ModelChoiceField(
        label=_("Knelpunt"),
        queryset=Knelpunt.objects.select_related("thema").order_by("thema__order", "title"),
        error_messages={
            "required": _("Kies het knelpunt waar de belemmeringen bij horen."),
            "invalid_choice": _("Dit knelpunt bestaat niet meer; kies een ander."),
        },
    )


class KnelpuntSplitsForm(forms.Form):
    belemmeringen = forms.ModelMultipleChoiceField(
        label=_("Belemmeringen die naar het nieuwe knelpunt gaan"),
        queryset=Belemmering.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één belemmering om af te splitsen.")},
    )
    title = forms.CharField(
        label=_("Titel van het nieuwe knelpunt"),
        max_length=200,
        required=False,
        help_text=_("Leeg: de titel van de eerste gekozen belemmering."),
    )

    def __init__(self, *args, knelpunt: Knelpunt, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["belemmeringen"]
        field.queryset = knelpunt.belemmeringen.select_related("session__regio").order_by("session__start", "pk")
        field.label_from_instance = lambda b: f"{b.title} ({b.session.regio.name})"

    def clean_belemmeringen(self):
        chosen = self.cleaned_data["belemmeringen"]
        if len(chosen) >= self.fields["belemmeringen"].queryset.count():
            raise forms.ValidationError(
                _("Laat minstens één belemmering bij dit knelpunt; wilt u alles verplaatsen, voeg dan samen."),
                code="split_all",
            )
        return chosen


class KnelpuntSamenvoegForm(forms.Form):
    met = forms.ModelChoiceField(
        label=_("Samenvoegen met"),
        queryset=Knelpunt.objects.none(),
        help_text=_(
            "De belemmeringen, behoeften en opvolging van dit knelpunt gaan over; het wordt daarna verwijderd."
        ),
        error_messages={
            "required": _("Kies het knelpunt dat hierin opgaat."),
            "invalid_choice": _("Kies een ander knelpunt dan dit."),
        },
    )

    def __init__(self, *args, knelpunt: Knelpunt, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["met"].queryset = (
            Knelpunt.objects.exclude(pk=knelpunt.pk).select_related("thema").order_by("thema__order", "title")
        )


class LichtmastAntwoordForm(forms.ModelForm):
    """A session has one lamp-post answer. A second one for the same session is refused with a link to
    the answer that exists, instead of the model's bare "Er bestaat al een …" message."""

    class Meta:
        model = LichtmastAntwoord
        fields = "__all__"

    def clean_session(self):
        session = self.cleaned_data.get("session")
        if session is None or self.instance.pk is not None:
            return session
        existing = LichtmastAntwoord.objects.filter(session=session).values_list("pk", flat=True).first()
        if existing:
            raise forms.ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Deze sessie heeft al een antwoord op de lichtmastvraag."),
                    reverse("admin:belemmeringen_lichtmastantwoord_change", args=[existing]),
                    _("Open het bestaande antwoord om het aan te passen."),
                ),
                code="answer_exists",
            )
        return session
