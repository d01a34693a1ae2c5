"""The session admin's own pages: the attendance list, writing to the participants, the sent messages and
the cancel confirmation. Plain functions taking the model admin first; `regiosessies.admin` wires them up
(`get_urls`, actions). Who may see a session is the model admin's to say (`SessionScopedAdminMixin`), every
change goes through `regiosessies.services` or `core.mail`.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import mail
from core.admin_views import requeued_message
from core.models import OutboxMessage
from core.pdf import RenderError
from core.privacy import log_export
from regiosessies import emails, services
from regiosessies.attendance import attendance_filename, attendees, render_attendance_pdf
from regiosessies.forms import SessionMessageForm
from regiosessies.models import Aanmelding, Regiosessie

# The sent-messages page shows this many, newest first (a session has a few hundred at most).
SENT_MESSAGES_SHOWN = 500


def managed_session(model_admin, request, object_id) -> Regiosessie:
    """The session of the URL: a facilitator's own sessions, programme staff all; anything else reads as
    not there."""
    session = model_admin.get_object(request, unquote(object_id))
    if session is None or not model_admin.has_view_permission(request, session):
        raise Http404(_("Dit item bestaat niet of u heeft er geen toegang toe."))
    return session


# --- Cancelling a session ------------------------------------------------------------------------------


def cancel_sessions(model_admin, request, queryset):
    """The action: asks first (the confirmation page), then cancels through the service."""
    sessions = list(queryset.filter(cancelled=False))
    if not sessions:
        model_admin.message_user(request, _("De gekozen sessies zijn al geannuleerd."), messages.WARNING)
        return None
    if request.POST.get("confirm") != "yes":
        context = {
            **model_admin.admin_site.each_context(request),
            "title": _("Sessie annuleren"),
            "opts": model_admin.opts,
            "sessions": sessions,
            "action_name": "cancel_sessions",
            "selected_ids": [s.pk for s in sessions],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = model_admin.admin_site.name
        return TemplateResponse(request, "admin/regiosessies/regiosessie/cancel_confirmation.html", context)
    notified = 0
    for session in sessions:
        notified += services.cancel_session(session=session)
    model_admin.message_user(
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


# --- Attendance list -------------------------------------------------------------------------------------


def attendance_pdf(request, sessions: list[Regiosessie]) -> HttpResponse | None:
    """The attendance list of these sessions as a download; None when it failed (the user is told why)."""
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


def attendance_view(model_admin, request, object_id):
    session = managed_session(model_admin, request, object_id)
    change_url = reverse("admin:regiosessies_regiosessie_change", args=[session.pk])
    return attendance_pdf(request, [session]) or HttpResponseRedirect(change_url)


# --- Writing to the participants, and what was sent --------------------------------------------------


def _message_preview(aanmelding: Aanmelding | None, data: dict) -> dict | None:
    """Subject and text as the first recipient will get them (their language for the frame)."""
    if aanmelding is None:
        return None
    message = emails.preview_session_message(aanmelding, subject=data["subject"], body=data["body"])
    return {"recipient": aanmelding.name, "subject": message[0], "text": message[1]}


def message_view(model_admin, request, object_id):
    """Write, preview, then send (one email per recipient through the outbox)."""
    session = managed_session(model_admin, request, object_id)
    form = SessionMessageForm(request.POST or None)
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, "original": session}
    context.update(form=form, title=_("Deelnemers een bericht sturen"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recipients = session.aanmeldingen.message_recipients(data["audience"])
        if "confirm" in request.POST and recipients.exists():
            count = services.send_session_message(session=session, **data)
            model_admin.message_user(
                request,
                ngettext("Het bericht gaat naar %(count)d persoon.", "Het bericht gaat naar %(count)d personen.", count)
                % {"count": count},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:regiosessies_regiosessie_berichten", args=[session.pk]))
        context.update(preview=_message_preview(recipients.first(), data), recipient_count=recipients.count())
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/regiosessies/regiosessie/bericht.html", context)


def _resend_failed(model_admin, request, sent) -> HttpResponse:
    """The ticked messages that failed go back into the outbox."""
    failed = sent.filter(pk__in=request.POST.getlist("bericht"), status=OutboxMessage.Status.FAILED)
    count = mail.resend_all(failed)
    model_admin.message_user(request, requeued_message(count), messages.SUCCESS if count else messages.WARNING)
    return HttpResponseRedirect(request.path)


def sent_messages_view(model_admin, request, object_id):
    """Every email to this session's registrants, newest first; failed ones can be sent again."""
    session = managed_session(model_admin, request, object_id)
    sent = OutboxMessage.objects.filter(aanmelding__session=session)
    if request.method == "POST":
        return _resend_failed(model_admin, request, sent)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": session,
        "title": _("Verstuurde berichten"),
        "berichten": sent.select_related("aanmelding").order_by("-created", "-id")[:SENT_MESSAGES_SHOWN],
        "totals": dict(sent.values_list("status").annotate(n=Count("pk")).order_by()),
        "statuses": OutboxMessage.Status,
        "shown_max": SENT_MESSAGES_SHOWN,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/regiosessies/regiosessie/berichten.html", context)
