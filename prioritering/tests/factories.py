"""The prioritisation round for tests: needs on the shopping list and an open round over them.
Plain functions, no factory library (rapportage's style)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from belemmeringen.models import Behoefte, Niveau, Thema
from belemmeringen.tests.factories import make_established, make_need
from prioritering.models import Ronde

NEEDS = [
    ("Kennisplatform pilots", Niveau.NATIONAAL),
    ("Innovatiebudget", Niveau.NATIONAAL),
    ("Regionale inkoopsamenwerking", Niveau.REGIONAAL),
    ("Landelijke standaarden", Niveau.NATIONAAL),
    ("Beheerafspraken sensoren", Niveau.LOKAAL),
    ("Datakennis in de organisatie", Niveau.LOKAAL),
]


def make_needs(session) -> list[Behoefte]:
    """The six NEEDS, each behind an established obstacle of `session`: the shopping list."""
    thema = Thema.objects.first()
    result = []
    for title, level in NEEDS:
        need = make_need(
            title, level=level, support_type=Behoefte.Ondersteuning.KENNIS, description=f"Uitleg bij {title}."
        )
        make_established(session, f"Geen {title.lower()}", need=need, thema_obj=thema, level=level)
        result.append(need)
    return result


def make_round(needs, **extra) -> Ronde:
    """A round over `needs`, open from yesterday for a week unless `extra` says otherwise."""
    now = timezone.now()
    values = {"starts_at": now - timedelta(days=1), "ends_at": now + timedelta(days=7)}
    values.update(extra)
    ronde = Ronde.objects.create(**values)
    ronde.behoeften.set(needs)
    return ronde


def points(needs, *values) -> dict[int, int]:
    """{need id: value} for the first len(values) needs."""
    return {need.pk: value for need, value in zip(needs, values, strict=False)}
