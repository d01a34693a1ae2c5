"""The consultation's themes and sub-topics (belemmeringen/reference.py), marked for translation.

The themes are rows in the database, seeded in Dutch; templates show them with `{% translate thema.name %}`
so the English site can show English names. `makemessages` only finds literal strings, so the seeded
texts are repeated here. consultatie/tests/test_i18n.py checks that this list and reference.THEMAS agree.
A theme renamed in the admin simply shows its new name untranslated.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

THEMA_TEXTS = [
    gettext_noop("Organisatie"),
    gettext_noop(
        "Hoe een organisatie leert van eerdere pilots, waar Smart City een plek krijgt en welke kennis en "
        "vaardigheden nodig zijn."
    ),
    gettext_noop("Inzicht in ervaringen uit pilots"),
    gettext_noop("Plaats in de organisatie / opgavegericht werken"),
    gettext_noop("Competenties en vaardigheden"),
    gettext_noop("Financiering"),
    gettext_noop(
        "Hoe vernieuwing past in de lopende begroting, of kosten gedeeld kunnen worden en hoe een "
        "gezamenlijke vraag ontstaat."
    ),
    gettext_noop("Budgetallocatie binnen de lopende begroting"),
    gettext_noop("Cofinanciering"),
    gettext_noop("Use cases en vraagbundeling"),
    gettext_noop("Juridisch"),
    gettext_noop(
        "Welke samenwerkingsvormen, regels voor gegevens en manieren van aanbesteden opschaling mogelijk "
        "maken of juist afremmen."
    ),
    gettext_noop("Nieuwe samenwerkingsvormen"),
    gettext_noop("Dataprotectie"),
    gettext_noop("Aanbesteden van innovatie"),
    gettext_noop("Technisch"),
    gettext_noop("Welke standaarden nodig zijn en of voorzieningen centraal of decentraal worden ingericht."),
    gettext_noop("Standaarden"),
    gettext_noop("Centraal of decentraal"),
]
