"""Export of registrations (CSV/XLSX) with django-import-export.

Which rows are exported is decided by the admin's queryset (and so by `regiosessies.permissions`);
this resource only decides the columns and makes every cell safe to open in a spreadsheet.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from regiosessies.models import Aanmelding

# A spreadsheet treats a cell starting with one of these as a formula (or a formula continuation).
# import-export 4.4's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=", so it misses
# "+", "-", "@", tab and CR and alters the data; we prefix with an apostrophe instead, as OWASP advises.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Make a cell value inert in Excel/LibreOffice: prefix text that would start a formula with `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _local(value) -> str:
    return date_format(timezone.localtime(value), "d-m-Y H:i") if value else ""


class AanmeldingResource(resources.ModelResource):
    session = fields.Field(column_name=_("Regiosessie"))
    session_start = fields.Field(column_name=_("Datum sessie"))
    name = fields.Field(attribute="name", column_name=_("Naam"))
    email = fields.Field(attribute="email", column_name=_("E-mailadres"))
    organisation = fields.Field(attribute="organisation", column_name=_("Organisatie"))
    organisation_type = fields.Field(column_name=_("Soort organisatie"))
    role = fields.Field(attribute="role", column_name=_("Functie of rol"))
    themes = fields.Field(column_name=_("Thema's met interesse"))
    needs = fields.Field(attribute="needs", column_name=_("Toegankelijkheid of dieetwensen"))
    remarks = fields.Field(attribute="remarks", column_name=_("Opmerkingen"))
    status = fields.Field(column_name=_("Status"))
    attended = fields.Field(column_name=_("Aanwezig geweest"))
    created = fields.Field(column_name=_("Aangemeld op"))

    class Meta:
        model = Aanmelding
        name = _("Aanmeldingen")
        fields = [
            "session",
            "session_start",
            "name",
            "email",
            "organisation",
            "organisation_type",
            "role",
            "themes",
            "needs",
            "remarks",
            "status",
            "attended",
            "created",
        ]
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("session").prefetch_related("themes")

    def filter_export(self, queryset, **kwargs):
        # The admin passes its (permission-restricted) changelist queryset; add what the columns need.
        return queryset.select_related("session").prefetch_related("themes").order_by("session__start", "name", "pk")

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(value, str):
            # A name typed with a control character (the form accepts them) must not break the XLSX
            # export of the whole list: openpyxl refuses such characters. Shown as U+FFFD instead.
            value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        return escape_formula(value)

    def dehydrate_session(self, obj: Aanmelding) -> str:
        return str(obj.session)

    def dehydrate_session_start(self, obj: Aanmelding) -> str:
        return _local(obj.session.start)

    def dehydrate_organisation_type(self, obj: Aanmelding) -> str:
        return str(obj.get_organisation_type_display())

    def dehydrate_themes(self, obj: Aanmelding) -> str:
        return ", ".join(thema.name for thema in obj.themes.all())

    def dehydrate_status(self, obj: Aanmelding) -> str:
        return str(obj.get_status_display())

    def dehydrate_attended(self, obj: Aanmelding) -> str:
        return str(_("ja") if obj.attended else _("nee"))

    def dehydrate_created(self, obj: Aanmelding) -> str:
        return _local(obj.created)
