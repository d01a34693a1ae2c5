"""The facilitators' and programme staff's paths through the findings admin (issue 15): concept entries are
announced, the start page says what to do, messages read right, and nothing of another session shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from belemmeringen.models import Belemmering, LichtmastAntwoord
from belemmeringen.tests.factories import make_belemmering

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:belemmeringen_{name}", args=args)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# --- Concept entries ------------------------------------------------------------------------------


def test_findings_page_says_concept_entries_stay_out_of_the_report(as_user, facilitator_a, session_a):
    make_belemmering(session_a, title="Nog in concept")
    make_belemmering(session_a, title="Al vastgesteld", status=Belemmering.Status.VASTGESTELD)
    page = as_user(facilitator_a).get(url("sessiebevindingen_change", session_a.pk)).content.decode()
    assert "komen pas in het rapport als u ze op “Vastgesteld” zet" in page
    assert "1 belemmering van deze sessie staat nog op concept" in page
    assert f"?status__exact=concept&amp;session={session_a.pk}" in page
    assert reverse("rapportage:session_pdf", kwargs={"slug": session_a.slug}) in page


def test_obstacle_list_warns_about_concept_entries_with_a_link_to_them(
    as_user, facilitator_a, session_a, belemmering_b
):
    make_belemmering(session_a, title="Nog in concept")
    response = as_user(facilitator_a).get(url("belemmering_changelist"))
    page = response.content.decode()
    # Only the facilitator's own concept entry is counted (B's is concept too).
    assert "1 belemmering staat nog op concept" in page
    assert "?status__exact=concept" in page
    filtered = as_user(facilitator_a).get(url("belemmering_changelist") + "?status__exact=concept")
    assert filtered.status_code == 200 and "Nog in concept" in filtered.content.decode()


def test_obstacle_list_says_nothing_when_all_entries_are_established(as_user, facilitator_a, session_a):
    make_belemmering(session_a, status=Belemmering.Status.VASTGESTELD)
    page = as_user(facilitator_a).get(url("belemmering_changelist")).content.decode()
    assert "nog op concept" not in page


# --- Start page ----------------------------------------------------------------------------------


def test_start_page_tells_a_facilitator_what_to_do_for_their_session(as_user, facilitator_a, session_a, session_b):
    make_belemmering(session_a, title="Nog in concept")
    page = as_user(facilitator_a).get(reverse("admin:index")).content.decode()
    assert "Voer de bevindingen van uw sessie in" in page
    assert "Markeer ze als vastgesteld" in page
    assert "Beantwoord de lichtmastvraag" in page
    assert url("sessiebevindingen_change", session_a.pk) in page
    assert "1 belemmering staat nog op concept" in page
    assert url("lichtmastantwoord_add") + f"?session={session_a.pk}" in page
    assert reverse("rapportage:session_pdf", kwargs={"slug": session_a.slug}) in page
    assert reverse("admin:regiosessies_regiosessie_bericht", args=[session_a.pk]) in page
    # Nothing of session B.
    assert url("sessiebevindingen_change", session_b.pk) not in page
    assert f'href="{reverse("rapportage:dashboard")}"' not in page


def test_start_page_links_an_answered_lamp_post_question_to_the_answer(as_user, facilitator_a, antwoord_a):
    page = as_user(facilitator_a).get(reverse("admin:index")).content.decode()
    assert url("lichtmastantwoord_change", antwoord_a.pk) in page


def test_programme_staff_find_the_reports_on_the_start_page_and_in_the_header(as_user, programmateam, facilitator_a):
    page = as_user(programmateam).get(reverse("admin:index")).content.decode()
    assert page.count(f'href="{reverse("rapportage:dashboard")}"') == 2  # header and start page
    assert reverse("rapportage:pdf") in page
    facilitator_page = as_user(facilitator_a).get(url("belemmering_changelist")).content.decode()
    assert f'href="{reverse("rapportage:dashboard")}"' not in facilitator_page


def test_admin_index_hidden_table_headers_are_dutch(as_user, facilitator_a):
    page = as_user(facilitator_a).get(reverse("admin:index")).content.decode()
    assert "Model name" not in page and "Add link" not in page
    assert "Onderdeel" in page and "Link om toe te voegen" in page


# --- Messages ------------------------------------------------------------------------------------


def test_findings_list_counts_sessions_in_proper_dutch(as_user, facilitator_a, programmateam, session_a, session_b):
    assert "1 sessie\n" in as_user(facilitator_a).get(url("sessiebevindingen_changelist")).content.decode()
    page = as_user(programmateam).get(url("sessiebevindingen_changelist")).content.decode()
    assert "2 sessies" in page and "bevindingen per sessie\n" not in page.split('class="paginator"')[1]


def test_saving_the_findings_page_says_the_findings_were_saved(as_user, facilitator_a, session_a):
    data = {
        "belemmeringen-TOTAL_FORMS": "0",
        "belemmeringen-INITIAL_FORMS": "0",
        "lichtmast_antwoord-TOTAL_FORMS": "0",
        "lichtmast_antwoord-INITIAL_FORMS": "0",
        "_continue": "1",
    }
    client = as_user(facilitator_a)
    response = client.post(url("sessiebevindingen_change", session_a.pk), data, follow=True)
    assert response.redirect_chain[-1][0] == url("sessiebevindingen_change", session_a.pk)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [f"De bevindingen van “{session_a}” zijn opgeslagen."]


def test_adding_a_second_lamp_post_answer_leads_to_the_existing_one(as_user, facilitator_a, session_a, antwoord_a):
    client = as_user(facilitator_a)
    # The facilitator's only session has its answer: "add" opens that answer.
    response = client.get(url("lichtmastantwoord_add"))
    assert response.status_code == 302
    assert response["Location"] == url("lichtmastantwoord_change", antwoord_a.pk)
    response = client.get(url("lichtmastantwoord_add") + f"?session={session_a.pk}")
    assert response["Location"] == url("lichtmastantwoord_change", antwoord_a.pk)


def test_posting_a_second_lamp_post_answer_links_the_existing_one_and_keeps_the_input(
    as_user, programmateam, session_a, antwoord_a
):
    response = as_user(programmateam).post(
        url("lichtmastantwoord_add"),
        {
            "session": session_a.pk,
            "verdict": LichtmastAntwoord.Oordeel.JA,
            "summary": "Mijn samenvatting",
            "bevindingen-TOTAL_FORMS": "0",
            "bevindingen-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze sessie heeft al een antwoord op de lichtmastvraag." in page
    assert f'href="{url("lichtmastantwoord_change", antwoord_a.pk)}"' in page
    assert "Er bestaat al een" not in page
    assert "Mijn samenvatting" in page
    assert LichtmastAntwoord.objects.count() == 1


def test_programme_staff_can_still_add_an_answer_for_a_session_without_one(
    as_user, programmateam, session_a, session_b, antwoord_a
):
    client = as_user(programmateam)
    assert client.get(url("lichtmastantwoord_add")).status_code == 200
    assert client.get(url("lichtmastantwoord_add") + f"?session={session_b.pk}").status_code == 200


# --- Scoping -------------------------------------------------------------------------------------


def test_region_filter_offers_only_the_facilitators_own_region(as_user, facilitator_a, session_a, session_b):
    response = as_user(facilitator_a).get(url("belemmering_changelist"))
    regio_filter = next(f for f in response.context["cl"].filter_specs if f.parameter_name == "regio")
    assert [label for _value, label in regio_filter.lookup_choices] == [session_a.regio.name]
    sessions = as_user(facilitator_a).get(reverse("admin:regiosessies_regiosessie_changelist"))
    regio_filter = next(f for f in sessions.context["cl"].filter_specs if getattr(f, "parameter_name", "") == "regio")
    assert [label for _value, label in regio_filter.lookup_choices] == [session_a.regio.name]


def test_region_filter_narrows_the_list(as_user, programmateam, belemmering_a, belemmering_b):
    response = as_user(programmateam).get(url("belemmering_changelist") + f"?regio={belemmering_b.session.regio_id}")
    titles = [obj.title for obj in response.context["cl"].result_list]
    assert titles == [belemmering_b.title]


@pytest.mark.parametrize(
    "name", ["belemmering_change", "belemmering_history", "lichtmastantwoord_change", "sessiebevindingen_change"]
)
def test_other_sessions_rows_are_plain_not_found_like_missing_ones(
    as_user, facilitator_a, belemmering_b, antwoord_b, name
):
    obj_pk = {"belemmering": belemmering_b.pk, "lichtmastantwoord": antwoord_b.pk}.get(
        name.split("_")[0], belemmering_b.session_id
    )
    client = as_user(facilitator_a)
    other = client.get(url(name, obj_pk))
    missing = client.get(url(name, 999_999))
    assert other.status_code == missing.status_code == 404
    # The site's own not-found page, not the admin's "… met ID “…” bestaat niet" bounce.
    assert "Deze pagina bestaat niet" in other.content.decode()
    assert belemmering_b.title not in other.content.decode()


def test_findings_list_links_each_sessions_concept_count_to_those_entries(as_user, facilitator_a, session_a):
    make_belemmering(session_a, title="Nog in concept")
    page = as_user(facilitator_a).get(url("sessiebevindingen_changelist")).content.decode()
    assert f'<a href="{url("belemmering_changelist")}?status__exact=concept&amp;session={session_a.pk}">1</a>' in page
