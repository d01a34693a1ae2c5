"""Demo findings for `manage.py seed_demo`: realistic obstacles, needs and lamp-post answers.

Deterministic (a seeded random per session) and idempotent: obstacles are keyed on (session, title),
needs on title, the lamp-post answer on its session; a second run adds nothing.
"""

from __future__ import annotations

import random

from django.db import transaction

from belemmeringen.models import (
    Behoefte,
    Belemmering,
    Dimensie,
    LichtmastAntwoord,
    LichtmastBevinding,
    Niveau,
    Subthema,
    Thema,
)

K, F, J, S, O, I = (
    Behoefte.Ondersteuning.KENNIS,
    Behoefte.Ondersteuning.FINANCIERING,
    Behoefte.Ondersteuning.JURIDISCH,
    Behoefte.Ondersteuning.STANDAARDEN,
    Behoefte.Ondersteuning.ORGANISATIE,
    Behoefte.Ondersteuning.INKOOP,
)
L, R, N = Niveau.LOKAAL, Niveau.REGIONAAL, Niveau.NATIONAAL

# Needs that come back in several regions: title -> (support type, level, explanation).
BEHOEFTEN = {
    "Modelbestek voor Smart City-aanbestedingen": (I, N, "Een landelijk modelbestek met functionele eisen, datavoorwaarden en exitclausules."),
    "Landelijke datastandaard voor sensoren in de openbare ruimte": (S, N, "Eén afspraak over formaat, metadata en ontsluiting van sensordata."),
    "Kennisnetwerk opschaling": (K, N, "Een netwerk waarin gemeenten ervaringen met opschalen delen, met een vaste trekker."),
    "Pilotdatabank met geleerde lessen": (K, N, "Een doorzoekbaar overzicht van afgeronde pilots: wat werkte, wat niet en waarom."),
    "Regionale inkoopsamenwerking": (I, R, "Gemeenten in de regio kopen samen in om schaal en marktmacht te krijgen."),
    "Cofinancieringsregeling voor opschaling": (F, N, "Rijksbijdrage voor de stap van pilot naar structurele dienst."),
    "Handreiking DPIA voor sensoren": (J, N, "Een voorbeeld-DPIA en afwegingskader voor sensoren in de openbare ruimte."),
    "Regionaal expertisecentrum data en sensoren": (O, R, "Gedeelde capaciteit voor data-engineering, beheer en advies."),
    "Opleidingsprogramma digitale vaardigheden": (K, R, "Leerlijn voor beleidsmedewerkers, inkopers en beheerders."),
    "Standaard samenwerkingsovereenkomst publiek-privaat": (J, N, "Model voor afspraken over data-eigendom, kosten en beheer met marktpartijen."),
    "Meerjarig innovatiebudget in de begroting": (F, L, "Een vaste post voor vernieuwing, los van het jaarlijkse projectbudget."),
    "Gezamenlijke use-casebibliotheek": (I, R, "Uitgewerkte use cases die gemeenten samen kunnen uitvragen."),
    "Referentiearchitectuur stedelijke dataplatforms": (S, N, "Bouwstenen en koppelvlakken, zodat platforms niet per gemeente verschillen."),
    "Programmamanager Smart City per gemeente": (O, L, "Eén aanspreekpunt dat opgaven en afdelingen verbindt."),
}

# (theme slug, sub-topic, title, description, level, dimension, support needed, needs)
BELEMMERINGEN = [
    ("organisatie", "Inzicht in ervaringen uit pilots", "Resultaten van pilots worden niet vastgelegd",
     "Na afloop van een pilot verdwijnt de kennis met de projectleider; evaluaties ontbreken of zijn niet vindbaar.",
     L, Dimensie.VERTICAAL, "Een vast evaluatieformat en een plek om lessen te delen.",
     ["Pilotdatabank met geleerde lessen"]),
    ("organisatie", "Inzicht in ervaringen uit pilots", "Geen zicht op pilots bij buurgemeenten",
     "Gemeenten starten dezelfde pilot opnieuw omdat niet bekend is wat in de regio al is geprobeerd.",
     R, Dimensie.REGIONAAL, "Regionaal overzicht van lopende en afgeronde pilots.",
     ["Pilotdatabank met geleerde lessen", "Kennisnetwerk opschaling"]),
    ("organisatie", "Inzicht in ervaringen uit pilots", "Succescriteria ontbreken bij de start van pilots",
     "Zonder vooraf afgesproken criteria is na afloop niet te zeggen of opschalen verstandig is.",
     N, Dimensie.NATIONAAL, "Landelijke handreiking voor het opzetten en beoordelen van pilots.",
     ["Kennisnetwerk opschaling"]),
    ("organisatie", "Plaats in de organisatie / opgavegericht werken", "Smart City hangt als los project in de organisatie",
     "Het onderwerp valt tussen ICT, openbare ruimte en economie in; niemand is eigenaar van de opschaling.",
     L, Dimensie.HORIZONTAAL, "Een duidelijke opdrachtgever en een programmamanager.",
     ["Programmamanager Smart City per gemeente"]),
    ("organisatie", "Plaats in de organisatie / opgavegericht werken", "Beheer neemt pilots niet over",
     "De beheerafdeling is niet betrokken bij de pilot en weigert de verantwoordelijkheid voor sensoren na afloop.",
     L, Dimensie.HORIZONTAAL, "Beheer vanaf het begin aan tafel; afspraken over overdracht.",
     ["Programmamanager Smart City per gemeente"]),
    ("organisatie", "Plaats in de organisatie / opgavegericht werken", "Regionale opgaven missen een trekker",
     "Mobiliteit en klimaatadaptatie zijn regionale opgaven, maar geen gemeente neemt het voortouw voor de datakant.",
     R, Dimensie.REGIONAAL, "Een regionale trekker met mandaat van de deelnemende gemeenten.",
     ["Regionaal expertisecentrum data en sensoren"]),
    ("organisatie", "Competenties en vaardigheden", "Te weinig data-expertise in huis",
     "Kleinere gemeenten hebben geen data-analisten of architecten; externe inhuur is duur en tijdelijk.",
     L, Dimensie.VERTICAAL, "Gedeelde expertise in de regio en opleiding van eigen medewerkers.",
     ["Regionaal expertisecentrum data en sensoren", "Opleidingsprogramma digitale vaardigheden"]),
    ("organisatie", "Competenties en vaardigheden", "Inkopers kennen de markt voor slimme toepassingen niet",
     "Inkoopadviseurs missen kennis om functioneel uit te vragen en leveranciers te beoordelen.",
     R, Dimensie.HORIZONTAAL, "Training en een kennisbank voor inkopers.",
     ["Opleidingsprogramma digitale vaardigheden", "Modelbestek voor Smart City-aanbestedingen"]),
    ("organisatie", "Competenties en vaardigheden", "Bestuurders vragen om snelle zichtbare resultaten",
     "Opschalen vraagt jaren; het bestuurlijk geduld is korter dan de doorlooptijd.",
     L, Dimensie.VERTICAAL, "Voorbeelden en cijfers om het gesprek met bestuurders te voeren.",
     ["Kennisnetwerk opschaling"]),
    ("financiering", "Budgetallocatie binnen de lopende begroting", "Pilots worden uit incidentele middelen betaald",
     "Na de pilot is er geen structureel budget voor beheer, licenties en vervanging.",
     L, Dimensie.VERTICAAL, "Structurele dekking vastleggen vóór de pilot start.",
     ["Meerjarig innovatiebudget in de begroting"]),
    ("financiering", "Budgetallocatie binnen de lopende begroting", "Baten vallen bij een andere afdeling dan de kosten",
     "De afdeling die investeert ziet de besparing terug bij een andere afdeling of organisatie.",
     L, Dimensie.HORIZONTAAL, "Een methode om kosten en baten over afdelingen te verdelen.",
     ["Meerjarig innovatiebudget in de begroting"]),
    ("financiering", "Budgetallocatie binnen de lopende begroting", "Begrotingscyclus is te traag voor innovatie",
     "Een nieuw idee moet een jaar wachten op de volgende begrotingsronde.",
     R, Dimensie.HORIZONTAAL, "Ruimte in de begroting voor tussentijdse innovatie-investeringen.",
     ["Meerjarig innovatiebudget in de begroting"]),
    ("financiering", "Cofinanciering", "Subsidies stoppen precies bij de opschaling",
     "Er is geld voor experimenten, maar niet voor de stap naar een structurele dienst.",
     N, Dimensie.NATIONAAL, "Een regeling die de opschalingsfase meefinanciert.",
     ["Cofinancieringsregeling voor opschaling"]),
    ("financiering", "Cofinanciering", "Cofinanciering door private partijen is juridisch lastig",
     "Marktpartijen willen meebetalen in ruil voor data of exploitatie, maar de voorwaarden zijn onduidelijk.",
     R, Dimensie.REGIONAAL, "Voorbeeldafspraken voor publiek-private cofinanciering.",
     ["Standaard samenwerkingsovereenkomst publiek-privaat", "Cofinancieringsregeling voor opschaling"]),
    ("financiering", "Cofinanciering", "Europese fondsen vragen te veel voorbereiding",
     "Aanvragen voor Europese middelen kosten meer capaciteit dan een gemeente kan vrijmaken.",
     N, Dimensie.NATIONAAL, "Ondersteuning bij het aanvragen van Europese fondsen.",
     ["Kennisnetwerk opschaling"]),
    ("financiering", "Use cases en vraagbundeling", "Elke gemeente vraagt net iets anders uit",
     "Kleine verschillen in eisen maken gezamenlijke inkoop en hergebruik onmogelijk.",
     R, Dimensie.REGIONAAL, "Gezamenlijk uitgewerkte use cases en één uitvraag.",
     ["Gezamenlijke use-casebibliotheek", "Regionale inkoopsamenwerking"]),
    ("financiering", "Use cases en vraagbundeling", "Business case sluit niet op de schaal van één gemeente",
     "Pas bij grotere aantallen wordt de oplossing betaalbaar; één gemeente haalt die schaal niet.",
     R, Dimensie.REGIONAAL, "Vraagbundeling over gemeentegrenzen heen.",
     ["Regionale inkoopsamenwerking"]),
    ("financiering", "Use cases en vraagbundeling", "Geen landelijk overzicht van bewezen use cases",
     "Het is onbekend welke toepassingen elders al een sluitende business case hebben.",
     N, Dimensie.NATIONAAL, "Een landelijke bibliotheek van use cases met cijfers.",
     ["Gezamenlijke use-casebibliotheek", "Pilotdatabank met geleerde lessen"]),
    ("juridisch", "Nieuwe samenwerkingsvormen", "Geen passende rechtsvorm voor regionale samenwerking",
     "Een gemeenschappelijke regeling is te zwaar, een convenant te vrijblijvend voor gedeelde infrastructuur.",
     R, Dimensie.REGIONAAL, "Voorbeelden van lichte, wel bindende samenwerkingsvormen.",
     ["Standaard samenwerkingsovereenkomst publiek-privaat"]),
    ("juridisch", "Nieuwe samenwerkingsvormen", "Afspraken over data-eigendom met leveranciers ontbreken",
     "Na afloop van het contract blijkt de leverancier eigenaar van de verzamelde data.",
     L, Dimensie.VERTICAAL, "Standaardbepalingen over data-eigendom en -overdracht.",
     ["Standaard samenwerkingsovereenkomst publiek-privaat", "Modelbestek voor Smart City-aanbestedingen"]),
    ("juridisch", "Nieuwe samenwerkingsvormen", "Samenwerken met netbeheerders is niet geregeld",
     "Voor gebruik van netten en kasten zijn per netbeheerder andere afspraken nodig.",
     N, Dimensie.NATIONAAL, "Landelijke afspraken met netbeheerders.",
     ["Standaard samenwerkingsovereenkomst publiek-privaat"]),
    ("juridisch", "Dataprotectie", "Onzekerheid over de AVG bij camera's en wifi-tellingen",
     "Projecten stoppen uit voorzorg omdat niet duidelijk is wanneer tellingen persoonsgegevens zijn.",
     N, Dimensie.NATIONAAL, "Een landelijke handreiking met voorbeelden.",
     ["Handreiking DPIA voor sensoren"]),
    ("juridisch", "Dataprotectie", "Elke gemeente schrijft een eigen DPIA",
     "Voor dezelfde sensor maken gemeenten ieder een eigen privacy-effectbeoordeling.",
     R, Dimensie.REGIONAAL, "Een gedeelde voorbeeld-DPIA.",
     ["Handreiking DPIA voor sensoren"]),
    ("juridisch", "Dataprotectie", "Privacy officer wordt pas laat betrokken",
     "De toets komt aan het eind, waardoor ontwerpkeuzes moeten worden teruggedraaid.",
     L, Dimensie.HORIZONTAAL, "Privacy by design in het projectplan.",
     ["Handreiking DPIA voor sensoren"]),
    ("juridisch", "Aanbesteden van innovatie", "Aanbestedingsregels remmen innovatieve oplossingen",
     "Uitvragen op bestaande producten sluit nieuwe oplossingen en kleine bedrijven uit.",
     N, Dimensie.NATIONAAL, "Een modelbestek voor functioneel en innovatiegericht inkopen.",
     ["Modelbestek voor Smart City-aanbestedingen"]),
    ("juridisch", "Aanbesteden van innovatie", "Vendor lock-in na de pilotfase",
     "Na de pilot is overstappen naar een andere leverancier praktisch onmogelijk.",
     L, Dimensie.VERTICAAL, "Eisen voor open standaarden en exit in elk contract.",
     ["Modelbestek voor Smart City-aanbestedingen", "Landelijke datastandaard voor sensoren in de openbare ruimte"]),
    ("juridisch", "Aanbesteden van innovatie", "Gezamenlijk aanbesteden vraagt veel afstemming",
     "Gemeenten hebben verschillende inkoopvoorwaarden en planningen.",
     R, Dimensie.REGIONAAL, "Een regionaal inkoopteam met één set voorwaarden.",
     ["Regionale inkoopsamenwerking"]),
    ("technisch", "Standaarden", "Sensordata van leveranciers sluiten niet op elkaar aan",
     "Elke leverancier levert in een eigen formaat; koppelen kost per sensor maatwerk.",
     N, Dimensie.NATIONAAL, "Een landelijke datastandaard en eisen in de uitvraag.",
     ["Landelijke datastandaard voor sensoren in de openbare ruimte"]),
    ("technisch", "Standaarden", "Geen afspraken over metadata en kwaliteit",
     "Zonder metadata is niet te zien hoe betrouwbaar een meting is.",
     N, Dimensie.NATIONAAL, "Afspraken over metadata en kwaliteitslabels.",
     ["Landelijke datastandaard voor sensoren in de openbare ruimte"]),
    ("technisch", "Standaarden", "Regionale platforms gebruiken verschillende koppelvlakken",
     "Data delen tussen gemeenten in de regio vraagt steeds nieuwe koppelingen.",
     R, Dimensie.REGIONAAL, "Een gedeelde referentiearchitectuur.",
     ["Referentiearchitectuur stedelijke dataplatforms"]),
    ("technisch", "Standaarden", "Eigen systemen van afdelingen praten niet met elkaar",
     "Verkeer, afval en openbare verlichting hebben elk hun eigen dashboards en datamodellen.",
     L, Dimensie.HORIZONTAAL, "Eén gemeentelijk datamodel voor de openbare ruimte.",
     ["Referentiearchitectuur stedelijke dataplatforms"]),
    ("technisch", "Centraal of decentraal", "Onduidelijk of een eigen dataplatform nodig is",
     "Gemeenten twijfelen tussen een eigen platform, een regionaal platform of een dienst van de markt.",
     R, Dimensie.REGIONAAL, "Een afwegingskader centraal versus decentraal.",
     ["Referentiearchitectuur stedelijke dataplatforms", "Regionaal expertisecentrum data en sensoren"]),
    ("technisch", "Centraal of decentraal", "Beheer van duizenden sensoren is niet georganiseerd",
     "Firmware-updates, batterijwissels en storingen zijn per sensor handwerk.",
     L, Dimensie.VERTICAAL, "Centraal apparaatbeheer, eventueel regionaal gedeeld.",
     ["Regionaal expertisecentrum data en sensoren"]),
    ("technisch", "Centraal of decentraal", "Netwerkdekking voor sensoren verschilt per gemeente",
     "LoRaWAN, NB-IoT en wifi worden door elkaar gebruikt zonder gezamenlijke keuze.",
     N, Dimensie.NATIONAAL, "Landelijke afspraken over netwerken voor sensoren.",
     ["Landelijke datastandaard voor sensoren in de openbare ruimte"]),
]

LICHTMAST_BEVINDINGEN = [
    ("opstelplek", "kans", "De lichtmast staat overal in de openbare ruimte en heeft een vaste, bekende plek."),
    ("opstelplek", "voorwaarde", "Masten moeten de extra windbelasting en het gewicht van apparatuur kunnen dragen."),
    ("elektra", "belemmering", "Veel masten krijgen alleen 's nachts stroom; sensoren hebben continu voeding nodig."),
    ("elektra", "voorwaarde", "Een aparte, bemeterde aansluiting of slimme schakeling per mast."),
    ("datacommunicatie", "kans", "De mast is een goede drager voor een lokaal draadloos netwerk."),
    ("datacommunicatie", "belemmering", "Bestaande bekabeling is niet geschikt voor datatransport."),
    ("eigendom", "belemmering", "Masten zijn deels eigendom van netbeheerders of provincie; afspraken verschillen per beheerder."),
    ("eigendom", "voorwaarde", "Duidelijke afspraken over wie apparatuur op de mast plaatst, beheert en vervangt."),
    ("economisch", "kans", "Marktpartijen willen betalen voor een plek op de mast, bijvoorbeeld voor 5G small cells."),
    ("economisch", "voorwaarde", "Een transparant tarief en gelijke toegang voor marktpartijen."),
    ("veiligheid", "belemmering", "Werken aan masten vraagt gecertificeerde monteurs en verkeersmaatregelen."),
    ("veiligheid", "voorwaarde", "Apparatuur moet voldoen aan elektrische veiligheidsnormen en mag de verlichting niet storen."),
]
VERDICTS = [
    LichtmastAntwoord.Oordeel.VOORWAARDEN,
    LichtmastAntwoord.Oordeel.VOORWAARDEN,
    LichtmastAntwoord.Oordeel.JA,
    LichtmastAntwoord.Oordeel.VOORWAARDEN,
    LichtmastAntwoord.Oordeel.NEE,
    LichtmastAntwoord.Oordeel.ONBEKEND,
]


def _behoeften() -> dict[str, Behoefte]:
    result = {}
    for title, (support_type, level, description) in BEHOEFTEN.items():
        result[title], _ = Behoefte.objects.get_or_create(
            title=title, defaults={"support_type": support_type, "level": level, "description": description}
        )
    return result


def _pick(rng: random.Random, count: int) -> list[tuple]:
    """Every theme at every level it has in the pool, then a random fill up to `count`."""
    chosen, seen = [], set()
    for item in rng.sample(BELEMMERINGEN, len(BELEMMERINGEN)):
        key = (item[0], item[4])
        if key not in seen:
            seen.add(key)
            chosen.append(item)
    rest = [item for item in BELEMMERINGEN if item not in chosen]
    chosen += rng.sample(rest, max(0, min(count - len(chosen), len(rest))))
    return chosen


@transaction.atomic
def seed_findings(sessions, *, per_session: int = 28) -> int:
    """Add demo findings to each session; returns how many obstacles were created."""
    themas = {t.slug: t for t in Thema.objects.all()}
    subthemas = {(s.thema_id, s.name): s for s in Subthema.objects.all()}
    behoeften = _behoeften()
    created = 0
    for index, session in enumerate(sessions):
        rng = random.Random(f"demo-{session.slug}")
        for slug, sub, title, description, level, dimension, support, needs in _pick(rng, per_session):
            thema = themas[slug]
            obj, was_created = Belemmering.objects.get_or_create(
                session=session,
                title=title,
                defaults={
                    "thema": thema,
                    "subthema": subthemas.get((thema.pk, sub)),
                    "description": description,
                    "level": level,
                    "dimension": dimension,
                    "support_needed": support,
                    "recognised_by": rng.randint(1, 18),
                    # Most sessions end by establishing their obstacles; a few stay draft.
                    "status": Belemmering.Status.CONCEPT if rng.random() < 0.15 else Belemmering.Status.VASTGESTELD,
                },
            )
            if was_created:
                obj.behoeften.set([behoeften[n] for n in needs])
                created += 1
        antwoord, was_created = LichtmastAntwoord.objects.get_or_create(
            session=session,
            defaults={
                "verdict": VERDICTS[index % len(VERDICTS)],
                "summary": (
                    "De lichtmast is bruikbaar als drager, mits voeding, eigendom en beheer vooraf worden "
                    "geregeld." if index % 3 != 2 else "De deelnemers zien vooral praktische bezwaren bij voeding en eigendom."
                ),
            },
        )
        if was_created:
            for aspect, kind, text in rng.sample(LICHTMAST_BEVINDINGEN, 7):
                LichtmastBevinding.objects.create(antwoord=antwoord, aspect=aspect, kind=kind, text=text)
    return created
