"""The results email on publication and the follow-up digest: who gets them, in which language, what
they say, and that nobody gets one twice or an empty one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from belemmeringen.models import Knelpunt
from belemmeringen.services import change_knelpunt_status
from core.mailing import send_batch
from core.models import Mailing, MailingRecipient
from resultaten.signals import results_published
from terugkoppeling import services
from terugkoppeling.tests.factories import knelpunt_raised_in, registrant

pytestmark = pytest.mark.django_db


def by_recipient() -> dict:
    return {m.to[0]: m for m in mail.outbox}


def send_all(mailing):
    while send_batch(mailing.pk).sent:
        pass


def test_publication_emails_everyone_who_consented_once_in_their_language(
    published, django_capture_on_commit_callbacks
):
    publicatie, _noord, _zuid = published
    with django_capture_on_commit_callbacks(execute=True):
        results_published.send(sender=type(publicatie), publicatie=publicatie)

    sent = by_recipient()
    # Waiting list (ben) and cancelled (cor) included; eva did not consent; dirk registered twice.
    assert sorted(sent) == ["anna@example.nl", "ben@example.nl", "cor@example.nl", "dirk@example.nl"]
    assert sent["anna@example.nl"].subject == "De resultaten van de consultatie Smart City staan online"
    assert sent["ben@example.nl"].subject == "The results of the Smart City consultation are online"
    # dirk's most recent registration was in English: that language wins.
    assert sent["dirk@example.nl"].subject == "The results of the Smart City consultation are online"


def test_the_results_email_links_results_region_pdf_and_unsubscribe(
    published, people, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://consultatie.example.nl"
    publicatie, _noord, _zuid = published
    with django_capture_on_commit_callbacks(execute=True):
        services.send_results_email(publicatie=publicatie)

    anna = by_recipient()["anna@example.nl"]
    html = anna.alternatives[0][0]
    for text in (anna.body, html):
        assert "https://consultatie.example.nl/resultaten/" in text
        assert "https://consultatie.example.nl/resultaten/noord/" in text
        assert "https://consultatie.example.nl/resultaten/zuid/" not in text  # not anna's region
        assert f"https://consultatie.example.nl/resultaten/versies/{publicatie.version}/rapport.pdf" in text
        assert "2 knelpunten" in text
    unsubscribe = re.search(r"<(https://[^>]+)>", anna.extra_headers["List-Unsubscribe"]).group(1)
    assert unsubscribe.startswith("https://consultatie.example.nl/berichten/afmelden/")
    assert anna.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in anna.body and unsubscribe in html
    assert "anna@example.nl" not in unsubscribe

    dirk = by_recipient()["dirk@example.nl"]
    assert "/en/resultaten/noord/" in dirk.body and "/en/resultaten/zuid/" in dirk.body  # both his regions
    assert "2 obstacles came up" in dirk.body


def test_publishing_the_same_version_again_sends_nothing_more(published, django_capture_on_commit_callbacks):
    publicatie, _noord, _zuid = published
    with django_capture_on_commit_callbacks(execute=True):
        services.send_results_email(publicatie=publicatie)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_results_email(publicatie=publicatie)
    assert len(mail.outbox) == 4
    assert Mailing.objects.count() == 1


def test_someone_who_switched_off_before_the_batch_gets_nothing(
    published, people, django_capture_on_commit_callbacks, settings
):
    settings.MAILING_BATCH_SIZE = 1
    publicatie, _noord, _zuid = published
    with django_capture_on_commit_callbacks(execute=True):
        mailing = services.send_results_email(publicatie=publicatie)  # the first batch sends one
    from regiosessies.services import set_results_consent

    set_results_consent(aanmelding=people["ben"], consent=False)
    send_all(mailing)
    assert "ben@example.nl" not in by_recipient()
    assert len(mail.outbox) == 3
    assert not MailingRecipient.objects.filter(email="ben@example.nl").exists()


class TestDigest:
    def test_nothing_changed_sends_no_digest(self, published):
        assert services.send_followup_digest() is None

    def test_a_change_reaches_only_the_regions_that_raised_it(self, published, django_capture_on_commit_callbacks):
        publicatie, noord, _zuid = published
        change_knelpunt_status(
            knelpunt=noord, status=Knelpunt.Opvolging.PROGRAMMA, explanation="Komt in het programma 2027."
        )
        with django_capture_on_commit_callbacks(execute=True):
            mailing = services.send_followup_digest()
        digests = {m.to[0]: m for m in mail.outbox if "knelpunten" in m.subject or "obstacles" in m.subject}
        # Noord: anna, cor, dirk. ben registered only in Zuid; eva did not consent.
        assert sorted(digests) == ["anna@example.nl", "cor@example.nl", "dirk@example.nl"]
        body = digests["anna@example.nl"].body
        assert "Geen open standaarden" in body and "Komt in het programma 2027." in body
        assert "Aanbesteding te traag" not in body
        assert f"/resultaten/knelpunten/{noord.pk}/" in body
        assert digests["anna@example.nl"].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mailing.kind == services.DIGEST

    def test_at_most_one_digest_per_interval_and_only_with_news(
        self, published, settings, django_capture_on_commit_callbacks
    ):
        settings.RESULTS_DIGEST_INTERVAL_DAYS = 7
        _publicatie, noord, zuid = published
        now = timezone.now()
        change_knelpunt_status(
            knelpunt=noord, status="programma", explanation="Eerste stap.", at=now - timedelta(days=1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert services.send_followup_digest(now=now) is not None
        first = len(mail.outbox)

        # A new change two days later: too soon for those just told; ben (Zuid) was never told anything.
        change_knelpunt_status(knelpunt=noord, status="elders", explanation="Toch elders.", at=now + timedelta(days=2))
        change_knelpunt_status(knelpunt=zuid, status="elders", explanation="Bij het Rijk.", at=now + timedelta(days=2))
        with django_capture_on_commit_callbacks(execute=True):
            services.send_followup_digest(now=now + timedelta(days=3))
        later = [m.to[0] for m in mail.outbox[first:]]
        assert later == ["ben@example.nl"]

        # A week after the first digest the Noord people hear about the second change, and only it.
        with django_capture_on_commit_callbacks(execute=True):
            services.send_followup_digest(now=now + timedelta(days=7, minutes=1))
        week = {m.to[0]: m.body for m in mail.outbox[first + len(later) :]}
        assert sorted(week) == ["anna@example.nl", "cor@example.nl", "dirk@example.nl"]
        assert "Toch elders." in week["anna@example.nl"] and "Eerste stap." not in week["anna@example.nl"]

        # Nothing new since: nothing goes out.
        with django_capture_on_commit_callbacks(execute=True):
            assert services.send_followup_digest(now=now + timedelta(days=15)) is None


def test_someone_who_consents_after_publication_gets_the_results_email_with_the_next_run(
    published, session_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_results_email(publicatie=published[0])
    registrant(session_a, "fenna@example.nl", consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_followup_digest()
    assert [m.to[0] for m in mail.outbox].count("fenna@example.nl") == 1
    assert len(mail.outbox) == 5


@pytest.mark.slow
def test_publishing_through_resultaten_sends_the_results_email_once(
    people, session_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The real wiring: resultaten.services.publish() -> results_published (after commit) -> the mailing."""
    from resultaten.services import publish

    settings.MEDIA_ROOT = tmp_path / "media"
    knelpunt_raised_in("Geen open standaarden", session_a)
    with django_capture_on_commit_callbacks(execute=True):
        publicatie, created = publish()
    assert created
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@example.nl",
        "ben@example.nl",
        "cor@example.nl",
        "dirk@example.nl",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        _again, created = publish()  # the same data: no new version, no second email
    assert not created
    assert len(mail.outbox) == 4


def test_a_later_version_mails_nobody_at_once_and_the_next_digest_names_it(
    published, session_a, django_capture_on_commit_callbacks
):
    """The results email is for the first publication; a corrected version reaches those already told
    through the digest (once, however many versions), and a newcomer gets the current version's email."""
    from terugkoppeling.tests.factories import publish

    publicatie, noord, zuid = published
    with django_capture_on_commit_callbacks(execute=True):
        results_published.send(sender=type(publicatie), publicatie=publicatie)
    assert len(mail.outbox) == 4

    second = publish(noord, zuid, regions=[session_a.regio], version=2, at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_results_email(publicatie=second) is None
        results_published.send(sender=type(second), publicatie=second)
    assert len(mail.outbox) == 4  # nobody mailed again for a new version
    registrant(session_a, "fenna@example.nl", consent=True)  # consents after version 2

    with django_capture_on_commit_callbacks(execute=True):
        services.send_followup_digest()
    later = {m.to[0]: m for m in mail.outbox[4:]}
    assert sorted(later) == [
        "anna@example.nl",
        "ben@example.nl",
        "cor@example.nl",
        "dirk@example.nl",
        "fenna@example.nl",
    ]
    assert later["fenna@example.nl"].subject == "De resultaten van de consultatie Smart City staan online"
    assert "/resultaten/versies/2/rapport.pdf" in later["fenna@example.nl"].body
    anna = later["anna@example.nl"]
    assert anna.subject == "Een nieuwe versie van de resultaten staat online"
    assert "versie 2 van de resultaten" in anna.body and "/resultaten/versies/2/rapport.pdf" in anna.body
    assert "/resultaten/versies/2/rapport.pdf" in anna.alternatives[0][0]
    assert "Sinds" not in anna.body  # no follow-up changed: no empty list of changes
    assert "/en/resultaten/versies/2/rapport.pdf" in later["ben@example.nl"].body
    assert later["ben@example.nl"].subject == "A new version of the results is online"
    assert "version 2 of the results was published" in later["ben@example.nl"].body

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_followup_digest(now=timezone.now() + timedelta(days=8)) is None  # told once


def test_a_digest_with_a_change_and_a_new_version_names_both(published, session_a, django_capture_on_commit_callbacks):
    from terugkoppeling.tests.factories import publish

    publicatie, noord, zuid = published
    with django_capture_on_commit_callbacks(execute=True):
        services.send_results_email(publicatie=publicatie)
    change_knelpunt_status(
        knelpunt=noord, status=Knelpunt.Opvolging.PROGRAMMA, explanation="Komt in het programma 2027."
    )
    publish(noord, zuid, regions=[session_a.regio], version=2, at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.send_followup_digest()
    anna = [m for m in mail.outbox[4:] if m.to[0] == "anna@example.nl"][0]
    assert anna.subject == "Nieuws over de knelpunten uit uw regio"
    assert "versie 2 van de resultaten" in anna.body and "Komt in het programma 2027." in anna.body
