"""Published versions of the consultation's results.

A `Publicatie` is a numbered, dated, frozen version: the snapshot of everything the public pages and the
open data show (`data`), the report as HTML and as PDF, and the open-data files. Nothing public is read
from the live findings except the follow-up of the knelpunten a version names: that is what staff
update after publication, and participants read it as a timeline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicatieQuerySet(models.QuerySet):
    def latest_version(self) -> Publicatie | None:
        """The version the public pages show; None before the first publication."""
        return self.order_by("-version").first()


class Publicatie(models.Model):
    version = models.PositiveIntegerField(_("versie"), unique=True, editable=False)
    published_at = models.DateTimeField(_("gepubliceerd op"), editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
        editable=False,
    )
    # A hash of the published data (snapshot and report), without the date of publishing: the same data
    # published again gives the same fingerprint, and no new version.
    fingerprint = models.CharField(_("vingerafdruk van de gegevens"), max_length=64, db_index=True, editable=False)
    data = models.JSONField(_("gepubliceerde gegevens"), editable=False)
    report_html = models.TextField(_("rapport (HTML)"), editable=False)
    report_pdf = models.FileField(_("rapport (PDF)"), upload_to="publicaties/", blank=True, editable=False)
    report_pages = models.PositiveIntegerField(_("aantal pagina's"), default=0, editable=False)
    # The charts as SVG per language ({"nl": {name: svg}, "en": {...}}), drawn from `data` when publishing.
    figures = models.JSONField(_("figuren"), default=dict, editable=False)

    objects = PublicatieQuerySet.as_manager()

    class Meta:
        verbose_name = _("publicatie")
        verbose_name_plural = _("publicaties")
        ordering = ["-version"]

    def __str__(self) -> str:
        return _("Versie %(version)s van %(date)s") % {
            "version": self.version,
            "date": f"{self.published_at:%d-%m-%Y}" if self.published_at else "",
        }


class OpenDataBestand(models.Model):
    """One open-data file of a version, frozen byte for byte: its URL gives the same file for ever."""

    publicatie = models.ForeignKey(
        Publicatie, on_delete=models.CASCADE, related_name="bestanden", verbose_name=_("publicatie")
    )
    dataset = models.CharField(_("dataset"), max_length=40)
    format = models.CharField(_("formaat"), max_length=10)
    content = models.TextField(_("inhoud"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("aantal rijen"), default=0)

    class Meta:
        verbose_name = _("open-databestand")
        verbose_name_plural = _("open-databestanden")
        ordering = ["publicatie", "dataset", "format"]
        constraints = [
            models.UniqueConstraint(fields=["publicatie", "dataset", "format"], name="opendata_one_file_per_format")
        ]

    def __str__(self) -> str:
        return f"{self.dataset}.{self.format}"

    @property
    def byte_size(self) -> int:
        return len(self.content.encode("utf-8"))
