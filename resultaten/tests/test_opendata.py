from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib
from django.urls import reverse
from rdflib.namespace import DCAT, DCTERMS, RDF

from resultaten import opendata

pytestmark = pytest.mark.slow


def _get(client, version: int, dataset: str, fmt: str):
    return client.get(reverse("opendata_bestanden:bestand", args=[version, dataset, fmt]))


@pytest.mark.parametrize("dataset", [d.slug for d in opendata.DATASETS])
def test_csv_and_json_have_exactly_the_fields_the_data_card_names(client, published, dataset):
    card = client.get(reverse("opendata:index")).content.decode()
    section = card[card.index(f'id="dataset-{dataset}"') :]
    section = section[: section.index("</table>")]
    card_fields = [line.split("<code>")[1].split("</code>")[0] for line in section.split('<th scope="row">')[1:]]

    header = next(csv.reader(io.StringIO(_get(client, 1, dataset, "csv").content.decode())))
    records = json.loads(_get(client, 1, dataset, "json").content)

    assert card_fields == opendata.BY_SLUG[dataset].field_names
    assert header == card_fields
    assert records, "the demo findings give every dataset at least one row"
    assert all(list(record) == card_fields for record in records)


def test_files_hold_the_published_rows(client, published, findings):
    knelpunten = json.loads(_get(client, 1, "knelpunten", "json").content)
    pilots = next(k for k in knelpunten if k["id"] == findings.knelpunten["pilots"].pk)
    entries = list(csv.DictReader(io.StringIO(_get(client, 1, "inbrengen", "csv").content.decode())))

    assert pilots["regios"] == ["Noord", "Zuid"]
    assert pilots["aantal_sessies"] == 2 and pilots["herkend_door"] == 20
    assert len(entries) == 7  # the established entries; the concept one is not published
    assert {e["regio"] for e in entries} == {"Noord", "Zuid"}


def test_a_files_url_gives_the_same_bytes_after_the_data_changed(client, published, findings):
    from belemmeringen.models import Knelpunt
    from resultaten.services import publish

    before = _get(client, 1, "knelpunten", "csv").content
    Knelpunt.objects.filter(pk=findings.knelpunten["pilots"].pk).update(title="Nieuwe titel")
    publish()

    assert _get(client, 1, "knelpunten", "csv").content == before
    assert b"Nieuwe titel" in _get(client, 2, "knelpunten", "csv").content


def test_csv_cells_that_a_spreadsheet_would_run_are_made_inert(client, published, findings):
    from belemmeringen.models import Knelpunt
    from resultaten.services import publish

    Knelpunt.objects.filter(pk=findings.knelpunten["budget"].pk).update(title='=HYPERLINK("http://x.example")')
    publish()

    rows = list(csv.DictReader(io.StringIO(_get(client, 2, "knelpunten", "csv").content.decode())))
    as_json = json.loads(_get(client, 2, "knelpunten", "json").content)
    assert '\'=HYPERLINK("http://x.example")' in [r["titel"] for r in rows]
    assert '=HYPERLINK("http://x.example")' in [r["titel"] for r in as_json]


def test_unknown_dataset_or_format_or_version_is_404(client, published):
    assert _get(client, 1, "aanmeldingen", "csv").status_code == 404
    assert _get(client, 1, "knelpunten", "xlsx").status_code == 404
    assert _get(client, 9, "knelpunten", "csv").status_code == 404


def test_catalogue_parses_and_names_a_dataset_and_a_distribution_per_file(client, published, settings):
    settings.SITE_URL = "https://consultatie.example.nl"
    response = client.get(reverse("opendata_bestanden:catalogus"))
    graph = rdflib.Graph().parse(data=response.content, format="json-ld")

    assert response["Content-Type"].startswith("application/ld+json")
    assert len(list(graph.subjects(RDF.type, DCAT.Catalog))) == 1
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(opendata.DATASETS)
    for bestand in published.bestanden.all():
        url = rdflib.URIRef(
            settings.SITE_URL + reverse("opendata_bestanden:bestand", args=[1, bestand.dataset, bestand.format])
        )
        (distribution,) = graph.subjects(DCAT.downloadURL, url)
        assert (distribution, RDF.type, DCAT.Distribution) in graph
        assert any((d, DCAT.distribution, distribution) in graph for d in datasets)
        assert (distribution, DCTERMS.license, rdflib.URIRef(opendata.LICENCE_EU)) in graph
        assert (distribution, DCAT.mediaType, None) in graph and (distribution, DCTERMS.format, None) in graph
        assert client.get(url.removeprefix(settings.SITE_URL)).status_code == 200
    for dataset in datasets:
        for prop in (DCTERMS.publisher, DCAT.contactPoint, DCTERMS.issued, DCTERMS.modified, DCTERMS.license):
            assert (dataset, prop, None) in graph, prop
