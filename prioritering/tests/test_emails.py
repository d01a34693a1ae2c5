"""Invitations when a round opens and one reminder near its end: who gets them, and only once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import OutboxMessage
from prioritering import services
from prioritering.models import Ronde, Uitnodiging
from prioritering.tests.factories import points
from regiosessies import services as registration


def outbox(template: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template=template).order_by("recipient"))


def recipients(template: str) -> list[str]:
    return [m.recipient for m in outbox(template)]


def invite(ronde, **kwargs) -> int:
    services.enrol_participants(ronde=ronde, **kwargs)
    return services.send_invitations(ronde=ronde, **kwargs)


@pytest.fixture
def people(session_a, session_b, register):
    """Five registrations, four addresses: Anna twice (two sessions), one cancelled, one waitlisted-ish."""
    anna = register(session_a, "anna@example.nl", name="Anna", attended=True)
    anna_b = register(session_b, "anna@example.nl", name="Anna")
    bert = register(session_b, "bert@example.nl", name="Bert")
    carla = register(session_a, "carla@example.nl", name="Carla")
    gone = register(session_a, "gone@example.nl", name="Weg")
    registration.cancel_registration(aanmelding=gone)
    return {"anna": anna, "anna_b": anna_b, "bert": bert, "carla": carla, "gone": gone}


def test_opening_a_round_invites_every_eligible_address_once(needs, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ronde = services.open_round(ends_at=timezone.now() + timedelta(days=7), behoeften=needs)
    assert recipients("prioritering_uitnodiging") == ["anna@example.nl", "bert@example.nl", "carla@example.nl"]
    # Anna's link is the registration where she was present.
    assert Uitnodiging.objects.get(ronde=ronde, aanmelding__email="anna@example.nl").aanmelding == people["anna"]
    message = outbox("prioritering_uitnodiging")[0]
    assert f"/aanmelding/{people['anna'].token}/prioriteiten/" in message.body_text
    assert message.body_text.count("http://") >= 1 and "10 punten" in message.body_text


def test_inviting_again_sends_nobody_a_second_invitation(ronde, people):
    assert invite(ronde) == 3
    assert invite(ronde) == 0
    assert len(outbox("prioritering_uitnodiging")) == 3


def test_invitations_go_out_in_batches_and_all_arrive(ronde, session_a, register):
    for n in range(7):
        register(session_a, f"p{n}@example.nl")
    assert invite(ronde, batch_size=3) == 7
    assert len(set(recipients("prioritering_uitnodiging"))) == 7
    assert not Uitnodiging.objects.filter(ronde=ronde, invited_at__isnull=True).exists()


def test_an_attended_only_round_invites_only_who_was_present(make_round, people):
    ronde = make_round(participants=Ronde.Deelnemers.ATTENDED)
    invite(ronde)
    assert recipients("prioritering_uitnodiging") == ["anna@example.nl"]


def test_the_invitation_is_in_the_registrants_language(ronde, session_a, register):
    from django.utils import translation

    with translation.override("en"):
        register(session_a, "eve@example.nl", name="Eve")
    invite(ronde)
    message = outbox("prioritering_uitnodiging")[0]
    assert "/en/aanmelding/" in message.body_text
    mail.outbox.clear()


def reminders_at(ronde, when) -> int:
    return services.send_reminders(ronde=ronde, now=when)


def test_reminders_go_only_in_the_last_two_days_to_who_has_not_taken_part_and_only_once(ronde, needs, people):
    invite(ronde)
    services.cast_ballot(token=people["anna_b"].token, points=points(needs, 1))  # Anna voted through her other link
    assert reminders_at(ronde, ronde.ends_at - timedelta(days=3)) == 0
    assert reminders_at(ronde, ronde.ends_at - timedelta(days=2)) == 2
    assert recipients("prioritering_herinnering") == ["bert@example.nl", "carla@example.nl"]
    assert reminders_at(ronde, ronde.ends_at - timedelta(days=1)) == 0
    assert reminders_at(ronde, ronde.ends_at) == 0
    assert len(outbox("prioritering_herinnering")) == 2


def test_no_reminder_for_a_closed_round_or_a_registration_cancelled_since(ronde, needs, people):
    invite(ronde)
    registration.cancel_registration(aanmelding=people["bert"])
    assert reminders_at(ronde, ronde.ends_at - timedelta(hours=1)) == 2
    assert recipients("prioritering_herinnering") == ["anna@example.nl", "carla@example.nl"]
    services.close_round()
    ronde.refresh_from_db()
    Uitnodiging.objects.update(reminded_at=None)
    assert reminders_at(ronde, ronde.ends_at - timedelta(hours=1)) == 0


def test_who_was_never_invited_gets_no_reminder(ronde, people):
    assert reminders_at(ronde, ronde.ends_at - timedelta(hours=1)) == 0


def test_invitation_rows_keep_no_address(ronde, people):
    invite(ronde)
    assert all("@" not in row.address_key and len(row.address_key) == 64 for row in Uitnodiging.objects.all())


def test_a_round_opened_ahead_of_time_invites_nobody_until_it_starts(make_round, people):
    ronde = make_round(starts_at=timezone.now() + timedelta(days=2), ends_at=timezone.now() + timedelta(days=9))
    assert invite(ronde) == 0
    assert services.send_invitations(ronde=ronde, now=ronde.starts_at) == 3
    assert len(outbox("prioritering_uitnodiging")) == 3


def test_someone_marked_present_later_is_invited_by_the_next_run(make_round, people):
    ronde = make_round(participants=Ronde.Deelnemers.ATTENDED)
    assert invite(ronde) == 1
    people["bert"].attended = True
    people["bert"].save(update_fields=["attended"])
    assert invite(ronde) == 1
    assert recipients("prioritering_uitnodiging") == ["anna@example.nl", "bert@example.nl"]


def test_closing_forgets_who_was_mailed(ronde, people):
    invite(ronde)
    services.close_round()
    assert not Uitnodiging.objects.exists()
