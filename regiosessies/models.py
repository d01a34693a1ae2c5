"""Regions, their regional sessions and the registrations for them.

Who gets a seat is decided in `regiosessies.services` (every write); the reads it rests on live here:
`AanmeldingQuerySet.confirmed()` (what capacity is counted against), `Regiosessie.is_open_for_registration`
and `availability`, and `Aanmelding.waitlist_position`.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Regio(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    # English text for /en/; empty shows the Dutch (core/translated.py).
    name_en = models.CharField(_("naam (Engels)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RegiosessieQuerySet(models.QuerySet):
    def with_counts(self) -> RegiosessieQuerySet:
        """Annotate confirmed, waitlisted and attended counts in the same query.

        `confirmed_count` counts what `AanmeldingQuerySet.confirmed()` selects, seen from the session.
        """
        return self.annotate(
            confirmed_count=Count("aanmeldingen", filter=Q(aanmeldingen__status=Aanmelding.Status.CONFIRMED)),
            waitlisted_count=Count("aanmeldingen", filter=Q(aanmeldingen__status=Aanmelding.Status.WAITLISTED)),
            attended_count=Count("aanmeldingen", filter=Q(aanmeldingen__attended=True)),
        )

    def facilitated_by(self, user) -> RegiosessieQuerySet:
        return self.filter(facilitators=user)


class Availability(models.TextChoices):
    """What a visitor can do with a session, ranked: the first state that applies wins.

    CANCELLED and CLOSED come before capacity because a full but closed session accepts nobody,
    not even on the waiting list.
    """

    CANCELLED = "cancelled", _("geannuleerd")
    CLOSED = "closed", _("aanmelding gesloten")
    NOT_YET_OPEN = "not_yet_open", _("aanmelding nog niet open")
    FULL = "full", _("vol, wachtlijst open")
    OPEN = "open", _("plaatsen vrij")


class Regiosessie(models.Model):
    regio = models.ForeignKey(Regio, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("regio"))
    title = models.CharField(_("titel"), max_length=200)
    title_en = models.CharField(
        _("titel (Engels)"),
        max_length=200,
        blank=True,
        help_text=_("Leeg: de Engelse site toont de Nederlandse titel."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    start = models.DateTimeField(_("begint om"))
    end = models.DateTimeField(_("eindigt om"))
    venue_name = models.CharField(_("locatie"), max_length=200)
    address = models.CharField(_("adres"), max_length=200)
    city = models.CharField(_("plaats"), max_length=100)
    description = models.TextField(_("beschrijving"), blank=True)
    description_en = models.TextField(
        _("beschrijving (Engels)"), blank=True, help_text=_("Leeg: de Engelse site toont de Nederlandse beschrijving.")
    )
    capacity = models.PositiveIntegerField(_("aantal plaatsen"))
    registration_opens = models.DateTimeField(
        _("aanmelding opent"), null=True, blank=True, help_text=_("Leeg: de aanmelding is direct open.")
    )
    registration_closes = models.DateTimeField(
        _("aanmelding sluit"), null=True, blank=True, help_text=_("Leeg: open tot de sessie begint.")
    )
    cancelled = models.BooleanField(_("geannuleerd"), default=False)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("facilitatoren"),
    )

    objects = RegiosessieQuerySet.as_manager()

    class Meta:
        verbose_name = _("regiosessie")
        verbose_name_plural = _("regiosessies")
        ordering = ["start", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="regiosessie_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.city})"

    def get_absolute_url(self) -> str:
        return reverse("regiosessies:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        # The rule behind the check constraint, as a message on the end field for every model form.
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError(
                {"end": ValidationError(_("De sessie moet eindigen na het begin."), code="end_before_start")}
            )

    @property
    def route_url(self) -> str:
        """A plain link to the address on OpenStreetMap: no embedded map, no third-party script on our pages."""
        query = ", ".join(part for part in (self.venue_name, self.address, self.city) if part)
        return f"https://www.openstreetmap.org/search?{urlencode({'query': query})}"

    def closed_reason(self, now=None) -> str:
        """Why a CLOSED session takes no registrations: "held", "started" or "registration_closed"; else ""."""
        now = now or timezone.now()
        if self.cancelled:
            return ""
        if self.end <= now:
            return "held"
        if self.start <= now:
            return "started"
        if self.registration_closes and self.registration_closes <= now:
            return "registration_closed"
        return ""

    def _closed_state(self, now) -> Availability | None:
        """CANCELLED, CLOSED or NOT_YET_OPEN when the calendar shuts registration now; None while it is open.

        The one place for the open-for-registration rule: `is_open_for_registration` and
        `availability` both ask it. Keep `availability_changes_at` in step.
        """
        if self.cancelled:
            return Availability.CANCELLED
        if self.start <= now or (self.registration_closes and self.registration_closes <= now):
            return Availability.CLOSED
        if self.registration_opens and self.registration_opens > now:
            return Availability.NOT_YET_OPEN
        return None

    def is_open_for_registration(self, now=None) -> bool:
        """Whether a visitor may register now, for a seat or for the waiting list (seats play no part)."""
        return self._closed_state(now or timezone.now()) is None

    def is_upcoming(self, now=None) -> bool:
        """Not cancelled and not started: until then a seat means something (it can be given back or
        passed to the waiting list), also after registration closed."""
        now = now or timezone.now()
        return not self.cancelled and self.start > now

    @property
    def confirmed_total(self) -> int:
        """Confirmed registrations: the `with_counts()` annotation when present, otherwise one query."""
        annotated = getattr(self, "confirmed_count", None)
        if annotated is not None:
            return annotated
        return self.aanmeldingen.confirmed().count()

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_total, 0)

    def availability(self, now=None) -> Availability:
        """The one place that says whether a visitor can register, join the waiting list, or neither."""
        closed = self._closed_state(now or timezone.now())
        if closed is not None:
            return closed
        if self.seats_left <= 0:
            return Availability.FULL
        return Availability.OPEN

    def availability_changes_at(self, now=None):
        """The next moment after `now` at which `availability()` may change by time alone, or None.

        The public page cache keeps a page with this session no longer than that (seat counts change
        by writes, which invalidate the cache themselves). Keep in step with `availability()`.
        """
        now = now or timezone.now()
        if self.cancelled:
            return None
        moments = [m for m in (self.registration_opens, self.registration_closes, self.start) if m and m > now]
        return min(moments, default=None)


class AanmeldingQuerySet(models.QuerySet):
    def confirmed(self) -> AanmeldingQuerySet:
        """Registrations that hold a seat: what capacity is counted against.

        Anonymised ones are included: the seat was held and the report counts it (privacy keeps the
        counts right by anonymising, never deleting).
        """
        return self.filter(status=Aanmelding.Status.CONFIRMED)

    def active(self) -> AanmeldingQuerySet:
        """Registrations that hold a seat or a place on the waiting list."""
        return self.filter(
            status__in=[Aanmelding.Status.CONFIRMED, Aanmelding.Status.WAITLISTED], anonymised_at__isnull=True
        )

    def waitlist(self) -> AanmeldingQuerySet:
        """The waiting list in order: first come, first served."""
        return self.filter(status=Aanmelding.Status.WAITLISTED, anonymised_at__isnull=True).order_by("created", "id")

    def wanting_results(self) -> AanmeldingQuerySet:
        """Registrations whose address asked for the results email (consent belongs to the address)."""
        return self.filter(results_consent=True, anonymised_at__isnull=True)

    def message_recipients(self, audience: str) -> AanmeldingQuerySet:
        """The registrations a staff message to `audience` reaches: active, not anonymised, oldest first.

        Called on a session's registrations: `session.aanmeldingen.message_recipients("both")`.
        """
        return (
            self.filter(status__in=MESSAGE_AUDIENCES[audience], anonymised_at__isnull=True)
            .exclude(email="")
            .select_related("session")
            .order_by("created", "id")
        )


class Aanmelding(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("bevestigd")
        WAITLISTED = "waitlisted", _("wachtlijst")
        CANCELLED = "cancelled", _("geannuleerd")

    class OrganisationType(models.TextChoices):
        GEMEENTE = "gemeente", _("Gemeente")
        PROVINCIE = "provincie", _("Provincie")
        WATERSCHAP = "waterschap", _("Waterschap")
        RIJKSOVERHEID = "rijksoverheid", _("Rijksoverheid")
        BEDRIJF = "bedrijf", _("Bedrijf")
        KENNISINSTELLING = "kennisinstelling", _("Kennisinstelling")
        MAATSCHAPPELIJK = "maatschappelijke_organisatie", _("Maatschappelijke organisatie")
        INWONER = "inwoner", _("Inwoner")
        ANDERS = "anders", _("Anders")

    session = models.ForeignKey(
        Regiosessie, on_delete=models.PROTECT, related_name="aanmeldingen", verbose_name=_("regiosessie")
    )
    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"), max_length=254)
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)
    organisation_type = models.CharField(_("soort organisatie"), max_length=40, choices=OrganisationType.choices)
    role = models.CharField(_("functie of rol"), max_length=200, blank=True)
    themes = models.ManyToManyField(
        "belemmeringen.Thema", blank=True, related_name="+", verbose_name=_("thema's met interesse")
    )
    needs = models.CharField(_("toegankelijkheid of dieetwensen"), max_length=500, blank=True)
    remarks = models.TextField(_("opmerkingen"), max_length=2000, blank=True)
    consent_at = models.DateTimeField(_("toestemming gegeven op"))
    # Optional and separate from the registration itself: may we email this person the consultation's
    # results and later follow-up? Switched on and off on the personal page; see the privacy statement.
    results_consent = models.BooleanField(_("wil de resultaten ontvangen"), default=False)
    results_consent_at = models.DateTimeField(_("toestemming resultaten gewijzigd op"), null=True, blank=True)
    privacy_version = models.CharField(_("versie privacyverklaring"), max_length=20)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    attended = models.BooleanField(_("aanwezig geweest"), default=False)
    # The language the person registered in; every later email about this registration uses it,
    # also when the worker or an organiser's action sends it.
    language = models.CharField(_("taal"), max_length=10, choices=settings.LANGUAGES, default="nl")
    token = models.CharField(_("persoonlijke code"), max_length=64, unique=True, editable=False)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True, editable=False)
    # Set when the reminder two days before the session was queued; `send_reminders` sends each one once.
    reminder_sent_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True, editable=False)
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = AanmeldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["created", "id"]
        indexes = [
            # Counting seats and reading the waiting list happen under the session lock on every registration.
            models.Index(fields=["session", "status", "created"], name="aanmelding_session_status"),
        ]
        constraints = [
            # One active registration per address per session; a cancelled one does not block a new one.
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=~Q(status="cancelled") & Q(anonymised_at__isnull=True),
                name="aanmelding_unique_active_email_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.session}"

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("regiosessies:aanmelding", kwargs={"token": self.token})

    def wants_results(self) -> bool:
        """Whether this person's address gets the results email: consent belongs to the address (the
        email goes to it once), so a new registration without the tick does not withdraw an earlier one."""
        return Aanmelding.objects.wanting_results().filter(email=self.email).exists()

    def participant_can_cancel(self, now=None) -> bool:
        """Whether the person may cancel through their personal link. Cancelling means something until
        the session starts: afterwards the seat frees nothing. Staff may still cancel in the admin."""
        return self.status != self.Status.CANCELLED and self.session.is_upcoming(now)

    def undo_possible(self, *, session: Regiosessie | None = None, now=None) -> bool:
        """Whether `services.undo_cancellation` would give this cancelled registration a seat now (no lock).

        `session` may be the session row the caller has just locked."""
        session = session or self.session
        if self.status != self.Status.CANCELLED or self.anonymised_at:
            return False
        if not session.is_open_for_registration(now):
            return False
        confirmed = Aanmelding.objects.confirmed().filter(session=session).count()
        if confirmed >= session.capacity or Aanmelding.objects.waitlist().filter(session=session).exists():
            return False
        # The address registered again after cancelling: that registration is the one that counts.
        return not Aanmelding.objects.active().filter(session=session, email=self.email).exists()

    def waitlist_position(self) -> int | None:
        """1 for the first person waiting; None when this registration is not on the waiting list (a read)."""
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = (
            Aanmelding.objects.waitlist()
            .filter(session_id=self.session_id)
            .filter(Q(created__lt=self.created) | Q(created=self.created, pk__lt=self.pk))
            .count()
        )
        return ahead + 1


#: Who a staff message goes to: the statuses of the registrations it reaches.
MESSAGE_AUDIENCES = {
    "confirmed": [Aanmelding.Status.CONFIRMED],
    "waitlisted": [Aanmelding.Status.WAITLISTED],
    "both": [Aanmelding.Status.CONFIRMED, Aanmelding.Status.WAITLISTED],
}
