"""Test data for the follow-up emails: registrants with or without results consent, knelpunten raised in
given regions, and a published version created directly (rendering the PDF is resultaten's to test)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from belemmeringen.models import Knelpunt, Niveau, Thema
from belemmeringen.tests.factories import make_established
from regiosessies.models import Aanmelding
from regiosessies.tests.factories import make_registration
from resultaten.models import Publicatie


def registrant(session, email: str, *, consent: bool, status=Aanmelding.Status.CONFIRMED, language="nl", **extra):
    return make_registration(session, email, status=status, language=language, results_consent=consent, **extra)


def knelpunt_raised_in(title: str, *sessions) -> Knelpunt:
    thema, _ = Thema.objects.get_or_create(slug="terugkoppeling-test", defaults={"name": "Terugkoppeling (test)"})
    knelpunt = Knelpunt.objects.create(title=title, thema=thema, level=Niveau.NATIONAAL)
    for session in sessions:
        make_established(session, f"{title} ({session.regio.name})", thema_obj=thema, knelpunt=knelpunt)
    return knelpunt


def publish(*knelpunten, regions=(), version=1, at=None) -> Publicatie:
    return Publicatie.objects.create(
        version=version,
        published_at=at or timezone.now() - timedelta(days=30),
        fingerprint=f"test-{version}",
        report_html="<p>rapport</p>",
        data={
            "regions": [{"slug": r.slug, "name": r.name} for r in regions],
            "sessions": [{"slug": f"s{r.pk}", "cancelled": False} for r in regions],
            "knelpunten": [{"id": k.pk, "title": k.title, "status": k.status} for k in knelpunten],
        },
    )
