"""Who is told what, and when: the results email (once per address), the weekly follow-up digest,
and unsubscribing. Sending is consultatie's bulk mail (`core.mailing`): these functions only
decide the recipients and what each row needs to be rendered (`terugkoppeling.emails`).

One email per address: a person who registered twice (two sessions, or again after cancelling) is
one recipient. The language of their MOST RECENT registration wins (their latest choice), and the
email links to the pages of every region they registered for. Cancelled and waiting-list
registrations count: consent is about the results, not about the seat.

The results email goes out once per address: on the first publication, or, for someone who consented
later, for the version current then. A later version (a correction, an added chapter) reaches those
already told through the follow-up digest, which names it: a republished typo mails nobody at once, and
several versions in one week make one digest, not one email each.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.mailing import Recipient, create_mailing
from core.models import Mailing, MailingRecipient
from regiosessies.models import Aanmelding
from regiosessies.services import set_results_consent
from resultaten.models import Publicatie
from terugkoppeling.selectors import DIGEST, RESULTS, changes_by_region, consenting_people, last_told

logger = logging.getLogger(__name__)


def send_results_email(*, publicatie: Publicatie) -> Mailing | None:
    """The results email of this version to every consenting address that never had a results email
    (of any version); later versions reach the others through the digest. Idempotent: a second call
    adds only addresses that consented since. None when nobody is due one and no mailing exists yet."""
    key = f"publicatie-{publicatie.version}"
    told = set(MailingRecipient.objects.filter(mailing__kind=RESULTS).values_list("email", flat=True))
    recipients = [
        Recipient(p.email, p.language, {"aanmelding": p.aanmelding_id, "regions": p.region_slugs})
        for p in consenting_people()
        if p.email not in told
    ]
    if not recipients:
        return Mailing.objects.filter(kind=RESULTS, key=key).first()
    return create_mailing(
        kind=RESULTS,
        key=key,
        template="resultaten",
        render_with="terugkoppeling.emails.render_results",
        data={"publicatie": publicatie.pk, "until": publicatie.published_at.isoformat()},
        recipients=recipients,
    )


def on_results_published(sender, *, publicatie: Publicatie, **kwargs) -> None:
    """Receiver of `resultaten.signals.results_published` (sent after commit)."""
    send_results_email(publicatie=publicatie)


def send_followup_digest(*, now: datetime | None = None) -> Mailing | None:
    """The follow-up digest: to each consenting address whose last email is at least
    RESULTS_DIGEST_INTERVAL_DAYS old, listing the knelpunten of its regions whose follow-up changed
    since then, and naming a version published since then. Nobody gets an empty digest. None when nobody has anything new (or nothing is
    published). One mailing per day's run; running twice the same day adds nobody twice."""
    now = now or timezone.now()
    publicatie = Publicatie.objects.latest_version()
    if publicatie is None:
        return None
    send_results_email(publicatie=publicatie)  # people who consented after publishing get it first
    people = consenting_people()
    last = last_told([p.email for p in people])
    interval = timedelta(days=settings.RESULTS_DIGEST_INTERVAL_DAYS)
    recipients = []
    changes_since: dict[datetime, dict[int, dict[int, datetime]]] = {}  # most people share a `since`
    for person in people:
        since = last.get(person.email, publicatie.published_at)
        if now - since < interval:
            continue
        if since not in changes_since:
            changes_since[since] = changes_by_region(publicatie, since, now)
        knelpunten: set[int] = set()
        for region_id, changes in changes_since[since].items():
            if region_id in person.region_ids:
                knelpunten.update(changes)
        new_version = publicatie.published_at > since  # told before the latest version appeared
        if knelpunten or new_version:
            context = {
                "aanmelding": person.aanmelding_id,
                "regions": person.region_slugs,
                "since": since.isoformat(),
                "knelpunten": sorted(knelpunten),
                "new_version": new_version,
            }
            recipients.append(Recipient(person.email, person.language, context))
    if not recipients:
        return None
    return create_mailing(
        kind=DIGEST,
        key=f"{timezone.localdate(now):%Y-%m-%d}",
        template="opvolging",
        render_with="terugkoppeling.emails.render_digest",
        data={"publicatie": publicatie.pk, "until": now.isoformat()},
        recipients=recipients,
    )


def unsubscribe(*, aanmelding: Aanmelding) -> int:
    """Stop the results email and digests for this person's address: consent off on every registration
    of the address, and nothing still waiting to be sent to it goes out. Returns registrations changed."""
    with transaction.atomic():
        changed = set_results_consent(aanmelding=aanmelding, consent=False)
        MailingRecipient.objects.filter(
            email=aanmelding.email.lower(), mailing__kind__in=[RESULTS, DIGEST], status=MailingRecipient.Status.PENDING
        ).delete()
    return changed
