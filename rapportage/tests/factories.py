"""Known findings for the report tests, small enough to count by hand. The single rows come from the
owning apps' factories (belemmeringen/tests/factories.py, regiosessies/tests/factories.py).

Two sessions (Noord = session_a, Zuid = session_b). Seven established obstacles and one concept:

| # | session | theme / sub-topic                       | title                                   | level     | dimension   | recog. | needs      |
|---|---------|-----------------------------------------|-----------------------------------------|-----------|-------------|--------|------------|
| 1 | Noord   | Organisatie / Inzicht in ervaringen     | Pilotresultaten worden niet gedeeld     | lokaal    | horizontaal | 12     | N1         |
| 2 | Zuid    | Organisatie / Inzicht in ervaringen     | pilotresultaten  worden niet gedeeld    | regionaal | regionaal   | 8      | N1         |
| 3 | Noord   | Financiering / Budgetallocatie          | Geen structureel budget voor innovatie  | nationaal | verticaal   | 15     | N2         |
| 4 | Zuid    | Juridisch / Aanbesteden van innovatie   | Aanbesteden van innovatie is complex    | regionaal | regionaal   | 9      | N3, N1     |
| 5 | Zuid    | Technisch / Standaarden                 | Geen open standaarden voor sensordata   | nationaal | nationaal   | 20     | N4         |
| 6 | Noord   | Technisch / (none)                      | Beheer van sensoren onduidelijk         | lokaal    | verticaal   | 3      | N5         |
| 7 | Noord   | Organisatie / Competenties              | Te weinig datakennis                    | lokaal    | horizontaal | 6      | –          |
| 8 | Zuid    | Financiering / Cofinanciering (CONCEPT) | Cofinanciering onzeker                  | regionaal | regionaal   | 30     | N6         |

Needs: N1 Kennisplatform pilots (nationaal, kennis), N2 Innovatiebudget (nationaal, financiering),
N3 Regionale inkoopsamenwerking (regionaal, inkoop), N4 Landelijke standaarden (nationaal, standaarden),
N5 Beheerafspraken sensoren (lokaal, organisatie), N6 Cofinancieringsregeling (regionaal, only behind the
concept obstacle, so never on the list).

Registrations: Noord 3 confirmed (2 gemeente, 1 bedrijf; 1 attended) + 1 waitlisted; Zuid 2 confirmed
(1 provincie, 1 gemeente; 2 attended). Both sessions were held (they are moved into the past).

The programme team grouped the established entries into five knelpunten; #7 is left ungrouped:

| knelpunt | theme / sub-topic                    | decided   | priority | entries | needs linked to it |
|----------|--------------------------------------|-----------|----------|---------|--------------------|
| K1 Pilotresultaten worden niet gedeeld | Organisatie / Inzicht | nationaal | hoog | #1, #2 | N1 |
| K2 Geen structureel innovatiebudget    | Financiering / Budget | nationaal | middel | #3   | N2 |
| K3 Aanbesteden van innovatie is complex | Juridisch / Aanbesteden | regionaal | hoog | #4 | N3 (and N1 through #4) |
| K4 Geen open standaarden voor sensordata | Technisch / Standaarden | nationaal | hoog | #5 | N4 |
| K5 Beheer van sensoren onduidelijk     | Technisch / (none)    | lokaal    | laag   | #6   | N5 |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from belemmeringen.models import Behoefte, Belemmering, Knelpunt, LichtmastAntwoord, LichtmastBevinding, Thema
from belemmeringen.tests.factories import make_knelpunt, make_need, make_obstacle
from regiosessies.models import Regiosessie
from regiosessies.tests.factories import make_registration


@dataclass
class Findings:
    noord: Regiosessie
    zuid: Regiosessie
    obstacles: list[Belemmering]
    needs: dict[str, Behoefte]
    concept: Belemmering
    knelpunten: dict[str, Knelpunt]


def move_into_past(*sessions: Regiosessie) -> None:
    """The report counts a session as held once it has started; the fixtures' sessions are in the future."""
    for days, session in enumerate(sessions, start=20):
        start = timezone.now() - timedelta(days=days)
        Regiosessie.objects.filter(pk=session.pk).update(start=start, end=start + timedelta(hours=3))
        session.refresh_from_db()


def make_findings(noord: Regiosessie, zuid: Regiosessie) -> Findings:
    n1 = make_need(
        "Kennisplatform pilots",
        level="nationaal",
        support_type="kennis",
        description="Een plek waar pilotresultaten landelijk worden gedeeld.",
    )
    n2 = make_need("Innovatiebudget", level="nationaal", support_type="financiering")
    n3 = make_need("Regionale inkoopsamenwerking", level="regionaal", support_type="inkoop")
    n4 = make_need("Landelijke standaarden", level="nationaal", support_type="standaarden")
    n5 = make_need("Beheerafspraken sensoren", level="lokaal", support_type="organisatie")
    n6 = make_need("Cofinancieringsregeling", level="regionaal", support_type="financiering")

    obstacles = [
        make_obstacle(
            noord,
            thema_slug="organisatie",
            subthema_name="Inzicht in ervaringen uit pilots",
            title="Pilotresultaten worden niet gedeeld",
            level="lokaal",
            dimension="horizontaal",
            recognised_by=12,
            needs=[n1],
        ),
        make_obstacle(
            zuid,
            thema_slug="organisatie",
            subthema_name="Inzicht in ervaringen uit pilots",
            title="pilotresultaten  worden niet gedeeld",
            level="regionaal",
            dimension="regionaal",
            recognised_by=8,
            needs=[n1],
        ),
        make_obstacle(
            noord,
            thema_slug="financiering",
            subthema_name="Budgetallocatie binnen de lopende begroting",
            title="Geen structureel budget voor innovatie",
            level="nationaal",
            dimension="verticaal",
            recognised_by=15,
            needs=[n2],
        ),
        make_obstacle(
            zuid,
            thema_slug="juridisch",
            subthema_name="Aanbesteden van innovatie",
            title="Aanbesteden van innovatie is complex",
            level="regionaal",
            dimension="regionaal",
            recognised_by=9,
            needs=[n3, n1],
        ),
        make_obstacle(
            zuid,
            thema_slug="technisch",
            subthema_name="Standaarden",
            title="Geen open standaarden voor sensordata",
            level="nationaal",
            dimension="nationaal",
            recognised_by=20,
            needs=[n4],
        ),
        make_obstacle(
            noord,
            thema_slug="technisch",
            title="Beheer van sensoren onduidelijk",
            level="lokaal",
            dimension="verticaal",
            recognised_by=3,
            needs=[n5],
        ),
        make_obstacle(
            noord,
            thema_slug="organisatie",
            subthema_name="Competenties en vaardigheden",
            title="Te weinig datakennis",
            level="lokaal",
            dimension="horizontaal",
            recognised_by=6,
        ),
    ]
    concept = make_obstacle(
        zuid,
        thema_slug="financiering",
        subthema_name="Cofinanciering",
        title="Cofinanciering onzeker",
        level="regionaal",
        dimension="regionaal",
        recognised_by=30,
        status=Belemmering.Status.CONCEPT,
        needs=[n6],
    )

    noord_answer = LichtmastAntwoord.objects.create(
        session=noord, verdict=LichtmastAntwoord.Oordeel.VOORWAARDEN, summary="Kan, als de voeding geregeld is."
    )
    LichtmastBevinding.objects.create(
        antwoord=noord_answer, aspect="opstelplek", kind="kans", text="Masten staan overal in de stad."
    )
    LichtmastBevinding.objects.create(
        antwoord=noord_answer, aspect="elektra", kind="voorwaarde", text="Voeding moet ook overdag beschikbaar zijn."
    )
    zuid_answer = LichtmastAntwoord.objects.create(
        session=zuid, verdict=LichtmastAntwoord.Oordeel.NEE, summary="Het net is er niet op ingericht."
    )
    LichtmastBevinding.objects.create(
        antwoord=zuid_answer, aspect="elektra", kind="belemmering", text="Netbeheerder staat voeding overdag niet toe."
    )

    make_registration(noord, "ans@gemeente.nl", organisation_type="gemeente", attended=True)
    make_registration(noord, "bert@gemeente.nl", organisation_type="gemeente")
    make_registration(noord, "cor@bedrijf.nl", organisation_type="bedrijf")
    make_registration(noord, "dirk@gemeente.nl", organisation_type="gemeente", status="waitlisted")
    make_registration(zuid, "eva@provincie.nl", organisation_type="provincie", attended=True)
    make_registration(zuid, "fem@gemeente.nl", organisation_type="gemeente", attended=True)

    move_into_past(zuid, noord)
    o = obstacles
    knelpunten = {
        "K1": make_knelpunt(
            "Pilotresultaten worden niet gedeeld",
            thema_slug="organisatie",
            level="nationaal",
            priority=1,
            subthema_name="Inzicht in ervaringen uit pilots",
            entries=[o[0], o[1]],
            needs=[n1],
        ),
        "K2": make_knelpunt(
            "Geen structureel innovatiebudget",
            thema_slug="financiering",
            level="nationaal",
            priority=2,
            subthema_name="Budgetallocatie binnen de lopende begroting",
            entries=[o[2]],
            needs=[n2],
        ),
        "K3": make_knelpunt(
            "Aanbesteden van innovatie is complex",
            thema_slug="juridisch",
            level="regionaal",
            priority=1,
            subthema_name="Aanbesteden van innovatie",
            entries=[o[3]],
            needs=[n3],
        ),
        "K4": make_knelpunt(
            "Geen open standaarden voor sensordata",
            thema_slug="technisch",
            level="nationaal",
            priority=1,
            subthema_name="Standaarden",
            entries=[o[4]],
            needs=[n4],
        ),
        "K5": make_knelpunt(
            "Beheer van sensoren onduidelijk",
            thema_slug="technisch",
            level="lokaal",
            priority=3,
            entries=[o[5]],
            needs=[n5],
        ),
    }
    return Findings(
        noord=noord,
        zuid=zuid,
        obstacles=obstacles,
        needs={"N1": n1, "N2": n2, "N3": n3, "N4": n4, "N5": n5, "N6": n6},
        concept=concept,
        knelpunten=knelpunten,
    )


def make_many_obstacles(
    sessions: list[Regiosessie], count: int, *, needs_per_level: int = 4, knelpunten: int = 0
) -> None:
    """`count` established obstacles spread over sessions, themes, levels and needs (for scale tests
    and benchmarks), created in bulk; with `knelpunten`, grouped round-robin into that many knelpunten
    (each with the theme of its first entry and one need)."""
    themas = list(Thema.objects.prefetch_related("subthemas"))
    levels = ["lokaal", "regionaal", "nationaal"]
    dimensions = ["verticaal", "horizontaal", "regionaal", "nationaal"]
    supports = [value for value, _ in Behoefte.Ondersteuning.choices]
    needs = [
        Behoefte.objects.get_or_create(
            title=f"Behoefte {level} {i + 1}",
            defaults={
                "level": level,
                "support_type": supports[i % len(supports)],
                "description": f"Ondersteuning op {level} niveau, nummer {i + 1}.",
            },
        )[0]
        for level in levels
        for i in range(needs_per_level)
    ]
    rows = []
    for i in range(count):
        th = themas[i % len(themas)]
        subs = list(th.subthemas.all())
        rows.append(
            Belemmering(
                session=sessions[i % len(sessions)],
                thema=th,
                subthema=subs[i % len(subs)] if subs else None,
                title=f"Belemmering {i + 1}: {th.name.lower()} loopt vast bij opschaling",
                description=(
                    "Bij het opschalen van de pilot bleek dat afspraken over beheer, data en financiering "
                    "ontbraken. Deelnemers herkenden dit uit hun eigen organisatie."
                ),
                support_needed="Handreiking en voorbeeldcontracten.",
                level=levels[i % 3],
                dimension=dimensions[i % 4],
                recognised_by=(i * 7) % 23,
                status=Belemmering.Status.VASTGESTELD,
            )
        )
    created = Belemmering.objects.bulk_create(rows, batch_size=500)
    Through = Belemmering.behoeften.through
    Through.objects.bulk_create(
        [Through(belemmering_id=b.pk, behoefte_id=needs[i % len(needs)].pk) for i, b in enumerate(created)],
        batch_size=500,
    )
    if knelpunten:
        _group_round_robin(created, knelpunten, needs, levels)


def _group_round_robin(created: list[Belemmering], count: int, needs: list[Behoefte], levels: list[str]) -> None:
    """Entry i goes to knelpunt i % count, so every knelpunt gathers entries from several sessions
    (given the entries themselves go round-robin over the sessions and themes)."""
    groups = Knelpunt.objects.bulk_create(
        [
            Knelpunt(
                title=f"Knelpunt {j + 1}: {created[j].thema.name.lower()} loopt vast bij opschaling",
                description="Zoals de sessies het noemden, in de woorden van het programmateam.",
                thema=created[j].thema,
                subthema=created[j].subthema,
                level=levels[(j // 3) % 3],
                priority=1 + j % 3,
            )
            for j in range(count)
        ],
        batch_size=500,
    )
    for i, entry in enumerate(created):
        entry.knelpunt = groups[i % count]
    Belemmering.objects.bulk_update(created, ["knelpunt"], batch_size=500)
    Through = Knelpunt.behoeften.through
    Through.objects.bulk_create(
        [Through(knelpunt_id=k.pk, behoefte_id=needs[j % len(needs)].pk) for j, k in enumerate(groups)],
        batch_size=500,
    )


def set_texts(**values) -> None:
    """Edit the one row of report texts (the migration made it) as the admin would."""
    from rapportage.models import RapportTekst

    tekst = RapportTekst.load()
    for name, value in values.items():
        setattr(tekst, name, value)
    tekst.save()
