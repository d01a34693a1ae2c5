"""The DCAT-AP-NL 3.0 description of the open data, as JSON-LD (`/open-data/catalogus.jsonld`), so
data.overheid.nl can harvest it.

One `dcat:Catalog`; per published version and dataset one `dcat:Dataset` (with `dcat:version`), and per
file one `dcat:Distribution` with its download URL. Controlled values (licence, file type, language,
theme, access rights) come from the EU vocabularies that DCAT-AP 3.0 and so DCAT-AP-NL 3.0 prescribe.
Every URL is built from SITE_URL, the site's public address.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from resultaten import opendata
from resultaten.models import Publicatie

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
EU = "http://publications.europa.eu/resource/authority/"
PUBLISHER_NAME = "Programmateam consultatie Smart City"
CONFORMS_TO = "https://docs.geostandaarden.nl/dcat/dcat-ap-nl30/"


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _both(text_nl_lazy) -> list[dict[str, str]]:
    """A text in Dutch and English, as language-tagged literals."""
    values = []
    for language in ("nl", "en"):
        with translation.override(language):
            values.append({"@language": language, "@value": str(text_nl_lazy)})
    return values


def _date(value) -> dict[str, str]:
    return {"@value": timezone.localtime(value).date().isoformat(), "@type": "xsd:date"}


def _publisher() -> dict[str, Any]:
    return {"@id": _url("/#programmateam"), "@type": "foaf:Agent", "foaf:name": PUBLISHER_NAME}


def _contact() -> dict[str, Any]:
    return {
        "@type": "vcard:Kind",
        "vcard:fn": PUBLISHER_NAME,
        "vcard:hasEmail": {"@id": f"mailto:{settings.CONTACT_EMAIL}"},
    }


def _distribution(publicatie: Publicatie, bestand) -> dict[str, Any]:
    fmt = opendata.FORMATS[bestand.format]
    url = _url(
        reverse(
            "opendata_bestanden:bestand",
            kwargs={"version": publicatie.version, "dataset": bestand.dataset, "fmt": bestand.format},
        )
    )
    return {
        "@id": url + "#distributie",
        "@type": "dcat:Distribution",
        "dct:title": f"{bestand.dataset}-v{publicatie.version}.{bestand.format}",
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:format": {"@id": fmt["eu"]},
        "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{fmt['media_type']}"},
        "dct:license": {"@id": opendata.LICENCE_EU},
        "dct:issued": _date(publicatie.published_at),
        "dct:modified": _date(publicatie.published_at),
        "dcat:byteSize": {"@value": str(bestand.byte_size), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"},
            "spdx:checksumValue": bestand.sha256,
        },
        "dct:conformsTo": {"@id": _url(reverse("opendata:index")) + f"#dataset-{bestand.dataset}"},
    }


def _dataset(publicatie: Publicatie, dataset: opendata.Dataset, files: list) -> dict[str, Any]:
    identifier = _url(reverse("opendata:index")) + f"#v{publicatie.version}-{dataset.slug}"
    return {
        "@id": identifier,
        "@type": "dcat:Dataset",
        "dct:identifier": identifier,
        "dct:title": _both(dataset.title),
        "dct:description": _both(dataset.description),
        "dcat:version": str(publicatie.version),
        "dct:issued": _date(publicatie.published_at),
        "dct:modified": _date(publicatie.published_at),
        "dct:publisher": _publisher(),
        "dcat:contactPoint": _contact(),
        "dct:license": {"@id": opendata.LICENCE_EU},
        "dct:accessRights": {"@id": EU + "access-right/PUBLIC"},
        "dct:language": {"@id": EU + "language/NLD"},
        "dcat:theme": {"@id": EU + "data-theme/GOVE"},
        "dcat:keyword": ["Smart City", "opschaling", "consultatie", "knelpunten", "openbare verlichting"],
        "dcat:landingPage": {"@id": _url(reverse("opendata:index"))},
        "dcat:distribution": [_distribution(publicatie, f) for f in files],
    }


def build() -> dict[str, Any]:
    # The addresses are the Dutch (unprefixed) ones, whatever language the request came in.
    with translation.override("nl"):
        return _catalogue()


def _catalogue() -> dict[str, Any]:
    versions = list(Publicatie.objects.order_by("-version").defer("data", "report_html").prefetch_related("bestanden"))
    datasets = []
    for publicatie in versions:
        files = list(publicatie.bestanden.all())
        for dataset in opendata.DATASETS:
            datasets.append(_dataset(publicatie, dataset, [f for f in files if f.dataset == dataset.slug]))
    return {
        "@context": CONTEXT,
        "@id": _url(reverse("opendata_bestanden:catalogus")),
        "@type": "dcat:Catalog",
        "dct:title": _both(opendata.CATALOGUE_TITLE),
        "dct:description": _both(opendata.CATALOGUE_DESCRIPTION),
        "dct:publisher": _publisher(),
        "dcat:contactPoint": _contact(),
        "dct:license": {"@id": opendata.LICENCE_EU},
        "dct:language": {"@id": EU + "language/NLD"},
        "foaf:homepage": {"@id": _url(reverse("opendata:index"))},
        "dct:conformsTo": {"@id": CONFORMS_TO},
        "dct:issued": _date(versions[-1].published_at),
        "dct:modified": _date(versions[0].published_at),
        "dcat:dataset": datasets,
    }
