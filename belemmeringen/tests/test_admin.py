"""The facilitators' admin per role: facilitator of A, facilitator of B, programme staff, anonymous."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from belemmeringen.models import Behoefte, Belemmering, LichtmastAntwoord, Subthema, Thema
from belemmeringen.tests.factories import make_belemmering
from core.tests.factories import make_staff

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:belemmeringen_{name}", args=args)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# --- Pages render for each role ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["facilitator_a", "programmateam", "superuser"])
def test_every_admin_page_renders_for_staff_roles(request, as_user, role, belemmering_a, antwoord_a):
    client = as_user(request.getfixturevalue(role))
    thema = Thema.objects.get(name="Technisch")
    pages = [
        url("belemmering_changelist"),
        url("belemmering_add"),
        url("belemmering_change", belemmering_a.pk),
        url("belemmering_import"),
        url("belemmering_export"),
        url("behoefte_changelist"),
        url("behoefte_add"),
        url("behoefte_change", belemmering_a.behoeften.get().pk),
        url("lichtmastantwoord_changelist"),
        url("lichtmastantwoord_change", antwoord_a.pk),
        url("sessiebevindingen_changelist"),
        url("sessiebevindingen_change", belemmering_a.session_id),
        url("thema_changelist"),
        url("thema_change", thema.pk),
        reverse("admin:index"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page


def test_programme_staff_can_open_add_pages_of_answers_and_themes(as_user, programmateam):
    client = as_user(programmateam)
    assert client.get(url("lichtmastantwoord_add")).status_code == 200
    assert client.get(url("thema_add")).status_code == 200


def test_facilitator_may_add_an_answer_but_not_reference_data(as_user, facilitator_a, session_a):
    client = as_user(facilitator_a)
    assert client.get(url("lichtmastantwoord_add")).status_code == 200
    assert client.get(url("thema_add")).status_code == 403
    thema = Thema.objects.get(name="Technisch")
    response = client.post(url("thema_change", thema.pk), {"name": "Techniek", "slug": "technisch", "order": 4})
    assert response.status_code == 403
    assert Thema.objects.get(pk=thema.pk).name == "Technisch"


def test_nobody_adds_or_deletes_sessions_on_the_findings_page(as_user, programmateam, session_a):
    client = as_user(programmateam)
    assert client.get(url("sessiebevindingen_add")).status_code == 403
    assert client.get(url("sessiebevindingen_delete", session_a.pk)).status_code == 403


def test_anonymous_is_sent_to_login_everywhere(client, belemmering_a, antwoord_a):
    for page in [
        url("belemmering_changelist"),
        url("belemmering_change", belemmering_a.pk),
        url("belemmering_import"),
        url("belemmering_export"),
        url("belemmering_sjabloon"),
        url("sessiebevindingen_change", belemmering_a.session_id),
        url("lichtmastantwoord_change", antwoord_a.pk),
    ]:
        response = client.get(page)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


# --- Facilitator of A cannot list, open, change, export or import B's data -----------------------


def test_facilitator_lists_only_own_sessions_obstacles(as_user, facilitator_a, belemmering_a, belemmering_b):
    response = as_user(facilitator_a).get(url("belemmering_changelist"))
    content = response.content.decode()
    assert belemmering_a.title in content
    assert belemmering_b.title not in content


def test_programme_staff_list_all_obstacles(as_user, programmateam, belemmering_a, belemmering_b):
    content = as_user(programmateam).get(url("belemmering_changelist")).content.decode()
    assert belemmering_a.title in content
    assert belemmering_b.title in content


def test_facilitator_cannot_open_other_sessions_obstacle(as_user, facilitator_a, belemmering_b):
    response = as_user(facilitator_a).get(url("belemmering_change", belemmering_b.pk))
    # A plain not-found page, the same as for a row that does not exist; nothing of B shown.
    assert response.status_code == 404
    assert belemmering_b.title not in response.content.decode()
    missing = as_user(facilitator_a).get(url("belemmering_change", belemmering_b.pk + 1000))
    assert missing.status_code == 404


def test_facilitator_cannot_change_other_sessions_obstacle(as_user, facilitator_a, belemmering_b):
    client = as_user(facilitator_a)
    response = client.post(url("belemmering_change", belemmering_b.pk), {"title": "Overschreven"})
    assert response.status_code == 404
    belemmering_b.refresh_from_db()
    assert belemmering_b.title != "Overschreven"


def test_facilitator_cannot_open_other_sessions_findings_page_or_answer(as_user, facilitator_a, session_b, antwoord_b):
    client = as_user(facilitator_a)
    assert client.get(url("sessiebevindingen_change", session_b.pk)).status_code == 404
    assert client.get(url("lichtmastantwoord_change", antwoord_b.pk)).status_code == 404
    listing = client.get(url("lichtmastantwoord_changelist")).content.decode()
    assert "Zuid zegt nee" not in listing and str(session_b) not in listing


def test_facilitator_export_contains_only_own_obstacles(as_user, facilitator_a, belemmering_a, belemmering_b):
    response = as_user(facilitator_a).post(url("belemmering_export"), {"format": "0", "resource": "0"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Belemmeringen"]
    titles = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == [belemmering_a.title]


def test_facilitator_is_not_offered_other_sessions_for_import(as_user, facilitator_a, session_b):
    response = as_user(facilitator_a).get(url("belemmering_import"))
    choices = [str(pk) for pk, _label in response.context["form"].fields["session"].choices if pk]
    assert choices == [str(facilitator_a.facilitated_sessions.get().pk)]


def test_facilitator_cannot_import_into_other_session(as_user, facilitator_a, session_b):
    data = b"Thema,Titel,Niveau,Dimensie\nTechnisch,Ingeschoven,lokaal,verticaal\n"
    upload = io.BytesIO(data)
    upload.name = "b.csv"
    response = as_user(facilitator_a).post(
        url("belemmering_import"), {"session": session_b.pk, "format": "1", "resource": "0", "import_file": upload}
    )
    assert response.status_code == 200
    assert "Kies een regiosessie die u beheert." in response.content.decode()
    assert not Belemmering.objects.filter(title="Ingeschoven").exists()


def test_facilitator_session_select_offers_only_own_sessions(as_user, facilitator_a, session_a, session_b):
    response = as_user(facilitator_a).get(url("belemmering_add"))
    sessions = list(response.context["adminform"].form.fields["session"].queryset)
    assert sessions == [session_a]


def test_facilitator_cannot_add_obstacle_to_other_session(as_user, facilitator_a, session_b):
    thema = Thema.objects.get(name="Technisch")
    response = as_user(facilitator_a).post(
        url("belemmering_add"),
        {
            "session": session_b.pk,
            "thema": thema.pk,
            "title": "Stiekem",
            "level": "lokaal",
            "dimension": "verticaal",
            "recognised_by": 1,
            "status": "concept",
        },
    )
    assert response.status_code == 200
    assert not Belemmering.objects.filter(title="Stiekem").exists()


def test_facilitator_b_cannot_see_a_findings_page_in_list(as_user, facilitator_b, session_a, session_b):
    content = as_user(facilitator_b).get(url("sessiebevindingen_changelist")).content.decode()
    assert session_b.title in content
    assert session_a.title not in content


def test_staff_without_group_sees_no_findings(as_user, belemmering_a):
    user = make_staff("zonder-groep")
    client = as_user(user)
    assert client.get(url("belemmering_changelist")).status_code == 403


# --- Entering findings ----------------------------------------------------------------------------


def test_add_obstacle_fills_created_by(as_user, facilitator_a, session_a):
    thema = Thema.objects.get(name="Organisatie")
    sub = Subthema.objects.get(thema=thema, name="Competenties en vaardigheden")
    response = as_user(facilitator_a).post(
        url("belemmering_add"),
        {
            "session": session_a.pk,
            "thema": thema.pk,
            "subthema": sub.pk,
            "title": "Geen data-expertise",
            "level": "lokaal",
            "dimension": "horizontaal",
            "recognised_by": 4,
            "status": "concept",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Belemmering.objects.get(title="Geen data-expertise").created_by == facilitator_a


def test_admin_form_rejects_subthema_of_other_thema(as_user, facilitator_a, session_a):
    thema = Thema.objects.get(name="Technisch")
    wrong = Subthema.objects.get(name="Dataprotectie")
    response = as_user(facilitator_a).post(
        url("belemmering_add"),
        {
            "session": session_a.pk,
            "thema": thema.pk,
            "subthema": wrong.pk,
            "title": "Verkeerd paar",
            "level": "lokaal",
            "dimension": "verticaal",
            "recognised_by": 0,
            "status": "concept",
        },
    )
    assert response.status_code == 200
    assert "Dit subthema hoort niet bij het gekozen thema." in response.content.decode()
    assert not Belemmering.objects.filter(title="Verkeerd paar").exists()


def test_subthema_options_carry_their_thema_for_the_script(as_user, facilitator_a):
    content = as_user(facilitator_a).get(url("belemmering_add")).content.decode()
    standaarden = Subthema.objects.get(name="Standaarden")
    assert f'data-thema="{standaarden.thema_id}"' in content
    assert "js/admin-subthema.js" in content
    assert "<script>" not in content.replace(" ", "")  # no inline script (CSP)


def _inline_post(session, rows, antwoord=None):
    data = {
        "belemmeringen-TOTAL_FORMS": str(len(rows)),
        "belemmeringen-INITIAL_FORMS": "0",
        "belemmeringen-MIN_NUM_FORMS": "0",
        "belemmeringen-MAX_NUM_FORMS": "1000",
        "lichtmast_antwoord-TOTAL_FORMS": "1" if antwoord else "0",
        "lichtmast_antwoord-INITIAL_FORMS": "0",
        "lichtmast_antwoord-MIN_NUM_FORMS": "0",
        "lichtmast_antwoord-MAX_NUM_FORMS": "1",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"belemmeringen-{index}-{key}"] = value
        data[f"belemmeringen-{index}-session"] = session.pk
    if antwoord:
        for key, value in antwoord.items():
            data[f"lichtmast_antwoord-0-{key}"] = value
        data["lichtmast_antwoord-0-session"] = session.pk
    return data


def test_session_page_saves_inline_obstacles_and_lamp_post_answer(as_user, facilitator_a, session_a, behoefte):
    thema = Thema.objects.get(name="Financiering")
    sub = Subthema.objects.get(thema=thema, name="Cofinanciering")
    data = _inline_post(
        session_a,
        [
            {
                "thema": thema.pk,
                "subthema": sub.pk,
                "title": "Geen cofinanciering",
                "level": "regionaal",
                "dimension": "regionaal",
                "recognised_by": 7,
                "status": "concept",
                "behoeften": [behoefte.pk],
            }
        ],
        antwoord={"verdict": "voorwaarden", "summary": "Kan, mits de netbeheerder meedoet."},
    )
    response = as_user(facilitator_a).post(url("sessiebevindingen_change", session_a.pk), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    obj = Belemmering.objects.get(title="Geen cofinanciering")
    assert obj.session == session_a
    assert obj.created_by == facilitator_a
    assert list(obj.behoeften.all()) == [behoefte]
    antwoord = LichtmastAntwoord.objects.get(session=session_a)
    assert antwoord.verdict == "voorwaarden"
    assert antwoord.created_by == facilitator_a


def test_session_page_rejects_negative_recognised_count(as_user, facilitator_a, session_a):
    thema = Thema.objects.get(name="Technisch")
    data = _inline_post(
        session_a,
        [
            {
                "thema": thema.pk,
                "title": "Negatief",
                "level": "lokaal",
                "dimension": "verticaal",
                "recognised_by": -2,
                "status": "concept",
            }
        ],
    )
    response = as_user(facilitator_a).post(url("sessiebevindingen_change", session_a.pk), data)
    assert response.status_code == 200
    assert not Belemmering.objects.filter(title="Negatief").exists()


def test_lamp_post_answer_page_links_back_to_session_findings(as_user, facilitator_a, antwoord_a):
    content = as_user(facilitator_a).get(url("lichtmastantwoord_change", antwoord_a.pk)).content.decode()
    assert url("sessiebevindingen_change", antwoord_a.session_id) in content
    assert "Voeding ook overdag nodig" in content


def test_session_page_links_to_lamp_post_findings(as_user, facilitator_a, antwoord_a):
    content = as_user(facilitator_a).get(url("sessiebevindingen_change", antwoord_a.session_id)).content.decode()
    assert url("lichtmastantwoord_change", antwoord_a.pk) in content


def test_mark_established_action_only_touches_own_obstacles(as_user, facilitator_a, belemmering_a, belemmering_b):
    response = as_user(facilitator_a).post(
        url("belemmering_changelist"),
        {"action": "markeer_vastgesteld", "_selected_action": [belemmering_a.pk, belemmering_b.pk]},
    )
    assert response.status_code == 302
    belemmering_a.refresh_from_db()
    belemmering_b.refresh_from_db()
    assert belemmering_a.status == Belemmering.Status.VASTGESTELD
    assert belemmering_b.status == Belemmering.Status.CONCEPT


@pytest.mark.parametrize(
    "query",
    [
        "thema__id__exact=1",
        "level__exact=lokaal",
        "dimension__exact=verticaal",
        "status__exact=concept",
        "regio=1",
        "q=sensordata",
    ],
)
def test_changelist_filters_and_search_work(as_user, programmateam, belemmering_a, query):
    response = as_user(programmateam).get(url("belemmering_changelist") + "?" + query)
    assert response.status_code == 200


def test_changelist_query_count_does_not_grow_with_rows(as_user, programmateam, session_a):
    client = as_user(programmateam)
    for i in range(3):
        make_belemmering(session_a, title=f"Rij {i}")

    with CaptureQueriesContext(connection) as few:
        client.get(url("belemmering_changelist"))
    for i in range(40):
        make_belemmering(session_a, title=f"Meer {i}", subthema="Centraal of decentraal")
    with CaptureQueriesContext(connection) as many:
        client.get(url("belemmering_changelist"))
    assert len(many) == len(few)


# --- Needs ---------------------------------------------------------------------------------------


def test_behoefte_autocomplete_finds_shared_needs_for_facilitator(as_user, facilitator_a, session_a, belemmering_b):
    response = as_user(facilitator_a).get(
        reverse("admin:autocomplete"),
        {"term": "datastandaard", "app_label": "belemmeringen", "model_name": "belemmering", "field_name": "behoeften"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "Landelijke datastandaard voor sensoren in de openbare ruimte"
    ]


def test_facilitator_cannot_change_need_used_by_other_session(
    as_user, facilitator_a, belemmering_a, belemmering_b, behoefte
):
    behoefte.created_by = facilitator_a
    behoefte.save()
    client = as_user(facilitator_a)
    client.post(
        url("behoefte_change", behoefte.pk), {"title": "Andere tekst", "support_type": "kennis", "level": "lokaal"}
    )
    behoefte.refresh_from_db()
    assert behoefte.title != "Andere tekst"


def test_creator_may_change_need_used_only_in_own_session(as_user, facilitator_a, belemmering_a, behoefte):
    behoefte.created_by = facilitator_a
    behoefte.save()
    response = as_user(facilitator_a).post(
        url("behoefte_change", behoefte.pk),
        {"title": "Nationale sensorstandaard", "support_type": "standaarden", "level": "nationaal"},
    )
    assert response.status_code == 302
    behoefte.refresh_from_db()
    assert behoefte.title == "Nationale sensorstandaard"


def test_facilitator_cannot_change_need_created_by_someone_else(as_user, facilitator_a, behoefte):
    response = as_user(facilitator_a).post(
        url("behoefte_change", behoefte.pk), {"title": "Gekaapt", "support_type": "kennis", "level": "lokaal"}
    )
    assert response.status_code == 403
    assert Behoefte.objects.get(pk=behoefte.pk).title != "Gekaapt"


def test_programme_staff_may_change_any_need(as_user, programmateam, belemmering_a, belemmering_b, behoefte):
    response = as_user(programmateam).post(
        url("behoefte_change", behoefte.pk),
        {"title": "Landelijke sensorstandaard", "support_type": "standaarden", "level": "nationaal"},
    )
    assert response.status_code == 302
    assert Behoefte.objects.get(pk=behoefte.pk).title == "Landelijke sensorstandaard"


def test_blank_template_downloads_with_allowed_values(as_user, facilitator_a):
    response = as_user(facilitator_a).get(url("belemmering_sjabloon"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["Belemmeringen"][1]][:5] == ["ID", "Regiosessie", "Thema", "Subthema", "Titel"]
    values = [c for row in book["Toegestane waarden"].iter_rows(values_only=True) for c in row if c]
    assert "Organisatie" in values and "Lokaal" in values and "Vastgesteld" in values
    assert "Verticaal (binnen de eigen afdeling)" in values
    dropdowns = {str(v.sqref): v.formula1 for v in book["Belemmeringen"].data_validations.dataValidation}
    assert dropdowns["C2:C5000"].startswith("'_keuzes'!$A$1")  # Thema
    assert set(dropdowns) == {"C2:C5000", "D2:D5000", "G2:G5000", "H2:H5000", "L2:L5000"}


def test_blank_template_filled_in_imports(session_a):
    from belemmeringen.services import import_belemmeringen
    from belemmeringen.spreadsheets import blank_template

    book = load_workbook(io.BytesIO(blank_template()))
    sheet = book["Belemmeringen"]
    sheet.append(
        [
            None,
            None,
            "Financiering",
            "Cofinanciering",
            "Geen budget voor beheer",
            "",
            "Lokaal",
            "Verticaal",
            2,
            "",
            "",
            "",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_belemmeringen(data=buffer.getvalue(), file_name="ingevuld.xlsx", session=session_a)
    assert report.errors == [] and report.new == 1


# --- Import through the admin: preview, then confirm ------------------------------------------------


def _upload(text: str, name="belemmeringen.csv"):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def test_admin_import_previews_then_saves_on_confirm(as_user, facilitator_a, session_a):
    client = as_user(facilitator_a)
    data = "Thema;Titel;Niveau;Dimensie;Herkend door;Behoeften\nTechnisch;Geen open standaard;Nationaal;Nationaal;3;Kennisnetwerk opschaling\n"
    preview = client.post(
        url("belemmering_import"),
        {"session": session_a.pk, "format": "1", "resource": "0", "import_file": _upload(data)},
    )
    assert preview.status_code == 200
    assert "Geen open standaard" in preview.content.decode()
    assert "Kennisnetwerk opschaling" in preview.content.decode()  # the needs the row will get
    assert not Behoefte.objects.exists()
    assert not Belemmering.objects.exists()  # the preview saved nothing
    confirm = preview.context["confirm_form"]
    response = client.post(url("belemmering_process_import"), {**confirm.initial}, follow=True)
    assert "Import voltooid: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd." in response.content.decode()
    obj = Belemmering.objects.get()
    assert (obj.title, obj.session, obj.created_by) == ("Geen open standaard", session_a, facilitator_a)
    assert [b.title for b in obj.behoeften.all()] == ["Kennisnetwerk opschaling"]


def test_admin_import_shows_row_errors_in_dutch_and_offers_no_confirm(as_user, facilitator_a, session_a):
    data = "Thema;Titel;Niveau;Dimensie\nTechnisch;Goed;Lokaal;Verticaal\nMobiliteit;Fout;Lokaal;Verticaal\n"
    response = as_user(facilitator_a).post(
        url("belemmering_import"),
        {"session": session_a.pk, "format": "1", "resource": "0", "import_file": _upload(data)},
    )
    content = response.content.decode()
    assert "Rij 3, kolom Thema: onbekend thema" in content
    assert "Het bestand is niet ingelezen: 1 fout." in content  # summary above the form, list below
    assert "confirm_form" not in response.context or not response.context["confirm_form"]
    assert not Belemmering.objects.exists()


def test_admin_import_refuses_file_over_10_mb(as_user, facilitator_a, session_a):
    big = _upload("Thema;Titel;Niveau;Dimensie\n" + "#" * (10 * 1024 * 1024 + 1))
    response = as_user(facilitator_a).post(
        url("belemmering_import"), {"session": session_a.pk, "format": "1", "resource": "0", "import_file": big}
    )
    assert response.status_code == 200
    assert "het maximum is 10 MB" in response.content.decode()
    assert not Belemmering.objects.exists()


def test_confirm_step_rechecks_the_session(as_user, facilitator_a, session_a, session_b):
    client = as_user(facilitator_a)
    data = "Thema;Titel;Niveau;Dimensie\nTechnisch;Via een omweg;Lokaal;Verticaal\n"
    preview = client.post(
        url("belemmering_import"),
        {"session": session_a.pk, "format": "1", "resource": "0", "import_file": _upload(data)},
    )
    forged = {**preview.context["confirm_form"].initial, "session": session_b.pk}
    response = client.post(url("belemmering_process_import"), forged)
    assert response.status_code == 200
    assert not Belemmering.objects.exists()
