from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from belemmeringen.services import change_knelpunt_status
from resultaten.models import Publicatie
from resultaten.services import publish
from resultaten.tests.conftest import PERSONAL

pytestmark = pytest.mark.slow


def _en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def public_urls(publicatie: Publicatie) -> list[str]:
    """Every public results and open-data address of a publication, in Dutch and English."""
    knelpunt_ids = [k["id"] for k in publicatie.data["knelpunten"]]
    regions = [r["slug"] for r in publicatie.data["regions"]]
    names = [
        ("resultaten:index",),
        ("resultaten:rapport",),
        ("resultaten:versies",),
        ("opendata:index",),
        ("resultaten:rapport_versie", publicatie.version),
    ]
    names += [("resultaten:knelpunt", pk) for pk in knelpunt_ids] + [("resultaten:regio", slug) for slug in regions]
    urls = [reverse(n[0], args=n[1:]) for n in names] + [_en(*n) for n in names]
    urls += [reverse("resultaten:rapport_pdf"), reverse("opendata_bestanden:catalogus")]
    urls += [
        reverse("opendata_bestanden:bestand", args=[publicatie.version, f.dataset, f.format])
        for f in publicatie.bestanden.all()
    ]
    return urls


def test_results_page_before_publication_says_so_and_shows_no_findings(client, findings):
    response = client.get(reverse("resultaten:index"))

    assert response.status_code == 200
    assert "nog niet gepubliceerd" in response.content.decode()
    assert findings.knelpunten["pilots"].title not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        lambda f: reverse("resultaten:knelpunt", args=[f.knelpunten["pilots"].pk]),
        lambda f: reverse("resultaten:regio", args=["noord"]),
        lambda f: reverse("resultaten:rapport"),
        lambda f: reverse("resultaten:rapport_pdf"),
        lambda f: reverse("resultaten:versies"),
        lambda f: reverse("resultaten:rapport_versie", args=[1]),
        lambda f: reverse("resultaten:rapport_versie_pdf", args=[1]),
        lambda f: reverse("opendata_bestanden:catalogus"),
        lambda f: reverse("opendata_bestanden:bestand", args=[1, "knelpunten", "csv"]),
    ],
)
def test_nothing_else_is_public_before_the_first_publication(client, findings, url):
    assert client.get(url(findings)).status_code == 404


def test_open_data_page_before_publication_has_the_data_card_but_no_downloads(client, findings):
    body = client.get(reverse("opendata:index")).content.decode()

    assert "toelichting_opvolging" in body
    assert "/open-data/v1/" not in body


def test_results_page_has_the_three_parts_and_the_pdf(client, published, findings):
    body = client.get(reverse("resultaten:index")).content.decode()

    for heading in ("Wat we vroegen", "Wat u zei", "Wat we ermee doen"):
        assert heading in body
    assert findings.knelpunten["pilots"].title in body
    assert reverse("resultaten:rapport_pdf") in body
    assert "Versie 1, gepubliceerd op" in body


def test_results_page_shows_the_current_follow_up_with_its_explanation(client, published, findings):
    change_knelpunt_status(
        knelpunt=findings.knelpunten["pilots"],
        status="programma",
        explanation="Wordt onderdeel van het kennisplatform.",
    )

    body = client.get(reverse("resultaten:index")).content.decode()

    assert "Wordt onderdeel van het kennisplatform." in body
    assert Publicatie.objects.count() == 1


def test_knelpunt_page_shows_regions_and_the_status_timeline_in_order(client, published, findings):
    pilots = findings.knelpunten["pilots"]
    later = timezone.now() + timedelta(days=3)
    change_knelpunt_status(knelpunt=pilots, status="programma", explanation="Eerste stap: in het programma.", at=later)
    change_knelpunt_status(
        knelpunt=pilots, status="elders", explanation="Nu belegd bij de VNG.", at=later + timedelta(days=7)
    )

    body = client.get(reverse("resultaten:knelpunt", args=[pilots.pk])).content.decode()

    assert "Noord" in body and "Zuid" in body
    timeline = body[body.index('class="timeline"') :]
    first, second = timeline.index("Eerste stap: in het programma."), timeline.index("Nu belegd bij de VNG.")
    assert first < second
    assert "Van ‘Open’ naar ‘In het programma’" in body
    assert "Van ‘In het programma’ naar ‘Elders belegd’" in body
    assert body.count("na de publicatie") == 2
    assert later.strftime("%Y-%m-%d") in body  # the <time datetime> of the step


def test_knelpunt_not_in_the_publication_is_404(client, published, findings):
    from belemmeringen.models import Knelpunt

    newer = Knelpunt.objects.create(title="Later toegevoegd", thema=findings.obstacles[0].thema, level="lokaal")

    assert client.get(reverse("resultaten:knelpunt", args=[newer.pk])).status_code == 404


def test_region_page_shows_its_knelpunten_entries_and_lamp_post_verdict(client, published, findings):
    body = client.get(reverse("resultaten:regio", args=["zuid"])).content.decode()

    assert findings.knelpunten["pilots"].title in body
    assert "Geen open standaarden voor sensordata" in body  # an entry of Zuid
    assert "Geen structureel" not in body  # entry and knelpunt of Noord only
    assert "Het net is er niet op ingericht." in body
    session_day = timezone.localtime(findings.zuid.start).date()
    assert f"Regiosessie op {session_day.day} " in body and str(session_day.year) in body


def test_unknown_region_is_404(client, published):
    assert client.get(reverse("resultaten:regio", args=["atlantis"])).status_code == 404


def test_report_page_is_the_frozen_html_and_earlier_versions_stay(client, published, findings):
    from belemmeringen.models import Knelpunt

    Knelpunt.objects.filter(pk=findings.knelpunten["pilots"].pk).update(title="Pilotresultaten blijven in de la")
    second, created = publish()
    assert created

    latest = client.get(reverse("resultaten:rapport")).content.decode()
    first = client.get(reverse("resultaten:rapport_versie", args=[1]))
    pdf = client.get(reverse("resultaten:rapport_versie_pdf", args=[1]))

    assert "Pilotresultaten blijven in de la" in latest
    assert first.status_code == 200 and "Pilotresultaten blijven in de la" not in first.content.decode()
    assert "Dit is een eerdere versie." in first.content.decode()
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_english_results_page_is_served_in_english(client, published):
    response = client.get(_en("resultaten:index"))

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_no_public_page_or_download_shows_a_registrants_personal_data(client, published, findings):
    change_knelpunt_status(knelpunt=findings.knelpunten["pilots"], status="programma", explanation="Opgenomen.")

    assert published.bestanden.count() == 8
    for url in public_urls(published):
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = content.decode("utf-8", errors="replace")
        for value in PERSONAL:
            assert value not in text, (url, value)
            assert value.encode("utf-16-be") not in content, (url, value)  # PDF text may be UTF-16


def test_frozen_report_pdf_text_has_no_personal_data(published):
    from io import BytesIO

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(published.report_pdf.read())).pages)
    assert "Pilotresultaten worden niet gedeeld" in text  # the text was read back
    for value in PERSONAL:
        assert value not in text


def test_header_and_home_link_to_the_results_only_once_published(client, findings):
    results_url = reverse("resultaten:index")
    before = client.get(reverse("home")).content.decode()

    publish()
    after = client.get(reverse("home")).content.decode()
    elsewhere = client.get(reverse("regiosessies:list")).content.decode()

    assert f'href="{results_url}"' not in before
    assert "Bekijk de resultaten" in after and f'href="{results_url}"' in elsewhere


def test_a_new_explanation_without_a_new_status_reads_as_such_in_the_timeline(client, published, findings):
    pilots = findings.knelpunten["pilots"]
    change_knelpunt_status(knelpunt=pilots, status="programma", explanation="In het programma.")
    change_knelpunt_status(knelpunt=pilots, status="programma", explanation="De eerste stap is gezet.")

    timeline = client.get(reverse("resultaten:knelpunt", args=[pilots.pk])).content.decode()
    timeline = timeline[timeline.index('class="timeline"') :]

    assert "‘In het programma’, met een nieuwe toelichting" in timeline
    assert "Van ‘In het programma’ naar ‘In het programma’" not in timeline


def test_data_card_names_units_the_licence_and_a_contact(client, findings, settings):
    from resultaten import opendata

    body = client.get(reverse("opendata:index")).content.decode()

    assert body.count('<th scope="col">Eenheid of waarden</th>') == len(opendata.DATASETS)
    assert 'href="https://creativecommons.org/publicdomain/zero/1.0/"' in body
    assert f'href="mailto:{settings.CONTACT_EMAIL}"' in body.split('id="datakaart"')[1]


def test_results_page_parts_hold_what_the_issue_names(client, findings):
    """What you said: knelpunten per level and per theme, the lamp-post answer and the shopping list;
    what we do with it: the programme proposal and every knelpunt's follow-up with its explanation."""
    from rapportage.models import ProgrammaOnderdeel

    onderdeel = ProgrammaOnderdeel.objects.create(
        title="Landelijk kennisplatform voor pilots",
        aim="Pilots delen hun resultaten.",
        offer="Een platform.",
        level="nationaal",
    )
    onderdeel.knelpunten.add(findings.knelpunten["pilots"])
    change_knelpunt_status(knelpunt=findings.knelpunten["budget"], status="elders", explanation="Belegd bij het Rijk.")
    publicatie, _ = publish()

    body = client.get(reverse("resultaten:index")).content.decode()
    said = body[body.index('id="gezegd"') : body.index('id="gedaan"')]
    done = body[body.index('id="gedaan"') : body.index('id="regios"')]

    for heading in (
        "Knelpunten per niveau",
        "Knelpunten per thema en niveau",
        "De lichtmast",
        "Het boodschappenlijstje",
    ):
        assert heading in said, heading
    assert "Kennisplatform pilots" in said  # a need on the shopping list
    assert "van 2 sessies" in said  # the sessions' lamp-post verdicts
    assert "Landelijk kennisplatform voor pilots" in done and "Pilots delen hun resultaten." in done
    for knelpunt in publicatie.data["knelpunten"]:
        assert f'href="{reverse("resultaten:knelpunt", args=[knelpunt["id"]])}"' in done, knelpunt["title"]
    assert "Belegd bij het Rijk." in done
