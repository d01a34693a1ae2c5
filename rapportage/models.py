"""The report's editable texts and the rendered PDFs.

What the report *says* is built from the findings by `rapportage.data`; these models only hold the
texts programme staff write themselves and the cache of rendered files.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from belemmeringen.models import Niveau

PLAIN_TEXT_HELP = _(
    "Platte tekst: een lege regel begint een nieuwe alinea; regels die met ‘- ’ beginnen worden een opsomming."
)


class Eindoordeel(models.TextChoices):
    """The programme team's overall answer to research question 2 (reusing street-light infrastructure)."""

    JA = "ja", _("Ja")
    VOORWAARDEN = "voorwaarden", _("Ja, onder voorwaarden")
    NEE = "nee", _("Nee")


class RapportTekst(models.Model):
    """The texts programme staff write around the figures. There is one row; `load()` returns it."""

    title = models.CharField(_("titel"), max_length=200, default="Belemmeringen schaalsprong Smart City")
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
    version = models.CharField(
        _("versie"),
        max_length=40,
        blank=True,
        default="0.1 (concept)",
        help_text=_("Staat in het colofon, bijvoorbeeld ‘1.0’ of ‘0.3 (concept)’."),
    )
    # The chapters the team writes. Each is plain text: a blank line starts a paragraph, lines that
    # start with "- " make a list. Nothing is read as HTML.
    introduction = models.TextField(_("voorwoord"), blank=True, help_text=PLAIN_TEXT_HELP)
    answer_rq1 = models.TextField(
        _("antwoord op onderzoeksvraag 1"),
        blank=True,
        help_text=format_lazy(
            "{} {}",
            _(
                "Welke knelpunten en behoeften zijn er, en op welk niveau? De eerste alinea komt ook in de samenvatting."
            ),
            PLAIN_TEXT_HELP,
        ),
    )
    rq2_verdict = models.CharField(
        _("eindoordeel onderzoeksvraag 2"),
        max_length=20,
        choices=Eindoordeel.choices,
        blank=True,
        help_text=_("Kan de infrastructuur van de openbare verlichting worden hergebruikt?"),
    )
    answer_rq2 = models.TextField(
        _("antwoord op onderzoeksvraag 2"),
        blank=True,
        help_text=format_lazy(
            "{} {}",
            _("Het oordeel toegelicht, met de voorwaarden. De eerste alinea komt ook in de samenvatting."),
            PLAIN_TEXT_HELP,
        ),
    )
    conclusions = models.TextField(_("conclusies"), blank=True, help_text=PLAIN_TEXT_HELP)
    method = models.TextField(
        _("werkwijze en verantwoording"),
        blank=True,
        help_text=format_lazy(
            "{} {}", _("Hoe de sessies verliepen en wat de grenzen van de uitkomsten zijn."), PLAIN_TEXT_HELP
        ),
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


class ProgrammaOnderdeel(models.Model):
    """One item of the proposed national support programme, in the order the report lists them."""

    title = models.CharField(_("titel"), max_length=200)
    aim = models.TextField(_("doel"), help_text=PLAIN_TEXT_HELP)
    offer = models.TextField(_("wat wordt geboden"), help_text=PLAIN_TEXT_HELP)
    level = models.CharField(
        _("georganiseerd op niveau"), max_length=20, choices=Niveau.choices, default=Niveau.NATIONAAL
    )
    organiser = models.CharField(
        _("wie organiseert het"), max_length=200, blank=True, help_text=_("Bijvoorbeeld ‘het ministerie van IenW’.")
    )
    behoeften = models.ManyToManyField(
        "belemmeringen.Behoefte", blank=True, related_name="programma_onderdelen", verbose_name=_("behoeften")
    )
    knelpunten = models.ManyToManyField(
        "belemmeringen.Knelpunt", blank=True, related_name="programma_onderdelen", verbose_name=_("knelpunten")
    )
    first_steps = models.TextField(_("eerste stappen"), blank=True, help_text=PLAIN_TEXT_HELP)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("onderdeel van het programmavoorstel")
        verbose_name_plural = _("onderdelen van het programmavoorstel")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class RapportRenderQuerySet(models.QuerySet):
    def ready_for(self, fingerprint: str) -> RapportRenderQuerySet:
        return self.filter(fingerprint=fingerprint, status=RapportRender.Status.DONE).exclude(pdf="")

    def pending_for(self, fingerprint: str) -> RapportRenderQuerySet:
        return self.filter(
            fingerprint=fingerprint, status__in=[RapportRender.Status.PENDING, RapportRender.Status.RUNNING]
        )

    def cached(self, fingerprint: str) -> RapportRender | None:
        """The finished render for exactly this data, if its file is still there."""
        for render in self.ready_for(fingerprint):
            if render.file_exists():
                return render
        return None


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

    def file_exists(self) -> bool:
        return bool(self.pdf) and self.pdf.storage.exists(self.pdf.name)

    def download_name(self) -> str:
        """The file name a download gets: the scope and the day it was made."""
        day = (self.finished or self.created).astimezone(timezone.get_current_timezone()).date()
        if self.session_id:
            return f"rapport-{self.session.slug}-{day:%Y-%m-%d}.pdf"
        return gettext("rapport-smart-city-consultatie") + f"-{day:%Y-%m-%d}.pdf"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
