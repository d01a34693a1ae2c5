"""Demo findings for `manage.py seed_demo`: what six regional sessions said, as the programme team has
worked it out afterwards.

34 distinct obstacles (knelpunten); each was raised by one to six regions, in their own words, at the
level the session chose, and recognised by part of those present. The team grouped every entry, decided
a level and priority per knelpunt, and gave a few a follow-up. Each session's lamp-post verdict agrees
with its summary: four of six say "ja, onder voorwaarden", one "ja", one "nee".

Deterministic (a seeded random per entry) and idempotent: entries are keyed on (session, title),
knelpunten and needs on title, the lamp-post answer on its session; a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from belemmeringen.models import (
    Behoefte,
    Belemmering,
    Dimensie,
    Knelpunt,
    LichtmastAntwoord,
    LichtmastBevinding,
    Niveau,
    Subthema,
    Thema,
)
from belemmeringen.services import change_knelpunt_status

K, F, J, S, ORG, INK = (
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
    "Modelbestek voor Smart City-aanbestedingen": (
        INK,
        N,
        "Een landelijk modelbestek met functionele eisen, datavoorwaarden en exitclausules.",
    ),
    "Landelijke datastandaard voor sensoren in de openbare ruimte": (
        S,
        N,
        "Eén afspraak over formaat, metadata en ontsluiting van sensordata.",
    ),
    "Kennisnetwerk opschaling": (
        K,
        N,
        "Een netwerk waarin gemeenten ervaringen met opschalen delen, met een vaste trekker.",
    ),
    "Pilotdatabank met geleerde lessen": (
        K,
        N,
        "Een doorzoekbaar overzicht van afgeronde pilots: wat werkte, wat niet en waarom.",
    ),
    "Regionale inkoopsamenwerking": (
        INK,
        R,
        "Gemeenten in de regio kopen samen in om schaal en marktmacht te krijgen.",
    ),
    "Cofinancieringsregeling voor opschaling": (F, N, "Rijksbijdrage voor de stap van pilot naar structurele dienst."),
    "Handreiking DPIA voor sensoren": (
        J,
        N,
        "Een voorbeeld-DPIA en afwegingskader voor sensoren in de openbare ruimte.",
    ),
    "Regionaal expertisecentrum data en sensoren": (
        ORG,
        R,
        "Gedeelde capaciteit voor data-engineering, beheer en advies.",
    ),
    "Opleidingsprogramma digitale vaardigheden": (K, R, "Leerlijn voor beleidsmedewerkers, inkopers en beheerders."),
    "Standaard samenwerkingsovereenkomst publiek-privaat": (
        J,
        N,
        "Model voor afspraken over data-eigendom, kosten en beheer met marktpartijen.",
    ),
    "Meerjarig innovatiebudget in de begroting": (
        F,
        L,
        "Een vaste post voor vernieuwing, los van het jaarlijkse projectbudget.",
    ),
    "Gezamenlijke use-casebibliotheek": (INK, R, "Uitgewerkte use cases die gemeenten samen kunnen uitvragen."),
    "Referentiearchitectuur stedelijke dataplatforms": (
        S,
        N,
        "Bouwstenen en koppelvlakken, zodat platforms niet per gemeente verschillen.",
    ),
    "Programmamanager Smart City per gemeente": (ORG, L, "Eén aanspreekpunt dat opgaven en afdelingen verbindt."),
}

# (theme slug, sub-topic, title, description, level, dimension, support needed, needs)
BELEMMERINGEN = [
    (
        "organisatie",
        "Inzicht in ervaringen uit pilots",
        "Resultaten van pilots worden niet vastgelegd",
        "Na afloop van een pilot verdwijnt de kennis met de projectleider; evaluaties ontbreken of zijn niet vindbaar.",
        L,
        Dimensie.VERTICAAL,
        "Een vast evaluatieformat en een plek om lessen te delen.",
        ["Pilotdatabank met geleerde lessen"],
    ),
    (
        "organisatie",
        "Inzicht in ervaringen uit pilots",
        "Geen zicht op pilots bij buurgemeenten",
        "Gemeenten starten dezelfde pilot opnieuw omdat niet bekend is wat in de regio al is geprobeerd.",
        R,
        Dimensie.REGIONAAL,
        "Regionaal overzicht van lopende en afgeronde pilots.",
        ["Pilotdatabank met geleerde lessen", "Kennisnetwerk opschaling"],
    ),
    (
        "organisatie",
        "Inzicht in ervaringen uit pilots",
        "Succescriteria ontbreken bij de start van pilots",
        "Zonder vooraf afgesproken criteria is na afloop niet te zeggen of opschalen verstandig is.",
        N,
        Dimensie.NATIONAAL,
        "Landelijke handreiking voor het opzetten en beoordelen van pilots.",
        ["Kennisnetwerk opschaling"],
    ),
    (
        "organisatie",
        "Plaats in de organisatie / opgavegericht werken",
        "Smart City hangt als los project in de organisatie",
        "Het onderwerp valt tussen ICT, openbare ruimte en economie in; niemand is eigenaar van de opschaling.",
        L,
        Dimensie.HORIZONTAAL,
        "Een duidelijke opdrachtgever en een programmamanager.",
        ["Programmamanager Smart City per gemeente"],
    ),
    (
        "organisatie",
        "Plaats in de organisatie / opgavegericht werken",
        "Beheer neemt pilots niet over",
        "De beheerafdeling is niet betrokken bij de pilot en weigert de verantwoordelijkheid voor sensoren na afloop.",
        L,
        Dimensie.HORIZONTAAL,
        "Beheer vanaf het begin aan tafel; afspraken over overdracht.",
        ["Programmamanager Smart City per gemeente"],
    ),
    (
        "organisatie",
        "Plaats in de organisatie / opgavegericht werken",
        "Regionale opgaven missen een trekker",
        "Mobiliteit en klimaatadaptatie zijn regionale opgaven, maar geen gemeente neemt het voortouw voor de datakant.",
        R,
        Dimensie.REGIONAAL,
        "Een regionale trekker met mandaat van de deelnemende gemeenten.",
        ["Regionaal expertisecentrum data en sensoren"],
    ),
    (
        "organisatie",
        "Competenties en vaardigheden",
        "Te weinig data-expertise in huis",
        "Kleinere gemeenten hebben geen data-analisten of architecten; externe inhuur is duur en tijdelijk.",
        L,
        Dimensie.VERTICAAL,
        "Gedeelde expertise in de regio en opleiding van eigen medewerkers.",
        ["Regionaal expertisecentrum data en sensoren", "Opleidingsprogramma digitale vaardigheden"],
    ),
    (
        "organisatie",
        "Competenties en vaardigheden",
        "Inkopers kennen de markt voor slimme toepassingen niet",
        "Inkoopadviseurs missen kennis om functioneel uit te vragen en leveranciers te beoordelen.",
        R,
        Dimensie.HORIZONTAAL,
        "Training en een kennisbank voor inkopers.",
        ["Opleidingsprogramma digitale vaardigheden", "Modelbestek voor Smart City-aanbestedingen"],
    ),
    (
        "organisatie",
        "Competenties en vaardigheden",
        "Bestuurders vragen om snelle zichtbare resultaten",
        "Opschalen vraagt jaren; het bestuurlijk geduld is korter dan de doorlooptijd.",
        L,
        Dimensie.VERTICAAL,
        "Voorbeelden en cijfers om het gesprek met bestuurders te voeren.",
        ["Kennisnetwerk opschaling"],
    ),
    (
        "financiering",
        "Budgetallocatie binnen de lopende begroting",
        "Pilots worden uit incidentele middelen betaald",
        "Na de pilot is er geen structureel budget voor beheer, licenties en vervanging.",
        L,
        Dimensie.VERTICAAL,
        "Structurele dekking vastleggen vóór de pilot start.",
        ["Meerjarig innovatiebudget in de begroting"],
    ),
    (
        "financiering",
        "Budgetallocatie binnen de lopende begroting",
        "Baten vallen bij een andere afdeling dan de kosten",
        "De afdeling die investeert ziet de besparing terug bij een andere afdeling of organisatie.",
        L,
        Dimensie.HORIZONTAAL,
        "Een methode om kosten en baten over afdelingen te verdelen.",
        ["Meerjarig innovatiebudget in de begroting"],
    ),
    (
        "financiering",
        "Budgetallocatie binnen de lopende begroting",
        "Begrotingscyclus is te traag voor innovatie",
        "Een nieuw idee moet een jaar wachten op de volgende begrotingsronde.",
        R,
        Dimensie.HORIZONTAAL,
        "Ruimte in de begroting voor tussentijdse innovatie-investeringen.",
        ["Meerjarig innovatiebudget in de begroting"],
    ),
    (
        "financiering",
        "Cofinanciering",
        "Subsidies stoppen precies bij de opschaling",
        "Er is geld voor experimenten, maar niet voor de stap naar een structurele dienst.",
        N,
        Dimensie.NATIONAAL,
        "Een regeling die de opschalingsfase meefinanciert.",
        ["Cofinancieringsregeling voor opschaling"],
    ),
    (
        "financiering",
        "Cofinanciering",
        "Cofinanciering door private partijen is juridisch lastig",
        "Marktpartijen willen meebetalen in ruil voor data of exploitatie, maar de voorwaarden zijn onduidelijk.",
        R,
        Dimensie.REGIONAAL,
        "Voorbeeldafspraken voor publiek-private cofinanciering.",
        ["Standaard samenwerkingsovereenkomst publiek-privaat", "Cofinancieringsregeling voor opschaling"],
    ),
    (
        "financiering",
        "Cofinanciering",
        "Europese fondsen vragen te veel voorbereiding",
        "Aanvragen voor Europese middelen kosten meer capaciteit dan een gemeente kan vrijmaken.",
        N,
        Dimensie.NATIONAAL,
        "Ondersteuning bij het aanvragen van Europese fondsen.",
        ["Kennisnetwerk opschaling"],
    ),
    (
        "financiering",
        "Use cases en vraagbundeling",
        "Elke gemeente vraagt net iets anders uit",
        "Kleine verschillen in eisen maken gezamenlijke inkoop en hergebruik onmogelijk.",
        R,
        Dimensie.REGIONAAL,
        "Gezamenlijk uitgewerkte use cases en één uitvraag.",
        ["Gezamenlijke use-casebibliotheek", "Regionale inkoopsamenwerking"],
    ),
    (
        "financiering",
        "Use cases en vraagbundeling",
        "Business case sluit niet op de schaal van één gemeente",
        "Pas bij grotere aantallen wordt de oplossing betaalbaar; één gemeente haalt die schaal niet.",
        R,
        Dimensie.REGIONAAL,
        "Vraagbundeling over gemeentegrenzen heen.",
        ["Regionale inkoopsamenwerking"],
    ),
    (
        "financiering",
        "Use cases en vraagbundeling",
        "Geen landelijk overzicht van bewezen use cases",
        "Het is onbekend welke toepassingen elders al een sluitende business case hebben.",
        N,
        Dimensie.NATIONAAL,
        "Een landelijke bibliotheek van use cases met cijfers.",
        ["Gezamenlijke use-casebibliotheek", "Pilotdatabank met geleerde lessen"],
    ),
    (
        "juridisch",
        "Nieuwe samenwerkingsvormen",
        "Geen passende rechtsvorm voor regionale samenwerking",
        "Een gemeenschappelijke regeling is te zwaar, een convenant te vrijblijvend voor gedeelde infrastructuur.",
        R,
        Dimensie.REGIONAAL,
        "Voorbeelden van lichte, wel bindende samenwerkingsvormen.",
        ["Standaard samenwerkingsovereenkomst publiek-privaat"],
    ),
    (
        "juridisch",
        "Nieuwe samenwerkingsvormen",
        "Afspraken over data-eigendom met leveranciers ontbreken",
        "Na afloop van het contract blijkt de leverancier eigenaar van de verzamelde data.",
        L,
        Dimensie.VERTICAAL,
        "Standaardbepalingen over data-eigendom en -overdracht.",
        ["Standaard samenwerkingsovereenkomst publiek-privaat", "Modelbestek voor Smart City-aanbestedingen"],
    ),
    (
        "juridisch",
        "Nieuwe samenwerkingsvormen",
        "Samenwerken met netbeheerders is niet geregeld",
        "Voor gebruik van netten en kasten zijn per netbeheerder andere afspraken nodig.",
        N,
        Dimensie.NATIONAAL,
        "Landelijke afspraken met netbeheerders.",
        ["Standaard samenwerkingsovereenkomst publiek-privaat"],
    ),
    (
        "juridisch",
        "Dataprotectie",
        "Onzekerheid over de AVG bij camera's en wifi-tellingen",
        "Projecten stoppen uit voorzorg omdat niet duidelijk is wanneer tellingen persoonsgegevens zijn.",
        N,
        Dimensie.NATIONAAL,
        "Een landelijke handreiking met voorbeelden.",
        ["Handreiking DPIA voor sensoren"],
    ),
    (
        "juridisch",
        "Dataprotectie",
        "Elke gemeente schrijft een eigen DPIA",
        "Voor dezelfde sensor maken gemeenten ieder een eigen privacy-effectbeoordeling.",
        R,
        Dimensie.REGIONAAL,
        "Een gedeelde voorbeeld-DPIA.",
        ["Handreiking DPIA voor sensoren"],
    ),
    (
        "juridisch",
        "Dataprotectie",
        "Privacy officer wordt pas laat betrokken",
        "De toets komt aan het eind, waardoor ontwerpkeuzes moeten worden teruggedraaid.",
        L,
        Dimensie.HORIZONTAAL,
        "Privacy by design in het projectplan.",
        ["Handreiking DPIA voor sensoren"],
    ),
    (
        "juridisch",
        "Aanbesteden van innovatie",
        "Aanbestedingsregels remmen innovatieve oplossingen",
        "Uitvragen op bestaande producten sluit nieuwe oplossingen en kleine bedrijven uit.",
        N,
        Dimensie.NATIONAAL,
        "Een modelbestek voor functioneel en innovatiegericht inkopen.",
        ["Modelbestek voor Smart City-aanbestedingen"],
    ),
    (
        "juridisch",
        "Aanbesteden van innovatie",
        "Vendor lock-in na de pilotfase",
        "Na de pilot is overstappen naar een andere leverancier praktisch onmogelijk.",
        L,
        Dimensie.VERTICAAL,
        "Eisen voor open standaarden en exit in elk contract.",
        ["Modelbestek voor Smart City-aanbestedingen", "Landelijke datastandaard voor sensoren in de openbare ruimte"],
    ),
    (
        "juridisch",
        "Aanbesteden van innovatie",
        "Gezamenlijk aanbesteden vraagt veel afstemming",
        "Gemeenten hebben verschillende inkoopvoorwaarden en planningen.",
        R,
        Dimensie.REGIONAAL,
        "Een regionaal inkoopteam met één set voorwaarden.",
        ["Regionale inkoopsamenwerking"],
    ),
    (
        "technisch",
        "Standaarden",
        "Sensordata van leveranciers sluiten niet op elkaar aan",
        "Elke leverancier levert in een eigen formaat; koppelen kost per sensor maatwerk.",
        N,
        Dimensie.NATIONAAL,
        "Een landelijke datastandaard en eisen in de uitvraag.",
        ["Landelijke datastandaard voor sensoren in de openbare ruimte"],
    ),
    (
        "technisch",
        "Standaarden",
        "Geen afspraken over metadata en kwaliteit",
        "Zonder metadata is niet te zien hoe betrouwbaar een meting is.",
        N,
        Dimensie.NATIONAAL,
        "Afspraken over metadata en kwaliteitslabels.",
        ["Landelijke datastandaard voor sensoren in de openbare ruimte"],
    ),
    (
        "technisch",
        "Standaarden",
        "Regionale platforms gebruiken verschillende koppelvlakken",
        "Data delen tussen gemeenten in de regio vraagt steeds nieuwe koppelingen.",
        R,
        Dimensie.REGIONAAL,
        "Een gedeelde referentiearchitectuur.",
        ["Referentiearchitectuur stedelijke dataplatforms"],
    ),
    (
        "technisch",
        "Standaarden",
        "Eigen systemen van afdelingen praten niet met elkaar",
        "Verkeer, afval en openbare verlichting hebben elk hun eigen dashboards en datamodellen.",
        L,
        Dimensie.HORIZONTAAL,
        "Eén gemeentelijk datamodel voor de openbare ruimte.",
        ["Referentiearchitectuur stedelijke dataplatforms"],
    ),
    (
        "technisch",
        "Centraal of decentraal",
        "Onduidelijk of een eigen dataplatform nodig is",
        "Gemeenten twijfelen tussen een eigen platform, een regionaal platform of een dienst van de markt.",
        R,
        Dimensie.REGIONAAL,
        "Een afwegingskader centraal versus decentraal.",
        ["Referentiearchitectuur stedelijke dataplatforms", "Regionaal expertisecentrum data en sensoren"],
    ),
    (
        "technisch",
        "Centraal of decentraal",
        "Beheer van duizenden sensoren is niet georganiseerd",
        "Firmware-updates, batterijwissels en storingen zijn per sensor handwerk.",
        L,
        Dimensie.VERTICAAL,
        "Centraal apparaatbeheer, eventueel regionaal gedeeld.",
        ["Regionaal expertisecentrum data en sensoren"],
    ),
    (
        "technisch",
        "Centraal of decentraal",
        "Netwerkdekking voor sensoren verschilt per gemeente",
        "LoRaWAN, NB-IoT en wifi worden door elkaar gebruikt zonder gezamenlijke keuze.",
        N,
        Dimensie.NATIONAAL,
        "Landelijke afspraken over netwerken voor sensoren.",
        ["Landelijke datastandaard voor sensoren in de openbare ruimte"],
    ),
]

LICHTMAST_BEVINDINGEN = [
    ("opstelplek", "kans", "De lichtmast staat overal in de openbare ruimte en heeft een vaste, bekende plek."),
    ("opstelplek", "voorwaarde", "Masten moeten de extra windbelasting en het gewicht van apparatuur kunnen dragen."),
    ("elektra", "belemmering", "Veel masten krijgen alleen 's nachts stroom; sensoren hebben continu voeding nodig."),
    ("elektra", "voorwaarde", "Een aparte, bemeterde aansluiting of slimme schakeling per mast."),
    ("datacommunicatie", "kans", "De mast is een goede drager voor een lokaal draadloos netwerk."),
    ("datacommunicatie", "belemmering", "Bestaande bekabeling is niet geschikt voor datatransport."),
    (
        "eigendom",
        "belemmering",
        "Masten zijn deels eigendom van netbeheerders of provincie; afspraken verschillen per beheerder.",
    ),
    ("eigendom", "voorwaarde", "Duidelijke afspraken over wie apparatuur op de mast plaatst, beheert en vervangt."),
    ("economisch", "kans", "Marktpartijen willen betalen voor een plek op de mast, bijvoorbeeld voor 5G small cells."),
    ("economisch", "voorwaarde", "Een transparant tarief en gelijke toegang voor marktpartijen."),
    ("veiligheid", "belemmering", "Werken aan masten vraagt gecertificeerde monteurs en verkeersmaatregelen."),
    (
        "veiligheid",
        "voorwaarde",
        "Apparatuur moet voldoen aan elektrische veiligheidsnormen en mag de verlichting niet storen.",
    ),
]
# Which regions raised each obstacle (index into the sessions in SESSIONS order: 0 Noord, 1 Oost,
# 2 Midden, 3 Noordwest, 4 Zuidwest, 5 Zuid) and how they worded it (the first wording is the team's
# title; the others rotate over the regions). A few obstacles came up everywhere, most in a few
# regions, some in one: that is what the chapter on regional differences reads.
REGIOS: dict[str, tuple[str, list[str]]] = {
    "Resultaten van pilots worden niet vastgelegd": (
        "012345",
        ["Pilotresultaten worden niet vastgelegd", "Resultaten van pilots worden nergens vastgelegd"],
    ),
    "Geen zicht op pilots bij buurgemeenten": (
        "0135",
        ["Geen zicht op pilots bij de buurgemeenten", "Geen overzicht van pilots bij buurgemeenten"],
    ),
    "Succescriteria ontbreken bij de start van pilots": ("24", ["Succescriteria ontbreken bij de start van een pilot"]),
    "Smart City hangt als los project in de organisatie": (
        "01234",
        ["Smart city hangt als los project in de organisatie", "Smart City is een los project in de organisatie"],
    ),
    "Beheer neemt pilots niet over": (
        "0125",
        ["Beheerafdeling neemt pilots niet over", "Beheer neemt de pilots niet over"],
    ),
    "Regionale opgaven missen een trekker": ("01", ["Regionale opgaven missen een duidelijke trekker"]),
    "Te weinig data-expertise in huis": ("015", ["Te weinig data-expertise in huis bij kleine gemeenten"]),
    "Inkopers kennen de markt voor slimme toepassingen niet": (
        "234",
        ["Inkopers kennen de markt voor slimme oplossingen niet"],
    ),
    "Bestuurders vragen om snelle zichtbare resultaten": ("3", []),
    "Pilots worden uit incidentele middelen betaald": (
        "012345",
        ["Pilots worden betaald uit incidentele middelen", "Pilots draaien op incidentele middelen"],
    ),
    "Baten vallen bij een andere afdeling dan de kosten": (
        "1234",
        ["Baten vallen bij een andere afdeling dan de kosten"],
    ),
    "Begrotingscyclus is te traag voor innovatie": ("25", ["De begrotingscyclus is te traag voor innovatie"]),
    "Subsidies stoppen precies bij de opschaling": (
        "01235",
        ["Subsidies stoppen juist bij de opschaling", "Subsidies stoppen precies bij opschaling"],
    ),
    "Cofinanciering door private partijen is juridisch lastig": (
        "45",
        ["Cofinanciering door private partijen juridisch lastig"],
    ),
    "Europese fondsen vragen te veel voorbereiding": ("0", []),
    "Elke gemeente vraagt net iets anders uit": ("0124", ["Iedere gemeente vraagt net iets anders uit"]),
    "Business case sluit niet op de schaal van één gemeente": (
        "015",
        ["Business case sluit niet op de schaal van een gemeente"],
    ),
    "Geen landelijk overzicht van bewezen use cases": ("2345", ["Geen landelijk overzicht van bewezen use-cases"]),
    "Geen passende rechtsvorm voor regionale samenwerking": (
        "12",
        ["Geen passende rechtsvorm voor samenwerking in de regio"],
    ),
    "Afspraken over data-eigendom met leveranciers ontbreken": (
        "02345",
        [
            "Afspraken met leveranciers over data-eigendom ontbreken",
            "Afspraken over data-eigendom met leveranciers ontbreken vaak",
        ],
    ),
    "Samenwerken met netbeheerders is niet geregeld": ("4", []),
    "Onzekerheid over de AVG bij camera's en wifi-tellingen": (
        "012345",
        [
            "Onzekerheid over de AVG bij camera's en wifitellingen",
            "Onzekerheid over AVG bij camera's en wifi-tellingen",
        ],
    ),
    "Elke gemeente schrijft een eigen DPIA": ("135", ["Iedere gemeente schrijft een eigen DPIA"]),
    "Privacy officer wordt pas laat betrokken": ("23", ["De privacy officer wordt pas laat betrokken"]),
    "Aanbestedingsregels remmen innovatieve oplossingen": (
        "01234",
        ["Aanbestedingsregels remmen innovatieve oplossingen af", "Aanbestedingsregels remmen innovatie"],
    ),
    "Vendor lock-in na de pilotfase": ("2345", ["Vendor lock-in na afloop van de pilotfase"]),
    "Gezamenlijk aanbesteden vraagt veel afstemming": ("014", ["Gezamenlijk aanbesteden vraagt erg veel afstemming"]),
    "Sensordata van leveranciers sluiten niet op elkaar aan": (
        "12345",
        [
            "Sensordata van verschillende leveranciers sluiten niet op elkaar aan",
            "Sensordata van leveranciers sluit niet op elkaar aan",
        ],
    ),
    "Geen afspraken over metadata en kwaliteit": ("25", ["Geen afspraken over metadata en datakwaliteit"]),
    "Regionale platforms gebruiken verschillende koppelvlakken": (
        "125",
        ["Regionale dataplatforms gebruiken verschillende koppelvlakken"],
    ),
    "Eigen systemen van afdelingen praten niet met elkaar": (
        "0234",
        ["Systemen van afdelingen praten niet met elkaar", "Eigen systemen van de afdelingen praten niet met elkaar"],
    ),
    "Onduidelijk of een eigen dataplatform nodig is": ("012", ["Onduidelijk of een eigen dataplatform wel nodig is"]),
    "Beheer van duizenden sensoren is niet georganiseerd": (
        "35",
        ["Beheer van duizenden sensoren is niet goed georganiseerd"],
    ),
    "Netwerkdekking voor sensoren verschilt per gemeente": ("0", []),
}

# In which regions each need was named (same indexes): a need came up where a session named it for one
# of its obstacles, so the shopping list can tell a need of every region from a regional one.
BEHOEFTE_REGIOS = {
    "Modelbestek voor Smart City-aanbestedingen": "01234",
    "Landelijke datastandaard voor sensoren in de openbare ruimte": "12345",
    "Kennisnetwerk opschaling": "012345",
    "Pilotdatabank met geleerde lessen": "0135",
    "Regionale inkoopsamenwerking": "014",
    "Cofinancieringsregeling voor opschaling": "01235",
    "Handreiking DPIA voor sensoren": "012345",
    "Regionaal expertisecentrum data en sensoren": "015",
    "Opleidingsprogramma digitale vaardigheden": "02",
    "Standaard samenwerkingsovereenkomst publiek-privaat": "245",
    "Meerjarig innovatiebudget in de begroting": "1234",
    "Gezamenlijke use-casebibliotheek": "2345",
    "Referentiearchitectuur stedelijke dataplatforms": "125",
    "Programmamanager Smart City per gemeente": "03",
}

# The team's follow-up for some knelpunten (title -> status, explanation), recorded after the sessions.
OPVOLGING = {
    "Onzekerheid over de AVG bij camera's en wifi-tellingen": (
        "programma",
        "Een landelijke voorbeeld-DPIA en handreiking voor sensoren is onderdeel van het voorgestelde "
        "ondersteuningsprogramma (spoor Juridisch en privacy).",
    ),
    "Aanbestedingsregels remmen innovatieve oplossingen": (
        "programma",
        "Het programma werkt met PIANOo een modelbestek uit voor functioneel en innovatiegericht inkopen.",
    ),
    "Pilots worden uit incidentele middelen betaald": (
        "programma",
        "De cofinancieringsregeling voor opschaling in het programmavoorstel is juist voor deze stap bedoeld.",
    ),
    "Samenwerken met netbeheerders is niet geregeld": (
        "elders",
        "Netbeheer Nederland en de VNG maken landelijke afspraken over medegebruik van netten en kasten; "
        "het programma sluit daarop aan.",
    ),
    "Europese fondsen vragen te veel voorbereiding": (
        "elders",
        "Ondersteuning bij Europese aanvragen loopt via het bestaande EU-loket van RVO.",
    ),
    "Bestuurders vragen om snelle zichtbare resultaten": (
        "niet_overgenomen",
        "Dit is een afweging binnen elke gemeente. Het programma levert wel voorbeelden en "
        "cijfers via het kennisnetwerk, die bestuurders helpen.",
    ),
}

# Per session (same order): the verdict, its summary and which findings (index into LICHTMAST_BEVINDINGEN).
LICHTMAST = [
    (
        LichtmastAntwoord.Oordeel.VOORWAARDEN,
        "Ja, onder voorwaarden. In dunbevolkt gebied is de lichtmast vaak de enige plek met stroom en een vaste "
        "positie, en daarmee een bruikbare drager voor sensoren. Voorwaarde is continue voeding: de meeste masten "
        "krijgen nu alleen 's nachts stroom. Ook moet vooraf vastliggen wie de apparatuur beheert.",
        [0, 1, 2, 3, 4, 7, 11],
    ),
    (
        LichtmastAntwoord.Oordeel.VOORWAARDEN,
        "Ja, onder voorwaarden. De masten staan goed verspreid en kunnen een lokaal netwerk dragen, maar het "
        "eigendom verschilt per gemeente en netbeheerder. Met afspraken over eigendom, beheer en een tarief voor "
        "medegebruik vinden de deelnemers hergebruik goed mogelijk.",
        [0, 3, 5, 6, 7, 9, 11],
    ),
    (
        LichtmastAntwoord.Oordeel.JA,
        "Ja. In Utrecht en Amersfoort hangen al sensoren aan lichtmasten; voeding en beheer zijn geregeld in het "
        "onderhoudscontract voor de openbare verlichting. De deelnemers zien de mast als de vanzelfsprekende "
        "drager en willen dit regionaal uitbreiden.",
        [0, 1, 4, 8, 9, 11],
    ),
    (
        LichtmastAntwoord.Oordeel.VOORWAARDEN,
        "Ja, onder voorwaarden. Marktpartijen willen betalen voor een plek op de mast, bijvoorbeeld voor 5G small "
        "cells; dat vraagt een transparant tarief en gelijke toegang. Voeding en eigendom moeten per mast "
        "duidelijk zijn voordat er apparatuur bij komt.",
        [0, 2, 3, 6, 7, 8, 9],
    ),
    (
        LichtmastAntwoord.Oordeel.NEE,
        "Nee, niet zonder grote investering. In deze regio zijn de meeste masten eigendom van de netbeheerder en "
        "krijgen ze alleen 's nachts stroom; de bekabeling is niet geschikt voor data. Ombouwen kost volgens de "
        "deelnemers meer dan eigen palen plaatsen of gevels gebruiken.",
        [2, 5, 6, 7, 10],
    ),
    (
        LichtmastAntwoord.Oordeel.VOORWAARDEN,
        "Ja, onder voorwaarden. De ervaring op Strijp-S laat zien dat de mast een goede drager is voor sensoren "
        "en een lokaal netwerk, mits er continue voeding komt en het beheer van de apparatuur regionaal wordt "
        "georganiseerd.",
        [0, 1, 3, 4, 5, 8, 11],
    ),
]
# Levels a session may have given instead of the team's: the neighbouring ones.
NEIGHBOURS = {L: [R], R: [L, N], N: [R]}


def _behoeften() -> dict[str, Behoefte]:
    result = {}
    for title, (support_type, level, description) in BEHOEFTEN.items():
        result[title], _ = Behoefte.objects.get_or_create(
            title=title, defaults={"support_type": support_type, "level": level, "description": description}
        )
    return result


def _attended(session) -> int:
    from regiosessies.models import Aanmelding

    return Aanmelding.objects.filter(session=session, attended=True).count()


def _priority(regions: str, level: str) -> int:
    if len(regions) >= 5 or (len(regions) >= 4 and level == N):
        return Knelpunt.Prioriteit.HOOG
    return Knelpunt.Prioriteit.LAAG if len(regions) == 1 else Knelpunt.Prioriteit.MIDDEL


@transaction.atomic
def seed_findings(sessions) -> int:
    """Add each session's entries, group them into knelpunten and record the lamp-post answers; returns
    how many entries were created. `sessions` are in SESSIONS order (the first is Noord-Nederland)."""
    themas = {t.slug: t for t in Thema.objects.all()}
    subthemas = {(s.thema_id, s.name): s for s in Subthema.objects.all()}
    behoeften = _behoeften()
    created = 0
    for slug, sub, title, description, level, dimension, support, needs in BELEMMERINGEN:
        regions, variants = REGIOS[title]
        thema = themas[slug]
        knelpunt, _ = Knelpunt.objects.get_or_create(
            title=title,
            defaults={
                "thema": thema,
                "subthema": subthemas.get((thema.pk, sub)),
                "description": description,
                "level": level,
                "priority": _priority(regions, level),
            },
        )
        knelpunt.behoeften.add(*[behoeften[n] for n in needs])
        wordings = [title, *variants]
        for turn, index in enumerate(int(i) for i in regions):
            if index >= len(sessions):
                continue
            session = sessions[index]
            rng = random.Random(f"demo-{session.slug}-{title}")
            attended = _attended(session)
            entry, was_created = Belemmering.objects.get_or_create(
                session=session,
                title=wordings[turn % len(wordings)],
                defaults={
                    "thema": thema,
                    "subthema": subthemas.get((thema.pk, sub)),
                    "description": description,
                    # Most sessions placed it where the team did; some one level up or down.
                    "level": rng.choice(NEIGHBOURS[level]) if rng.random() < 0.25 else level,
                    "dimension": dimension,
                    "support_needed": support,
                    "recognised_by": rng.randint(max(2, attended // 5), max(6, attended * 3 // 4))
                    if attended
                    else rng.randint(2, 18),
                    "status": Belemmering.Status.VASTGESTELD,
                    "knelpunt": knelpunt,
                },
            )
            if was_created:
                entry.behoeften.set([behoeften[n] for n in needs if str(index) in BEHOEFTE_REGIOS[n]])
                created += 1
    _seed_follow_up(sessions)
    _seed_lichtmast(sessions)
    return created


def _seed_follow_up(sessions) -> None:
    """A few knelpunten already have a follow-up, decided some days after the last session."""
    if not sessions:
        return
    at = max(s.end for s in sessions) + timedelta(days=12)
    for title, (status, explanation) in OPVOLGING.items():
        knelpunt = Knelpunt.objects.filter(title=title, status=Knelpunt.Opvolging.OPEN).first()
        if knelpunt is not None and knelpunt.belemmeringen.exists():
            change_knelpunt_status(
                knelpunt=knelpunt, status=status, explanation=explanation, at=min(at, timezone.now())
            )


def _seed_lichtmast(sessions) -> None:
    for session, (verdict, summary, findings) in zip(sessions, LICHTMAST, strict=False):
        antwoord, was_created = LichtmastAntwoord.objects.get_or_create(
            session=session, defaults={"verdict": verdict, "summary": summary}
        )
        if was_created:
            for number in findings:
                aspect, kind, text = LICHTMAST_BEVINDINGEN[number]
                LichtmastBevinding.objects.create(antwoord=antwoord, aspect=aspect, kind=kind, text=text)
