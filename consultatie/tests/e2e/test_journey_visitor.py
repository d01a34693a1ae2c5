"""A visitor's journeys in a real browser: register, follow the personal link from the email, cancel
(the freed seat goes to the first person waiting); a full session puts them on the waiting list; every
kind of form mistake is explained next to the field and in a summary that receives the focus."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from consultatie.tests.e2e.helpers import fill_registration, mails_to, personal_path
from regiosessies.models import Aanmelding
from regiosessies.tests.factories import make_session, register

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _register_directly(session, email: str, name: str):
    return register(session, email, name, organisation_type="bedrijf")


def test_visitor_registers_cancels_through_the_emailed_link_and_the_seat_goes_to_the_first_waiting(page):
    session = make_session("noord", regio_name="Noord", capacity=2)
    _register_directly(session, "eerste@example.nl", "Eerste Deelnemer")

    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regiosessies").click()
    page.wait_for_url("**/regiosessies/")
    page.get_by_role("link", name=re.compile(r"Bekijk sessie en meld u aan\W+Regiosessie Noord")).click()
    assert page.get_by_text("Nog 1 plaats vrij").is_visible()
    page.get_by_role("link", name="Aanmelden voor deze sessie").click()

    fill_registration(page, name="Mila Jansen", email="Mila@Example.nl")
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    page.wait_for_url("**/aanmelden/verstuurd/")
    assert page.get_by_role("heading", level=1).inner_text() == "Controleer uw mailbox"

    mila = Aanmelding.objects.get(email="mila@example.nl")
    assert mila.status == Aanmelding.Status.CONFIRMED
    # Seats are now all taken; the next two people wait, in order.
    wacht1 = _register_directly(session, "wacht1@example.nl", "Wacht Een")
    wacht2 = _register_directly(session, "wacht2@example.nl", "Wacht Twee")
    assert [wacht1.status, wacht2.status] == [Aanmelding.Status.WAITLISTED] * 2

    [confirmation] = mails_to("mila@example.nl")
    assert "regiosessie.ics" in [name for name, *_ in confirmation.attachments]
    page.goto(personal_path(confirmation))
    assert page.get_by_text("U bent aangemeld en heeft een plaats").is_visible()
    assert page.get_by_text("Mila Jansen").is_visible()

    mail.outbox.clear()
    page.get_by_role("link", name="Aanmelding annuleren").click()  # first a page that asks
    page.get_by_role("button", name="Ja, annuleer mijn aanmelding").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("status").get_by_text("Uw aanmelding is geannuleerd").is_visible()
    assert page.get_by_role("link", name="Aanmelding annuleren").count() == 0

    wacht1.refresh_from_db()
    wacht2.refresh_from_db()
    assert wacht1.status == Aanmelding.Status.CONFIRMED  # the first waiting person got the seat
    assert wacht2.status == Aanmelding.Status.WAITLISTED
    assert len(mails_to("wacht1@example.nl")) == 1  # told about the seat
    assert mails_to("wacht2@example.nl") == []
    assert len(mails_to("mila@example.nl")) == 1  # the cancellation


def test_visitor_registering_for_a_full_session_lands_on_the_waiting_list(page):
    session = make_session("noord", regio_name="Noord", capacity=1)
    _register_directly(session, "bezet@example.nl", "Plaats Bezet")

    page.goto(session.get_absolute_url())
    assert page.get_by_text("Vol, wachtlijst open").is_visible()
    page.get_by_role("link", name="Aanmelden voor de wachtlijst").click()
    assert page.get_by_role("heading", name="Deze sessie is vol: u meldt zich aan voor de wachtlijst").is_visible()

    fill_registration(page, name="Ruben Bakker", email="ruben@example.nl")
    page.get_by_role("button", name="Aanmelden voor de wachtlijst").click()
    page.wait_for_url("**/aanmelden/verstuurd/")

    ruben = Aanmelding.objects.get(email="ruben@example.nl")
    assert ruben.status == Aanmelding.Status.WAITLISTED
    [message] = mails_to("ruben@example.nl")
    assert "wachtlijst" in message.subject.lower()
    page.goto(personal_path(message))
    assert page.get_by_text("U staat op de wachtlijst (plaats 1)").is_visible()


def _summary_items(page) -> list[str]:
    return [text.strip() for text in page.locator("#foutoverzicht li").all_inner_texts()]


def _field_error(page, field_id: str) -> str:
    field = page.locator(f"#{field_id}")
    assert field.get_attribute("aria-invalid") == "true"
    # The message is announced with the field (aria-describedby) and shown right under it.
    described = (field.get_attribute("aria-describedby") or "").split()
    assert f"{field_id}_error" in described
    return page.locator(f"#{field_id}_error").inner_text().strip()


def test_each_kind_of_form_error_shows_next_to_the_field_and_in_the_focused_summary(page):
    session = make_session("noord", regio_name="Noord")
    page.goto(f"{session.get_absolute_url()}aanmelden/")

    # 1. Nothing filled in: every required field, and the consent.
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.id") == "foutoverzicht"
    assert page.title().startswith("Fout:")
    assert _summary_items(page) == [
        "Naam: Vul uw naam in.",
        "E-mailadres: Vul uw e-mailadres in.",
        "Soort organisatie: Kies het soort organisatie.",
        "Toestemming: Geef toestemming voor het verwerken van uw gegevens om u aan te melden.",
    ]
    assert _field_error(page, "id_name") == "Vul uw naam in."
    assert _field_error(page, "id_email") == "Vul uw e-mailadres in."
    assert _field_error(page, "id_organisation_type") == "Kies het soort organisatie."
    assert _field_error(page, "id_consent") == "Geef toestemming voor het verwerken van uw gegevens om u aan te melden."

    # A summary link takes the visitor to the field.
    page.get_by_role("link", name="E-mailadres: Vul uw e-mailadres in.").click()
    assert page.evaluate("document.activeElement.id") == "id_email"

    # 2. Only spaces as a name, an address that is not one; what was typed stays.
    page.get_by_label("Naam").fill("   ")
    page.get_by_label("E-mailadres").fill("mila-at-example.nl")
    page.get_by_label("Soort organisatie").select_option(label="Provincie")
    page.get_by_label("Opmerkingen").fill("Graag een tafel over verlichting.")
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.id") == "foutoverzicht"
    assert _summary_items(page) == [
        "Naam: Vul uw naam in.",
        "E-mailadres: Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.",
        "Toestemming: Geef toestemming voor het verwerken van uw gegevens om u aan te melden.",
    ]
    assert _field_error(page, "id_email") == "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."
    assert page.get_by_label("E-mailadres").input_value() == "mila-at-example.nl"
    assert page.get_by_label("Soort organisatie").input_value() == "provincie"
    assert page.get_by_label("Opmerkingen").input_value() == "Graag een tafel over verlichting."

    # 3. The session closed while the visitor was typing: a form-wide message, nothing stored.
    type(session).objects.filter(pk=session.pk).update(registration_closes=session.start.replace(year=2000))
    page.get_by_label("Naam").fill("Mila Jansen")
    page.get_by_label("E-mailadres").fill("mila@example.nl")
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.id") == "foutoverzicht"
    assert _summary_items(page) == ["De aanmelding voor deze regiosessie is gesloten."]
    assert not Aanmelding.objects.exists()


def test_visitor_switches_to_english_and_back_on_the_same_page(page):
    session = make_session("noord", regio_name="Noord")
    page.goto(session.get_absolute_url())
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"**/en{session.get_absolute_url()}")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Register for this session").is_visible()

    page.get_by_role("link", name="Nederlands").click()
    page.wait_for_url(f"**{session.get_absolute_url()}")
    assert "/en/" not in page.url
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("link", name="Aanmelden voor deze sessie").is_visible()
