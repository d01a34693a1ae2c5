"""English as the second language: Dutch at the unprefixed URLs, English under /en/, a complete
English catalogue (translated, nothing fuzzy, the committed .mo compiled from the committed .po), and
emails in English for a registration made on the English site."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail

from regiosessies.models import Aanmelding
from regiosessies.tests.factories import make_session

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"

#: Source files whose strings a visitor (or a registrant's mailbox) can meet.
PUBLIC_SOURCES = (
    "templates/base.html",
    "templates/404.html",
    "templates/429.html",
    "templates/500.html",
    "templates/503.html",
    "templates/consultatie/",
    "templates/regiosessies/_",
    "templates/regiosessies/aanmelding_",
    "templates/regiosessies/regiosessie_",
    "templates/emails/",
    "regiosessies/forms.py",
    "regiosessies/views.py",
    "regiosessies/services.py",
    "regiosessies/models.py",
    "regiosessies/ics.py",
    "consultatie/forms.py",
    "consultatie/settings.py",
)


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(LOCALE / "django.po"))


def _is_public(entry) -> bool:
    return any(path.startswith(PUBLIC_SOURCES) for path, _line in entry.occurrences)


def _translated(entry) -> bool:
    if entry.msgid_plural:
        return all(entry.msgstr_plural.get(i) for i in (0, 1))
    return bool(entry.msgstr)


# --- The catalogue ------------------------------------------------------------------------------


def test_catalogue_covers_the_public_site(catalogue):
    public = [entry for entry in catalogue if _is_public(entry) and not entry.obsolete]
    assert len(public) > 250  # the public templates, forms and emails really are in it
    assert {"Naar de inhoud", "Controleer uw mailbox", "Bevestiging van uw aanmelding: %(title)s"} <= {
        entry.msgid for entry in public
    }


def test_no_public_string_is_untranslated_or_fuzzy(catalogue):
    problems = [
        entry.msgid
        for entry in catalogue
        if _is_public(entry) and not entry.obsolete and (not _translated(entry) or entry.fuzzy)
    ]
    assert problems == []


def test_no_string_at_all_is_fuzzy(catalogue):
    # A fuzzy entry is left out of the .mo by msgfmt: the page would silently fall back to Dutch.
    assert [entry.msgid for entry in catalogue if entry.fuzzy and not entry.obsolete] == []
    assert not catalogue.metadata_is_fuzzy


def test_translations_keep_every_placeholder(catalogue):
    """A lost %(title)s or {} breaks the sentence (or the page) only in English; catch it here."""
    import re

    placeholder = re.compile(r"%\(\w+\)[-+ #0]*\d*(?:\.\d+)?[sdrfi]|\{\}|%%")
    for entry in catalogue:
        if not _translated(entry):
            continue
        pairs = (
            [(entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
            if entry.msgid_plural
            else [(entry.msgid, entry.msgstr)]
        )
        for source, translation in pairs:
            # The singular of a plural may drop the number ("1 page" -> "one page"), never add one.
            expected = sorted(set(placeholder.findall(source)))
            found = sorted(set(placeholder.findall(translation)))
            assert found == expected, (source, translation)


def test_committed_mo_is_compiled_from_the_committed_po(catalogue):
    compiled = polib.mofile(str(LOCALE / "django.mo"))
    in_mo = {(entry.msgid, entry.msgstr) for entry in compiled if not entry.msgid_plural}
    in_po = {(entry.msgid, entry.msgstr) for entry in catalogue if entry.msgstr and not entry.msgid_plural}
    assert in_po - in_mo == set(), "run `manage.py compilemessages` and commit locale/en/LC_MESSAGES/django.mo"


# --- Pages --------------------------------------------------------------------------------------


@pytest.fixture
def session(db):
    return make_session("noord", regio_name="Noord")


@pytest.mark.parametrize(
    ("path", "phrases"),
    [
        ("/en/", ["What is holding Smart City back from scaling up?", "The two research questions", "Skip to content"]),
        ("/en/regiosessies/", ["Regional sessions", "seats left"]),
        ("/en/aanmelden/", ["Register for a regional session", "First choose the region"]),
        ("/en/privacy/", ["Privacy statement", "What data do we keep?"]),
        ("/en/toegankelijkheid/", ["Accessibility statement", "How we check it"]),
        ("/en/contact/", ["Send message", "All fields are required."]),
    ],
)
def test_english_pages_speak_english(client, session, path, phrases):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    for phrase in phrases:
        assert phrase in html
    assert "Naar de inhoud" not in html


def test_dutch_stays_the_default_at_unprefixed_urls(client, session):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # prefix_default_language=False: an unprefixed URL is Dutch even for an English browser,
    # because a Dutch URL must always give the Dutch page (links in emails, bookmarks).
    assert '<html lang="nl">' in html
    assert "Wat houdt de schaalsprong van Smart City tegen?" in html


def test_english_registration_form_and_its_errors_are_english(client, session):
    url = f"/en/regiosessies/{session.slug}/aanmelden/"
    html = client.get(url).content.decode()
    assert "Fields marked * are required." in html
    assert "Register: Regiosessie Noord" in html
    html = client.post(url, {"email": "not-an-address"}).content.decode()
    assert "Something has not been filled in correctly" in html
    assert "Enter your name." in html
    assert "Enter a valid email address, such as name@example.com." in html
    assert "Give your consent to the processing of your data in order to register." in html


def test_english_404_page(client, db):
    response = client.get("/en/does-not-exist/")
    assert response.status_code == 404
    assert "This page does not exist (any more)" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "link"),
    [
        (
            "/",
            '<a class="language-switch btn btn-sm btn-outline-light" href="/en/" lang="en" hreflang="en">English</a>',
        ),
        (
            "/en/",
            '<a class="language-switch btn btn-sm btn-outline-light" href="/" lang="nl" hreflang="nl">Nederlands</a>',
        ),
        ("/regiosessies/noord/", 'href="/en/regiosessies/noord/" lang="en" hreflang="en">English</a>'),
        ("/en/regiosessies/noord/", 'href="/regiosessies/noord/" lang="nl" hreflang="nl">Nederlands</a>'),
        ("/en/regiosessies/noord/aanmelden/", 'href="/regiosessies/noord/aanmelden/" lang="nl"'),
        ("/aanmelden/", 'href="/en/aanmelden/" lang="en"'),
        # A query string goes along; it is escaped in the attribute.
        ("/regiosessies/?a=1&b=<x>", 'href="/en/regiosessies/?a=1&amp;b=&lt;x&gt;" lang="en"'),
        # A page that does not exist links to the other language's home page.
        ("/bestaat-niet/", 'href="/en/" lang="en" hreflang="en">English</a>'),
        ("/en/does-not-exist/", 'href="/" lang="nl" hreflang="nl">Nederlands</a>'),
    ],
)
def test_language_switch_is_a_link_to_the_same_page_in_the_other_language(client, session, path, link):
    response = client.get(path)
    html = response.content.decode()
    assert link in html
    assert html.count("language-switch") == 1


@pytest.mark.parametrize("path", ["/", "/en/", "/regiosessies/", "/aanmelden/", "/regiosessies/noord/", "/privacy/"])
def test_public_pages_carry_no_csrf_token(client, session, path):
    # A token makes every page differ per visitor, which rules out the page cache.
    response = client.get(path)
    assert b"csrfmiddlewaretoken" not in response.content
    assert "csrftoken" not in response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_language_switch_link_lands_on_the_translated_page(client, session):
    html = client.get("/regiosessies/noord/").content.decode()
    import re

    href = re.search(r'<a class="language-switch[^"]*" href="([^"]+)"', html).group(1)
    english = client.get(href).content.decode()
    assert '<html lang="en">' in english and "Register for this session" in english
    back = re.search(r'<a class="language-switch[^"]*" href="([^"]+)"', english).group(1)
    assert back == "/regiosessies/noord/"


def test_pages_outside_the_language_addresses_keep_the_switch_form(rf):
    # The two-step login pages live under /admin/ (no /en/ address): the cookie set by set_language
    # decides their language, so they keep the POST form.
    from consultatie.templatetags.language_switch import other_language

    request = rf.get("/admin/login/")
    assert other_language({"request": request}) == {"code": "en", "name": "English", "url": None}


def test_set_language_still_switches_and_redirects_back(client, session):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/regiosessies/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/regiosessies/"
    # The English page posts to the English address of the switch.
    response = client.post("/en/i18n/setlang/", {"language": "nl", "next": "/en/regiosessies/"})
    assert response["Location"] == "/regiosessies/"


# --- Emails -------------------------------------------------------------------------------------

FORM = {
    "name": "Emma Smith",
    "email": "emma@example.org",
    "organisation_type": "kennisinstelling",
    "organisation": "TU Delft",
    "consent": "on",
}


def test_registration_on_the_english_site_sends_english_email(client, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/regiosessies/{session.slug}/aanmelden/", FORM)
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "Confirmation of your registration: Regiosessie Noord"
    assert "Dear Emma Smith," in message.body
    assert "Thank you for registering." in message.body
    # The personal link leads to the English version of the personal page.
    token = Aanmelding.objects.get().token
    assert f"/en/aanmelding/{token}/" in message.body
    html = message.alternatives[0][0]
    assert "View or cancel my registration" in html
    assert '<html lang="en">' in html  # issue 15: the English email said lang="nl"


def test_registration_on_the_dutch_site_sends_dutch_email(client, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/regiosessies/{session.slug}/aanmelden/", FORM)
    [message] = mail.outbox
    assert message.subject == "Bevestiging van uw aanmelding: Regiosessie Noord"
    assert "Beste Emma Smith," in message.body


# --- Seeded themes ------------------------------------------------------------------------------


def test_every_seeded_theme_text_is_marked_for_translation():
    from belemmeringen.reference import THEMAS
    from consultatie.vocabulary import THEMA_TEXTS

    seeded = [text for thema in THEMAS for text in (thema["name"], thema["description"], *thema["subthemas"])]
    assert sorted(seeded) == sorted(THEMA_TEXTS)


def test_themes_are_english_on_the_english_home_page_and_form(client, session):
    html = client.get("/en/").content.decode()
    assert "Technical" in html and "Procuring innovation" in html
    assert "Aanbesteden van innovatie" not in html
    html = client.get(f"/en/regiosessies/{session.slug}/aanmelden/").content.decode()
    assert "Legal" in html and "Juridisch" not in html
    assert "Juridisch" in client.get(f"/regiosessies/{session.slug}/aanmelden/").content.decode()


@pytest.mark.parametrize(
    ("language", "phrase"), [("nl", "Er ging iets mis aan onze kant"), ("en", "Something went wrong on our side")]
)
def test_the_500_page_is_in_the_visitors_language_and_says_so(rf, language, phrase):
    from django.utils import translation

    from consultatie.views import server_error

    with translation.override(language):
        html = server_error(rf.get("/")).content.decode()
    assert phrase in html
    assert f'<html lang="{language}">' in html  # screen readers pick their voice from it
