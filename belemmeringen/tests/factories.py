"""Findings for tests: obstacles (Belemmering), needs (Behoefte), knelpunten and the reference data.
Plain functions, no factory library (rapportage's style)."""

from __future__ import annotations

from belemmeringen.models import Behoefte, Belemmering, Dimensie, Knelpunt, Niveau, Subthema, Thema
from belemmeringen.reference import THEMAS


def thema(slug: str) -> Thema:
    return Thema.objects.get(slug=slug)


def subthema(thema_slug: str, name: str) -> Subthema:
    return Subthema.objects.get(thema__slug=thema_slug, name=name)


def make_belemmering(session, *, thema="Technisch", subthema="Standaarden", **extra) -> Belemmering:
    """An obstacle of `session` under the seeded theme and sub-topic named (by name, not slug)."""
    thema_obj = Thema.objects.get(name=thema)
    defaults = {
        "title": "Geen gedeelde standaard voor sensordata",
        "level": Niveau.NATIONAAL,
        "dimension": "nationaal",
        "recognised_by": 5,
    }
    defaults.update(extra)
    return Belemmering.objects.create(
        session=session,
        thema=thema_obj,
        subthema=Subthema.objects.get(thema=thema_obj, name=subthema) if subthema else None,
        **defaults,
    )


def make_need(
    title: str, *, level: str = Niveau.NATIONAAL, support_type: str = "kennis", description: str = "", **extra
) -> Behoefte:
    return Behoefte.objects.create(
        title=title, level=level, support_type=support_type, description=description, **extra
    )


def make_obstacle(
    session,
    *,
    thema_slug: str,
    title: str,
    level: str,
    dimension: str,
    recognised_by: int = 0,
    subthema_name: str | None = None,
    status: str = Belemmering.Status.VASTGESTELD,
    description: str = "",
    support_needed: str = "",
    needs: list[Behoefte] | tuple = (),
    **extra,
) -> Belemmering:
    """An obstacle with every field named (established unless `status` says otherwise), linked to `needs`."""
    b = Belemmering.objects.create(
        session=session,
        thema=thema(thema_slug),
        subthema=subthema(thema_slug, subthema_name) if subthema_name else None,
        title=title,
        description=description,
        support_needed=support_needed,
        level=level,
        dimension=dimension,
        recognised_by=recognised_by,
        status=status,
        **extra,
    )
    if needs:
        b.behoeften.add(*needs)
    return b


def make_established(session, title: str, *, need: Behoefte | None = None, thema_obj: Thema | None = None, **extra):
    """An established obstacle of `session` at national level, behind `need` if given."""
    obstacle = Belemmering.objects.create(
        session=session,
        thema=thema_obj or Thema.objects.first(),
        title=title,
        level=extra.pop("level", Niveau.NATIONAAL),
        dimension=extra.pop("dimension", Dimensie.NATIONAAL),
        status=extra.pop("status", Belemmering.Status.VASTGESTELD),
        **extra,
    )
    if need is not None:
        obstacle.behoeften.add(need)
    return obstacle


def make_knelpunt(
    title: str,
    *,
    thema_slug: str,
    level: str,
    entries=(),
    priority: int = 2,
    subthema_name: str | None = None,
    needs=(),
) -> Knelpunt:
    """A knelpunt grouping `entries` (obstacles), linked to `needs`."""
    k = Knelpunt.objects.create(
        title=title,
        thema=thema(thema_slug),
        subthema=subthema(thema_slug, subthema_name) if subthema_name else None,
        level=level,
        priority=priority,
    )
    if entries:
        Belemmering.objects.filter(pk__in=[e.pk for e in entries]).update(knelpunt=k)
    if needs:
        k.behoeften.add(*needs)
    return k


def seed_reference_data() -> None:
    """Themes and sub-topics as the data migration seeds them (idempotent)."""
    for order, data in enumerate(THEMAS, start=1):
        thema_obj, _ = Thema.objects.update_or_create(
            slug=data["slug"], defaults={"name": data["name"], "description": data["description"], "order": order}
        )
        for sub_order, name in enumerate(data["subthemas"], start=1):
            Subthema.objects.update_or_create(thema=thema_obj, name=name, defaults={"order": sub_order})
