"""The facilitators' admin: entering a session's findings, needs, lamp-post answers and reference data.

The classes declare. One rule, as everywhere (core.permissions): Django's model permissions, which the
role groups hold as core.permissions.ROLE_PERMISSIONS declares, decide which kinds of rows a role may
view, add or change at all; regiosessies.permissions decides which rows (`SessionScopedAdminMixin`:
the user's sessions; `ProgrammateamOnlyMixin`: programme staff). Both must say yes.

The admin's own pages (spreadsheet template, import confirm step, knelpunt merge/split/suggestions) live in
admin_views.py; `get_urls()` and a few thin hooks wire them in.
"""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localdate, localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm

from belemmeringen import admin_views, services
from belemmeringen.forms import (
    BelemmeringConfirmImportForm,
    BelemmeringForm,
    BelemmeringImportForm,
    BelemmeringInlineForm,
    KnelpuntForm,
    LichtmastAntwoordForm,
)
from belemmeringen.importlimits import ImportLimitError
from belemmeringen.models import (
    Behoefte,
    Belemmering,
    Knelpunt,
    LichtmastAntwoord,
    LichtmastBevinding,
    Niveau,
    SessieBevindingen,
    Subthema,
    Thema,
)
from belemmeringen.resources import BelemmeringResource
from belemmeringen.selectors import attendance_per_session, knelpunt_figures
from belemmeringen.spreadsheets import (
    CSVFormat,
    SpreadsheetError,
    XLSXFormat,
    export_belemmeringen,
)
from belemmeringen.uploads import SharedUploadStorage, owner_for
from core.permissions import ProgrammateamOnlyMixin, is_programmateam
from regiosessies.admin import RegioFilter, SessionFilter
from regiosessies.permissions import SessionScopedAdminMixin, restrict_to_sessions, sessions_for

# --- Mixins ------------------------------------------------------------------------------------


class CreatedByMixin:
    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# --- Filters ------------------------------------------------------------------------------------


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


class BelemmeringRegioFilter(RegioFilter):
    regio_field = "session__regio"


class KnelpuntFilter(admin.SimpleListFilter):
    """The programme team's to-do list: entries not yet grouped; or those of one knelpunt (?knelpunt=<pk>,
    linked from the knelpunt's page)."""

    title = _("knelpunt")
    parameter_name = "knelpunt"

    def lookups(self, request, model_admin):
        choices = [("geen", _("Nog niet gegroepeerd")), ("wel", _("Gegroepeerd"))]
        if (self.value() or "").isdigit():
            choices += [(k.pk, k.title) for k in Knelpunt.objects.filter(pk=self.value())]
        return choices

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value == "geen":
            return queryset.ungrouped()
        if value == "wel":
            return queryset.filter(knelpunt__isnull=False)
        if value.isdigit():
            return queryset.filter(knelpunt_id=int(value))
        return queryset


# --- Obstacles ----------------------------------------------------------------------------------


@admin.register(Belemmering)
class BelemmeringAdmin(SessionScopedAdminMixin, CreatedByMixin, ImportExportMixin, admin.ModelAdmin):
    form = BelemmeringForm
    # What fits the content column at 1280 px beside the navigation and the filters: the title with its
    # session's region below it, theme and sub-topic in one column; dimension and "herkend door" are on
    # the entry's page (dimension is also a filter). Eight columns hid everything from Subthema on.
    list_display = ("titel_regio", "status", "thema_subthema", "level")
    list_filter = (
        SessionFilter,
        BelemmeringRegioFilter,
        "thema",
        SubthemaFilter,
        "level",
        "dimension",
        "status",
    )
    search_fields = ("title", "description", "support_needed")
    list_select_related = ("session__regio", "thema", "subthema")
    # Newest first through the primary key index: sorting 100,000 rows by session start would not be.
    ordering = ("-pk",)

    class Media:
        css = {"all": ["css/admin-belemmeringen-lijst.css"]}

    # No second COUNT(*) over the whole table on every filtered page.
    show_full_result_count = False
    list_per_page = 50
    autocomplete_fields = ("behoeften",)
    readonly_fields = ("created_by", "created", "updated")
    actions = ("markeer_vastgesteld", "groepeer_nieuw", "voeg_toe_aan_knelpunt", "haal_uit_knelpunt")
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
    export_template_name = "admin/import_export/export_nl.html"
    # The upload waits for its confirm step in the shared cache, bound to the uploader (uploads.py).
    tmp_storage_class = SharedUploadStorage

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "subthema":
            kwargs["queryset"] = Subthema.objects.select_related("thema")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("titel en regio"), ordering="title")
    def titel_regio(self, obj):
        return format_html("{}<br><small>{}</small>", obj.title, obj.session.regio.name)

    @admin.display(description=_("thema / subthema"), ordering="thema__order")
    def thema_subthema(self, obj):
        if not obj.subthema_id:
            return obj.thema.name
        return format_html("{}<br><small>{}</small>", obj.thema.name, obj.subthema.name)

    #: The query parameter of the "status" list filter (Django's field filter: `<field>__exact`).
    status_filter_param = "status__exact"

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self._say_concept_is_not_in_report(request)
        return super().changelist_view(request, extra_context)

    def _say_concept_is_not_in_report(self, request) -> None:
        """A concept entry is left out of the report; say so where the facilitator sees their entries."""
        count = self.get_queryset(request).filter(status=Belemmering.Status.CONCEPT).count()
        if not count:
            return
        text = ngettext(
            "%(count)d belemmering staat nog op concept. Concept-belemmeringen komen pas in het rapport als "
            "u ze markeert als vastgesteld.",
            "%(count)d belemmeringen staan nog op concept. Concept-belemmeringen komen pas in het rapport als "
            "u ze markeert als vastgesteld.",
            count,
        ) % {"count": count}
        link = format_html('<a href="{}">{}</a>', concept_list_url(), _("Toon de concept-belemmeringen"))
        self.message_user(request, format_html("{} {}", text, link), messages.WARNING)

    # -- Grouping into knelpunten: programme staff only; facilitators see neither column nor actions.

    def has_group_permission(self, request) -> bool:
        return is_programmateam(request.user) and request.user.has_perm("belemmeringen.change_knelpunt")

    def get_list_display(self, request):
        if self.has_group_permission(request):
            return (*self.list_display, "knelpunt_link")
        return self.list_display

    def get_list_filter(self, request):
        if self.has_group_permission(request):
            return (KnelpuntFilter, *self.list_filter)
        return self.list_filter

    def get_list_select_related(self, request):
        if self.has_group_permission(request):
            return (*self.list_select_related, "knelpunt")
        return self.list_select_related

    @admin.display(description=_("knelpunt"), ordering="knelpunt__title")
    def knelpunt_link(self, obj):
        if obj.knelpunt_id is None:
            return _("nog niet gegroepeerd")
        url = reverse("admin:belemmeringen_knelpunt_change", args=[obj.knelpunt_id])
        return format_html('<a href="{}">{}</a>', url, obj.knelpunt.title)

    @admin.action(description=_("Groepeer tot nieuw knelpunt"), permissions=["group"])
    def groepeer_nieuw(self, request, queryset):
        knelpunt = services.create_knelpunt(belemmeringen=queryset, user=request.user)
        self.message_user(
            request,
            _("Knelpunt “%(title)s” gemaakt uit %(count)d belemmeringen. Controleer de titel en het niveau.")
            % {"title": knelpunt.title, "count": knelpunt.belemmeringen.count()},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:belemmeringen_knelpunt_change", args=[knelpunt.pk]))

    @admin.action(description=_("Voeg toe aan knelpunt…"), permissions=["group"])
    def voeg_toe_aan_knelpunt(self, request, queryset):
        return admin_views.add_to_knelpunt(self, request, queryset)

    @admin.action(description=_("Haal uit hun knelpunt"), permissions=["group"])
    def haal_uit_knelpunt(self, request, queryset):
        count = services.remove_from_knelpunten(belemmeringen=queryset, user=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d belemmering terug op de lijst om te groeperen.",
                "%(count)d belemmeringen terug op de lijst om te groeperen.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

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
                self.admin_site.admin_view(partial(admin_views.template_view, self)),
                name="belemmeringen_belemmering_sjabloon",
            )
        ]
        return custom + urls

    def has_import_permission(self, request):
        return self.has_add_permission(request) and sessions_for(request.user).exists()

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_form_initial(self, request):
        sessions = list(sessions_for(request.user)[:2])
        # A facilitator of one session need not choose it.
        return {"session": sessions[0].pk} if len(sessions) == 1 else {}

    def get_import_form_kwargs(self, request):
        return {**super().get_import_form_kwargs(request), "user": request.user, "owner": owner_for(request)}

    def import_action(self, request, **kwargs):
        return admin_views.keep_chosen_file(self, super().import_action(request, **kwargs))

    def write_to_tmp_storage(self, import_file, input_format):
        storage = SharedUploadStorage(owner=import_file.upload_owner, read_mode="rb")
        storage.save(b"".join(import_file.chunks()))
        return storage

    def add_data_read_fail_error_to_form(self, form, e):
        # Our readers say in Dutch what is wrong with the file (and which limit was reached).
        if isinstance(e, SpreadsheetError | ImportLimitError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                _("Dit bestand kon niet worden gelezen. Sla het op als Excel-werkmap (.xlsx) of als CSV UTF-8."),
            )

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        return admin_views.process_import(self, request, library_view=super().process_import, **kwargs)

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {**super().get_confirm_form_kwargs(request, import_form), "user": request.user}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["session"] = import_form.cleaned_data["session"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        session = None
        if form is not None and form.is_bound and form.is_valid():
            session = form.cleaned_data["session"]
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

    list_display = ("title", "support_type", "level", "session_count")
    list_filter = ("support_type", "level")
    search_fields = ("title", "description")
    fields = ("title", "support_type", "level", "description", "created_by")
    readonly_fields = ("created_by",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not (is_programmateam(request.user) or sessions_for(request.user).exists()):
            return queryset.none()
        # Meta.ordering is not applied to aggregated queries; keep the list (and autocomplete) by title.
        return queryset.annotate(session_count=Count("belemmeringen__session", distinct=True)).order_by("title")

    @admin.display(description=_("aantal sessies"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable_by(request.user))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable_by(request.user))

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
class LichtmastAntwoordAdmin(SessionScopedAdminMixin, CreatedByMixin, admin.ModelAdmin):
    form = LichtmastAntwoordForm
    list_display = ("session", "verdict", "aantal_bevindingen")
    list_filter = ("verdict", SessionFilter)
    list_select_related = ("session",)
    search_fields = ("summary", "session__title")
    fields = ("session", "verdict", "summary", "session_link", "created_by")
    readonly_fields = ("session_link", "created_by")
    inlines = [LichtmastBevindingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(bevindingen_count=Count("bevindingen"))

    def add_view(self, request, form_url="", extra_context=None):
        redirect = admin_views.redirect_to_existing_answer(self, request)
        return redirect or super().add_view(request, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        # The session of an existing answer is fixed: moving it would move its findings to another region.
        return (*self.readonly_fields, "session") if obj else self.readonly_fields

    @admin.display(description=_("bevindingen"), ordering="bevindingen_count")
    def aantal_bevindingen(self, obj):
        return obj.bevindingen_count

    @admin.display(description=_("alle bevindingen van deze sessie"))
    def session_link(self, obj):
        if not obj or not obj.session_id:
            return "–"
        url = reverse("admin:belemmeringen_sessiebevindingen_change", args=[obj.session_id])
        return format_html('<a href="{}">{}</a>', url, _("Naar de belemmeringen van deze sessie"))


# --- Findings per session (the facilitators' entry page) ----------------------------------------


def concept_list_url(*, session_id: int | None = None) -> str:
    """The obstacle list filtered to concept entries (of one session): where to mark them vastgesteld."""
    query = f"?{BelemmeringAdmin.status_filter_param}={Belemmering.Status.CONCEPT}"
    if session_id is not None:
        query += f"&{SessionFilter.parameter_name}={session_id}"
    return reverse("admin:belemmeringen_belemmering_changelist") + query


class BelemmeringInline(admin.StackedInline):
    model = Belemmering
    form = BelemmeringInlineForm
    # Stacked, two lines per obstacle: eight fields side by side needed 1,340 px and hid "Behoeften" and
    # "Status" behind a scroll bar; every field keeps its own label this way. Description and support
    # needed are edited on the obstacle's own page (the "Wijzigen" link in each header).
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("title", "thema", "subthema"),
                    ("level", "dimension", "recognised_by", "status"),
                    "behoeften",
                )
            },
        ),
    )
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
class SessieBevindingenAdmin(SessionScopedAdminMixin, admin.ModelAdmin):
    """One page per session with all its obstacles and the lamp-post answer. Sessions themselves are
    created and edited in the regiosessies admin; here they are read-only.

    Its templates (templates/admin/belemmeringen/sessiebevindingen/) say that concept entries stay out
    of the report until they are marked vastgesteld, and link the session's report."""

    list_display = ("title", "regio", "start", "aantal_belemmeringen", "aantal_concept", "lichtmast")
    list_select_related = ("regio", "lichtmast_antwoord")
    search_fields = ("title", "city", "regio__name")
    fields = ("title", "regio", "start", "city")
    readonly_fields = fields
    inlines = [BelemmeringInline, LichtmastAntwoordInline]
    session_field = ""  # the row is a session

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
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
        # The count leads to those entries, where they are marked vastgesteld.
        if not obj.concept_count:
            return 0
        return format_html('<a href="{}">{}</a>', concept_list_url(session_id=obj.pk), obj.concept_count)

    @admin.display(description=_("lichtmastvraag"))
    def lichtmast(self, obj):
        antwoord = getattr(obj, "lichtmast_antwoord", None)
        return antwoord.get_verdict_display() if antwoord else _("nog niet ingevuld")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        session = self.get_object(request, unquote(object_id)) if object_id else None
        if session is not None:
            extra_context = {
                **(extra_context or {}),
                "concept_count": session.belemmeringen.filter(status=Belemmering.Status.CONCEPT).count(),
                "concept_url": concept_list_url(session_id=session.pk),
                "report_url": reverse("rapportage:session_pdf", kwargs={"slug": session.slug}),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "concept_url": concept_list_url()}
        return super().changelist_view(request, extra_context)

    def response_change(self, request, obj):
        # The default message names the model ("De bevindingen per sessie … is met succes gewijzigd"),
        # which reads wrongly for this plural name; this page saves a session's findings.
        self.message_user(
            request, _("De bevindingen van “%(sessie)s” zijn opgeslagen.") % {"sessie": obj}, messages.SUCCESS
        )
        if "_continue" in request.POST:
            preserved = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
            return HttpResponseRedirect(add_preserved_filters(preserved, request.path))
        return self.response_post_save_change(request, obj)

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


# --- Knelpunten: grouping entries across sessions (programme staff only) -------------------------


@admin.register(Knelpunt)
class KnelpuntAdmin(ProgrammateamOnlyMixin, admin.ModelAdmin):
    form = KnelpuntForm
    # Narrow enough to fit beside the filters at 1280 px; the regions are on the knelpunt's own page.
    list_display = ("title", "thema", "niveau", "priority", "session_count", "status")
    list_filter = ("thema", "level", "priority", "status")
    search_fields = ("title", "description")
    list_select_related = ("thema",)
    list_per_page = 50
    autocomplete_fields = ("behoeften",)
    readonly_fields = (
        "ingebracht",
        "belemmeringen_tabel",
        "opvolging_geschiedenis",
        "created_by",
        "created",
        "updated",
    )
    actions = ("samenvoegen",)

    class Media:
        css = {"all": ["css/admin-knelpunten.css"]}
        js = ["js/admin-knelpunten.js"]

    fieldsets = (
        (None, {"fields": ("title", "description", ("thema", "subthema"))}),
        (_("Besluit van het programmateam"), {"fields": ("level", "priority", "behoeften")}),
        (_("Wat de sessies zeiden"), {"fields": ("ingebracht", "belemmeringen_tabel")}),
        (_("Opvolging"), {"fields": ("status", "status_explanation", "opvolging_geschiedenis")}),
        (_("Herkomst"), {"fields": ("created_by", "created", "updated"), "classes": ("collapse",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_entry_counts()

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # nothing was said about a knelpunt that does not exist yet
            return [fs for fs in self.fieldsets if fs[0] not in (_("Wat de sessies zeiden"), _("Herkomst"))]
        return self.fieldsets

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "subthema":
            kwargs["queryset"] = Subthema.objects.select_related("thema")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("niveau"), ordering="level")
    def niveau(self, obj):
        return obj.get_level_display()

    @admin.display(description=_("sessies"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count

    @admin.display(description=_("samengevat"))
    def ingebracht(self, obj):
        figures = knelpunt_figures([obj])[obj.pk]
        if not figures.entries:
            return _("Nog geen vastgestelde belemmeringen.")
        levels = ", ".join(
            f"{Niveau(level).label.lower()} {count}×" for level, count in figures.levels_given.most_common()
        )
        return format_html(
            "{}<br>{}<br>{}",
            ngettext(
                "Ingebracht in %(sessions)d sessie: %(regions)s.",
                "Ingebracht in %(sessions)d sessies: %(regions)s.",
                figures.session_count,
            )
            % {"sessions": figures.session_count, "regions": ", ".join(figures.regions)},
            figures.recognition_label().capitalize() + ".",
            _("Niveau volgens de sessies: %(given)s; besloten: %(decided)s.")
            % {"given": levels, "decided": obj.get_level_display().lower()},
        )

    @admin.display(description=_("belemmeringen per sessie"))
    def belemmeringen_tabel(self, obj):
        entries = list(obj.belemmeringen.select_related("session__regio").order_by("session__start", "pk"))
        if not entries:
            return _("Geen belemmeringen gekoppeld.")
        attended = attendance_per_session(b.session_id for b in entries)
        return render_to_string(
            "admin/belemmeringen/knelpunt_entries.html",
            {"rows": [(b, attended.get(b.session_id)) for b in entries], "knelpunt": obj},
        )

    @admin.display(description=_("eerdere opvolging"))
    def opvolging_geschiedenis(self, obj):
        steps = list(obj.statuswijzigingen.select_related("changed_by"))
        if not steps:
            return _("Nog niet gewijzigd.")
        return format_html_join(
            "",
            "<p>{}: {} → {}. {}</p>",
            (
                (
                    date_format(localtime(s.changed_at), "SHORT_DATETIME_FORMAT"),
                    s.get_old_status_display() or "–",
                    s.get_new_status_display(),
                    s.explanation,
                )
                for s in steps
            ),
        )

    def save_model(self, request, obj, form, change):
        # The follow-up is written only through change_knelpunt_status, which keeps its history.
        services.save_knelpunt(knelpunt=obj, user=request.user, created=not change)

    # -- Merge (action and page), split, suggestions --------------------------------------------

    @admin.action(description=_("Twee knelpunten samenvoegen…"), permissions=["change"])
    def samenvoegen(self, request, queryset):
        chosen = sorted(queryset, key=lambda k: (-k.entry_count, k.pk))
        if len(chosen) != 2:
            self.message_user(request, _("Kies precies twee knelpunten om samen te voegen."), messages.WARNING)
            return None
        url = reverse("admin:belemmeringen_knelpunt_samenvoegen", args=[chosen[0].pk])
        return HttpResponseRedirect(f"{url}?met={chosen[1].pk}")

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(partial(function, self))

        return [
            path("suggesties/", view(admin_views.suggestions_view), name="belemmeringen_knelpunt_suggesties"),
            path("<int:pk>/splitsen/", view(admin_views.split_view), name="belemmeringen_knelpunt_splitsen"),
            path("<int:pk>/samenvoegen/", view(admin_views.merge_view), name="belemmeringen_knelpunt_samenvoegen"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra = {
            "ungrouped": Belemmering.objects.ungrouped().count(),
            "todo_url": reverse("admin:belemmeringen_belemmering_changelist") + "?knelpunt=geen",
        }
        return super().changelist_view(request, {**extra, **(extra_context or {})})
