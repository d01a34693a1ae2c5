from __future__ import annotations

import pytest

from belemmeringen.models import Belemmering
from belemmeringen.services import change_knelpunt_status
from resultaten.models import Publicatie
from resultaten.services import publish
from resultaten.signals import results_published

pytestmark = pytest.mark.slow


def test_first_publish_creates_version_one_with_pdf_html_and_files(findings, programmateam):
    publicatie, created = publish(user=programmateam)

    assert created is True
    assert publicatie.version == 1
    assert publicatie.published_by == programmateam
    assert publicatie.report_pdf.read().startswith(b"%PDF")
    assert publicatie.report_pages > 0
    assert "<html" in publicatie.report_html
    assert {(f.dataset, f.format) for f in publicatie.bestanden.all()} == {
        (d, fmt) for d in ("knelpunten", "inbrengen", "behoeften", "lichtmastoordelen") for fmt in ("csv", "json")
    }


def test_publishing_unchanged_data_twice_makes_no_second_version(findings):
    first, _ = publish()
    again, created = publish()

    assert created is False
    assert again.pk == first.pk
    assert Publicatie.objects.count() == 1


def test_publishing_changed_data_makes_the_next_version_and_keeps_the_first(findings):
    first, _ = publish()
    Belemmering.objects.filter(pk=findings.concept.pk).update(status=Belemmering.Status.VASTGESTELD)

    second, created = publish()

    assert created is True
    assert second.version == 2
    assert Publicatie.objects.filter(pk=first.pk).exists()
    assert len(second.data["entries"]) == len(first.data["entries"]) + 1


def test_a_status_change_before_republishing_is_new_data(findings):
    publish()
    change_knelpunt_status(
        knelpunt=findings.knelpunten["budget"], status="programma", explanation="Komt in het programma."
    )

    second, created = publish()

    assert created is True
    budget = next(k for k in second.data["knelpunten"] if k["id"] == findings.knelpunten["budget"].pk)
    assert budget["status"] == "programma"


def test_results_published_is_sent_once_per_new_version_after_commit(findings, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, publicatie, **kwargs):
        received.append(publicatie.version)

    results_published.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            publish()
        with django_capture_on_commit_callbacks(execute=True):
            publish()
    finally:
        results_published.disconnect(receiver)

    assert received == [1]


def test_a_closed_prioritisation_round_ranks_the_published_shopping_list_by_points(findings, client):
    import csv
    import io
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from prioritering import services as priority
    from regiosessies.models import Aanmelding

    needs = findings.needs
    priority.open_round(ends_at=timezone.now() + timedelta(days=7), behoeften=[needs["N2"], needs["N5"]])
    voter = Aanmelding.objects.filter(session=findings.noord, status=Aanmelding.Status.CONFIRMED).first()
    priority.cast_ballot(token=voter.token, points={needs["N5"].pk: 5, needs["N2"].pk: 1})
    priority.close_round()

    publicatie, _ = publish()

    rows = {
        row["titel"]: row
        for row in csv.DictReader(io.StringIO(publicatie.bestanden.get(dataset="behoeften", format="csv").content))
    }
    assert rows["Beheerafspraken sensoren"]["punten"] == "5" and rows["Innovatiebudget"]["punten"] == "1"
    assert rows["Kennisplatform pilots"]["punten"] == "0"  # not in the round: no points
    assert [n["title"] for n in publicatie.data["needs"]][:2] == ["Beheerafspraken sensoren", "Innovatiebudget"]
    assert "5 punten" in client.get(reverse("resultaten:index")).content.decode()
