"""Small steps the browser journeys share: logging in, filling the registration form, finding the
personal link in a captured email."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail

PASSWORD = "x" * 16  # the standing accounts' password (root conftest.py)


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/admin/")


def fill_registration(page, *, name: str, email: str, organisation_type: str = "Gemeente", consent: bool = True):
    page.get_by_label("Naam").fill(name)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Soort organisatie").select_option(label=organisation_type)
    page.get_by_role("textbox", name="Organisatie", exact=True).fill("Gemeente Zwolle")
    if consent:
        page.locator("#id_consent").check()


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def personal_path(message) -> str:
    """The personal link in a registrant's email, as a path on the test server."""
    match = re.search(r"https?://\S+/aanmelding/[\w-]+/", message.body)
    assert match, f"no personal link in:\n{message.body}"
    return urlsplit(match.group(0)).path
