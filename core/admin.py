"""Admin for the email outbox, contact-form questions, bulk mailings and the audit log with its
data-subject page. Programme staff only: all hold personal data from every session; `core.permissions`
decides who is programme staff (ProgrammateamOnlyMixin)."""

from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import admin_views, mail, mailing, privacy, services
from core.models import AuditLog, ContactBericht, Mailing, MailingRecipient, OutboxMessage
from core.permissions import ProgrammateamOnlyMixin, ProgrammateamReadOnlyMixin


class ProgrammateamOnlyAdmin(ProgrammateamOnlyMixin, admin.ModelAdmin):
    # Messages and questions only arrive through the portal itself.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ProgrammateamOnlyAdmin):
    list_display = ["created", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "template"]
    search_fields = ["recipient", "subject"]
    date_hierarchy = "created"
    list_select_related = ["aanmelding"]
    readonly_fields = [
        "recipient",
        "reply_to",
        "subject",
        "template",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "aanmelding",
        "created",
        "body_text",
        "body_html",
        "attachments",
    ]
    fieldsets = [
        (None, {"fields": ["recipient", "reply_to", "subject", "template", "aanmelding", "created"]}),
        (_("Bezorging"), {"fields": ["status", "attempts", "last_error", "next_attempt_at", "claimed_at", "sent_at"]}),
        (_("Inhoud"), {"fields": ["body_text", "body_html", "attachments"], "classes": ["collapse"]}),
    ]
    actions = ["resend"]

    @admin.action(description=_("Opnieuw versturen"))
    def resend(self, request, queryset):
        self.message_user(request, admin_views.requeued_message(mail.resend_all(queryset)), messages.SUCCESS)


@admin.register(ContactBericht)
class ContactBerichtAdmin(ProgrammateamOnlyAdmin):
    list_display = ["created", "name", "email", "subject", "handled_at"]
    list_filter = [("handled_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "email", "subject", "message"]
    date_hierarchy = "created"
    readonly_fields = ["name", "email", "subject", "message", "created"]
    fields = ["name", "email", "subject", "message", "created", "handled_at"]
    actions = ["mark_handled"]

    @admin.action(description=_("Markeren als afgehandeld"))
    def mark_handled(self, request, queryset):
        count = services.mark_contact_handled(messages=queryset)
        self.message_user(
            request,
            ngettext("%(count)d bericht afgehandeld.", "%(count)d berichten afgehandeld.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Mailing)
class MailingAdmin(ProgrammateamOnlyAdmin):
    """Bulk mailings: progress per mailing, and retrying the rows that failed."""

    list_display = ["created", "kind", "key", "sent", "to_send", "failed"]
    list_filter = ["kind"]
    search_fields = ["key"]
    readonly_fields = ["kind", "key", "template", "render_with", "data", "created", "sent", "to_send", "failed"]
    fields = readonly_fields
    actions = ["retry_failed"]

    def get_queryset(self, request):
        return mailing.with_progress(super().get_queryset(request))

    @admin.display(description=_("verzonden"), ordering="sent_count")
    def sent(self, obj):
        return obj.sent_count

    @admin.display(description=_("nog te verzenden"), ordering="to_send_count")
    def to_send(self, obj):
        return obj.to_send_count

    @admin.display(description=_("mislukt"), ordering="failed_count")
    def failed(self, obj):
        return obj.failed_count

    @admin.action(description=_("Mislukte berichten opnieuw versturen"))
    def retry_failed(self, request, queryset):
        count = sum(mailing.retry_failed(m) for m in queryset)
        self.message_user(request, admin_views.requeued_message(count), messages.SUCCESS)


@admin.register(MailingRecipient)
class MailingRecipientAdmin(ProgrammateamOnlyAdmin):
    list_display = ["email", "mailing", "status", "attempts", "sent_at"]
    list_filter = ["status", "mailing"]
    search_fields = ["email"]
    list_select_related = ["mailing"]
    readonly_fields = [
        "mailing",
        "email",
        "language",
        "context",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "created",
    ]
    fields = readonly_fields


@admin.register(AuditLog)
class AuditLogAdmin(ProgrammateamReadOnlyMixin, admin.ModelAdmin):
    """Read-only log of exports and erasures, plus the page to handle a person's request (find, export
    or erase what is held about one address: `core.admin_views.subject_view`, the work is done in
    `core.privacy`)."""

    list_display = ["created", "actor_username", "action", "what", "record_count"]
    list_filter = ["action"]
    search_fields = ["actor_username", "what", "subject_hash"]
    date_hierarchy = "created"
    readonly_fields = ["created", "actor", "actor_username", "action", "what", "record_count", "subject_hash"]

    def get_urls(self):
        subject = self.admin_site.admin_view(partial(admin_views.subject_view, self))
        return [path("persoonsgegevens/", subject, name="core_auditlog_subject"), *super().get_urls()]

    def get_search_results(self, request, queryset, search_term):
        # Staff can search the log by the address itself; only its hash is stored.
        if "@" in search_term:
            return queryset.filter(subject_hash=privacy.subject_hash(search_term)), False
        return super().get_search_results(request, queryset, search_term)
