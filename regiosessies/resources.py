"""Export of registrations (CSV/XLSX) with django-import-export.

Which rows are exported is decided by the admin's queryset (and so by `regiosessies.permissions`);
this resource only decides the columns and makes every cell safe to open in a spreadsheet.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from core.spreadsheets import escape_formula, replace_illegal_characters
from regiosessies.models import Aanmelding


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
        # A name typed with a control character (the form accepts them) must not break the XLSX export
        # of the whole list, and no cell may start a formula (see core.spreadsheets).
        value = super().export_field(field, instance, **kwargs)
        return escape_formula(replace_illegal_characters(value))

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
