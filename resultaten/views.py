"""The public results pages and the open data: thin views over `resultaten.selectors`.

Everything here reads the latest (or a named) publication; before the first publication the results
page says so and every other page and file answers 404.
"""

from __future__ import annotations

import json

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from resultaten import catalogue, opendata, selectors
from resultaten.models import OpenDataBestand, Publicatie


class ResultsIndexView(TemplateView):
    template_name = "resultaten/resultaten_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        publicatie = Publicatie.objects.latest_version()
        if publicatie is None:
            self.template_name = "resultaten/nog_niet_gepubliceerd.html"
            return context
        res = selectors.results(publicatie)
        context.update(
            publicatie=publicatie,
            res=res,
            figures=selectors.figures(res),
            per_level=selectors.per_level(res),
            theme_table=selectors.theme_level_table(res),
            lamp_post=selectors.lamp_post(res),
            shopping_list=selectors.shopping_list(res),
            programme=selectors.programme(res),
            per_status=selectors.per_status(res),
            texts=publicatie.data["texts"],
            priority=publicatie.data.get("priority"),
            regions=[dict(r, label=selectors.named(r)) for r in publicatie.data["regions"]],
            nl=selectors.dutch_lang(),
            figure_svg=publicatie.figures.get(selectors.figure_language(), {}).get("theme_level", ""),
        )
        return context


class KnelpuntDetailView(TemplateView):
    template_name = "resultaten/knelpunt_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        publicatie = selectors.latest_or_404()
        res = selectors.results(publicatie)
        knelpunt = res.by_id.get(kwargs["pk"])
        if knelpunt is None:
            raise Http404("Dit knelpunt staat niet in de gepubliceerde resultaten.")
        context.update(
            publicatie=publicatie,
            knelpunt=knelpunt,
            regions=selectors.regions_of(res, knelpunt),
            programme=[item for item in selectors.programme(res) if knelpunt.id in item["knelpunten"]],
            timeline=selectors.timeline(knelpunt.id, publicatie.published_at),
            nl=selectors.dutch_lang(),
        )
        return context


class RegionResultsView(TemplateView):
    template_name = "resultaten/regio_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        publicatie = selectors.latest_or_404()
        res = selectors.results(publicatie)
        context.update(publicatie=publicatie, region=selectors.region(res, kwargs["slug"]), nl=selectors.dutch_lang())
        return context


class ReportView(TemplateView):
    """The report as a web page: the frozen HTML of the latest version, or of the version asked for."""

    template_name = "resultaten/rapport.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = kwargs.get("version")
        publicatie = selectors.version_or_404(version) if version else selectors.latest_or_404()
        context.update(
            publicatie=publicatie,
            latest=Publicatie.objects.latest_version(),
            report_body=selectors.report_body(publicatie),
        )
        return context


class VersionsView(TemplateView):
    template_name = "resultaten/versies.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(selectors.versions())
        if not versions:
            raise Http404("Nog niet gepubliceerd.")
        context["versions"] = versions
        return context


def report_pdf(request, version: int | None = None):
    publicatie = selectors.version_or_404(version) if version else selectors.latest_or_404()
    if not publicatie.report_pdf:
        raise Http404("Geen PDF bij deze versie.")
    name = f"resultaten-smart-city-consultatie-v{publicatie.version}.pdf"
    return FileResponse(
        publicatie.report_pdf.open("rb"), as_attachment=False, filename=name, content_type="application/pdf"
    )


class OpenDataView(TemplateView):
    template_name = "resultaten/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(selectors.versions().prefetch_related("bestanden"))
        context.update(
            datasets=opendata.DATASETS, versions=versions, licence=opendata, latest=versions[0] if versions else None
        )
        return context


def open_data_file(request, version: int, dataset: str, fmt: str):
    """One frozen file. Stable: the same URL gives the same bytes for as long as the version exists."""
    if dataset not in opendata.BY_SLUG or fmt not in opendata.FORMATS:
        raise Http404("Onbekend bestand.")
    bestand = get_object_or_404(OpenDataBestand, publicatie__version=version, dataset=dataset, format=fmt)
    media_type = opendata.FORMATS[fmt]["media_type"]
    response = HttpResponse(bestand.content.encode("utf-8"), content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{dataset}-v{version}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may fetch it
    response["ETag"] = f'"{bestand.sha256}"'
    return response


def catalogue_jsonld(request):
    """The DCAT-AP-NL 3.0 description of every published dataset file, as JSON-LD."""
    if Publicatie.objects.latest_version() is None:
        raise Http404("Nog niet gepubliceerd.")
    body = json.dumps(catalogue.build(), ensure_ascii=False, indent=1)
    response = HttpResponse(body.encode("utf-8"), content_type="application/ld+json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
