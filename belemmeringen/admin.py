"""The facilitators' admin: entering a session's findings, needs, lamp-post answers and reference data.

The classes declare. Which rows someone may see or touch is asked of regiosessies.permissions (through
`SessionScopedMixin`); Django's model permissions (granted to the groups by migration 0005) decide
which kinds of rows a role may view, add or change at all. Both must say yes.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm

from belemmeringen import services
from belemmeringen.forms import (
    BelemmeringConfirmImportForm,
    BelemmeringForm,
    BelemmeringImportForm,
    BelemmeringInlineForm,
)
from belemmeringen.models import (
    Behoefte,
    Belemmering,
    LichtmastAntwoord,
    LichtmastBevinding,
    SessieBevindingen,
    Subthema,
    Thema,
)
from belemmeringen.resources import BelemmeringResource
from belemmeringen.spreadsheets import (
    XLSX_CONTENT_TYPE,
    CSVFormat,
    XLSXFormat,
    blank_template,
    export_belemmeringen,
)
from regiosessies.permissions import can_manage_session, is_programmateam, restrict_to_sessions, sessions_for

# --- Permissions --------------------------------------------------------------------------------


class SessionScopedMixin:
    """Rows that hang off a Regiosessie: visible and changeable only within the user's sessions."""

    #: Path from this model to its Regiosessie.
    session_field = "session"

    def _session_id(self, obj) -> int | None:
        for part in self.session_field.split("__")[:-1]:
            obj = getattr(obj, part)
        return getattr(obj, f"{self.session_field.split('__')[-1]}_id")

    def get_queryset(self, request):
        return restrict_to_sessions(super().get_queryset(request), request.user, self.session_field)

    def _may_manage(self, request, obj) -> bool:
        return obj is None or can_manage_session(request.user, self._session_id(obj))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_manage(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_manage(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "session":
            kwargs["queryset"] = sessions_for(request.user).select_related("regio")
        elif db_field.name == "subthema":
            kwargs["queryset"] = Subthema.objects.select_related("thema")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CreatedByMixin:
    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# --- Filters ------------------------------------------------------------------------------------


class SessieFilter(admin.SimpleListFilter):
    title = _("regiosessie")
    parameter_name = "sessie"

    def lookups(self, request, model_admin):
        return [(s.pk, s.title) for s in sessions_for(request.user)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(session_id=self.value())
        return queryset


class SubthemaFilter(admin.SimpleListFilter):
    """Sub-topics with their theme, read in one query (the default filter asks per sub-topic)."""

    title = _("subthema")
    parameter_name = "subthema"

    def lookups(self, request, model_admin):
        return [(s.pk, f"{s.thema.name}: {s.name}") for s in Subthema.objects.select_related("thema")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(subthema_id=self.value())
        return queryset


# --- Obstacles ----------------------------------------------------------------------------------


@admin.register(Belemmering)
class BelemmeringAdmin(SessionScopedMixin, CreatedByMixin, ImportExportMixin, admin.ModelAdmin):
    form = BelemmeringForm
    list_display = ("title", "session", "thema", "subthema_naam", "level", "dimension", "recognised_by", "status")
    list_filter = (
        SessieFilter,
        ("session__regio", admin.RelatedFieldListFilter),
        "thema",
        SubthemaFilter,
        "level",
        "dimension",
        "status",
    )
    search_fields = ("title", "description", "support_needed")
    list_select_related = ("session", "thema", "subthema")
    # Newest first through the primary key index: sorting 100,000 rows by session start would not be.
    ordering = ("-pk",)
    # No second COUNT(*) over the whole table on every filtered page.
    show_full_result_count = False
    list_per_page = 50
    autocomplete_fields = ("behoeften",)
    readonly_fields = ("created_by", "created", "updated")
    actions = ("markeer_vastgesteld",)
    fieldsets = (
        (None, {"fields": ("session", ("thema", "subthema"), "title", "description")}),
        (_("Indeling"), {"fields": (("level", "dimension"), "recognised_by", "status")}),
        (_("Behoefte aan ondersteuning"), {"fields": ("support_needed", "behoeften")}),
        (_("Herkomst"), {"fields": ("created_by", "created", "updated"), "classes": ("collapse",)}),
    )

    # Spreadsheet import and export (django-import-export), scoped like everything else.
    resource_classes = [BelemmeringResource]
    import_formats = [XLSXFormat, CSVFormat]
    export_formats = [XLSXFormat, CSVFormat]
    import_form_class = BelemmeringImportForm
    confirm_form_class = BelemmeringConfirmImportForm
    export_form_class = ExportForm
    import_template_name = "admin/belemmeringen/belemmering/import.html"

    @admin.display(description=_("subthema"), ordering="subthema__name")
    def subthema_naam(self, obj):
        return obj.subthema.name if obj.subthema_id else "–"

    @admin.action(description=_("Markeer als vastgesteld"), permissions=["change"])
    def markeer_vastgesteld(self, request, queryset):
        count = services.mark_vastgesteld(belemmeringen=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%(count)d belemmering vastgesteld.", "%(count)d belemmeringen vastgesteld.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def get_urls(self):
        urls = super().get_urls()
        custom = [
            path(
                "sjabloon/",
                self.admin_site.admin_view(self.template_view),
                name="belemmeringen_belemmering_sjabloon",
            )
        ]
        return custom + urls

    def template_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        response = HttpResponse(blank_template(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="belemmeringen-sjabloon.xlsx"'
        return response

    def has_import_permission(self, request):
        return self.has_add_permission(request) and sessions_for(request.user).exists()

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_form_initial(self, request):
        sessions = list(sessions_for(request.user)[:2])
        # A facilitator of one session need not choose it.
        return {"sessie": sessions[0].pk} if len(sessions) == 1 else {}

    def get_import_form_kwargs(self, request):
        return {**super().get_import_form_kwargs(request), "user": request.user}

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {**super().get_confirm_form_kwargs(request, import_form), "user": request.user}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["sessie"] = import_form.cleaned_data["sessie"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        session = None
        if form is not None and form.is_bound and form.is_valid():
            session = form.cleaned_data["sessie"]
        return {"session": session, "user": request.user}

    def get_import_context_data(self, **kwargs):
        return {"template_url": reverse("admin:belemmeringen_belemmering_sjabloon")}

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            _("Import voltooid: %(new)d nieuw, %(update)d bijgewerkt, %(skip)d ongewijzigd.")
            % {"new": totals["new"], "update": totals["update"], "skip": totals["skip"]},
            messages.SUCCESS,
        )

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # The same file as the command line and the report: one export, with formula escaping.
        if not self.has_export_permission(request):
            raise PermissionDenied
        fmt = "csv" if isinstance(file_format, CSVFormat) else "xlsx"
        return export_belemmeringen(queryset, fmt)

    def get_export_filename(self, request, queryset, file_format):
        return f"belemmeringen-{localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def get_export_resource_kwargs(self, request, **kwargs):
        return {}


# --- Needs --------------------------------------------------------------------------------------


@admin.register(Behoefte)
class BehoefteAdmin(CreatedByMixin, admin.ModelAdmin):
    """Needs are shared across sessions, so everyone with access sees all of them (that is how a
    facilitator links an obstacle to a need another region also named). Changing a need's text is for
    programme staff, or its creator while only their own sessions' obstacles point at it."""

    list_display = ("title", "support_type", "level", "aantal_sessies")
    list_filter = ("support_type", "level")
    search_fields = ("title", "description")
    fields = ("title", "support_type", "level", "description", "created_by")
    readonly_fields = ("created_by",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not (is_programmateam(request.user) or sessions_for(request.user).exists()):
            return queryset.none()
        # Meta.ordering is not applied to aggregated queries; keep the list (and autocomplete) by title.
        return queryset.annotate(sessies=Count("belemmeringen__session", distinct=True)).order_by("title")

    @admin.display(description=_("aantal sessies"), ordering="sessies")
    def aantal_sessies(self, obj):
        return obj.sessies

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or services.can_edit_behoefte(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or services.can_edit_behoefte(request.user, obj)
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_programmateam(request.user):
            # Bulk delete would skip the per-need check above.
            actions.pop("delete_selected", None)
        return actions


# --- Lamp-post answer ---------------------------------------------------------------------------


class LichtmastBevindingInline(admin.TabularInline):
    model = LichtmastBevinding
    fields = ("aspect", "kind", "text")
    extra = 3
    verbose_name = _("bevinding")
    verbose_name_plural = _("bevindingen per aspect")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 70})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(LichtmastAntwoord)
class LichtmastAntwoordAdmin(SessionScopedMixin, CreatedByMixin, admin.ModelAdmin):
    list_display = ("session", "verdict", "aantal_bevindingen")
    list_filter = ("verdict", SessieFilter)
    list_select_related = ("session",)
    search_fields = ("summary", "session__title")
    fields = ("session", "verdict", "summary", "sessie_link", "created_by")
    readonly_fields = ("sessie_link", "created_by")
    inlines = [LichtmastBevindingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(bevindingen_count=Count("bevindingen"))

    def get_readonly_fields(self, request, obj=None):
        # The session of an existing answer is fixed: moving it would move its findings to another region.
        return (*self.readonly_fields, "session") if obj else self.readonly_fields

    @admin.display(description=_("bevindingen"), ordering="bevindingen_count")
    def aantal_bevindingen(self, obj):
        return obj.bevindingen_count

    @admin.display(description=_("alle bevindingen van deze sessie"))
    def sessie_link(self, obj):
        if not obj or not obj.session_id:
            return "–"
        url = reverse("admin:belemmeringen_sessiebevindingen_change", args=[obj.session_id])
        return format_html('<a href="{}">{}</a>', url, _("Naar de belemmeringen van deze sessie"))


# --- Findings per session (the facilitators' entry page) ----------------------------------------


class BelemmeringInline(admin.TabularInline):
    model = Belemmering
    form = BelemmeringInlineForm
    fields = (
        "thema",
        "subthema",
        "title",
        "level",
        "dimension",
        "recognised_by",
        "behoeften",
        "status",
    )
    # Description and support needed are edited on the obstacle's own page (the "Wijzigen" link next
    # to each row), so that one obstacle stays one line here.
    autocomplete_fields = ("behoeften",)
    extra = 3
    show_change_link = True
    verbose_name = _("belemmering")
    verbose_name_plural = _("belemmeringen")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("thema", "subthema").prefetch_related("behoeften")
        return restrict_to_sessions(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "subthema":
            kwargs["queryset"] = Subthema.objects.select_related("thema")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("thema", "subthema") and isinstance(field.widget, RelatedFieldWidgetWrapper):
            # Themes are reference data; view/add links next to every row only add noise here.
            field.widget.can_view_related = field.widget.can_add_related = field.widget.can_change_related = False
        return field


class LichtmastAntwoordInline(admin.StackedInline):
    model = LichtmastAntwoord
    fields = ("verdict", "summary", "bevindingen_link")
    readonly_fields = ("bevindingen_link",)
    max_num = 1
    can_delete = False
    verbose_name = _("antwoord op de lichtmastvraag")
    verbose_name_plural = _("antwoord op de lichtmastvraag")

    @admin.display(description=_("bevindingen per aspect"))
    def bevindingen_link(self, obj):
        if not obj or not obj.pk:
            return _("Sla eerst het oordeel op; daarna voert u de bevindingen per aspect in.")
        url = reverse("admin:belemmeringen_lichtmastantwoord_change", args=[obj.pk])
        count = obj.bevindingen.count()
        return format_html(
            '<a href="{}">{}</a>',
            url,
            ngettext("%(count)d bevinding bekijken of bewerken", "%(count)d bevindingen bekijken of bewerken", count)
            % {"count": count},
        )


@admin.register(SessieBevindingen)
class SessieBevindingenAdmin(admin.ModelAdmin):
    """One page per session with all its obstacles and the lamp-post answer. Sessions themselves are
    created and edited in the regiosessies admin; here they are read-only."""

    list_display = ("title", "regio", "start", "aantal_belemmeringen", "aantal_concept", "lichtmast")
    list_select_related = ("regio", "lichtmast_antwoord")
    search_fields = ("title", "city", "regio__name")
    fields = ("title", "regio", "start", "city")
    readonly_fields = fields
    inlines = [BelemmeringInline, LichtmastAntwoordInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=sessions_for(request.user).values("pk"))
            .annotate(
                belemmeringen_count=Count("belemmeringen"),
                concept_count=Count("belemmeringen", filter=Q(belemmeringen__status=Belemmering.Status.CONCEPT)),
            )
        )

    @admin.display(description=_("belemmeringen"), ordering="belemmeringen_count")
    def aantal_belemmeringen(self, obj):
        return obj.belemmeringen_count

    @admin.display(description=_("waarvan concept"), ordering="concept_count")
    def aantal_concept(self, obj):
        return obj.concept_count

    @admin.display(description=_("lichtmastvraag"))
    def lichtmast(self, obj):
        antwoord = getattr(obj, "lichtmast_antwoord", None)
        return antwoord.get_verdict_display() if antwoord else _("nog niet ingevuld")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or can_manage_session(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or can_manage_session(request.user, obj))

    def save_model(self, request, obj, form, change):
        # Nothing of the session itself is editable here; only the inlines are saved.
        pass

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if instance.pk is None and hasattr(instance, "created_by_id") and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


# --- Reference data -----------------------------------------------------------------------------


class SubthemaInline(admin.TabularInline):
    model = Subthema
    fields = ("name", "name_en", "order")
    extra = 1


@admin.register(Thema)
class ThemaAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "aantal_subthemas")
    fields = ("name", "name_en", "slug", "description", "description_en", "order")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SubthemaInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(subthemas_count=Count("subthemas"))

    @admin.display(description=_("subthema's"))
    def aantal_subthemas(self, obj):
        return obj.subthemas_count

