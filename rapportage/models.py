"""The report's editable texts and the rendered PDFs.

What the report *says* is built from the findings by `rapportage.data`; these models only hold the
texts programme staff write themselves and the cache of rendered files.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class RapportTekst(models.Model):
    """The texts programme staff write around the figures. There is one row; `load()` returns it."""

    title = models.CharField(
        _("titel"), max_length=200, default="Belemmeringen schaalsprong Smart City"
    )
    subtitle = models.CharField(
        _("ondertitel"),
        max_length=300,
        blank=True,
        default="Rapport van de publieke consultatie in zes regiosessies",
    )
    author = models.CharField(
        _("auteur"),
        max_length=200,
        default="Programmateam consultatie Smart City",
        help_text=_("Staat op de voorkant en in de eigenschappen van het PDF-bestand."),
    )
    introduction = models.TextField(
        _("inleiding"), blank=True, help_text=_("Platte tekst; een lege regel begint een nieuwe alinea.")
    )
    conclusions = models.TextField(
        _("conclusies"), blank=True, help_text=_("Platte tekst; een lege regel begint een nieuwe alinea.")
    )
    publication_date = models.DateField(
        _("publicatiedatum"), null=True, blank=True, help_text=_("Leeg: de datum van vandaag.")
    )
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("rapporttekst")
        verbose_name_plural = _("rapportteksten")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def load(cls) -> RapportTekst:
        """The one row of report texts; unsaved defaults if nobody has written any yet.

        Reading the report never writes: the row is made by the migration or by the admin.
        """
        return cls.objects.order_by("pk").first() or cls()


class RapportRenderQuerySet(models.QuerySet):
    def ready_for(self, fingerprint: str) -> RapportRenderQuerySet:
        return self.filter(fingerprint=fingerprint, status=RapportRender.Status.DONE).exclude(pdf="")

    def pending_for(self, fingerprint: str) -> RapportRenderQuerySet:
        return self.filter(
            fingerprint=fingerprint, status__in=[RapportRender.Status.PENDING, RapportRender.Status.RUNNING]
        )


class RapportRender(models.Model):
    """One rendering of a report, keyed by the fingerprint of the data it was made from.

    An unchanged report has the same fingerprint, so its finished file is served again without
    rendering; any change to the findings or texts gives a new fingerprint and a new render.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("In de wachtrij")
        RUNNING = "running", _("Wordt gemaakt")
        DONE = "done", _("Klaar")
        FAILED = "failed", _("Mislukt")

    id = models.UUIDField(_("kenmerk"), primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        "regiosessies.Regiosessie",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regiosessie"),
        help_text=_("Leeg: het rapport over alle regiosessies."),
    )
    fingerprint = models.CharField(_("vingerafdruk van de gegevens"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(_("PDF-bestand"), upload_to="rapporten/", blank=True)
    obstacle_count = models.PositiveIntegerField(_("aantal belemmeringen"), default=0)
    page_count = models.PositiveIntegerField(_("aantal pagina's"), default=0)
    error = models.TextField(_("foutmelding"), blank=True)
    created = models.DateTimeField(_("aangevraagd"), auto_now_add=True)
    finished = models.DateTimeField(_("klaar op"), null=True, blank=True)

    objects = RapportRenderQuerySet.as_manager()

    class Meta:
        verbose_name = _("gemaakt rapport")
        verbose_name_plural = _("gemaakte rapporten")
        ordering = ["-created"]

    def __str__(self) -> str:
        scope = self.session.title if self.session_id else _("Alle regiosessies")
        return f"{scope} – {self.get_status_display()} ({self.created:%d-%m-%Y %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
