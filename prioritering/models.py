"""The prioritisation round: registrants divide a budget of points over the needs on the shopping list.

Rules (budget, most per need, dates, who may take part) are enforced in `prioritering.services`;
these models hold the state, with database constraints where a rule can be written as one:
one open round at a time, one ballot per registration per round, one line per need per ballot,
one invitation row per address per round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RondeQuerySet(models.QuerySet):
    def open(self) -> RondeQuerySet:
        return self.filter(status=Ronde.Status.OPEN)

    def closed(self) -> RondeQuerySet:
        return self.filter(status=Ronde.Status.CLOSED)

    def accepting(self, now=None) -> RondeQuerySet:
        """The open round whose dates include `now`: the one a ballot can be cast in."""
        now = now or timezone.now()
        return self.open().filter(starts_at__lte=now, ends_at__gt=now)


class Ronde(models.Model):
    """One prioritisation round. Open until programme staff close it; then `results` is frozen."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Gesloten")

    class Deelnemers(models.TextChoices):
        """Who may take part: every active registrant, or only those marked present at their session."""

        ALL = "all", _("Alle aangemelden")
        ATTENDED = "attended", _("Alleen wie aanwezig was")

    starts_at = models.DateTimeField(_("begint op"), default=timezone.now)
    ends_at = models.DateTimeField(_("eindigt op"))
    points_per_person = models.PositiveSmallIntegerField(_("punten per persoon"), default=10)
    max_per_need = models.PositiveSmallIntegerField(_("hoogstens punten op één behoefte"), default=5)
    behoeften = models.ManyToManyField(
        "belemmeringen.Behoefte", related_name="prioriteringsrondes", verbose_name=_("behoeften in de ronde")
    )
    participants = models.CharField(
        _("wie doet mee"), max_length=10, choices=Deelnemers.choices, default=Deelnemers.ALL
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # Written once, by `services.close_round`: the figures as they were at closing (see
    # `prioritering.selectors.compute_results` for the shape). Null while the round is open.
    results = models.JSONField(_("uitslag"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geopend door"),
        editable=False,
    )
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    objects = RondeQuerySet.as_manager()

    class Meta:
        verbose_name = _("prioriteringsronde")
        verbose_name_plural = _("prioriteringsrondes")
        ordering = ["-starts_at", "-id"]
        constraints = [
            # One round runs at a time: a second open round cannot even be written.
            models.UniqueConstraint(fields=["status"], condition=Q(status="open"), name="prioritering_one_open_round"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="prioritering_ends_after_start"),
            models.CheckConstraint(condition=Q(points_per_person__gte=1), name="prioritering_budget_positive"),
            models.CheckConstraint(
                condition=Q(max_per_need__gte=1) & Q(max_per_need__lte=F("points_per_person")),
                name="prioritering_max_within_budget",
            ),
            models.CheckConstraint(
                condition=Q(status="open", results__isnull=True) | Q(status="closed", results__isnull=False),
                name="prioritering_closed_has_results",
            ),
        ]

    def __str__(self) -> str:
        return _("Prioriteringsronde %(start)s – %(end)s") % {
            "start": timezone.localtime(self.starts_at).strftime("%d-%m-%Y"),
            "end": timezone.localtime(self.ends_at).strftime("%d-%m-%Y"),
        }

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def accepts_ballots(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_open and self.starts_at <= now < self.ends_at


class Stembiljet(models.Model):
    """One registration's division of points in one round. Changing it replaces its lines."""

    ronde = models.ForeignKey(Ronde, on_delete=models.CASCADE, related_name="stembiljetten", verbose_name=_("ronde"))
    aanmelding = models.ForeignKey(
        "regiosessies.Aanmelding",
        on_delete=models.CASCADE,
        related_name="stembiljetten",
        verbose_name=_("aanmelding"),
    )
    created = models.DateTimeField(_("eerst ingediend"), auto_now_add=True)
    updated = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("puntenverdeling")
        verbose_name_plural = _("puntenverdelingen")
        ordering = ["ronde", "created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ronde", "aanmelding"], name="prioritering_one_ballot_per_registration"),
        ]

    def __str__(self) -> str:
        return f"{self.ronde} – {self.aanmelding_id}"


class Stemregel(models.Model):
    """The points one ballot gives one need. Only needs with at least one point get a line."""

    stembiljet = models.ForeignKey(
        Stembiljet, on_delete=models.CASCADE, related_name="regels", verbose_name=_("puntenverdeling")
    )
    behoefte = models.ForeignKey(
        "belemmeringen.Behoefte", on_delete=models.PROTECT, related_name="+", verbose_name=_("behoefte")
    )
    points = models.PositiveSmallIntegerField(_("punten"))

    class Meta:
        verbose_name = _("punten voor een behoefte")
        verbose_name_plural = _("punten voor behoeften")
        constraints = [
            models.UniqueConstraint(fields=["stembiljet", "behoefte"], name="prioritering_one_line_per_need"),
            models.CheckConstraint(condition=Q(points__gte=1), name="prioritering_line_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.behoefte_id}: {self.points}"


class Uitnodiging(models.Model):
    """Who was invited to a round, and reminded: one row per address, so nobody gets a mail twice.

    The address itself is not copied here (it would outlive the registration's anonymisation): the row
    keeps a SHA-256 of the normalised address to tell people apart, and mails go to the registration's
    current address.

        Rows are written in batches by `services.enrol_participants`; `invited_at` / `reminded_at` are set
        in the same transaction that puts the mail in the outbox, under a row lock.
    """

    ronde = models.ForeignKey(Ronde, on_delete=models.CASCADE, related_name="uitnodigingen", verbose_name=_("ronde"))
    address_key = models.CharField(_("sleutel van het e-mailadres"), max_length=64, editable=False)
    aanmelding = models.ForeignKey(
        "regiosessies.Aanmelding",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("aanmelding waarvan de link is gestuurd"),
    )
    invited_at = models.DateTimeField(_("uitnodiging verstuurd op"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["ronde", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ronde", "address_key"], name="prioritering_one_invitation_per_address"),
        ]
        indexes = [models.Index(fields=["ronde", "invited_at"], name="prioritering_invite_todo")]

    def __str__(self) -> str:
        return f"{self.ronde} – {self.aanmelding_id}"
