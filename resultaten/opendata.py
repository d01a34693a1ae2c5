"""The open datasets: ONE definition per dataset (its fields, their types, units and meaning) drives
the data card on /open-data/, the CSV and JSON files and the DCAT catalogue, so they cannot drift apart.

Licence: CC0 1.0. The Rijksoverheid publishes open data under CC0 by default (so does data.overheid.nl
advise), reusers need no attribution bookkeeping, and the files hold no personal data and no work of
anyone outside the programme team and the sessions, whose findings were gathered to be public.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import escape_formula

LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
LICENCE_NAME = "CC0 1.0"
# DCAT-AP 3.0 (and so DCAT-AP-NL 3.0) takes licence and file types from the EU vocabularies.
LICENCE_EU = "http://publications.europa.eu/resource/authority/licence/CC0"
FORMATS = {
    "csv": {"media_type": "text/csv", "eu": "http://publications.europa.eu/resource/authority/file-type/CSV"},
    "json": {"media_type": "application/json", "eu": "http://publications.europa.eu/resource/authority/file-type/JSON"},
}
LIST_SEPARATOR = "; "
CATALOGUE_TITLE = _("Open data van de consultatie Belemmeringen schaalsprong Smart City")
CATALOGUE_DESCRIPTION = _(
    "De uitkomsten van de publieke consultatie in zes regiosessies: knelpunten, de inbreng per sessie, "
    "behoeften en de oordelen over hergebruik van de openbare verlichting. Zonder persoonsgegevens."
)


@dataclass(frozen=True)
class Veld:
    """One field (column in CSV, key in JSON)."""

    name: str
    kind: str | Promise  # one of the kinds below
    description: str | Promise
    unit: str | Promise = ""
    nullable: bool = False


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str | Promise
    description: str | Promise
    fields: tuple[Veld, ...]
    rows: Callable[[dict[str, Any]], list[dict[str, Any]]]

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def records(self, snapshot: dict[str, Any]) -> list[dict[str, Any]]:
        """The rows of a published snapshot, with exactly the fields named here, in this order."""
        names = self.field_names
        return [{name: row[name] for name in names} for row in self.rows(snapshot)]


def _knelpunt_rows(s: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": k["id"],
            "titel": k["title"],
            "omschrijving": k["description"],
            "thema": k["theme"],
            "subthema": k["subtheme"],
            "niveau": k["level"],
            "opvolging": k["status"],
            "toelichting_opvolging": k["status_explanation"],
            "regios": k["regions"],
            "aantal_regios": k["region_count"],
            "aantal_sessies": k["session_count"],
            "aantal_inbrengen": k["entry_count"],
            "herkend_door": k["recognised_by"],
            "aanwezigen": k["attended"],
            "behoeften": k["needs"],
        }
        for k in s["knelpunten"]
    ]


def _entry_rows(s: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": e["id"],
            "regiosessie": e["session"],
            "regio": e["region"],
            "thema": e["theme"],
            "subthema": e["subtheme"],
            "titel": e["title"],
            "omschrijving": e["description"],
            "niveau": e["level"],
            "dimensie": e["dimension"],
            "herkend_door": e["recognised_by"],
            "knelpunt": e["knelpunt"],
            "behoeften": e["needs"],
        }
        for e in s["entries"]
    ]


def _need_rows(s: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": n["id"],
            "titel": n["title"],
            "omschrijving": n["description"],
            "soort_ondersteuning": n["support_type"],
            "niveau": n["level"],
            "aantal_sessies": n["session_count"],
            "aantal_inbrengen": n["entry_count"],
            "regios": n["regions"],
            "knelpunten": n["knelpunten"],
            "punten": n.get("points"),
        }
        for n in s["needs"]
    ]


def _lamp_post_rows(s: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "regiosessie": a["session"],
            "regio": a["region"],
            "oordeel": a["verdict"],
            "samenvatting": a["summary"],
            "aantal_kansen": sum(1 for f in a["findings"] if f["kind"] == "kans"),
            "aantal_voorwaarden": sum(1 for f in a["findings"] if f["kind"] == "voorwaarde"),
            "aantal_belemmeringen": sum(1 for f in a["findings"] if f["kind"] == "belemmering"),
        }
        for a in s["lamp_post"]
    ]


TEXT = _("tekst")
INTEGER = _("geheel getal")
CODE = _("code")
TEXTS = _("lijst van teksten")
INTEGERS = _("lijst van gehele getallen")
LEVELS = _("code: lokaal, regionaal of nationaal")
PARTICIPANTS = _("deelnemers")
ENTRIES = _("inbrengen")

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        slug="knelpunten",
        title=_("Knelpunten"),
        description=_(
            "De verschillende knelpunten zoals het programmateam ze formuleerde, met het niveau waarop ze het "
            "best worden aangepakt, de opvolging, en in hoeveel regio's en sessies ze naar voren kwamen."
        ),
        fields=(
            Veld("id", INTEGER, _("Vast nummer van het knelpunt; ook in de URL van zijn pagina.")),
            Veld("titel", TEXT, _("Het knelpunt in één zin.")),
            Veld("omschrijving", TEXT, _("Toelichting van het programmateam.")),
            Veld("thema", TEXT, _("Thema van de consultatie.")),
            Veld("subthema", TEXT, _("Subthema; leeg als er geen is.")),
            Veld(
                "niveau",
                CODE,
                _("Niveau waarop het knelpunt het best wordt aangepakt, zoals het programmateam besloot."),
                LEVELS,
            ),
            Veld("opvolging", CODE, _("Opvolging bij publicatie: open, programma, elders of niet_overgenomen.")),
            Veld("toelichting_opvolging", TEXT, _("Waarom het knelpunt deze opvolging heeft.")),
            Veld("regios", TEXTS, _("De regio's waar het knelpunt naar voren kwam.")),
            Veld("aantal_regios", INTEGER, _("Aantal regio's waar het naar voren kwam."), _("regio's")),
            Veld("aantal_sessies", INTEGER, _("Aantal regiosessies waar het naar voren kwam."), _("sessies")),
            Veld(
                "aantal_inbrengen",
                INTEGER,
                _("Aantal vastgestelde inbrengen uit de sessies die het beschrijven."),
                ENTRIES,
            ),
            Veld(
                "herkend_door", INTEGER, _("Opgeteld aantal deelnemers dat het in hun sessie herkende."), PARTICIPANTS
            ),
            Veld(
                "aanwezigen",
                INTEGER,
                _("Aanwezigen in die sessies; leeg als de aanwezigheid niet overal is geregistreerd."),
                PARTICIPANTS,
                True,
            ),
            Veld("behoeften", INTEGERS, _("Nummers (id) van de gekoppelde behoeften.")),
        ),
        rows=_knelpunt_rows,
    ),
    Dataset(
        slug="inbrengen",
        title=_("Inbreng per regiosessie"),
        description=_(
            "Elke belemmering zoals een regiosessie die vaststelde, met het knelpunt waaronder het programmateam "
            "haar plaatste. Zonder namen of organisaties van deelnemers."
        ),
        fields=(
            Veld("id", INTEGER, _("Vast nummer van de inbreng.")),
            Veld("regiosessie", CODE, _("Code (slug) van de regiosessie.")),
            Veld("regio", TEXT, _("Naam van de regio.")),
            Veld("thema", TEXT, _("Thema van de consultatie.")),
            Veld("subthema", TEXT, _("Subthema; leeg als er geen is.")),
            Veld("titel", TEXT, _("De belemmering zoals de sessie haar noemde.")),
            Veld("omschrijving", TEXT, _("Toelichting uit de sessie.")),
            Veld("niveau", CODE, _("Niveau dat de sessie gaf."), LEVELS),
            Veld("dimensie", CODE, _("Dimensie van opschalen: verticaal, horizontaal, regionaal of nationaal.")),
            Veld(
                "herkend_door", INTEGER, _("Aantal deelnemers in de sessie dat de belemmering herkende."), PARTICIPANTS
            ),
            Veld(
                "knelpunt",
                INTEGER,
                _("Nummer (id) van het knelpunt; leeg als de inbreng nog niet is ingedeeld."),
                "",
                True,
            ),
            Veld("behoeften", INTEGERS, _("Nummers (id) van de gekoppelde behoeften.")),
        ),
        rows=_entry_rows,
    ),
    Dataset(
        slug="behoeften",
        title=_("Behoeften"),
        description=_("Wat nodig is om op te schalen (het boodschappenlijstje), met het niveau dat het organiseert."),
        fields=(
            Veld("id", INTEGER, _("Vast nummer van de behoefte.")),
            Veld("titel", TEXT, _("Wat nodig is.")),
            Veld("omschrijving", TEXT, _("Toelichting.")),
            Veld(
                "soort_ondersteuning", CODE, _("kennis, financiering, juridisch, standaarden, organisatie of inkoop.")
            ),
            Veld("niveau", CODE, _("Niveau dat de behoefte het best organiseert."), LEVELS),
            Veld("aantal_sessies", INTEGER, _("Aantal regiosessies waar de behoefte naar voren kwam."), _("sessies")),
            Veld("aantal_inbrengen", INTEGER, _("Aantal vastgestelde inbrengen die de behoefte noemen."), ENTRIES),
            Veld("regios", TEXTS, _("De regio's waar de behoefte naar voren kwam.")),
            Veld("knelpunten", INTEGERS, _("Nummers (id) van de knelpunten die de behoefte beantwoordt.")),
            Veld(
                "punten",
                INTEGER,
                _("Punten die deelnemers de behoefte gaven in de prioriteringsronde; leeg als er geen ronde was."),
                _("punten"),
                True,
            ),
        ),
        rows=_need_rows,
    ),
    Dataset(
        slug="lichtmastoordelen",
        title=_("Oordelen over de lichtmast"),
        description=_(
            "Het oordeel van elke regiosessie over onderzoeksvraag 2: kan de infrastructuur van de openbare "
            "verlichting worden hergebruikt om Smart City-toepassingen op te schalen?"
        ),
        fields=(
            Veld("regiosessie", CODE, _("Code (slug) van de regiosessie.")),
            Veld("regio", TEXT, _("Naam van de regio.")),
            Veld("oordeel", CODE, _("ja, voorwaarden (ja, onder voorwaarden), nee of onbekend.")),
            Veld("samenvatting", TEXT, _("Samenvatting van het oordeel door de sessie.")),
            Veld("aantal_kansen", INTEGER, _("Aantal genoemde kansen."), _("bevindingen")),
            Veld("aantal_voorwaarden", INTEGER, _("Aantal genoemde voorwaarden."), _("bevindingen")),
            Veld("aantal_belemmeringen", INTEGER, _("Aantal genoemde belemmeringen."), _("bevindingen")),
        ),
        rows=_lamp_post_rows,
    ),
)

BY_SLUG = {d.slug: d for d in DATASETS}


def to_json(dataset: Dataset, snapshot: dict[str, Any]) -> str:
    return json.dumps(dataset.records(snapshot), ensure_ascii=False, indent=1) + "\n"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    # Opened in a spreadsheet, text starting with = + - @ would run as a formula; the JSON keeps it as is.
    return escape_formula(value)


def to_csv(dataset: Dataset, snapshot: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(dataset.field_names)
    for record in dataset.records(snapshot):
        writer.writerow([_cell(record[name]) for name in dataset.field_names])
    return out.getvalue()


WRITERS = {"csv": to_csv, "json": to_json}


def render_files(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Every dataset in every format: (dataset, format, content, sha256, rows)."""
    files = []
    for dataset in DATASETS:
        rows = len(dataset.rows(snapshot))
        for fmt, writer in WRITERS.items():
            content = writer(dataset, snapshot)
            files.append(
                {
                    "dataset": dataset.slug,
                    "format": fmt,
                    "content": content,
                    "sha256": hashlib.sha256(content.encode("utf-8")).hexdigest(),
                    "rows": rows,
                }
            )
    return files
