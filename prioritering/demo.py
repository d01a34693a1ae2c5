"""Demo data: a prioritisation round held after the sessions and closed, with believable ballots, so
the dashboard and the report's shopping list show points.

Believable means: about seven in ten of those present took part, most spent all ten points over two
to four needs, and needs raised in a person's own region (and by more regions) got more of them.
Deterministic (a fixed seed) and idempotent: nothing is done when any round exists.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from belemmeringen.models import Belemmering
from prioritering.models import Ronde, Stembiljet, Stemregel
from prioritering.selectors import compute_results, eligible_registrations, shopping_list_needs

SEED = 14
TURNOUT = 0.7


def _need_regions() -> dict[int, set[int]]:
    """Need id -> the regions whose established obstacles point at it."""
    links = Belemmering.behoeften.through.objects.filter(
        belemmering__status=Belemmering.Status.VASTGESTELD
    ).values_list("behoefte_id", "belemmering__session__regio_id")
    regions: dict[int, set[int]] = defaultdict(set)
    for need_id, regio_id in links:
        regions[need_id].add(regio_id)
    return regions


def _divide(rng: random.Random, chosen: list[int], budget: int, most: int) -> dict[int, int]:
    """Spread `budget` (sometimes a little less) over the chosen needs, favourites first, at most `most` each."""
    spend = budget if rng.random() < 0.85 else budget - rng.randint(1, 2)
    spend = min(spend, most * len(chosen))
    split = dict.fromkeys(chosen, 1)
    left = spend - len(chosen)
    weights = [len(chosen) - i for i in range(len(chosen))]  # the first choice gets the most
    while left > 0:
        need = rng.choices(chosen, weights=weights)[0]
        if split[need] < most:
            split[need] += 1
            left -= 1
    return split


def _ballot(
    rng: random.Random, needs: list, regions: dict[int, set[int]], own_region: int, ronde: Ronde
) -> dict[int, int]:
    weights = [1 + 2 * len(regions.get(n.pk, ())) + (6 if own_region in regions.get(n.pk, ()) else 0) for n in needs]
    count = rng.choice([2, 3, 3, 3, 4, 4])
    chosen: list[int] = []
    while len(chosen) < min(count, len(needs)):
        pick = rng.choices(needs, weights=weights)[0].pk
        if pick not in chosen:
            chosen.append(pick)
    return _divide(rng, chosen, ronde.points_per_person, ronde.max_per_need)


@transaction.atomic
def seed_priority_round() -> int:
    """Create the closed demo round; returns the number of ballots (0 when a round already exists)."""
    needs = list(shopping_list_needs().order_by("pk"))
    if Ronde.objects.exists() or not needs:
        return 0
    now = timezone.now()
    ronde = Ronde.objects.create(
        starts_at=now - timedelta(days=24), ends_at=now - timedelta(days=10), participants=Ronde.Deelnemers.ATTENDED
    )
    ronde.behoeften.set(needs)
    rng = random.Random(SEED)
    regions = _need_regions()
    # One voice per address, as in `services.cast_ballot` (the demo gives people in different regions
    # the same made-up addresses).
    people: dict[str, list] = defaultdict(list)
    for aanmelding in eligible_registrations(ronde).select_related("session").order_by("pk"):
        people[aanmelding.email].append(aanmelding)
    voters = [rng.choice(links) for _email, links in sorted(people.items()) if rng.random() < TURNOUT]
    ballots = Stembiljet.objects.bulk_create([Stembiljet(ronde=ronde, aanmelding=a) for a in voters])
    lines = [
        Stemregel(stembiljet=ballot, behoefte_id=need_id, points=points)
        for ballot, person in zip(ballots, voters, strict=False)
        for need_id, points in _ballot(rng, needs, regions, person.session.regio_id, ronde).items()
    ]
    Stemregel.objects.bulk_create(lines)
    ronde.results = compute_results(ronde)
    ronde.status = Ronde.Status.CLOSED
    ronde.closed_at = ronde.ends_at + timedelta(hours=2)
    ronde.save(update_fields=["results", "status", "closed_at"])
    return len(ballots)
