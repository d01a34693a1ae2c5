"""The admin for sessions and registrations, per role: what each person sees and what the actions do."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from core.tests.factories import make_staff
from regiosessies import services
from regiosessies.models import Aanmelding, Regio, Regiosessie
from regiosessies.tests import factories
from regiosessies.tests.factories import make_session

pytestmark = pytest.mark.django_db

ROLES = ["facilitator_a", "programmateam", "superuser"]


def register(session, name, *, email=None, organisation="Gemeente Test"):
    email = email or f"{name.lower().replace(' ', '.')}@example.nl"
    return factories.register(session, email, name, organisation=organisation)


@pytest.fixture
def aanmelding_a(session_a):
    return register(session_a, "Anna Noord")


@pytest.fixture
def aanmelding_b(session_b):
    return register(session_b, "Bram Zuid")


def login(client, user):
    client.force_login(user)
    return client


def changelist(model):
    return reverse(f"admin:regiosessies_{model}_changelist")


def change(obj):
    return reverse(f"admin:regiosessies_{obj._meta.model_name}_change", args=[obj.pk])


def run_action(client, model, action, objects, *, follow=False, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects], **extra}
    return client.post(changelist(model), data, follow=follow)


# --- Who gets in ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/regiosessies/regio/",
        "/admin/regiosessies/regiosessie/",
        "/admin/regiosessies/aanmelding/",
        "/admin/regiosessies/aanmelding/export/",
    ],
)
def test_anonymous_visitor_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_visitor_cannot_download_an_attendance_list(client, session_a):
    response = client.get(reverse("admin:regiosessies_regiosessie_presentielijst", args=[session_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_account_without_a_role_sees_no_sessions_or_registrations(client, aanmelding_a):
    user = make_staff("zonder-rol")
    login(client, user)
    assert client.get(changelist("regiosessie")).status_code == 403
    assert client.get(changelist("aanmelding")).status_code == 403
    assert client.get(change(aanmelding_a)).status_code == 404


# --- Every page renders for every role -------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_renders_for_each_role(client, request, role, session_a, aanmelding_a):
    login(client, request.getfixturevalue(role))
    assert client.get(changelist("regiosessie")).status_code == 200
    assert client.get(change(session_a)).status_code == 200
    assert client.get(changelist("aanmelding")).status_code == 200
    assert client.get(change(aanmelding_a)).status_code == 200
    assert client.get(reverse("admin:regiosessies_aanmelding_export")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("role", ["programmateam", "superuser"])
def test_programme_staff_can_open_every_add_page(client, request, role):
    login(client, request.getfixturevalue(role))
    assert client.get(reverse("admin:regiosessies_regio_add")).status_code == 200
    assert client.get(reverse("admin:regiosessies_regiosessie_add")).status_code == 200
    assert client.get(changelist("regio")).status_code == 200


def test_facilitator_cannot_add_sessions_or_manage_regions(client, facilitator_a):
    login(client, facilitator_a)
    assert client.get(reverse("admin:regiosessies_regiosessie_add")).status_code == 403
    assert client.get(changelist("regio")).status_code == 403
    assert client.get(reverse("admin:regiosessies_regio_add")).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_nobody_adds_or_deletes_registrations_in_the_admin(client, request, role, aanmelding_a):
    # Registrations carry the person's own consent and are never thrown away: public form and cancel only.
    login(client, request.getfixturevalue(role))
    assert client.get(reverse("admin:regiosessies_aanmelding_add")).status_code == 403
    assert client.get(reverse("admin:regiosessies_aanmelding_delete", args=[aanmelding_a.pk])).status_code == 403


# --- A facilitator sees only their own sessions ----------------------------------------------------


def test_facilitator_sees_only_the_sessions_they_facilitate(client, facilitator_a, session_a, session_b):
    login(client, facilitator_a)
    response = client.get(changelist("regiosessie"))
    assert list(response.context["cl"].queryset) == [session_a]
    assert client.get(change(session_b)).status_code == 404


def test_facilitator_sees_only_registrations_of_their_sessions(client, facilitator_a, aanmelding_a, aanmelding_b):
    login(client, facilitator_a)
    response = client.get(changelist("aanmelding"))
    assert list(response.context["cl"].queryset) == [aanmelding_a]
    assert "Bram Zuid" not in response.content.decode()
    assert client.get(change(aanmelding_b)).status_code == 404
    assert client.get(reverse("admin:regiosessies_aanmelding_history", args=[aanmelding_b.pk])).status_code == 404


def test_facilitator_cannot_reach_other_sessions_through_the_session_filter(
    client, facilitator_a, session_b, aanmelding_a, aanmelding_b
):
    login(client, facilitator_a)
    response = client.get(changelist("aanmelding"), {"session": session_b.pk})
    assert list(response.context["cl"].queryset) == []
    filter_choices = response.context["cl"].filter_specs[0].lookup_choices
    assert [label for _pk, label in filter_choices] == [str(aanmelding_a.session)]


def test_facilitator_sees_their_session_read_only(client, facilitator_a, session_a):
    login(client, facilitator_a)
    response = client.post(change(session_a), {"capacity": 500, "title": "Overgenomen"})
    assert response.status_code == 403
    session_a.refresh_from_db()
    assert session_a.capacity == 30


def test_facilitator_cannot_download_the_attendance_list_of_another_session(client, facilitator_a, session_b):
    login(client, facilitator_a)
    response = client.get(reverse("admin:regiosessies_regiosessie_presentielijst", args=[session_b.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["programmateam", "superuser"])
def test_programme_staff_see_all_sessions_and_registrations(client, request, role, aanmelding_a, aanmelding_b):
    login(client, request.getfixturevalue(role))
    sessions = client.get(changelist("regiosessie")).context["cl"].queryset
    assert {s.pk for s in sessions} == {aanmelding_a.session_id, aanmelding_b.session_id}
    registrations = client.get(changelist("aanmelding")).context["cl"].queryset
    assert {a.pk for a in registrations} == {aanmelding_a.pk, aanmelding_b.pk}
    assert client.get(change(aanmelding_b)).status_code == 200


# --- The session list ------------------------------------------------------------------------------


def test_session_list_shows_confirmed_fill_rate_waiting_list_and_attendance(client, programmateam):
    session = make_session("klein", capacity=4)
    for name in ["Een", "Twee", "Drie", "Vier", "Vijf"]:
        register(session, name)
    services.mark_attended(aanmeldingen=Aanmelding.objects.filter(name__in=["Een", "Twee"]))
    login(client, programmateam)
    response = client.get(changelist("regiosessie"))
    row = response.context["cl"].result_list[0]
    admin_obj = response.context["cl"].model_admin
    assert admin_obj.confirmed_display(row) == 4
    assert admin_obj.fill_rate_display(row) == "100%"
    assert admin_obj.waitlist_display(row) == 1
    assert admin_obj.attended_display(row) == 2
    assert "100%" in response.content.decode()


def test_session_list_takes_the_same_number_of_queries_for_many_sessions(
    client, programmateam, django_assert_max_num_queries
):
    for i in range(3):
        register(make_session(f"sessie-{i}", days=10 + i), f"Persoon {i}")
    login(client, programmateam)
    client.get(changelist("regiosessie"))  # warm up session and content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(changelist("regiosessie"))
    for i in range(3, 30):
        register(make_session(f"sessie-{i}", days=10 + i), f"Persoon {i}")
    with django_assert_max_num_queries(len(few)):
        client.get(changelist("regiosessie"))


def test_programme_staff_can_add_a_session_with_facilitators(client, programmateam, facilitator_b):
    regio = Regio.objects.create(name="Oost", slug="oost")
    login(client, programmateam)
    response = client.post(
        reverse("admin:regiosessies_regiosessie_add"),
        {
            "regio": regio.pk,
            "title": "Regiosessie Oost",
            "slug": "regiosessie-oost",
            "description": "",
            "start_0": "2027-03-01",
            "start_1": "13:30",
            "end_0": "2027-03-01",
            "end_1": "17:00",
            "venue_name": "Provinciehuis",
            "address": "Luttenbergstraat 2",
            "city": "Zwolle",
            "capacity": 40,
            "facilitators": [facilitator_b.pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    session = Regiosessie.objects.get(slug="regiosessie-oost")
    assert list(session.facilitators.all()) == [facilitator_b]


def test_capacity_cannot_drop_below_the_confirmed_registrations(client, programmateam):
    session = make_session("krap", capacity=3)
    for name in ["Een", "Twee", "Drie"]:
        register(session, name)
    login(client, programmateam)
    form = client.get(change(session)).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"start_0": session.start.date(), "start_1": "13:30", "end_0": session.end.date(), "end_1": "23:59"})
    data["capacity"] = 2
    response = client.post(change(session), data)
    assert response.status_code == 200
    assert "capacity" in response.context["adminform"].form.errors
    assert "3 bevestigde aanmeldingen" in response.content.decode()
    session.refresh_from_db()
    assert session.capacity == 3


def test_a_session_must_end_after_it_starts(client, programmateam):
    session = make_session("omgekeerd")
    login(client, programmateam)
    form = client.get(change(session)).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    start = form["start"].value()
    data.update({"start_0": start.date(), "start_1": "13:30", "end_0": start.date(), "end_1": "12:00"})
    response = client.post(change(session), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end"] == ["De sessie moet eindigen na het begin."]
    session.refresh_from_db()
    assert session.end > session.start


def test_raising_capacity_gives_waiting_people_a_seat(client, programmateam, django_capture_on_commit_callbacks):
    session = make_session("vol", capacity=1)
    register(session, "Eerste")
    wachtend = register(session, "Tweede")
    assert wachtend.status == Aanmelding.Status.WAITLISTED
    login(client, programmateam)
    form = client.get(change(session)).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    start, end = form["start"].value(), form["end"].value()
    data.update({"start_0": start.date(), "start_1": start.time(), "end_0": end.date(), "end_1": end.time()})
    data["capacity"] = 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change(session), data, follow=True)
    assert response.status_code == 200
    wachtend.refresh_from_db()
    assert wachtend.status == Aanmelding.Status.CONFIRMED
    assert "1 persoon is van de wachtlijst geplaatst" in response.content.decode()
    assert [m.to for m in mail.outbox][-1] == [wachtend.email]


# --- Cancelling a session --------------------------------------------------------------------------


def test_cancelling_a_session_asks_for_confirmation_first(client, programmateam, session_a, aanmelding_a):
    login(client, programmateam)
    response = run_action(client, "regiosessie", "cancel_sessions", [session_a])
    assert response.status_code == 200
    assert "iedereen die is aangemeld" in response.content.decode().lower()
    session_a.refresh_from_db()
    assert session_a.cancelled is False


def test_confirmed_cancellation_cancels_and_emails_everyone_registered(
    client, programmateam, session_a, django_capture_on_commit_callbacks
):
    session_a.capacity = 1
    session_a.save()
    register(session_a, "Zit Erin")
    register(session_a, "Wacht Nog")
    mail.outbox.clear()
    login(client, programmateam)
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(client, "regiosessie", "cancel_sessions", [session_a], confirm="yes")
    assert response.status_code == 302
    session_a.refresh_from_db()
    assert session_a.cancelled is True
    assert sorted(m.to[0] for m in mail.outbox) == ["wacht.nog@example.nl", "zit.erin@example.nl"]


def test_facilitator_cannot_cancel_a_session(client, facilitator_a, session_a):
    login(client, facilitator_a)
    response = run_action(client, "regiosessie", "cancel_sessions", [session_a], confirm="yes")
    session_a.refresh_from_db()
    assert session_a.cancelled is False
    assert response.status_code in (200, 302)
    assert "cancel_sessions" not in dict(
        client.get(changelist("regiosessie")).context["action_form"].fields["action"].choices
    )


def test_cancelled_flag_cannot_be_ticked_on_the_change_form(client, programmateam, session_a):
    login(client, programmateam)
    form = client.get(change(session_a)).context["adminform"].form
    assert "cancelled" not in form.fields


# --- Registration actions --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["facilitator_a", "programmateam"])
def test_resend_confirmation_sends_the_mail_again(
    client, request, role, aanmelding_a, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    login(client, request.getfixturevalue(role))
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(client, "aanmelding", "resend_confirmation", [aanmelding_a])
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[aanmelding_a.email]]


def test_resend_confirmation_skips_cancelled_registrations(
    client, programmateam, aanmelding_a, django_capture_on_commit_callbacks
):
    services.cancel_registration(aanmelding=aanmelding_a)
    mail.outbox.clear()
    login(client, programmateam)
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(client, "aanmelding", "resend_confirmation", [aanmelding_a], follow=True)
    assert mail.outbox == []
    assert "1 geannuleerde aanmelding overgeslagen" in response.content.decode()


def test_mark_attended_and_not_attended(client, facilitator_a, aanmelding_a):
    login(client, facilitator_a)
    run_action(client, "aanmelding", "mark_attended", [aanmelding_a])
    aanmelding_a.refresh_from_db()
    assert aanmelding_a.attended is True
    run_action(client, "aanmelding", "mark_not_attended", [aanmelding_a])
    aanmelding_a.refresh_from_db()
    assert aanmelding_a.attended is False


def test_facilitator_actions_never_touch_other_sessions(client, facilitator_a, aanmelding_a, aanmelding_b):
    login(client, facilitator_a)
    run_action(client, "aanmelding", "mark_attended", [aanmelding_a, aanmelding_b])
    run_action(client, "aanmelding", "cancel_registrations", [aanmelding_b])
    aanmelding_b.refresh_from_db()
    assert aanmelding_b.attended is False
    assert aanmelding_b.status == Aanmelding.Status.CONFIRMED


def test_cancel_action_frees_the_seat_for_the_first_waiting_person(client, facilitator_a, session_a):
    session_a.capacity = 1
    session_a.save()
    zit = register(session_a, "Zit Erin")
    eerste = register(session_a, "Eerste Wachter")
    tweede = register(session_a, "Tweede Wachter")
    login(client, facilitator_a)
    response = run_action(client, "aanmelding", "cancel_registrations", [zit], follow=True)
    for obj in (zit, eerste, tweede):
        obj.refresh_from_db()
    assert zit.status == Aanmelding.Status.CANCELLED
    assert eerste.status == Aanmelding.Status.CONFIRMED
    assert tweede.status == Aanmelding.Status.WAITLISTED
    content = response.content.decode()
    assert "1 aanmelding geannuleerd" in content
    assert "1 persoon is van de wachtlijst geplaatst" in content


def test_fill_from_waitlist_action_uses_free_seats_only(client, programmateam):
    session = make_session("opvullen", capacity=1)
    register(session, "Zit Erin")
    wachter = register(session, "Wachter")
    login(client, programmateam)
    response = run_action(client, "aanmelding", "fill_from_waitlist", [wachter], follow=True)
    wachter.refresh_from_db()
    assert wachter.status == Aanmelding.Status.WAITLISTED
    assert "niemand geplaatst" in response.content.decode()

    Regiosessie.objects.filter(pk=session.pk).update(capacity=2)
    run_action(client, "aanmelding", "fill_from_waitlist", [wachter])
    wachter.refresh_from_db()
    assert wachter.status == Aanmelding.Status.CONFIRMED


def test_registration_change_page_shows_waiting_list_position_and_keeps_status_read_only(
    client, facilitator_a, session_a
):
    session_a.capacity = 1
    session_a.save()
    register(session_a, "Zit Erin")
    register(session_a, "Eerste Wachter")
    tweede = register(session_a, "Tweede Wachter")
    login(client, facilitator_a)
    response = client.get(change(tweede))
    form = response.context["adminform"].form
    assert "status" not in form.fields and "session" not in form.fields and "token" not in form.fields
    readonly = {
        f.field["name"]: f.contents()
        for fieldset in response.context["adminform"]
        for line in fieldset
        for f in line
        if f.is_readonly
    }
    assert readonly["waitlist_position_display"] == "2"


def test_facilitator_can_correct_a_registration_of_their_session(client, facilitator_a, aanmelding_a):
    login(client, facilitator_a)
    form = client.get(change(aanmelding_a)).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["organisation"] = "Gemeente Groningen"
    data["themes"] = []
    response = client.post(change(aanmelding_a), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    aanmelding_a.refresh_from_db()
    assert aanmelding_a.organisation == "Gemeente Groningen"
