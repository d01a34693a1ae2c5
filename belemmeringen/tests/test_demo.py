"""Demo findings: enough of everything for the report to show, and safe to run twice."""

from __future__ import annotations

import pytest
from django.db.models import Count

from belemmeringen.demo import seed_findings
from belemmeringen.models import Behoefte, Belemmering, LichtmastAntwoord, Niveau, Thema

pytestmark = pytest.mark.django_db


def test_demo_covers_every_theme_and_level_per_session_and_is_idempotent(sessie_a, sessie_b):
    created = seed_findings([sessie_a, sessie_b])
    assert created == Belemmering.objects.count() >= 2 * 24
    for session in (sessie_a, sessie_b):
        found = session.belemmeringen
        assert set(found.values_list("thema__name", flat=True)) == set(Thema.objects.values_list("name", flat=True))
        assert set(found.values_list("level", flat=True)) == set(Niveau.values)
        assert found.filter(status="vastgesteld").count() > found.filter(status="concept").count() > 0
        antwoord = LichtmastAntwoord.objects.get(session=session)
        assert antwoord.bevindingen.values("aspect").distinct().count() >= 3
    recurring = Behoefte.objects.annotate(n=Count("belemmeringen__session", distinct=True)).filter(n=2)
    assert recurring.count() >= 5
    assert seed_findings([sessie_a, sessie_b]) == 0
    assert Belemmering.objects.count() == created
