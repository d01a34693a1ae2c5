"""Personal data: keeping it no longer than needed, and the rights of the person it is about.

- Retention: `purge_personal_data` anonymises registrations `PERSONAL_DATA_RETENTION_DAYS` after their
  session ended and deletes old handled contact messages and sent emails. The report's figures
  (organisation type, attended, status, session) survive; nothing that identifies a person does.
  Someone who asked for the results ("Stuur mij de resultaten") keeps only the address, language and
  session past that point, until `RESULTS_FOLLOWUP_UNTIL`; the day after, that goes too.
- Data-subject rights: programme staff find everything held about an email address, export it as
  JSON, or erase it (admin page "Persoonsgegevens opvragen of wissen", see `AuditLogAdmin`).
- Accountability: every export of personal data and every erasure is written to `AuditLog` (who,
  when, what, how many records). Other exports (registration lists, attendance lists) call
  `log_export` to do the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core.models import AuditLog, ContactBericht, MailingRecipient, OutboxMessage
from core.permissions import ProgrammateamReadOnlyMixin, is_programmateam
from regiosessies.models import Aanmelding

# --- Services -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeResult:
    registrations_anonymised: int
    contact_messages_deleted: int
    emails_deleted: int
    #: Kept for the results email: everything but address, language and session blanked.
    registrations_reduced: int = 0
    bulk_emails_deleted: int = 0


@dataclass(frozen=True)
class ErasureResult:
    registrations_cancelled: int
    registrations_anonymised: int
    contact_messages_deleted: int
    emails_deleted: int

    @property
    def total(self) -> int:
        return self.registrations_anonymised + self.contact_messages_deleted + self.emails_deleted


def subject_hash(email: str) -> str:
    """A keyed hash of the address: the log can later answer "did you erase x@y?" without keeping it."""
    return salted_hmac("core.privacy.subject", email.strip().lower()).hexdigest()


def log_export(
    *, actor, what: str, count: int, subject_email: str = "", action: str = AuditLog.Action.EXPORT
) -> AuditLog:
    """Record that `actor` exported (or viewed, or erased) personal data. Call it for every export
    of personal data: `what` says which data and in which form, `count` how many records."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        what=what[:300],
        record_count=count,
        subject_hash=subject_hash(subject_email) if subject_email else "",
    )


def _anonymise(registrations: QuerySet[Aanmelding], *, now: datetime) -> int:
    """Blank everything that identifies the person; keep what the report counts.

    The personal link is replaced by a value that is not secret, but the link page shows only
    registrations that are not anonymised, so it leads nowhere.
    """
    ids = list(registrations.filter(anonymised_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return 0
    Aanmelding.objects.filter(pk__in=ids).update(
        name="",
        email="",
        organisation="",
        role="",
        needs="",
        remarks="",
        token=Concat(Value("geanonimiseerd-"), Cast(F("pk"), output_field=CharField())),
        anonymised_at=now,
        updated=now,
    )
    _scrub_admin_log(Aanmelding, ids)
    return len(ids)


def _scrub_admin_log(model, ids) -> None:
    # The admin's history keeps each object's name as it was ("Anna de Vries – Regiosessie Noord").
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
    ).update(object_repr=str(_("(geanonimiseerd)")), change_message="")


def _reduce_to_address(registrations: QuerySet[Aanmelding], *, now: datetime) -> int:
    """Past the normal retention, a registration kept only for the results email keeps its address,
    language and session (which region's results to send), and its personal link (to switch it off);
    everything else that identifies the person goes."""
    reduced = registrations.exclude(name="", organisation="", role="", needs="", remarks="")
    ids = list(reduced.values_list("pk", flat=True))
    Aanmelding.objects.filter(pk__in=ids).update(name="", organisation="", role="", needs="", remarks="", updated=now)
    _scrub_admin_log(Aanmelding, ids)
    return len(ids)


def _delete_bulk_emails_of(emails: set[str]) -> int:
    """Bulk-mail rows of addresses no registration holds any more."""
    live = set(Aanmelding.objects.filter(email__in=emails, anonymised_at__isnull=True).values_list("email", flat=True))
    deleted, _per_model = MailingRecipient.objects.filter(email__in=emails - live).delete()
    return deleted


def retention_cutoff(*, days: int, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=days)


def purge_personal_data(*, days: int | None = None, dry_run: bool = False, now: datetime | None = None) -> PurgeResult:
    """Anonymise registrations whose session ended more than `days` days ago, delete contact
    messages handled that long ago (or never handled and older than CONTACT_MESSAGE_MAX_DAYS) and
    emails sent that long ago (and every email to a registration being anonymised). With `dry_run`,
    count only."""
    now = now or timezone.now()
    cutoff = retention_cutoff(days=days if days is not None else settings.PERSONAL_DATA_RETENTION_DAYS, now=now)
    registrations = Aanmelding.objects.filter(session__end__lt=cutoff, anonymised_at__isnull=True)
    kept_for_results = registrations.none()
    if timezone.localdate(now) <= settings.RESULTS_FOLLOWUP_UNTIL:
        kept_for_results = registrations.filter(results_consent=True)
        registrations = registrations.exclude(results_consent=True)
    # Handled messages go after the retention period; a message nobody marked as handled does not
    # stay forever either: it goes CONTACT_MESSAGE_MAX_DAYS after it came in.
    contact = ContactBericht.objects.filter(
        Q(handled_at__isnull=False, handled_at__lt=cutoff)
        | Q(handled_at__isnull=True, created__lt=retention_cutoff(days=settings.CONTACT_MESSAGE_MAX_DAYS, now=now))
    )
    emails = OutboxMessage.objects.filter(
        Q(aanmelding__in=registrations)
        | Q(aanmelding__in=kept_for_results)
        | Q(status=OutboxMessage.Status.SENT, sent_at__lt=cutoff)
    )
    if dry_run:
        return PurgeResult(
            registrations.count(), contact.count(), emails.count(), kept_for_results.exclude(name="").count()
        )
    with transaction.atomic():
        # Emails first: they are found through the registrations that are about to lose their data.
        email_ids = list(emails.values_list("pk", flat=True))
        emails_deleted, _per_model = OutboxMessage.objects.filter(pk__in=email_ids).delete()
        addresses = set(registrations.values_list("email", flat=True))
        anonymised = _anonymise(registrations, now=now)
        reduced = _reduce_to_address(kept_for_results, now=now)
        bulk_deleted = _delete_bulk_emails_of(addresses)
        contact_ids = list(contact.values_list("pk", flat=True))
        contact_deleted, _per_model = ContactBericht.objects.filter(pk__in=contact_ids).delete()
        _scrub_admin_log(ContactBericht, contact_ids)
    return PurgeResult(anonymised, contact_deleted, emails_deleted, reduced, bulk_deleted)


@dataclass(frozen=True)
class SubjectData:
    registrations: list[Aanmelding]
    contact_messages: list[ContactBericht]
    emails: list[OutboxMessage]
    #: Rows of bulk mailings (the results email, follow-up digests) to the address.
    bulk_emails: list[MailingRecipient] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.registrations) + len(self.contact_messages) + len(self.emails) + len(self.bulk_emails)


def find_personal_data(*, email: str) -> SubjectData:
    """Everything held about the person with this address (case-insensitive)."""
    email = email.strip()
    registrations = list(
        Aanmelding.objects.filter(email__iexact=email, anonymised_at__isnull=True)
        .select_related("session", "session__regio")
        .prefetch_related("themes")
        .order_by("created")
    )
    return SubjectData(
        registrations=registrations,
        contact_messages=list(ContactBericht.objects.filter(email__iexact=email).order_by("created")),
        emails=list(
            OutboxMessage.objects.filter(Q(recipient__iexact=email) | Q(aanmelding__in=registrations)).order_by(
                "created"
            )
        ),
        bulk_emails=list(
            MailingRecipient.objects.filter(email__iexact=email).select_related("mailing").order_by("created")
        ),
    )


def subject_export(data: SubjectData, *, email: str, now: datetime | None = None) -> dict:
    """The export as a plain structure (what `export_personal_data` writes as JSON)."""
    return {
        "email": email,
        "exported_at": (now or timezone.now()).isoformat(),
        "registrations": [
            {
                "session": a.session.title,
                "session_city": a.session.city,
                "session_start": a.session.start.isoformat(),
                "name": a.name,
                "email": a.email,
                "organisation": a.organisation,
                "organisation_type": a.organisation_type,
                "role": a.role,
                "themes": [t.name for t in a.themes.all()],
                "needs": a.needs,
                "remarks": a.remarks,
                "status": a.status,
                "attended": a.attended,
                "consent_at": a.consent_at.isoformat(),
                "results_consent": a.results_consent,
                "results_consent_at": a.results_consent_at.isoformat() if a.results_consent_at else None,
                "privacy_version": a.privacy_version,
                "created": a.created.isoformat(),
                "updated": a.updated.isoformat(),
            }
            for a in data.registrations
        ],
        "contact_messages": [
            {
                "name": c.name,
                "email": c.email,
                "subject": c.subject,
                "message": c.message,
                "created": c.created.isoformat(),
                "handled_at": c.handled_at.isoformat() if c.handled_at else None,
            }
            for c in data.contact_messages
        ],
        "emails": [
            {
                "recipient": m.recipient,
                "subject": m.subject,
                "body_text": m.body_text,
                "status": m.status,
                "created": m.created.isoformat(),
                "sent_at": m.sent_at.isoformat() if m.sent_at else None,
            }
            for m in data.emails
        ],
        "bulk_emails": [
            {
                "mailing": str(r.mailing),
                "email": r.email,
                "language": r.language,
                "status": r.status,
                "created": r.created.isoformat(),
                "sent_at": r.sent_at.isoformat() if r.sent_at else None,
            }
            for r in data.bulk_emails
        ],
    }


def export_personal_data(*, email: str, actor) -> dict:
    """Everything held about `email`, as a JSON-ready dict; the export is logged."""
    with transaction.atomic():
        data = find_personal_data(email=email)
        log_export(
            actor=actor, what=str(_("Inzageverzoek: alle gegevens (JSON)")), count=data.count, subject_email=email
        )
    return subject_export(data, email=email)


def erase_personal_data(*, email: str, actor) -> ErasureResult:
    """Erase what is held about `email`: a seat still held for a coming session is first given back
    (the waiting list moves up), then the registrations are anonymised so the report's counts stay
    right; contact messages and emails are deleted. The erasure is logged."""
    from regiosessies.services import cancel_registration

    now = timezone.now()
    data = find_personal_data(email=email)
    cancelled = 0
    for aanmelding in data.registrations:
        if aanmelding.status != Aanmelding.Status.CANCELLED and aanmelding.session.end > now:
            cancel_registration(aanmelding=aanmelding)
            cancelled += 1
    with transaction.atomic():
        registration_ids = [a.pk for a in data.registrations]
        # Includes the cancellation email just queued: someone who asked to be erased gets no more mail.
        emails_deleted, _per_model = OutboxMessage.objects.filter(
            Q(recipient__iexact=email.strip()) | Q(aanmelding_id__in=registration_ids)
        ).delete()
        bulk_deleted, _per_model = MailingRecipient.objects.filter(email__iexact=email.strip()).delete()
        emails_deleted += bulk_deleted
        anonymised = _anonymise(Aanmelding.objects.filter(pk__in=registration_ids), now=now)
        contact_ids = [c.pk for c in data.contact_messages]
        contact_deleted, _per_model = ContactBericht.objects.filter(pk__in=contact_ids).delete()
        _scrub_admin_log(ContactBericht, contact_ids)
        result = ErasureResult(cancelled, anonymised, contact_deleted, emails_deleted)
        log_export(
            actor=actor,
            action=AuditLog.Action.ERASE,
            what=str(_("Verzoek om verwijdering: aanmeldingen geanonimiseerd, berichten en e-mails gewist")),
            count=result.total,
            subject_email=email,
        )
    return result


# --- Admin: the log and the data-subject page ---------------------------------------------------


class SubjectSearchForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres van de betrokkene"),
        max_length=254,
        error_messages={
            "required": _("Vul het e-mailadres in waarover het verzoek gaat."),
            "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
        },
    )


class SubjectEraseForm(SubjectSearchForm):
    confirm = forms.BooleanField(
        label=_("Ik heb gecontroleerd dat dit verzoek van de betrokkene zelf komt, en wis de gegevens definitief."),
        error_messages={
            "required": _("Vink aan dat u het verzoek hebt gecontroleerd; wissen kan niet ongedaan worden gemaakt.")
        },
    )


class AuditLogAdmin(ProgrammateamReadOnlyMixin, admin.ModelAdmin):
    """Read-only log of exports and erasures, plus the page to handle a person's request."""

    list_display = ["created", "actor_username", "action", "what", "record_count"]
    list_filter = ["action"]
    search_fields = ["actor_username", "what", "subject_hash"]
    date_hierarchy = "created"
    readonly_fields = ["created", "actor", "actor_username", "action", "what", "record_count", "subject_hash"]

    def get_urls(self):
        subject = self.admin_site.admin_view(self.subject_view)
        return [path("persoonsgegevens/", subject, name="core_auditlog_subject"), *super().get_urls()]

    def get_search_results(self, request, queryset, search_term):
        # Staff can search the log by the address itself; only its hash is stored.
        if "@" in search_term:
            return queryset.filter(subject_hash=subject_hash(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    @method_decorator(never_cache)
    @method_decorator(sensitive_post_parameters("email"))
    def subject_view(self, request: HttpRequest) -> HttpResponse:
        if not is_programmateam(request.user):
            raise PermissionDenied
        action = request.POST.get("action", "") if request.method == "POST" else ""
        search_form = SubjectSearchForm(request.POST if action in {"search", "export"} else None)
        erase_form = SubjectEraseForm(request.POST if action == "erase" else None)
        data = None
        email = ""

        if action == "export" and search_form.is_valid():
            email = search_form.cleaned_data["email"]
            payload = export_personal_data(email=email, actor=request.user)
            response = HttpResponse(
                json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = 'attachment; filename="persoonsgegevens.json"'
            response["Cache-Control"] = "private, no-store"
            return response
        if action == "erase":
            if erase_form.is_valid():
                email = erase_form.cleaned_data["email"]
                result = erase_personal_data(email=email, actor=request.user)
                messages.success(
                    request,
                    _(
                        "Gewist: %(registrations)d aanmelding(en) geanonimiseerd (waarvan %(cancelled)d plaats(en) "
                        "vrijgegeven), %(contact)d contactbericht(en) en %(emails)d e-mail(s) verwijderd."
                    )
                    % {
                        "registrations": result.registrations_anonymised,
                        "cancelled": result.registrations_cancelled,
                        "contact": result.contact_messages_deleted,
                        "emails": result.emails_deleted,
                    },
                )
                return redirect(reverse("admin:core_auditlog_subject"))
            email = request.POST.get("email", "")
            search_form = SubjectSearchForm({"email": email})
        if search_form.is_bound and search_form.is_valid():
            email = search_form.cleaned_data["email"]
            data = find_personal_data(email=email)
            log_export(
                actor=request.user,
                action=AuditLog.Action.VIEW,
                what=str(_("Inzageverzoek: gegevens bekeken")),
                count=data.count,
                subject_email=email,
            )
            if action != "erase":
                erase_form = SubjectEraseForm(initial={"email": email})

        forms_with_errors = [f for f in (search_form, erase_form) if f.is_bound and f.errors]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Persoonsgegevens opvragen of wissen"),
            "opts": self.model._meta,
            "search_form": search_form,
            "erase_form": erase_form,
            "error_forms": forms_with_errors,
            "data": data,
            "email": email,
        }
        return TemplateResponse(request, "admin/core/auditlog/subject.html", context)


admin.site.register(AuditLog, AuditLogAdmin)
