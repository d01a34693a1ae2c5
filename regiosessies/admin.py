"""Admin for regions, regional sessions and registrations.

The classes declare; who may see or do what is asked of `regiosessies.permissions` (through
`SessionScopedAdminMixin`, whose docstring has the rule), and every change to a seat goes through
`regiosessies.services`, so the admin can never oversell a session or skip an email.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportActionMixin

from core import mail
from core.exportforms import DutchExportForm
from core.models import OutboxMessage
from core.pdf import RenderError
from core.permissions import ProgrammateamOnlyMixin, is_programmateam
from core.privacy import log_export
from regiosessies import emails, services
from regiosessies.attendance import attendance_filename, attendees, render_attendance_pdf
from regiosessies.forms import SessionMessageForm
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


# The sent-messages page shows this many, newest first (a session has a few hundred at most).
SENT_MESSAGES_SHOWN = 500


def _message_preview(aanmelding: Aanmelding | None, data: dict) -> dict | None:
    """Subject and text as the first recipient will get them (their language for the frame)."""
    if aanmelding is None:
        return None
    message = emails.preview_session_message(aanmelding, subject=data["subject"], body=data["body"])
    return {"recipient": aanmelding.name, "subject": message[0], "text": message[1]}


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

    # -- Cancelling a session -----------------------------------------------------------------------

    def has_cancel_permission(self, request):
        return is_programmateam(request.user)

    @admin.action(description=_("Sessie annuleren (iedereen krijgt bericht)"), permissions=["cancel"])
    def cancel_sessions(self, request, queryset):
        sessions = list(queryset.filter(cancelled=False))
        if not sessions:
            self.message_user(request, _("De gekozen sessies zijn al geannuleerd."), messages.WARNING)
            return None
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Sessie annuleren"),
                "opts": self.opts,
                "sessions": sessions,
                "action_name": "cancel_sessions",
                "selected_ids": [s.pk for s in sessions],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/regiosessies/regiosessie/cancel_confirmation.html", context)
        notified = 0
        for session in sessions:
            notified += services.cancel_session(session=session)
        self.message_user(
            request,
            ngettext(
                "%(sessions)d sessie geannuleerd; %(people)d aangemelde personen krijgen bericht.",
                "%(sessions)d sessies geannuleerd; %(people)d aangemelde personen krijgen bericht.",
                len(sessions),
            )
            % {"sessions": len(sessions), "people": notified},
            messages.SUCCESS,
        )
        return None

    # -- Attendance list ------------------------------------------------------------------------------

    @admin.action(description=_("Presentielijst downloaden (PDF)"), permissions=["view"])
    def attendance_pdf(self, request, queryset):
        sessions = list(queryset.order_by("start"))
        return self._pdf_response(request, sessions)  # None when it failed: the changelist shows why

    @staticmethod
    def _pdf_response(request, sessions: list[Regiosessie]) -> HttpResponse | None:
        try:
            content = render_attendance_pdf(sessions=sessions)
        except RenderError as exc:
            messages.error(request, _("De presentielijst kon niet worden gemaakt. %(reason)s") % {"reason": exc})
            return None
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{attendance_filename(sessions)}"'
        # Names and organisations of the attendees: an export of personal data, so it is in the audit log.
        log_export(
            actor=request.user,
            what="Presentielijst (PDF): " + ", ".join(s.title for s in sessions),
            count=sum(len(attendees(s)) for s in sessions),
        )
        return response

    def attendance_view(self, request, object_id):
        session = self.get_object(request, unquote(object_id))
        if session is None or not self.has_view_permission(request, session):
            raise Http404(_("Dit item bestaat niet of u heeft er geen toegang toe."))
        change_url = reverse("admin:regiosessies_regiosessie_change", args=[session.pk])
        return self._pdf_response(request, [session]) or HttpResponseRedirect(change_url)

    # -- Writing to the participants, and what was sent ----------------------------------------------

    def _managed_session(self, request, object_id) -> Regiosessie:
        # A facilitator's own sessions, programme staff all; anything else reads as not there.
        session = self.get_object(request, unquote(object_id))
        if session is None or not self.has_view_permission(request, session):
            raise Http404(_("Dit item bestaat niet of u heeft er geen toegang toe."))
        return session

    def message_view(self, request, object_id):
        """Write, preview, then send (one email per recipient through the outbox)."""
        session = self._managed_session(request, object_id)
        form = SessionMessageForm(request.POST or None)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": session, "form": form}
        context["title"] = _("Deelnemers een bericht sturen")
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            recipients = session.aanmeldingen.message_recipients(data["audience"])
            if "confirm" in request.POST and recipients.exists():
                count = services.send_session_message(session=session, **data)
                self.message_user(
                    request,
                    ngettext(
                        "Het bericht gaat naar %(count)d persoon.", "Het bericht gaat naar %(count)d personen.", count
                    )
                    % {"count": count},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:regiosessies_regiosessie_berichten", args=[session.pk]))
            context.update(preview=_message_preview(recipients.first(), data), recipient_count=recipients.count())
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/regiosessies/regiosessie/bericht.html", context)

    def sent_messages_view(self, request, object_id):
        """Every email to this session's registrants, newest first; failed ones can be sent again."""
        session = self._managed_session(request, object_id)
        sent = OutboxMessage.objects.filter(aanmelding__session=session)
        if request.method == "POST":
            failed = sent.filter(pk__in=request.POST.getlist("bericht"), status=OutboxMessage.Status.FAILED)
            count = 0
            for outbox_message in failed:
                mail.resend(outbox_message)
                count += 1
            self.message_user(
                request,
                ngettext(
                    "%(count)d bericht opnieuw in de wachtrij gezet.",
                    "%(count)d berichten opnieuw in de wachtrij gezet.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS if count else messages.WARNING,
            )
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": session,
            "title": _("Verstuurde berichten"),
            "berichten": sent.select_related("aanmelding").order_by("-created", "-id")[:SENT_MESSAGES_SHOWN],
            "totals": dict(sent.values_list("status").annotate(n=Count("pk")).order_by()),
            "statuses": OutboxMessage.Status,
            "shown_max": SENT_MESSAGES_SHOWN,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/regiosessies/regiosessie/berichten.html", context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/presentielijst/",
                self.admin_site.admin_view(self.attendance_view),
                name="%s_%s_presentielijst" % info,
            ),
            path(
                "<path:object_id>/bericht/",
                self.admin_site.admin_view(self.message_view),
                name="%s_%s_bericht" % info,
            ),
            path(
                "<path:object_id>/berichten/",
                self.admin_site.admin_view(self.sent_messages_view),
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
