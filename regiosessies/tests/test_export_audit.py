"""Issue 17, finding 6: every export of registrations and every attendance list is in the audit log.

Before: SECURITY.md said so, but the registration export (CSV, XLSX) and the attendance PDF wrote
no audit entry.
"""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from core.models import AuditLog
from regiosessies.tests.test_export import export, register

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_registration_export_writes_an_audit_entry(client, programmateam, session_a, session_b, fmt):
    register(session_a, "Anna")
    register(session_b, "Bram")
    client.force_login(programmateam)
    assert export(client, fmt).status_code == 200
    entry = AuditLog.objects.get()
    assert (entry.action, entry.actor, entry.record_count) == (AuditLog.Action.EXPORT, programmateam, 2)
    assert entry.what == f"Aanmeldingen ({fmt})"


def test_export_of_selected_registrations_counts_those_only(client, facilitator_a, session_a):
    anna, _bram = register(session_a, "Anna"), register(session_a, "Bram")
    client.force_login(facilitator_a)
    response = client.post(
        reverse("admin:regiosessies_aanmelding_changelist"),
        {"action": "export_admin_action", ACTION_CHECKBOX_NAME: [anna.pk], "format": "0"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    data = {"format": "0", "resource": 0, "export_items": [anna.pk]}
    data.update({name: "on" for name in form.fields if name.startswith("aanmeldingresource_")})
    done = client.post(reverse("admin:regiosessies_aanmelding_export"), data)
    assert done.status_code == 200
    assert AuditLog.objects.get().record_count == 1


def test_attendance_pdf_writes_an_audit_entry(client, facilitator_a, session_a):
    register(session_a, "Anna")
    client.force_login(facilitator_a)
    response = client.get(reverse("admin:regiosessies_regiosessie_presentielijst", args=[session_a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    entry = AuditLog.objects.get()
    assert entry.actor == facilitator_a and entry.record_count >= 0
    assert entry.what == f"Presentielijst (PDF): {session_a.title}"


def test_attendance_pdf_action_for_two_sessions_writes_one_entry(client, programmateam, session_a, session_b):
    client.force_login(programmateam)
    response = client.post(
        reverse("admin:regiosessies_regiosessie_changelist"),
        {"action": "attendance_pdf", ACTION_CHECKBOX_NAME: [session_a.pk, session_b.pk]},
    )
    assert response["Content-Type"] == "application/pdf"
    assert AuditLog.objects.get().what.startswith("Presentielijst (PDF): ")


def test_refused_attendance_list_writes_nothing(client, facilitator_a, session_b):
    client.force_login(facilitator_a)
    assert client.get(reverse("admin:regiosessies_regiosessie_presentielijst", args=[session_b.pk])).status_code == 404
    assert not AuditLog.objects.exists()
