"""What stands between the data and a report that can be sent: the dashboard's to-do list.

Each item says what is missing, how much, and links to the admin page where it is put right. The
report itself also says how many entries are in concept or ungrouped; here they are listed by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from belemmeringen.models import Belemmering, LichtmastAntwoord
from rapportage.data import Rapport
from rapportage.models import RapportTekst

#: How many entries the dashboard names per list; the link leads to all of them.
LISTED = 25


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Gap:
    """One kind of thing still missing: a title, how many, a link to all of them, and the first few."""

    key: str
    title: str
    count: int
    link: Link | None
    items: list[Link] = field(default_factory=list)


def _changelist(model: str, **params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse(f"admin:{model}_changelist") + (f"?{query}" if query else "")


def _entries(queryset) -> list[Link]:
    rows = queryset.select_related("session__regio").order_by("session__start", "pk")[:LISTED]
    return [
        Link(f"{b.session.regio.name}: {b.title}", reverse("admin:belemmeringen_belemmering_change", args=[b.pk]))
        for b in rows
    ]


def missing_for_report(rapport: Rapport) -> list[Gap]:
    """Every gap, in the order the team usually closes them; an empty list means the report can go."""
    return [*_text_gaps(rapport), *_entry_gaps(rapport), *_session_gaps(rapport)]


def _text_gaps(rapport: Rapport) -> list[Gap]:
    """What the team still has to write: the report's chapters and the programme proposal."""
    text = RapportTekst.objects.order_by("pk").first()
    text_url = (
        reverse("admin:rapportage_rapporttekst_change", args=[text.pk])
        if text
        else reverse("admin:rapportage_rapporttekst_add")
    )
    return [
        Gap(
            "chapters",
            _("Hoofdstukken die nog niet zijn geschreven"),
            len(rapport.texts.empty_chapters),
            Link(_("Teksten van het rapport bewerken"), text_url),
            [Link(name, text_url) for name in rapport.texts.empty_chapters],
        ),
        Gap(
            "programme",
            _("Onderdelen van het programmavoorstel"),
            0 if rapport.programme else 1,
            Link(_("Programmavoorstel bewerken"), _changelist("rapportage_programmaonderdeel")),
            []
            if rapport.programme
            else [Link(_("Nog geen enkel onderdeel beschreven"), reverse("admin:rapportage_programmaonderdeel_add"))],
        ),
    ]


def _entry_gaps(rapport: Rapport) -> list[Gap]:
    """Entries that do not count yet: established but not under a knelpunt, or still in concept."""
    concept = Belemmering.objects.filter(status=Belemmering.Status.CONCEPT)
    ungrouped = Belemmering.objects.established().ungrouped()
    return [
        Gap(
            "ungrouped",
            _("Vastgestelde inbreng die nog niet bij een knelpunt hoort"),
            rapport.figures.ungrouped_entries,
            Link(
                _("Alle niet-gegroepeerde inbreng"),
                _changelist("belemmeringen_belemmering", knelpunt="geen", status__exact="vastgesteld"),
            ),
            _entries(ungrouped) if rapport.figures.ungrouped_entries else [],
        ),
        Gap(
            "concept",
            _("Inbreng die nog in concept staat"),
            rapport.figures.concept_entries,
            Link(_("Alle inbreng in concept"), _changelist("belemmeringen_belemmering", status__exact="concept")),
            _entries(concept) if rapport.figures.concept_entries else [],
        ),
    ]


def _session_gaps(rapport: Rapport) -> list[Gap]:
    """Held sessions without attendance, and sessions whose lamp-post verdict is unknown."""
    held_without_attendance = [s for s in rapport.sessions if s.held and not s.attended]
    unknown_verdict = [v for v in rapport.lamp_post.per_session if v.verdict == LichtmastAntwoord.Oordeel.ONBEKEND]
    return [
        Gap(
            "attendance",
            _("Gehouden sessies zonder geregistreerde aanwezigheid"),
            len(held_without_attendance),
            None,
            [
                Link(s.title, reverse("admin:regiosessies_regiosessie_presentielijst", args=[s.id]))
                for s in held_without_attendance
            ],
        ),
        Gap(
            "verdict",
            _("Sessies waarvan het oordeel over de lichtmasten onbekend is"),
            len(unknown_verdict),
            None,
            [
                Link(v.session, reverse("admin:belemmeringen_sessiebevindingen_change", args=[v.session_id]))
                for v in unknown_verdict
            ],
        ),
    ]
