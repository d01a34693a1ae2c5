"""Admin for regions, regional sessions and registrations.

The classes declare; who may see or do what is asked of `regiosessies.permissions` (through
`SessionScopedAdminMixin`, whose docstring has the rule), and every change to a seat goes through
`regiosessies.services`, so the admin can never oversell a session or skip an email. The session's own
pages (attendance list, writing to the participants, sent messages, cancel confirmation) are functions in
`regiosessies.admin_views`; `get_urls` and the actions wire them up.
"""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportActionMixin

from core.exportforms import DutchExportForm
from core.permissions import ProgrammateamOnlyMixin, is_programmateam
from core.privacy import log_export
from regiosessies import admin_views, services
from regiosessies.models import Aanmelding, Regio, Regiosessie
from regiosessies.permissions import SessionScopedAdminMixin, facilitator_candidates, sessions_for
from regiosessies.resources import AanmeldingResource

# --- Filters -------------------------------------------------------------------------------------


class SessionFilter(admin.SimpleListFilter):
    """Filter by session, offering only the sessions this user may see: the one session filter, for
    every admin list of session-bound rows (`?session=<pk>`)."""

    title = _("regiosessie")
    parameter_name = "session"
    session_field = "session"

    def lookups(self, request, model_admin):
        return [(str(s.pk), str(s)) for s in sessions_for(request.user).order_by("start")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{f"{self.session_field}__pk": int(value)})


class RegioFilter(admin.SimpleListFilter):
    """Filter by region, offering only the regions of the sessions this user may see (a facilitator of
    one session sees one region, not all six)."""

    title = _("regio")
    parameter_name = "regio"
    #: Path from the listed model to its Regio.
    regio_field = "regio"

    def lookups(self, request, model_admin):
        regios = Regio.objects.filter(sessions__in=sessions_for(request.user).values("pk")).distinct()
        return [(str(r.pk), str(r)) for r in regios]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(**{f"{self.regio_field}__pk": int(value)})


# --- Regio -------------------------------------------------------------------------------------------


@admin.register(Regio)
class RegioAdmin(ProgrammateamOnlyMixin, admin.ModelAdmin):
    # Regions are programme-wide configuration: programme staff only.
    list_display = ["name", "order", "slug"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


# --- Regiosessie -----------------------------------------------------------------------------------


class RegiosessieAdminForm(forms.ModelForm):
    class Meta:
        model = Regiosessie
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "facilitators" in self.fields:
            self.fields["facilitators"].queryset = facilitator_candidates()

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            # The rule is the service's. It locks the session row until the admin's save commits
            # (validation and save share one transaction), so the count still holds in save_model.
            services.check_capacity(session=self.instance, capacity=capacity)
        return capacity


@admin.register(Regiosessie)
class RegiosessieAdmin(SessionScopedAdminMixin, admin.ModelAdmin):
    form = RegiosessieAdminForm
    session_field = ""
    list_display = [
        "title",
        "regio",
        "start",
        "city",
        "capacity",
        "confirmed_display",
        "fill_rate_display",
        "waitlist_display",
        "attended_display",
        "cancelled",
    ]
    list_display_links = ["title"]
    list_filter = [RegioFilter, "cancelled"]
    list_select_related = ["regio"]
    search_fields = ["title", "city", "venue_name", "regio__name"]
    date_hierarchy = "start"
    ordering = ["start"]
    filter_horizontal = ["facilitators"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["cancel_sessions", "attendance_pdf"]
    fieldsets = [
        (None, {"fields": ["regio", "title", "slug", "description"]}),
        # Shown on /en/; left empty, the English site shows the Dutch (core/translated.py).
        (_("Engelse tekst"), {"fields": ["title_en", "description_en"]}),
        (_("Tijd en plaats"), {"fields": ["start", "end", "venue_name", "address", "city"]}),
        (_("Aanmelding"), {"fields": ["capacity", "registration_opens", "registration_closes", "cancelled"]}),
        (_("Facilitatoren"), {"fields": ["facilitators"]}),
    ]
    # Cancelling emails everyone, so it only happens through the action, never by ticking a box.
    readonly_fields = ["cancelled"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    def save_model(self, request, obj, form, change):
        if not (change and "capacity" in form.changed_data):
            return super().save_model(request, obj, form, change)
        # The other fields first; the new capacity is the service's to write (lock, count, write), and
        # seats it adds go to the waiting list at once.
        capacity, obj.capacity = obj.capacity, form.initial["capacity"]
        super().save_model(request, obj, form, change)
        promoted = len(services.change_capacity(session=obj, capacity=capacity))
        if promoted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d persoon is van de wachtlijst geplaatst en krijgt bericht.",
                    "%(count)d personen zijn van de wachtlijst geplaatst en krijgen bericht.",
                    promoted,
                )
                % {"count": promoted},
                messages.SUCCESS,
            )
        return None

    @admin.display(description=_("bevestigd"), ordering="confirmed_count")
    def confirmed_display(self, obj):
        return obj.confirmed_count

    @admin.display(description=_("bezetting"), ordering="confirmed_count")
    def fill_rate_display(self, obj):
        if not obj.capacity:
            return "–"
        return f"{round(100 * obj.confirmed_count / obj.capacity)}%"

    @admin.display(description=_("wachtlijst"), ordering="waitlisted_count")
    def waitlist_display(self, obj):
        return obj.waitlisted_count

    @admin.display(description=_("aanwezig"), ordering="attended_count")
    def attended_display(self, obj):
        return obj.attended_count

    # -- Own pages and actions (regiosessies.admin_views) ---------------------------------------------

    def has_cancel_permission(self, request):
        return is_programmateam(request.user)

    @admin.action(description=_("Sessie annuleren (iedereen krijgt bericht)"), permissions=["cancel"])
    def cancel_sessions(self, request, queryset):
        return admin_views.cancel_sessions(self, request, queryset)

    @admin.action(description=_("Presentielijst downloaden (PDF)"), permissions=["view"])
    def attendance_pdf(self, request, queryset):
        # None when it failed: the changelist shows why.
        return admin_views.attendance_pdf(request, list(queryset.order_by("start")))

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/presentielijst/",
                self.admin_site.admin_view(partial(admin_views.attendance_view, self)),
                name="%s_%s_presentielijst" % info,
            ),
            path(
                "<path:object_id>/bericht/",
                self.admin_site.admin_view(partial(admin_views.message_view, self)),
                name="%s_%s_bericht" % info,
            ),
            path(
                "<path:object_id>/berichten/",
                self.admin_site.admin_view(partial(admin_views.sent_messages_view, self)),
                name="%s_%s_berichten" % info,
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        extra_context["attendance_url"] = reverse("admin:regiosessies_regiosessie_presentielijst", args=[object_id])
        extra_context["message_url"] = reverse("admin:regiosessies_regiosessie_bericht", args=[object_id])
        extra_context["sent_messages_url"] = reverse("admin:regiosessies_regiosessie_berichten", args=[object_id])
        extra_context["export_url"] = (
            reverse("admin:regiosessies_aanmelding_export") + f"?{SessionFilter.parameter_name}={unquote(object_id)}"
        )
        extra_context["registrations_url"] = (
            reverse("admin:regiosessies_aanmelding_changelist")
            + f"?{SessionFilter.parameter_name}={unquote(object_id)}"
        )
        return super().change_view(request, object_id, form_url, extra_context)


# --- Aanmelding ------------------------------------------------------------------------------------


@admin.register(Aanmelding)
class AanmeldingAdmin(ExportActionMixin, SessionScopedAdminMixin, admin.ModelAdmin):
    resource_classes = [AanmeldingResource]
    # A registration's public URL is the personal link (a secret): no "view on site" (issue 17).
    view_on_site = False
    export_template_name = "admin/import_export/export_nl.html"
    export_form_class = DutchExportForm
    list_display = [
        "name",
        "email",
        "organisation",
        "organisation_type",
        "session",
        "status",
        "attended",
        "created",
    ]
    list_filter = [SessionFilter, "status", "organisation_type", "attended"]
    list_select_related = ["session"]
    search_fields = ["name", "email", "organisation"]
    date_hierarchy = "created"
    ordering = ["-created"]
    actions = [
        "resend_confirmation",
        "mark_attended",
        "mark_not_attended",
        "cancel_registrations",
        "fill_from_waitlist",
    ]
    fieldsets = [
        (None, {"fields": ["session", "status", "waitlist_position_display", "attended"]}),
        (_("Deelnemer"), {"fields": ["name", "email", "organisation", "organisation_type", "role"]}),
        (_("Wensen"), {"fields": ["themes", "needs", "remarks"]}),
        (
            _("Toestemming en registratie"),
            {"fields": ["consent_at", "privacy_version", "token", "created", "updated", "anonymised_at"]},
        ),
    ]
    # Seats change only through the actions (services), never by editing the status or the session here.
    readonly_fields = [
        "session",
        "status",
        "waitlist_position_display",
        "consent_at",
        "privacy_version",
        "token",
        "created",
        "updated",
        "anonymised_at",
    ]
    filter_horizontal = ["themes"]

    def has_add_permission(self, request):
        # A registration is a person's own submission with consent: it only arrives through the public form.
        return False

    def has_delete_permission(self, request, obj=None):
        # Nothing a person submitted is ever lost: cancel instead; personal data goes by the retention rule.
        return False

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_valid_export_item_pks(self, request):
        # Rows picked in the changelist are checked against what this user may see, not the whole table.
        return self.get_queryset(request).values_list("pk", flat=True)

    def get_export_filename(self, request, queryset, file_format):
        return f"aanmeldingen.{file_format.get_extension()}"

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        log_export(actor=request.user, what=f"Aanmeldingen ({file_format.get_title()})", count=queryset.count())
        return data

    @admin.display(description=_("plaats op wachtlijst"))
    def waitlist_position_display(self, obj):
        position = obj.waitlist_position()
        return "–" if position is None else position

    def _report(self, request, message: str, count: int, level=messages.SUCCESS) -> None:
        self.message_user(request, message % {"count": count}, level)

    @admin.action(description=_("Bevestiging opnieuw sturen"), permissions=["change"])
    def resend_confirmation(self, request, queryset):
        active = queryset.exclude(status=Aanmelding.Status.CANCELLED)
        count = 0
        for aanmelding in active:
            services.resend_confirmation(aanmelding=aanmelding)
            count += 1
        self._report(
            request,
            ngettext(
                "De bevestiging wordt opnieuw verstuurd naar %(count)d persoon.",
                "De bevestiging wordt opnieuw verstuurd naar %(count)d personen.",
                count,
            ),
            count,
        )
        skipped = queryset.count() - count
        if skipped:
            self._report(
                request,
                ngettext(
                    "%(count)d geannuleerde aanmelding overgeslagen.",
                    "%(count)d geannuleerde aanmeldingen overgeslagen.",
                    skipped,
                ),
                skipped,
                messages.WARNING,
            )

    @admin.action(description=_("Markeren als aanwezig"), permissions=["change"])
    def mark_attended(self, request, queryset):
        count = services.mark_attended(aanmeldingen=queryset, attended=True)
        self._report(
            request,
            ngettext(
                "%(count)d aanmelding gemarkeerd als aanwezig.",
                "%(count)d aanmeldingen gemarkeerd als aanwezig.",
                count,
            ),
            count,
        )

    @admin.action(description=_("Markeren als niet aanwezig"), permissions=["change"])
    def mark_not_attended(self, request, queryset):
        count = services.mark_attended(aanmeldingen=queryset, attended=False)
        self._report(
            request,
            ngettext(
                "%(count)d aanmelding gemarkeerd als niet aanwezig.",
                "%(count)d aanmeldingen gemarkeerd als niet aanwezig.",
                count,
            ),
            count,
        )

    @admin.action(
        description=_("Aanmelding annuleren (de eerste op de wachtlijst schuift door)"), permissions=["change"]
    )
    def cancel_registrations(self, request, queryset):
        cancelled = promoted = 0
        for aanmelding in queryset.exclude(status=Aanmelding.Status.CANCELLED):
            if services.cancel_registration(aanmelding=aanmelding) is not None:
                promoted += 1
            cancelled += 1
        self._report(
            request,
            ngettext(
                "%(count)d aanmelding geannuleerd.",
                "%(count)d aanmeldingen geannuleerd.",
                cancelled,
            ),
            cancelled,
        )
        if promoted:
            self._report(
                request,
                ngettext(
                    "%(count)d persoon is van de wachtlijst geplaatst en krijgt bericht.",
                    "%(count)d personen zijn van de wachtlijst geplaatst en krijgen bericht.",
                    promoted,
                ),
                promoted,
            )

    @admin.action(description=_("Vrije plaatsen vullen vanaf de wachtlijst"), permissions=["change"])
    def fill_from_waitlist(self, request, queryset):
        session_ids = queryset.values("session")
        promoted = 0
        for session in Regiosessie.objects.filter(pk__in=session_ids):
            promoted += len(services.fill_from_waitlist(session=session))
        if promoted:
            self._report(
                request,
                ngettext(
                    "%(count)d persoon is van de wachtlijst geplaatst en krijgt bericht.",
                    "%(count)d personen zijn van de wachtlijst geplaatst en krijgen bericht.",
                    promoted,
                ),
                promoted,
            )
        else:
            self.message_user(
                request, _("Er is niemand geplaatst: geen vrije plaatsen of een lege wachtlijst."), messages.WARNING
            )
