"""Registrations (Aanmelding) as personal data, for `core.privacy` (registered in `RegiosessiesConfig.ready()`).

- Retention: a registration is anonymised `PERSONAL_DATA_RETENTION_DAYS` after its session ended. The
  report's figures (organisation type, attended, status, session) survive; nothing that identifies a
  person does. Someone who asked for the results ("Stuur mij de resultaten") keeps only the address,
  language and session past that point, until `RESULTS_FOLLOWUP_UNTIL`; the day after, that goes too.
- Erasure on request: a seat still held for a coming session is first given back through
  `cancel_registration` (the waiting list moves up); then the registration is anonymised.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import ngettext

from core.privacy import Due, PersonalData, scrub_admin_log
from regiosessies.models import Aanmelding
from regiosessies.services import cancel_registration


def anonymise(registrations: QuerySet[Aanmelding], *, now: datetime) -> int:
    """Blank everything that identifies the person; keep what the report counts.

    The personal link is replaced by a value that is not secret, but the link page shows only
    registrations that are not anonymised, so it leads nowhere.
    """
    ids = list(registrations.filter(anonymised_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return 0
    Aanmelding.objects.filter(pk__in=ids).update(
        name="",
        email="",
        organisation="",
        role="",
        needs="",
        remarks="",
        token=Concat(Value("geanonimiseerd-"), Cast(F("pk"), output_field=CharField())),
        anonymised_at=now,
        updated=now,
    )
    scrub_admin_log(Aanmelding, ids)
    return len(ids)


def reduce_to_address(registrations: QuerySet[Aanmelding], *, now: datetime) -> int:
    """Past the normal retention, a registration kept only for the results email keeps its address,
    language and session (which region's results to send), and its personal link (to switch it off);
    everything else that identifies the person goes."""
    reduced = registrations.exclude(name="", organisation="", role="", needs="", remarks="")
    ids = list(reduced.values_list("pk", flat=True))
    Aanmelding.objects.filter(pk__in=ids).update(name="", organisation="", role="", needs="", remarks="", updated=now)
    scrub_admin_log(Aanmelding, ids)
    return len(ids)


def _export(a: Aanmelding) -> dict:
    return {
        "session": a.session.title,
        "session_city": a.session.city,
        "session_start": a.session.start.isoformat(),
        "name": a.name,
        "email": a.email,
        "organisation": a.organisation,
        "organisation_type": a.organisation_type,
        "role": a.role,
        "themes": [t.name for t in a.themes.all()],
        "needs": a.needs,
        "remarks": a.remarks,
        "status": a.status,
        "attended": a.attended,
        "consent_at": a.consent_at.isoformat(),
        "results_consent": a.results_consent,
        "results_consent_at": a.results_consent_at.isoformat() if a.results_consent_at else None,
        "privacy_version": a.privacy_version,
        "created": a.created.isoformat(),
        "updated": a.updated.isoformat(),
    }


class Registrations(PersonalData):
    key = "registrations"
    template = "admin/regiosessies/aanmelding/personal_data.html"

    def describe_anonymised(self, count: int) -> str:
        return ngettext("%(count)d aanmelding geanonimiseerd", "%(count)d aanmeldingen geanonimiseerd", count) % {
            "count": count
        }

    def describe_reduced(self, count: int) -> str:
        return ngettext(
            "%(count)d aanmelding teruggebracht tot het adres voor de resultatenmail",
            "%(count)d aanmeldingen teruggebracht tot het adres voor de resultatenmail",
            count,
        ) % {"count": count}

    def describe_released(self, count: int) -> str:
        return ngettext(
            "%(count)d plaats vrijgegeven",
            "%(count)d plaatsen vrijgegeven",
            count,
        ) % {"count": count}

    def find(self, email: str) -> list[Aanmelding]:
        return list(
            Aanmelding.objects.filter(email__iexact=email, anonymised_at__isnull=True)
            .select_related("session", "session__regio")
            .prefetch_related("themes")
            .order_by("created")
        )

    def export(self, record: Aanmelding) -> dict:
        return _export(record)

    def linked_emails(self, records) -> Q:
        return Q(aanmelding__in=records)

    def release(self, records: list[Aanmelding], *, now: datetime) -> int:
        cancelled = 0
        for aanmelding in records:
            if aanmelding.status != Aanmelding.Status.CANCELLED and aanmelding.session.end > now:
                cancel_registration(aanmelding=aanmelding)
                cancelled += 1
        return cancelled

    def erase(self, records: list[Aanmelding], *, now: datetime) -> int:
        return anonymise(Aanmelding.objects.filter(pk__in=[a.pk for a in records]), now=now)

    def due(self, *, cutoff: datetime, now: datetime) -> Due:
        registrations = Aanmelding.objects.filter(session__end__lt=cutoff, anonymised_at__isnull=True)
        kept_for_results = registrations.none()
        if timezone.localdate(now) <= settings.RESULTS_FOLLOWUP_UNTIL:
            kept_for_results = registrations.filter(results_consent=True)
            registrations = registrations.exclude(results_consent=True)
        return Due(anonymise=registrations, reduce=kept_for_results)

    def anonymise(self, records: QuerySet[Aanmelding], *, now: datetime, dry_run: bool = False) -> int:
        return records.count() if dry_run else anonymise(records, now=now)

    def reduce(self, records: QuerySet[Aanmelding], *, now: datetime, dry_run: bool = False) -> int:
        return records.exclude(name="").count() if dry_run else reduce_to_address(records, now=now)

    def addresses(self, records: QuerySet[Aanmelding]) -> set[str]:
        return set(records.values_list("email", flat=True))

    def addresses_in_use(self, emails: set[str]) -> set[str]:
        return set(
            Aanmelding.objects.filter(email__in=emails, anonymised_at__isnull=True).values_list("email", flat=True)
        )
