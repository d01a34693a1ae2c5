"""Two members of the programme team grouping at once: a knelpunt merged away under someone's feet gives a
Dutch message, never a 500, and no entry is lost."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.urls import reverse

from belemmeringen import services
from belemmeringen.models import Belemmering, Knelpunt
from belemmeringen.tests.factories import make_belemmering
from regiosessies.tests.factories import make_session


def _three_knelpunten(user):
    sessions = [make_session(slug, days=-days) for slug, days in (("groningen", 30), ("zwolle", 20), ("eindhoven", 10))]
    made = []
    for i, session in enumerate(sessions):
        entries = [make_belemmering(session, title=f"Knelpunt {i} regel {n}") for n in range(2)]
        made.append(services.create_knelpunt(belemmeringen=entries, user=user))
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["merge_into_other", "merge_keep", "split", "add", "remove"])
def test_a_knelpunt_merged_away_meanwhile_gives_a_dutch_message_and_loses_nothing(programmateam, action):
    a, b, c = _three_knelpunten(programmateam)
    stale_b = Knelpunt.objects.get(pk=b.pk)
    services.merge_knelpunten(keep=a, other=b, user=programmateam)  # someone else, a moment earlier
    entries = set(Belemmering.objects.values_list("pk", flat=True))
    c_entries = list(c.belemmeringen.all())
    calls = {
        "merge_into_other": lambda: services.merge_knelpunten(keep=c, other=stale_b, user=programmateam),
        "merge_keep": lambda: services.merge_knelpunten(keep=stale_b, other=c, user=programmateam),
        "split": lambda: services.split_knelpunt(knelpunt=stale_b, belemmeringen=c_entries[:1], user=programmateam),
        "add": lambda: services.add_to_knelpunt(knelpunt=stale_b, belemmeringen=c_entries, user=programmateam),
        "remove": lambda: services.remove_from_knelpunt(knelpunt=stale_b, belemmeringen=c_entries, user=programmateam),
    }
    with pytest.raises(ValidationError) as refused:
        calls[action]()
    assert refused.value.code == "knelpunt_gone"
    assert "bestaat niet meer" in refused.value.messages[0]
    assert set(Belemmering.objects.values_list("pk", flat=True)) == entries
    assert set(c.belemmeringen.values_list("pk", flat=True)) == {e.pk for e in c_entries}
    assert Knelpunt.objects.filter(pk=c.pk).exists()


@pytest.mark.django_db
def test_add_action_to_a_knelpunt_gone_meanwhile_shows_the_message_not_a_500(client, programmateam, monkeypatch):
    a, b, c = _three_knelpunten(programmateam)
    client.force_login(programmateam)
    original = services.add_to_knelpunt

    def merged_away_first(*, knelpunt, **kwargs):
        # The other team member's merge lands between this form's check and the grouping itself.
        services.merge_knelpunten(keep=a, other=Knelpunt.objects.get(pk=knelpunt.pk), user=programmateam)
        return original(knelpunt=knelpunt, **kwargs)

    monkeypatch.setattr(services, "add_to_knelpunt", merged_away_first)
    response = client.post(
        reverse("admin:belemmeringen_belemmering_changelist"),
        {
            "action": "voeg_toe_aan_knelpunt",
            "_selected_action": [e.pk for e in c.belemmeringen.all()],
            "kies_knelpunt": "1",
            "knelpunt": b.pk,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "bestaat niet meer" in response.content.decode()
    assert Belemmering.objects.filter(knelpunt=c).count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_merges_of_the_same_knelpunt_at_once_on_postgresql_one_wins_the_other_is_told(
    reference_data, programmateam
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) are what is tested; SQLite locks the whole database")
    a, b, c = _three_knelpunten(programmateam)
    entries = set(Belemmering.objects.values_list("pk", flat=True))
    first_holds_lock, outcome = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                services.merge_knelpunten(keep=a, other=b, user=programmateam)
                first_holds_lock.set()
                # Hold the lock so the second merge queues behind it on b's row.
                threading.Event().wait(1.0)
        finally:
            close_old_connections()
            connection.close()

    def second():
        first_holds_lock.wait(10)
        try:
            services.merge_knelpunten(keep=c, other=b, user=programmateam)
            outcome["second"] = "merged"
        except ValidationError as e:
            outcome["second"] = e.code
        except Exception as e:
            outcome["second"] = repr(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcome["second"] == "knelpunt_gone"
    assert set(Belemmering.objects.values_list("pk", flat=True)) == entries
    assert Belemmering.objects.filter(knelpunt=a).count() == 4
    assert Belemmering.objects.filter(knelpunt=c).count() == 2
