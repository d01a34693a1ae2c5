"""The consultation's findings: obstacles per theme and level, the needs behind them, and the
answer to the lamp-post question per regional session.

Themes, sub-topics, levels and dimensions are the consultation's own vocabulary
(see the announcement); the reference rows are seeded by a data migration.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.permissions import is_programmateam
from regiosessies.models import Regiosessie
from regiosessies.permissions import sessions_for


class Niveau(models.TextChoices):
    """The level at which an obstacle or need is best tackled."""

    LOKAAL = "lokaal", _("Lokaal")
    REGIONAAL = "regionaal", _("Regionaal")
    NATIONAAL = "nationaal", _("Nationaal")


class Dimensie(models.TextChoices):
    """The dimension of scaling up that an obstacle concerns."""

    VERTICAAL = "verticaal", _("Verticaal (binnen de eigen afdeling)")
    HORIZONTAAL = "horizontaal", _("Horizontaal (over afdelingen van de eigen organisatie)")
    REGIONAAL = "regionaal", _("Regionaal (met gemeenten in de regio)")
    NATIONAAL = "nationaal", _("Nationaal")


class Thema(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    # English text for /en/; empty shows the Dutch (core/translated.py).
    name_en = models.CharField(_("naam (Engels)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("toelichting"), blank=True)
    description_en = models.TextField(_("toelichting (Engels)"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Subthema(models.Model):
    thema = models.ForeignKey(Thema, on_delete=models.PROTECT, related_name="subthemas", verbose_name=_("thema"))
    name = models.CharField(_("naam"), max_length=200)
    name_en = models.CharField(_("naam (Engels)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("subthema")
        verbose_name_plural = _("subthema's")
        ordering = ["thema__order", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["thema", "name"], name="subthema_unique_name_per_thema")]

    def __str__(self) -> str:
        return f"{self.thema.name}: {self.name}"


class BehoefteQuerySet(models.QuerySet):
    def editable_by(self, user) -> BehoefteQuerySet:
        """Needs whose text this user may change or delete.

        A need is shared: changing its text changes what other regions said. So programme staff may edit
        every need; anyone else only a need they created themselves, and only while no obstacle outside
        their own sessions points at it.
        """
        if is_programmateam(user):
            return self
        if not (user and user.is_authenticated):
            return self.none()
        foreign = Belemmering.objects.exclude(session__in=sessions_for(user).values("pk")).filter(
            behoeften=models.OuterRef("pk")
        )
        return self.filter(created_by=user).exclude(models.Exists(foreign))


class Behoefte(models.Model):
    """An ingredient for the shopping list: something that is needed to make scaling possible.

    A need is shared across sessions: obstacles from several regions can point at the same need, which
    is how the report counts in how many sessions and regions it came up.
    """

    class Ondersteuning(models.TextChoices):
        KENNIS = "kennis", _("Kennis en ervaring")
        FINANCIERING = "financiering", _("Financiering")
        JURIDISCH = "juridisch", _("Juridisch kader")
        STANDAARDEN = "standaarden", _("Standaarden en techniek")
        ORGANISATIE = "organisatie", _("Organisatie en capaciteit")
        INKOOP = "inkoop", _("Inkoop en vraagbundeling")

    title = models.CharField(_("wat is nodig"), max_length=200, unique=True)
    description = models.TextField(_("toelichting"), blank=True)
    support_type = models.CharField(_("soort ondersteuning"), max_length=20, choices=Ondersteuning.choices)
    level = models.CharField(_("best georganiseerd op niveau"), max_length=20, choices=Niveau.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingevoerd door"),
        editable=False,
    )
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = BehoefteQuerySet.as_manager()

    class Meta:
        verbose_name = _("behoefte")
        verbose_name_plural = _("behoeften")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def is_editable_by(self, user) -> bool:
        """See BehoefteQuerySet.editable_by: programme staff, or the creator while it is only theirs.
        A need not saved yet is anyone's to fill in."""
        if self.pk is None:
            return True
        return Behoefte.objects.editable_by(user).filter(pk=self.pk).exists()


class KnelpuntQuerySet(models.QuerySet):
    def with_entry_counts(self) -> KnelpuntQuerySet:
        """Annotate, in the same query, the established entries behind each knelpunt and the distinct
        sessions and regions they came from (`entry_count`, `session_count`, `region_count`).

        Concept entries do not count: a session has not settled them yet.
        """
        established = models.Q(belemmeringen__status=Belemmering.Status.VASTGESTELD)
        return self.annotate(
            entry_count=models.Count("belemmeringen", filter=established, distinct=True),
            session_count=models.Count("belemmeringen__session", filter=established, distinct=True),
            region_count=models.Count("belemmeringen__session__regio", filter=established, distinct=True),
        )


class Knelpunt(models.Model):
    """One distinct obstacle as the programme team words it, gathering the per-session entries
    (`Belemmering`) that describe it. The six sessions each name the same problem in their own words;
    the report counts knelpunten, with the entries behind them beside the count.

    Its follow-up status tells participants what became of it; every change is kept in
    `KnelpuntStatusWijziging`, written only through `belemmeringen.services.change_knelpunt_status`.
    """

    class Prioriteit(models.IntegerChoices):
        HOOG = 1, _("Hoog")
        MIDDEL = 2, _("Middel")
        LAAG = 3, _("Laag")

    class Opvolging(models.TextChoices):
        """What is done with the knelpunt, in the words participants read on the results page."""

        OPEN = "open", _("Open")
        PROGRAMMA = "programma", _("In het programma")
        ELDERS = "elders", _("Elders belegd")
        NIET_OVERGENOMEN = "niet_overgenomen", _("Niet overgenomen")

    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    thema = models.ForeignKey(Thema, on_delete=models.PROTECT, related_name="knelpunten", verbose_name=_("thema"))
    subthema = models.ForeignKey(
        Subthema,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="knelpunten",
        verbose_name=_("subthema"),
    )
    level = models.CharField(
        _("best aan te pakken op niveau"),
        max_length=20,
        choices=Niveau.choices,
        help_text=_("Zoals het programmateam besloot; de niveaus die de sessies gaven staan ernaast."),
    )
    priority = models.PositiveSmallIntegerField(_("prioriteit"), choices=Prioriteit.choices, default=Prioriteit.MIDDEL)
    behoeften = models.ManyToManyField(Behoefte, blank=True, related_name="knelpunten", verbose_name=_("behoeften"))
    status = models.CharField(
        _("opvolging"), max_length=20, choices=Opvolging.choices, default=Opvolging.OPEN, db_index=True
    )
    status_explanation = models.TextField(
        _("toelichting op de opvolging"),
        blank=True,
        help_text=_("Wat er met dit knelpunt gebeurt, in woorden die deelnemers begrijpen."),
    )
    status_changed = models.DateTimeField(_("opvolging gewijzigd op"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
        editable=False,
    )
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = KnelpuntQuerySet.as_manager()

    class Meta:
        verbose_name = _("knelpunt")
        verbose_name_plural = _("knelpunten")
        ordering = ["thema__order", "title"]
        indexes = [models.Index(fields=["thema", "level"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.subthema_id and self.thema_id and self.subthema.thema_id != self.thema_id:
            raise ValidationError(
                {"subthema": _("Dit subthema hoort niet bij het gekozen thema.")}, code="subthema_other_thema"
            )


class KnelpuntStatusWijziging(models.Model):
    """One step in a knelpunt's follow-up: the history participants see as a timeline."""

    knelpunt = models.ForeignKey(
        Knelpunt, on_delete=models.CASCADE, related_name="statuswijzigingen", verbose_name=_("knelpunt")
    )
    old_status = models.CharField(_("oude opvolging"), max_length=20, choices=Knelpunt.Opvolging.choices, blank=True)
    new_status = models.CharField(_("nieuwe opvolging"), max_length=20, choices=Knelpunt.Opvolging.choices)
    explanation = models.TextField(_("toelichting"))
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gewijzigd door"),
        editable=False,
    )

    class Meta:
        verbose_name = _("wijziging van de opvolging")
        verbose_name_plural = _("wijzigingen van de opvolging")
        ordering = ["knelpunt", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.knelpunt}: {self.get_new_status_display()}"


class BelemmeringQuerySet(models.QuerySet):
    def ungrouped(self) -> BelemmeringQuerySet:
        """Entries the programme team has not yet placed under a knelpunt: its to-do list."""
        return self.filter(knelpunt__isnull=True)

    def established(self) -> BelemmeringQuerySet:
        """Entries a session settled (vastgesteld); only these count in the report."""
        return self.filter(status=Belemmering.Status.VASTGESTELD)


class Belemmering(models.Model):
    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        VASTGESTELD = "vastgesteld", _("Vastgesteld")

    session = models.ForeignKey(
        "regiosessies.Regiosessie",
        on_delete=models.PROTECT,
        related_name="belemmeringen",
        verbose_name=_("regiosessie"),
    )
    thema = models.ForeignKey(Thema, on_delete=models.PROTECT, related_name="belemmeringen", verbose_name=_("thema"))
    subthema = models.ForeignKey(
        Subthema,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="belemmeringen",
        verbose_name=_("subthema"),
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    level = models.CharField(_("niveau"), max_length=20, choices=Niveau.choices)
    dimension = models.CharField(_("dimensie van opschalen"), max_length=20, choices=Dimensie.choices)
    recognised_by = models.PositiveIntegerField(
        _("herkend door (aantal deelnemers)"), default=0, help_text=_("Hoeveel deelnemers herkenden dit?")
    )
    support_needed = models.TextField(_("benodigde ondersteuning"), blank=True)
    behoeften = models.ManyToManyField(Behoefte, blank=True, related_name="belemmeringen", verbose_name=_("behoeften"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT, db_index=True)
    # Set by the programme team when grouping, never by facilitators: an entry belongs to at most one
    # knelpunt, and ungrouping keeps the entry.
    knelpunt = models.ForeignKey(
        Knelpunt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="belemmeringen",
        verbose_name=_("knelpunt"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingevoerd door"),
        editable=False,
    )
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = BelemmeringQuerySet.as_manager()

    class Meta:
        verbose_name = _("belemmering")
        verbose_name_plural = _("belemmeringen")
        ordering = ["session", "thema__order", "-recognised_by", "title"]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["thema", "level"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.subthema_id and self.thema_id and self.subthema.thema_id != self.thema_id:
            raise ValidationError(
                {"subthema": _("Dit subthema hoort niet bij het gekozen thema.")}, code="subthema_other_thema"
            )


class LichtmastAntwoord(models.Model):
    """One session's answer to the second research question: can public-lighting infrastructure be
    reused to scale Smart City applications?"""

    class Oordeel(models.TextChoices):
        JA = "ja", _("Ja")
        VOORWAARDEN = "voorwaarden", _("Ja, onder voorwaarden")
        NEE = "nee", _("Nee")
        ONBEKEND = "onbekend", _("Nog onbekend")

    session = models.OneToOneField(
        "regiosessies.Regiosessie",
        on_delete=models.PROTECT,
        related_name="lichtmast_antwoord",
        verbose_name=_("regiosessie"),
    )
    verdict = models.CharField(_("oordeel"), max_length=20, choices=Oordeel.choices, default=Oordeel.ONBEKEND)
    summary = models.TextField(_("samenvatting"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingevoerd door"),
        editable=False,
    )
    created = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated = models.DateTimeField(_("gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("antwoord lichtmastvraag")
        verbose_name_plural = _("antwoorden lichtmastvraag")
        ordering = ["session__start"]

    def __str__(self) -> str:
        return f"{self.session}: {self.get_verdict_display()}"


class LichtmastBevinding(models.Model):
    class Aspect(models.TextChoices):
        OPSTELPLEK = "opstelplek", _("Opstelplek")
        ELEKTRA = "elektra", _("Elektra en voeding")
        DATACOMMUNICATIE = "datacommunicatie", _("Datacommunicatie")
        EIGENDOM = "eigendom", _("Eigendom en beheer")
        ECONOMISCH = "economisch", _("Economische waarde en private partijen")
        VEILIGHEID = "veiligheid", _("Veiligheid en regelgeving")

    class Soort(models.TextChoices):
        KANS = "kans", _("Kans")
        BELEMMERING = "belemmering", _("Belemmering")
        VOORWAARDE = "voorwaarde", _("Voorwaarde")

    antwoord = models.ForeignKey(
        LichtmastAntwoord, on_delete=models.CASCADE, related_name="bevindingen", verbose_name=_("antwoord")
    )
    aspect = models.CharField(_("aspect"), max_length=20, choices=Aspect.choices)
    kind = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    text = models.TextField(_("bevinding"))

    class Meta:
        verbose_name = _("bevinding lichtmast")
        verbose_name_plural = _("bevindingen lichtmast")
        ordering = ["antwoord", "aspect", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_aspect_display()} – {self.get_kind_display()}"


class SessieBevindingen(Regiosessie):
    """A session seen from the facilitators' side: the page where its findings are entered.

    A proxy, so the admin can show a session's obstacles and lamp-post answer as inlines without
    regiosessies knowing about findings.
    """

    class Meta:
        proxy = True
        verbose_name = _("bevindingen per sessie")
        verbose_name_plural = _("bevindingen per sessie")
