"""The ballot page behind the personal link: what a person sees, and hostile posts that store nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from prioritering import services
from prioritering.models import Stembiljet, Stemregel
from prioritering.tests.factories import points
from regiosessies import services as registration


def url(aanmelding) -> str:
    return reverse("prioritering:stembiljet", kwargs={"token": aanmelding.token})


def form_data(needs, *values) -> dict[str, str]:
    data = {f"punten-{need.pk}": "" for need in needs}
    data.update({f"punten-{need.pk}": str(value) for need, value in zip(needs, values, strict=False)})
    return data


def field_order(html: str) -> list[str]:
    return re.findall(r'name="(punten-\d+)"', html)


def test_the_page_shows_every_need_with_its_level_and_explanation_and_a_labelled_field(client, ronde, needs, anna):
    response = client.get(url(anna))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    for need in needs:
        field_id = f"id_punten-{need.pk}"
        assert f'<label for="{field_id}" class="ballot-title" lang="nl">{need.title}</label>' in html
        assert f"Uitleg bij {need.title}." in html
        assert f'id="{field_id}"' in html
    assert "Niveau: Nationaal" in html and "Niveau: Lokaal" in html
    assert sorted(field_order(html)) == sorted(f"punten-{n.pk}" for n in needs)


def test_a_valid_ballot_is_stored_and_shown_again(client, ronde, needs, anna):
    response = client.post(url(anna), form_data(needs, 4, "", 0, 3))
    assert response.status_code == 302 and response["Location"] == url(anna)
    assert dict(Stemregel.objects.values_list("behoefte_id", "points")) == {needs[0].pk: 4, needs[3].pk: 3}
    page = client.get(url(anna)).content.decode()
    assert "Uw punten zijn opgeslagen" in page
    assert f'name="punten-{needs[0].pk}" id="id_punten-{needs[0].pk}" value="4"' in page
    assert "U heeft 7 van de 10 punten verdeeld. Nog 3 over." in page


def test_posting_again_replaces_the_ballot(client, ronde, needs, anna):
    client.post(url(anna), form_data(needs, 5, 5))
    client.post(url(anna), form_data(needs, 0, 1))
    assert dict(Stemregel.objects.values_list("behoefte_id", "points")) == {needs[1].pk: 1}
    assert Stembiljet.objects.count() == 1


HOSTILE = {
    "negative": (["-1", "2"], "Vul een heel getal in van 0 of meer."),
    "huge": ([str(10**30), "1"], "Geef één behoefte ten hoogste 5 punten."),
    "very long number": (["9" * 5000, "1"], "Vul een heel getal in van 0 of meer."),
    "not a number": (["vijf", "1"], "Vul een heel getal in van 0 of meer."),
    "decimal": (["2.5", "1"], "Vul een heel getal in van 0 of meer."),
    "script": (["<script>alert(1)</script>", "1"], "Vul een heel getal in van 0 of meer."),
    "empty": (["", ""], "Verdeel ten minste 1 punt over de behoeften."),
    "all zero": (["0", "0"], "Verdeel ten minste 1 punt over de behoeften."),
    "over budget": (["5", "5", "5"], "U heeft 15 punten verdeeld; u heeft er 10. Haal er 5 weg."),
    "over the most per need": (["6"], "Geef één behoefte ten hoogste 5 punten."),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_input_gets_a_dutch_message_and_stores_nothing(client, ronde, needs, anna, case):
    values, message = HOSTILE[case]
    response = client.post(url(anna), form_data(needs, *values))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'id="foutoverzicht"' in html and "<title>Fout:" in html
    assert "<script>alert(1)</script>" not in html
    assert not Stembiljet.objects.exists()


def test_a_field_error_is_linked_from_the_summary_and_tied_to_its_field(client, ronde, needs, anna):
    html = client.post(url(anna), form_data(needs, "7")).content.decode()
    field = f"punten-{needs[0].pk}"
    assert f'<a href="#id_{field}">{needs[0].title}: Geef één behoefte ten hoogste 5 punten.</a>' in html
    assert f'aria-describedby="{field}-fout {field}-uitleg" aria-invalid="true"' in html
    assert 'value="7"' in html  # what the person typed stays


@pytest.mark.parametrize("extra", ["punten-999999", "punten-abc", "punten-"])
def test_a_field_for_a_need_not_in_the_round_stores_nothing(client, ronde, needs, anna, extra):
    data = form_data(needs, 1) | {extra: "1"}
    response = client.post(url(anna), data)
    assert response.status_code == 200
    assert "Het formulier noemt een behoefte die niet in deze ronde staat." in response.content.decode()
    assert not Stembiljet.objects.exists()


def test_a_field_for_an_existing_need_outside_the_round_stores_nothing(client, ronde, needs, anna):
    ronde.behoeften.remove(needs[5])
    response = client.post(url(anna), form_data(needs, 1, 0, 0, 0, 0, 1))
    assert response.status_code == 200
    assert not Stembiljet.objects.exists()


def test_a_made_up_token_is_a_404_and_stores_nothing(client, ronde, needs):
    path = reverse("prioritering:stembiljet", kwargs={"token": "x" * 43})
    assert client.get(path).status_code == 404
    assert client.post(path, form_data(needs, 1)).status_code == 404
    assert not Stembiljet.objects.exists()


def test_an_anonymised_registration_is_a_404(client, ronde, needs, anna):
    type(anna).objects.filter(pk=anna.pk).update(anonymised_at=timezone.now())
    assert client.get(url(anna)).status_code == 404


def test_a_ballot_through_one_link_never_touches_another_persons(client, ronde, needs, anna, bert):
    services.cast_ballot(token=anna.token, points=points(needs, 5))
    client.post(url(bert), form_data(needs, 0, 3))
    assert dict(Stemregel.objects.filter(stembiljet__aanmelding=anna).values_list("behoefte_id", "points")) == {
        needs[0].pk: 5
    }
    # Bert's page shows his own points only, never Anna's or any total.
    html = client.get(url(bert)).content.decode()
    assert f'name="punten-{needs[0].pk}" id="id_punten-{needs[0].pk}" value=""' in html


def test_a_cancelled_registration_sees_why_and_its_post_stores_nothing(client, ronde, needs, anna):
    registration.cancel_registration(aanmelding=anna)
    html = client.get(url(anna)).content.decode()
    assert "Uw aanmelding is geannuleerd" in html and 'name="punten-' not in html
    response = client.post(url(anna), form_data(needs, 1))
    assert response.status_code == 200 and not Stembiljet.objects.exists()


def test_a_closed_round_says_so_and_its_post_stores_nothing(client, ronde, needs, anna):
    services.close_round()
    html = client.get(url(anna)).content.decode()
    assert "De prioriteringsronde is gesloten" in html and 'name="punten-' not in html
    response = client.post(url(anna), form_data(needs, 1))
    assert response.status_code == 200 and not Stembiljet.objects.exists()


def test_a_round_that_ended_but_is_not_closed_refuses_a_post(client, make_round, needs, anna):
    from datetime import timedelta

    ronde = make_round()
    form = form_data(needs, 1)
    type(ronde).objects.filter(pk=ronde.pk).update(
        ends_at=timezone.now() - timedelta(seconds=1), starts_at=timezone.now() - timedelta(days=3)
    )
    response = client.post(url(anna), form)
    assert response.status_code == 200 and not Stembiljet.objects.exists()


def test_results_are_not_on_the_ballot_page(client, ronde, needs, anna, bert):
    services.cast_ballot(token=bert.token, points=points(needs, 5, 5))
    html = client.get(url(anna)).content.decode()
    assert "Tussenstand" not in html and "Opkomst" not in html


def test_the_personal_page_links_to_the_ballot_while_a_round_is_open(client, ronde, anna):
    html = client.get(anna.get_absolute_url()).content.decode()
    assert f'href="{url(anna)}"' in html
    services.close_round()
    html = client.get(anna.get_absolute_url()).content.decode()
    assert f'href="{url(anna)}"' not in html


def test_the_english_page_is_in_english(client, ronde, needs, anna):
    html = client.get("/en" + url(anna)).content.decode()
    assert '<html lang="en">' in html


def test_the_dashboard_shows_programme_staff_the_live_results_and_turnout(
    client, programmateam, ronde, needs, anna, bert
):
    services.cast_ballot(token=anna.token, points=points(needs, 5, 2))
    client.force_login(programmateam)
    html = client.get(reverse("rapportage:dashboard")).content.decode()
    assert "Prioriteringsronde" in html and "Tussenstand" in html
    assert "1 van de 2 genodigden deden mee (50%)" in html
    assert '<th scope="row">Noord</th><td class="text-end">1</td><td class="text-end">1</td>' in html


def test_the_dashboard_shows_the_frozen_results_after_closing(client, programmateam, ronde, needs, anna):
    services.cast_ballot(token=anna.token, points=points(needs, 3))
    services.close_round()
    client.force_login(programmateam)
    html = client.get(reverse("rapportage:dashboard")).content.decode()
    assert "Uitslag, vastgelegd bij het sluiten" in html and "Tussenstand" not in html
