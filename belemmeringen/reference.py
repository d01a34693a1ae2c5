"""The consultation's own vocabulary: the four main themes and their sub-topics, as announced.

Used by the data migration that seeds them; kept as plain data so later migrations and tests can
refer to the same source.
"""

THEMAS = [
    {
        "slug": "organisatie",
        "name": "Organisatie",
        "description": (
            "Hoe een organisatie leert van eerdere pilots, waar Smart City een plek krijgt en welke kennis en "
            "vaardigheden nodig zijn."
        ),
        "subthemas": [
            "Inzicht in ervaringen uit pilots",
            "Plaats in de organisatie / opgavegericht werken",
            "Competenties en vaardigheden",
        ],
    },
    {
        "slug": "financiering",
        "name": "Financiering",
        "description": (
            "Hoe vernieuwing past in de lopende begroting, of kosten gedeeld kunnen worden en hoe een "
            "gezamenlijke vraag ontstaat."
        ),
        "subthemas": [
            "Budgetallocatie binnen de lopende begroting",
            "Cofinanciering",
            "Use cases en vraagbundeling",
        ],
    },
    {
        "slug": "juridisch",
        "name": "Juridisch",
        "description": (
            "Welke samenwerkingsvormen, regels voor gegevens en manieren van aanbesteden opschaling mogelijk "
            "maken of juist afremmen."
        ),
        "subthemas": [
            "Nieuwe samenwerkingsvormen",
            "Dataprotectie",
            "Aanbesteden van innovatie",
        ],
    },
    {
        "slug": "technisch",
        "name": "Technisch",
        "description": "Welke standaarden nodig zijn en of voorzieningen centraal of decentraal worden ingericht.",
        "subthemas": [
            "Standaarden",
            "Centraal of decentraal",
        ],
    },
]
