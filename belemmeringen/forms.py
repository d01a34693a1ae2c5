"""Forms of the facilitators' admin: fast entry of obstacles and the spreadsheet import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ImportForm

from belemmeringen.models import Belemmering
from belemmeringen.spreadsheets import SpreadsheetError, check_size
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

    sessie = forms.ModelChoiceField(
        label=_("Regiosessie"),
        queryset=Regiosessie.objects.none(),
        help_text=_("Alle rijen worden in deze regiosessie ingelezen."),
        error_messages={"invalid_choice": _("Kies een regiosessie die u beheert.")},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessie"].queryset = sessions_for(user).select_related("regio") if user else Regiosessie.objects.none()


class BelemmeringImportForm(SessionChoiceMixin, ImportForm):
    field_order = ["sessie", "resource", "import_file", "format"]

    def __init__(self, formats, resources, *, user=None, **kwargs):
        super().__init__(formats, resources, user=user, **kwargs)
        self.fields["import_file"].label = _("Bestand (XLSX of CSV, maximaal 10 MB)")
        self.fields["import_file"].widget.attrs["accept"] = ".xlsx,.csv"
        self.fields["format"].label = _("Bestandsformaat")

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size)
        except SpreadsheetError as e:
            raise forms.ValidationError(str(e), code="too_large") from None
        return upload


class BelemmeringConfirmImportForm(SessionChoiceMixin, ConfirmImportForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["sessie"].widget = forms.HiddenInput()

