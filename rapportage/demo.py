"""Demo chapter texts and programme items, consistent with the demo findings (six sessions; most
lamp-post verdicts "ja, onder voorwaarden"; standards, procurement and the step from pilot to a
structural service as the knelpunten that come back everywhere).

Idempotent: a chapter somebody already wrote is left alone, and the programme items are made once
(their links to knelpunten are filled in once the knelpunten exist). The figures themselves are never
typed here: the report takes them from the data, so the texts speak in words, not numbers.
"""

from __future__ import annotations

from django.db.models import Q

from belemmeringen.models import Behoefte, Knelpunt, Niveau
from rapportage.models import Eindoordeel, ProgrammaOnderdeel, RapportTekst

TEXTS = {
    "version": "1.0 (concept voor het ministerie)",
    "introduction": (
        "Gemeenten experimenteren al jaren met slimme toepassingen in de openbare ruimte: sensoren die "
        "parkeerplekken tellen, lantaarnpalen die dimmen als er niemand is, meetnetten voor hitte en "
        "luchtkwaliteit. Veel van die pilots blijven pilots. Dit rapport gaat over de vraag waarom dat zo is en "
        "wat nodig is om de stap naar een structurele dienst wel te zetten.\n\n"
        "In het najaar van 2026 spraken bestuurders, beleidsmedewerkers, inkopers, beheerders, netbeheerders en "
        "bedrijven in zes regiosessies met elkaar over wat hen tegenhoudt. We danken alle deelnemers voor hun "
        "openheid en de gastgemeenten voor hun gastvrijheid.\n\n"
        "Het programmateam consultatie Smart City"
    ),
    "answer_rq1": (
        "De belangrijkste belemmeringen liggen niet in de techniek, maar in organisatie, financiering en "
        "afspraken tussen partijen. De knelpunten die in bijna alle regio's terugkomen, zijn het ontbreken van "
        "landelijke datastandaarden, aanbestedingen die elke gemeente opnieuw moet uitvinden, en pilots die na "
        "afloop geen structureel budget en geen beheerder hebben.\n\n"
        "Een groot deel van de knelpunten kan volgens de deelnemers het best nationaal worden aangepakt: "
        "standaarden, modelcontracten, een handreiking voor privacy en een regeling die de opschalingsfase "
        "meefinanciert. Regionaal gaat het vooral om gedeelde expertise en samen inkopen. Lokaal moeten "
        "gemeenten zelf een eigenaar aanwijzen en beheer vanaf de start betrekken.\n\n"
        "- Nationaal: standaarden, modelbestek, DPIA-handreiking en cofinanciering.\n"
        "- Regionaal: expertisecentra, inkoopsamenwerking en een leerlijn voor medewerkers.\n"
        "- Lokaal: een programmamanager en een meerjarig innovatiebudget."
    ),
    "rq2_verdict": Eindoordeel.VOORWAARDEN,
    "answer_rq2": (
        "Ja, onder voorwaarden. De lichtmast is een aantrekkelijke opstelplek: hij staat overal, op de goede "
        "hoogte en in eigendom van de gemeente. Bijna alle sessies zien hergebruik als kansrijk, mits vier "
        "dingen geregeld zijn.\n\n"
        "- Voeding: het net van de openbare verlichting staat overdag vaak uit; sensoren hebben continu stroom "
        "nodig. Dat vraagt aanpassing van het net of een eigen voeding per mast.\n"
        "- Beheer en eigendom: per mast moet duidelijk zijn wie de sensor beheert, wie aansprakelijk is en wie "
        "de kosten draagt.\n"
        "- Constructie en veiligheid: niet elke mast kan extra gewicht en windbelasting aan; een keuring hoort "
        "bij elke plaatsing.\n"
        "- Afspraken met marktpartijen: wie een mast gebruikt, betaalt een vergoeding en deelt de data onder "
        "open voorwaarden.\n\n"
        "Waar de sessies 'nee' of 'nog onbekend' zeiden, ging het om oude netten zonder dagvoeding of om "
        "onduidelijk eigendom van de masten, niet om bezwaren tegen hergebruik zelf."
    ),
    "conclusions": (
        "Opschalen loopt vast op dezelfde punten in alle regio's. Dat is goed nieuws: wat één keer landelijk "
        "wordt geregeld, helpt alle gemeenten tegelijk.\n\n"
        "- Regel standaarden, modelcontracten en een DPIA-handreiking één keer, landelijk.\n"
        "- Financier de stap van pilot naar dienst, niet alleen het experiment.\n"
        "- Bundel expertise en inkoop per regio.\n"
        "- Maak de lichtmast een standaard opstelplek, met heldere afspraken over voeding, beheer en "
        "vergoedingen.\n\n"
        "Het voorstel voor een nationaal ondersteuningsprogramma in dit rapport werkt deze punten uit."
    ),
    "method": (
        "De consultatie bestond uit zes regiosessies van een middag, één per regio, open voor iedereen die "
        "beroepsmatig met slimme toepassingen in de openbare ruimte werkt. Elke sessie had een facilitator van "
        "het programmateam en een vaste opzet: een korte inleiding, werken in groepen per thema, en een "
        "plenaire ronde waarin de inbreng werd vastgesteld.\n\n"
        "Per belemmering legde de facilitator vast op welk niveau die volgens de sessie het best kan worden "
        "aangepakt en hoeveel aanwezigen haar uit de eigen praktijk herkenden. Het programmateam bracht daarna "
        "de inbreng van alle sessies samen tot knelpunten en besloot per knelpunt op welk niveau het "
        "aangepakt moet worden.\n\n"
        "De uitkomsten zijn kwalitatief. De deelnemers vormen geen steekproef; gemeenten die al verder zijn met "
        "Smart City waren waarschijnlijk sterker vertegenwoordigd. De aantallen in dit rapport laten zien hoe "
        "breed een knelpunt leeft, niet hoe vaak het in heel Nederland voorkomt."
    ),
}

# (title, aim, offer, level, organiser, need titles, first steps)
PROGRAMMA = [
    (
        "Landelijke standaarden voor sensordata",
        "Sensordata van alle gemeenten in één formaat, zodat toepassingen en platforms uitwisselbaar worden.",
        "- Een datastandaard voor sensoren in de openbare ruimte.\n- Een referentiearchitectuur voor stedelijke dataplatforms.",
        Niveau.NATIONAAL,
        "Ministerie van IenW, met Geonovum en de VNG",
        [
            "Landelijke datastandaard voor sensoren in de openbare ruimte",
            "Referentiearchitectuur stedelijke dataplatforms",
        ],
        "- Werkgroep met vijf koplopergemeenten en twee leveranciers.\n- Eerste versie van de standaard binnen een jaar.",
    ),
    (
        "Modelbestek en modelcontracten",
        "Gemeenten hoeven een Smart City-aanbesteding niet meer zelf uit te vinden.",
        "- Een modelbestek met functionele eisen, datavoorwaarden en exitclausules.\n"
        "- Een standaard samenwerkingsovereenkomst voor publiek-private samenwerking.",
        Niveau.NATIONAAL,
        "PIANOo, met de VNG",
        ["Modelbestek voor Smart City-aanbestedingen", "Standaard samenwerkingsovereenkomst publiek-privaat"],
        "Modelbestek opstellen met inkopers uit de zes regio's; toetsen in twee regionale inkooptrajecten.",
    ),
    (
        "Opschalingsregeling",
        "De stap van geslaagde pilot naar structurele dienst financieel mogelijk maken.",
        "Een cofinancieringsregeling die de eerste drie jaar na de pilot meebetaalt, onder voorwaarde van "
        "structurele dekking daarna.",
        Niveau.NATIONAAL,
        "Ministerie van IenW",
        ["Cofinancieringsregeling voor opschaling"],
        "Verkennen van de regeling met het ministerie van Financiën; openstelling in de volgende begroting.",
    ),
    (
        "Kennisnetwerk en pilotdatabank",
        "Wat één gemeente leert, is voor alle gemeenten beschikbaar.",
        "- Een kennisnetwerk opschaling met een vaste trekker.\n- Een doorzoekbare databank met afgeronde pilots en hun lessen.\n"
        "- Een handreiking DPIA voor sensoren.",
        Niveau.NATIONAAL,
        "Stichting Nationaal Smart City Living Lab",
        ["Kennisnetwerk opschaling", "Pilotdatabank met geleerde lessen", "Handreiking DPIA voor sensoren"],
        "De databank vullen met de pilots die in de regiosessies zijn genoemd.",
    ),
    (
        "Regionale expertisecentra",
        "Ook kleinere gemeenten hebben toegang tot data-expertise en kunnen samen inkopen.",
        "- Een regionaal expertisecentrum data en sensoren per regio.\n- Regionale inkoopsamenwerking.\n"
        "- Een leerlijn digitale vaardigheden voor beleidsmedewerkers, inkopers en beheerders.",
        Niveau.REGIONAAL,
        "De regio's, met een startbijdrage van het Rijk",
        [
            "Regionaal expertisecentrum data en sensoren",
            "Regionale inkoopsamenwerking",
            "Opleidingsprogramma digitale vaardigheden",
        ],
        "Twee regio's starten als proeftuin; de andere volgen na een jaar.",
    ),
]


def seed_report_texts() -> int:
    """Write the demo chapters where they are empty and the programme items once; returns the number of
    chapters written."""
    tekst = RapportTekst.objects.order_by("pk").first() or RapportTekst()
    default_version = RapportTekst._meta.get_field("version").default
    written = [
        name for name in TEXTS if not getattr(tekst, name) or (name == "version" and tekst.version == default_version)
    ]
    for name in written:
        setattr(tekst, name, TEXTS[name])
    tekst.save()
    _seed_programme()
    return len(written)


def _seed_programme() -> None:
    needs = {n.title: n for n in Behoefte.objects.filter(title__in=[t for item in PROGRAMMA for t in item[5]])}
    existing = {item.title: item for item in ProgrammaOnderdeel.objects.all()}
    for order, (title, aim, offer, level, organiser, need_titles, first_steps) in enumerate(PROGRAMMA, start=1):
        item = existing.get(title) or ProgrammaOnderdeel.objects.create(
            title=title, aim=aim, offer=offer, level=level, organiser=organiser, first_steps=first_steps, order=order
        )
        linked = [needs[t] for t in need_titles if t in needs]
        if linked and not item.behoeften.exists():
            item.behoeften.add(*linked)
        if linked and not item.knelpunten.exists():
            # The knelpunten these needs answer: linked to the need, or through an entry grouped under them.
            item.knelpunten.add(
                *Knelpunt.objects.filter(Q(behoeften__in=linked) | Q(belemmeringen__behoeften__in=linked)).distinct()
            )
