"""Site-wide records: the email outbox, the questions sent through the contact form, and the audit log
of who exported, viewed or erased personal data (written by `core.privacy`).

Every email the portal sends is first written to the outbox in the same transaction as the change
that causes it, so a mail server that is down, or a task queue that is lost, never loses a message:
`core.mail` delivers it after commit and `manage.py send_outbox` retries whatever is left.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessageQuerySet(models.QuerySet):
    def due(self, now) -> OutboxMessageQuerySet:
        """Waiting or failed messages whose back-off has passed, plus deliveries that never finished.

        A message stays `sending` only when a worker died mid-delivery; after ten minutes it is due again.
        """
        return self.filter(
            models.Q(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED])
            & (models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now))
            | models.Q(status=OutboxMessage.Status.SENDING, claimed_at__lte=now - timedelta(minutes=10))
        )


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op verzending")
        SENDING = "sending", _("wordt verzonden")
        SENT = "sent", _("verzonden")
        FAILED = "failed", _("mislukt, wordt opnieuw geprobeerd")

    recipient = models.EmailField(_("ontvanger"), max_length=254)
    reply_to = models.EmailField(_("antwoorden aan"), max_length=254, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=300, blank=True)
    body_text = models.TextField(_("tekst"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    attachments = models.JSONField(
        _("bijlagen"),
        default=list,
        blank=True,
        help_text=_("Lijst van bijlagen als tekst: bestandsnaam, inhoud en MIME-type."),
    )
    template = models.CharField(_("soort bericht"), max_length=100, blank=True, db_index=True)
    language = models.CharField(
        _("taal"), max_length=10, blank=True, help_text=_("Taal waarin het bericht wordt opgesteld.")
    )
    render_with = models.CharField(
        _("opgemaakt door"),
        max_length=200,
        blank=True,
        help_text=_("Functie die de inhoud opmaakt als het bericht pas na de transactie wordt opgemaakt."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(_("aantal pogingen"), default=0)
    last_error = models.TextField(_("laatste foutmelding"), blank=True)
    next_attempt_at = models.DateTimeField(_("volgende poging na"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("verzending gestart op"), null=True, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    aanmelding = models.ForeignKey(
        "regiosessies.Aanmelding",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="berichten",
        verbose_name=_("aanmelding"),
    )
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True, db_index=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"


class ContactBericht(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"), max_length=254)
    subject = models.CharField(_("onderwerp"), max_length=200)
    message = models.TextField(_("bericht"), max_length=5000)
    created = models.DateTimeField(_("ontvangen op"), auto_now_add=True, db_index=True)
    handled_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)

    class Meta:
        verbose_name = _("contactbericht")
        verbose_name_plural = _("contactberichten")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.name})"


class AuditLog(models.Model):
    """Who exported, viewed or erased personal data, when, and how many records. The person concerned
    is kept only as a keyed hash (`core.privacy.subject_hash`), never as an address."""

    class Action(models.TextChoices):
        EXPORT = "export", _("export")
        VIEW = "view", _("inzage")
        ERASE = "erase", _("verwijdering")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("medewerker"),
    )
    # Kept as text too, so the log still says who it was after the account is deleted.
    actor_username = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    action = models.CharField(_("handeling"), max_length=20, choices=Action.choices, db_index=True)
    what = models.CharField(_("wat"), max_length=300)
    record_count = models.PositiveIntegerField(_("aantal records"), default=0)
    subject_hash = models.CharField(_("betrokkene (hash van e-mailadres)"), max_length=128, blank=True, db_index=True)
    created = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor_username}: {self.what}"


class Mailing(models.Model):
    """One bulk message to many addresses (the results email of a publication, one follow-up digest).

    `kind` + `key` name it (e.g. "resultaten" / "publicatie-3"); creating it twice returns the same
    mailing. Each address gets one `MailingRecipient` row, which the task worker claims, sends and marks
    (`core.mailing`). What the message says is rendered per recipient, in the recipient's
    language, by the function named in `render_with` (the app that owns the content), from the template
    triple `templates/emails/<template>_*`.
    """

    kind = models.CharField(_("soort"), max_length=40)
    key = models.CharField(_("sleutel"), max_length=100)
    template = models.CharField(_("sjabloon"), max_length=100)
    render_with = models.CharField(
        _("opgemaakt door"), max_length=200, help_text=_("Functie die per ontvanger de inhoud en kopregels opmaakt.")
    )
    data = models.JSONField(_("gegevens"), default=dict, blank=True)
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("verzending")
        verbose_name_plural = _("verzendingen")
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="mailing_unique_kind_key")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.key}"


class MailingRecipient(models.Model):
    """One address of a mailing, and where its message stands. One row per address (unique), so a
    person who registered twice gets one message."""

    Status = OutboxMessage.Status

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("verzending")
    )
    email = models.EmailField(_("e-mailadres"), max_length=254)
    language = models.CharField(_("taal"), max_length=10, blank=True)
    context = models.JSONField(
        _("gegevens voor dit bericht"),
        default=dict,
        blank=True,
        help_text=_("Wat de opmaakfunctie per ontvanger nodig heeft."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(_("aantal pogingen"), default=0)
    last_error = models.TextField(_("laatste foutmelding"), blank=True)
    next_attempt_at = models.DateTimeField(_("volgende poging na"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("verzending gestart op"), null=True, blank=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True, db_index=True)
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("ontvanger")
        verbose_name_plural = _("ontvangers")
        ordering = ["mailing", "id"]
        constraints = [models.UniqueConstraint(fields=["mailing", "email"], name="mailing_one_row_per_address")]
        indexes = [models.Index(fields=["mailing", "status"], name="mailingrecipient_progress")]

    def __str__(self) -> str:
        return f"{self.mailing} → {self.email}"
