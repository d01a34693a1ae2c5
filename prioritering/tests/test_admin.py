"""The round in the admin: programme staff open, follow and close it; nobody else sees it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prioritering import services
from prioritering.models import Ronde
from prioritering.tests.factories import points


def add_form(needs, **extra) -> dict:
    now = timezone.localtime()
    ends = now + timedelta(days=10)
    data = {
        "starts_at_0": now.strftime("%d-%m-%Y"),
        "starts_at_1": now.strftime("%H:%M:%S"),
        "ends_at_0": ends.strftime("%d-%m-%Y"),
        "ends_at_1": ends.strftime("%H:%M:%S"),
        "points_per_person": "10",
        "max_per_need": "5",
        "participants": "all",
        "behoeften": [str(n.pk) for n in needs],
    }
    data.update(extra)
    return data


def test_programme_staff_open_a_round_in_the_admin(client, programmateam, needs):
    client.force_login(programmateam)
    form = client.get(reverse("admin:prioritering_ronde_add"))
    assert form.status_code == 200
    # The shopping list is selected already.
    for need in needs:
        assert f'<option value="{need.pk}" selected>' in form.content.decode()
    response = client.post(reverse("admin:prioritering_ronde_add"), add_form(needs))
    assert response.status_code == 302, response.content.decode()[:3000]
    ronde = Ronde.objects.get()
    assert ronde.is_open and ronde.opened_by == programmateam and ronde.behoeften.count() == 6


def test_the_admin_refuses_a_second_open_round_with_a_message(client, programmateam, ronde, needs):
    client.force_login(programmateam)
    response = client.post(reverse("admin:prioritering_ronde_add"), add_form(needs))
    assert response.status_code == 200
    assert "Er loopt al een prioriteringsronde" in response.content.decode()
    assert Ronde.objects.count() == 1


def test_the_admin_refuses_more_per_need_than_the_budget(client, programmateam, needs):
    client.force_login(programmateam)
    response = client.post(reverse("admin:prioritering_ronde_add"), add_form(needs, max_per_need="11"))
    assert response.status_code == 200 and not Ronde.objects.exists()


def test_staff_see_live_results_and_turnout_on_the_change_page(client, programmateam, ronde, needs, anna, bert):
    services.cast_ballot(token=anna.token, points=points(needs, 4, 1))
    client.force_login(programmateam)
    html = client.get(reverse("admin:prioritering_ronde_change", args=[ronde.pk])).content.decode()
    assert "Tussenstand" in html and "1 van de 2 genodigden deden mee (50%)" in html
    assert "Kennisplatform pilots" in html
    changelist = client.get(reverse("admin:prioritering_ronde_changelist")).content.decode()
    assert "1 / 2" in changelist


def test_the_close_action_freezes_the_results(client, programmateam, ronde, needs, anna):
    services.cast_ballot(token=anna.token, points=points(needs, 3))
    client.force_login(programmateam)
    response = client.post(
        reverse("admin:prioritering_ronde_changelist"),
        {"action": "close_rounds", "_selected_action": [ronde.pk]},
        follow=True,
    )
    assert "de uitslag is vastgelegd" in response.content.decode()
    ronde.refresh_from_db()
    assert ronde.status == Ronde.Status.CLOSED and ronde.results["points_cast"] == 3


@pytest.mark.parametrize("role", ["facilitator_a", "anonymous"])
def test_others_do_not_get_the_round_admin(client, request, ronde, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for url in (
        reverse("admin:prioritering_ronde_changelist"),
        reverse("admin:prioritering_ronde_change", args=[ronde.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403, 404)
        assert "Tussenstand" not in response.content.decode()


def test_the_change_page_offers_closing_which_asks_first_then_freezes(client, programmateam, ronde, needs, anna):
    services.cast_ballot(token=anna.token, points=points(needs, 2))
    client.force_login(programmateam)
    close_url = reverse("admin:prioritering_ronde_sluiten", args=[ronde.pk])
    assert (
        f'href="{close_url}"'
        in client.get(reverse("admin:prioritering_ronde_change", args=[ronde.pk])).content.decode()
    )
    confirm = client.get(close_url)
    assert confirm.status_code == 200 and "1 van de 1 genodigden deden mee." in confirm.content.decode()
    ronde.refresh_from_db()
    assert ronde.is_open  # asking closes nothing
    response = client.post(close_url)
    assert response.status_code == 302
    ronde.refresh_from_db()
    assert ronde.status == Ronde.Status.CLOSED and ronde.results["points_cast"] == 2
    assert (
        'href="' + close_url
        not in client.get(reverse("admin:prioritering_ronde_change", args=[ronde.pk])).content.decode()
    )


def test_a_facilitator_cannot_close_a_round(client, facilitator_a, ronde):
    client.force_login(facilitator_a)
    response = client.post(reverse("admin:prioritering_ronde_sluiten", args=[ronde.pk]))
    assert response.status_code in (302, 403)
    ronde.refresh_from_db()
    assert ronde.is_open
