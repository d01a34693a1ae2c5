"""The knelpunten admin per role: programme staff group and follow up; facilitators are refused (403)
and never see knelpunten; anonymous visitors are sent to the login page."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from belemmeringen import services
from belemmeringen.models import Belemmering, Knelpunt, KnelpuntStatusWijziging, Thema

pytestmark = pytest.mark.django_db

ACTION_CHECKBOX = "_selected_action"


def url(name, *args):
    return reverse(f"admin:belemmeringen_{name}", args=args)


@pytest.fixture
def second(entries, programmateam):
    return services.create_knelpunt(belemmeringen=entries[2:], user=programmateam)


def pages(knelpunt) -> list[str]:
    return [
        url("knelpunt_changelist"),
        url("knelpunt_add"),
        url("knelpunt_change", knelpunt.pk),
        url("knelpunt_history", knelpunt.pk),
        url("knelpunt_delete", knelpunt.pk),
        url("knelpunt_suggesties"),
        url("knelpunt_splitsen", knelpunt.pk),
        url("knelpunt_samenvoegen", knelpunt.pk),
    ]


# --- Access per role --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["programmateam", "superuser"])
def test_programme_staff_get_every_knelpunt_page(request, client, knelpunt, role):
    client.force_login(request.getfixturevalue(role))
    for page in pages(knelpunt):
        assert client.get(page).status_code == 200, page


def test_facilitator_is_refused_every_knelpunt_page_and_action(client, knelpunt, facilitator_a):
    client.force_login(facilitator_a)
    for page in pages(knelpunt):
        assert client.get(page).status_code == 403, page
    for page in (
        url("knelpunt_suggesties"),
        url("knelpunt_splitsen", knelpunt.pk),
        url("knelpunt_samenvoegen", knelpunt.pk),
    ):
        assert client.post(page, {"suggestie": "n:1.2", "met": knelpunt.pk}).status_code == 403, page
    index = client.get(reverse("admin:index")).content.decode()
    assert "knelpunt" not in index.lower()


def test_anonymous_is_sent_to_login(client, knelpunt):
    for page in pages(knelpunt):
        response = client.get(page)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], page


def test_facilitator_sees_no_knelpunt_column_filter_or_grouping_action(client, entries, knelpunt, facilitator_a):
    client.force_login(facilitator_a)
    response = client.get(url("belemmering_changelist"))
    html = response.content.decode()
    assert "groepeer_nieuw" not in html and "voeg_toe_aan_knelpunt" not in html
    assert "Nog niet gegroepeerd" not in html and knelpunt.title not in html.replace(entries[0].title, "")
    assert [b.pk for b in response.context["cl"].result_list] == [entries[0].pk]
    # Posting the action by hand does nothing.
    response = client.post(
        url("belemmering_changelist"), {"action": "groepeer_nieuw", ACTION_CHECKBOX: [entries[0].pk]}
    )
    assert Knelpunt.objects.count() == 1
    entries[0].refresh_from_db()
    assert entries[0].knelpunt_id == knelpunt.pk


def test_facilitator_cannot_set_the_knelpunt_on_an_entry(client, entries, knelpunt, second, facilitator_a):
    client.force_login(facilitator_a)
    page = client.get(url("belemmering_change", entries[0].pk))
    assert 'name="knelpunt"' not in page.content.decode()
    data = {
        "session": entries[0].session_id,
        "thema": entries[0].thema_id,
        "subthema": entries[0].subthema_id,
        "title": "Aangepast",
        "level": "nationaal",
        "dimension": "nationaal",
        "recognised_by": 6,
        "status": "concept",
        "knelpunt": second.pk,
    }
    assert client.post(url("belemmering_change", entries[0].pk), data).status_code == 302
    entries[0].refresh_from_db()
    assert (entries[0].title, entries[0].knelpunt_id) == ("Aangepast", knelpunt.pk)


# --- The to-do list and its actions --------------------------------------------------------------------


def test_todo_filter_lists_only_ungrouped_entries(client, entries, knelpunt, programmateam):
    client.force_login(programmateam)
    response = client.get(url("belemmering_changelist") + "?knelpunt=geen")
    assert [b.pk for b in response.context["cl"].result_list] == [entries[2].pk]
    response = client.get(url("belemmering_changelist") + f"?knelpunt={knelpunt.pk}")
    assert {b.pk for b in response.context["cl"].result_list} == {entries[0].pk, entries[1].pk}


def test_action_groups_selected_entries_into_a_new_knelpunt(client, entries, programmateam):
    client.force_login(programmateam)
    response = client.post(
        url("belemmering_changelist"), {"action": "groepeer_nieuw", ACTION_CHECKBOX: [entries[0].pk, entries[1].pk]}
    )
    knelpunt = Knelpunt.objects.get()
    assert response["Location"] == url("knelpunt_change", knelpunt.pk)
    assert set(knelpunt.belemmeringen.all()) == set(entries[:2])
    assert LogEntry.objects.filter(object_id=str(knelpunt.pk), user=programmateam).exists()


def test_add_to_knelpunt_asks_which_then_adds(client, entries, knelpunt, programmateam):
    client.force_login(programmateam)
    data = {"action": "voeg_toe_aan_knelpunt", ACTION_CHECKBOX: [entries[2].pk]}
    page = client.post(url("belemmering_changelist"), data)
    assert page.status_code == 200 and knelpunt.title in page.content.decode()
    missing = client.post(url("belemmering_changelist"), {**data, "kies_knelpunt": "1"})
    assert "Kies het knelpunt waar de belemmeringen bij horen." in missing.content.decode()
    done = client.post(url("belemmering_changelist"), {**data, "kies_knelpunt": "1", "knelpunt": knelpunt.pk})
    assert done.status_code == 302
    assert knelpunt.belemmeringen.count() == 3


def test_remove_action_puts_entries_back_on_the_todo_list(client, entries, knelpunt, programmateam):
    client.force_login(programmateam)
    client.post(url("belemmering_changelist"), {"action": "haal_uit_knelpunt", ACTION_CHECKBOX: [entries[0].pk]})
    assert set(Belemmering.objects.ungrouped()) == {entries[0], entries[2]}
    assert Belemmering.objects.count() == 3


# --- The knelpunt's page ------------------------------------------------------------------------------


def change_data(knelpunt, **overrides):
    data = {
        "title": knelpunt.title,
        "description": knelpunt.description,
        "thema": knelpunt.thema_id,
        "subthema": knelpunt.subthema_id or "",
        "level": knelpunt.level,
        "priority": knelpunt.priority,
        "status": knelpunt.status,
        "status_explanation": knelpunt.status_explanation,
    }
    data.update(overrides)
    return data


def test_change_page_shows_entries_with_region_level_and_recognition(client, knelpunt, programmateam):
    client.force_login(programmateam)
    html = client.get(url("knelpunt_change", knelpunt.pk)).content.decode()
    assert "Pilotresultaten worden niet gedeeld" in html and "pilotresultaten  worden niet gedeeld" in html
    assert "Noord" in html and "Zuid" in html
    assert url("knelpunt_splitsen", knelpunt.pk) in html


def test_status_change_without_explanation_gets_a_dutch_error(client, knelpunt, programmateam):
    client.force_login(programmateam)
    response = client.post(url("knelpunt_change", knelpunt.pk), change_data(knelpunt, status="programma"))
    assert response.status_code == 200
    assert "Leg uit waarom de opvolging verandert; deelnemers lezen deze toelichting." in response.content.decode()
    knelpunt.refresh_from_db()
    assert knelpunt.status == "open" and not KnelpuntStatusWijziging.objects.exists()


def test_status_change_goes_through_the_history(client, knelpunt, programmateam):
    client.force_login(programmateam)
    data = change_data(knelpunt, status="programma", status_explanation="Onderdeel van spoor 2.", title="Nieuw")
    assert client.post(url("knelpunt_change", knelpunt.pk), data).status_code == 302
    knelpunt.refresh_from_db()
    assert (knelpunt.title, knelpunt.status, knelpunt.status_explanation) == (
        "Nieuw",
        "programma",
        "Onderdeel van spoor 2.",
    )
    step = KnelpuntStatusWijziging.objects.get()
    assert (step.old_status, step.new_status, step.changed_by) == ("open", "programma", programmateam)
    # Saving again without touching the follow-up adds no step.
    client.post(url("knelpunt_change", knelpunt.pk), change_data(knelpunt))
    assert KnelpuntStatusWijziging.objects.count() == 1


def test_adding_a_knelpunt_with_a_status_records_it(client, programmateam):
    client.force_login(programmateam)
    thema = Thema.objects.get(slug="technisch")
    data = {
        "title": "Los",
        "thema": thema.pk,
        "level": "lokaal",
        "priority": 2,
        "status": "elders",
        "status_explanation": "Bij de VNG.",
    }
    assert client.post(url("knelpunt_add"), data).status_code == 302
    knelpunt = Knelpunt.objects.get()
    assert knelpunt.status == "elders" and knelpunt.created_by == programmateam
    assert list(knelpunt.statuswijzigingen.values_list("old_status", "new_status")) == [("open", "elders")]


# --- Split, merge, suggestions ---------------------------------------------------------------------------


def test_split_page_moves_chosen_entries(client, entries, knelpunt, programmateam):
    client.force_login(programmateam)
    response = client.post(url("knelpunt_splitsen", knelpunt.pk), {"belemmeringen": [entries[1].pk], "title": "Apart"})
    new = Knelpunt.objects.get(title="Apart")
    assert response["Location"] == url("knelpunt_change", new.pk)
    assert list(new.belemmeringen.all()) == [entries[1]]
    assert list(knelpunt.belemmeringen.all()) == [entries[0]]


def test_split_page_refuses_moving_everything_with_a_message(client, entries, knelpunt, programmateam):
    client.force_login(programmateam)
    response = client.post(url("knelpunt_splitsen", knelpunt.pk), {"belemmeringen": [e.pk for e in entries[:2]]})
    assert response.status_code == 200
    assert "Laat minstens één belemmering bij dit knelpunt" in response.content.decode()
    assert Knelpunt.objects.count() == 1


def test_merge_action_leads_to_a_confirmation_and_then_merges(client, entries, knelpunt, second, programmateam):
    client.force_login(programmateam)
    response = client.post(
        url("knelpunt_changelist"), {"action": "samenvoegen", ACTION_CHECKBOX: [knelpunt.pk, second.pk]}
    )
    # The one with more entries stays.
    assert response["Location"] == url("knelpunt_samenvoegen", knelpunt.pk) + f"?met={second.pk}"
    confirm = client.get(response["Location"])
    assert "Ja, samenvoegen" in confirm.content.decode() and second.title in confirm.content.decode()
    assert Knelpunt.objects.count() == 2  # nothing happens on GET
    done = client.post(url("knelpunt_samenvoegen", knelpunt.pk), {"met": second.pk})
    assert done["Location"] == url("knelpunt_change", knelpunt.pk)
    assert list(Knelpunt.objects.all()) == [knelpunt]
    assert knelpunt.belemmeringen.count() == 3


def test_merge_action_with_one_knelpunt_explains(client, knelpunt, second, programmateam):
    client.force_login(programmateam)
    response = client.post(
        url("knelpunt_changelist"), {"action": "samenvoegen", ACTION_CHECKBOX: [knelpunt.pk]}, follow=True
    )
    assert "Kies precies twee knelpunten om samen te voegen." in response.content.decode()


def test_suggestions_page_lists_and_accepts_ticked_groups(client, entries, programmateam):
    client.force_login(programmateam)
    page = client.get(url("knelpunt_suggesties"))
    html = page.content.decode()
    assert "Maak één knelpunt van 2 belemmeringen" in html
    key = f"n:{entries[0].pk}.{entries[1].pk}"
    assert f'value="{key}"' in html
    response = client.post(url("knelpunt_suggesties"), {"suggestie": [key, "onzin"]})
    assert response.status_code == 302
    knelpunt = Knelpunt.objects.get()
    assert set(knelpunt.belemmeringen.all()) == set(entries[:2])


def test_suggestions_page_accepts_a_bad_threshold(client, entries, programmateam):
    client.force_login(programmateam)
    assert client.get(url("knelpunt_suggesties") + "?drempel=abc").status_code == 200
    assert client.get(url("knelpunt_suggesties") + "?drempel=nan").status_code == 200


def test_knelpunt_changelist_counts_sessions_and_regions(client, knelpunt, programmateam):
    Belemmering.objects.update(status=Belemmering.Status.VASTGESTELD)
    client.force_login(programmateam)
    response = client.get(url("knelpunt_changelist"))
    row = response.context["cl"].result_list[0]
    assert (row.session_count, row.region_count) == (2, 2)
