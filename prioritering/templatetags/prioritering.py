"""Template helpers: the ballot's running total without JavaScript, and the round's results block
that the report dashboard includes (staff only; the dashboard view already checks that)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from prioritering import selectors

register = template.Library()


@dataclass(frozen=True)
class Total:
    total: int
    left: int
    over: int


@register.simple_tag
def ballot_total(form, ronde) -> Total:
    """The points on the form as shown (typed or saved); what cannot be read as a number counts 0."""
    total = 0
    for _need, field in form.rows():
        try:
            total += max(int(field.value() or 0), 0)
        except (TypeError, ValueError):
            continue
    budget = ronde.points_per_person
    return Total(total=total, left=max(budget - total, 0), over=max(total - budget, 0))


@register.inclusion_tag("prioritering/_resultaten.html")
def priority_results(heading_level: int = 2):
    """The open round's live figures, else the latest closed round's frozen ones; nothing if none."""
    ronde = selectors.current_round()
    results = selectors.live_results(ronde) if ronde else selectors.closed_round_points()
    return {"results": results, "heading_level": heading_level}


@register.inclusion_tag("prioritering/_stembiljet_link.html")
def ballot_link(aanmelding):
    """On the personal page: the way to the ballot while a round takes ballots this person may cast."""
    ronde = selectors.current_round()
    show = bool(ronde and ronde.accepts_ballots() and not selectors.ineligibility_reason(ronde, aanmelding))
    return {"ronde": ronde if show else None, "aanmelding": aanmelding}
