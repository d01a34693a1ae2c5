"""Issue 17, finding 8, for the programme team's texts: a knelpunt's title and follow-up explanation
go out in the follow-up digest email, so control characters are refused there too."""

from __future__ import annotations

import pytest

from belemmeringen.models import KnelpuntStatusWijziging
from belemmeringen.tests.test_knelpunt_admin import change_data, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["Geen budget\r\nBcc: injected@example.com", "Geen budget\x00", "Geen\u2028budget"])
def test_knelpunt_title_with_a_line_break_or_control_character_is_refused_in_dutch(
    client, knelpunt, programmateam, value
):
    client.force_login(programmateam)
    before = knelpunt.title
    response = client.post(url("knelpunt_change", knelpunt.pk), change_data(knelpunt, title=value))
    assert response.status_code == 200
    assert "Dit veld mag geen regelovergang, tab of onzichtbaar stuurteken bevatten." in response.content.decode()
    knelpunt.refresh_from_db()
    assert knelpunt.title == before


def test_follow_up_explanation_keeps_line_breaks_but_refuses_other_control_characters(client, knelpunt, programmateam):
    client.force_login(programmateam)
    data = change_data(knelpunt, status="programma", status_explanation="Spoor 2.\x1b[31m")
    response = client.post(url("knelpunt_change", knelpunt.pk), data)
    assert response.status_code == 200
    assert "Dit veld bevat een onzichtbaar stuurteken." in response.content.decode()
    assert not KnelpuntStatusWijziging.objects.exists()

    data = change_data(knelpunt, status="programma", status_explanation="Spoor 2.\r\nVanaf 2027.")
    assert client.post(url("knelpunt_change", knelpunt.pk), data).status_code == 302
    knelpunt.refresh_from_db()
    assert knelpunt.status_explanation.splitlines() == ["Spoor 2.", "Vanaf 2027."]
