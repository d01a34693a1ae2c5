"""Login protection (django-axes): 5 wrong passwords lock that username from that address for 15 minutes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory, override_settings
from django.utils import timezone

from core.security import client_ip
from core.tests.factories import make_staff

pytestmark = pytest.mark.django_db

PASSWORD = "juist-wachtwoord-2026"
LOGIN = "/admin/login/"


@pytest.fixture
def medewerker(db):
    return make_staff("medewerker", password=PASSWORD)


def attempt(client, password: str, *, username: str = "medewerker", ip: str = "192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip)


def fail(client, times: int, **kwargs) -> None:
    """Wrong passwords; the first four show the login form again, the fifth the lockout page."""
    for number in range(1, times + 1):
        response = attempt(client, "fout", **kwargs)
        assert response.status_code == (200 if number < 5 else 429)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_four_wrong_passwords_still_let_the_right_one_in(client, medewerker):
    fail(client, 4)
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_fifth_wrong_password_locks_the_account_with_a_dutch_page(client, medewerker):
    fail(client, 4)
    response = attempt(client, "fout")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Inloggen tijdelijk geblokkeerd" in html
    assert "15 minuten" in html
    assert '<html lang="nl">' in html


def test_a_locked_account_is_refused_even_with_the_right_password(client, medewerker):
    fail(client, 5)
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_lock_is_for_that_username_from_that_address_only(client, medewerker):
    other = make_staff("collega", password=PASSWORD)
    fail(client, 5)
    # Same person from another address: allowed.
    assert attempt(client, PASSWORD, ip="198.51.100.7").status_code == 302
    client.logout()
    # Another account from the locked address: allowed.
    assert attempt(client, PASSWORD, username=other.username).status_code == 302


def test_the_lock_lifts_after_fifteen_minutes(client, medewerker):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(client, 5)
        traveller.shift(timedelta(minutes=14))
        assert attempt(client, PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=1, seconds=1))
        response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_resets_the_count(client, medewerker):
    fail(client, 4)
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    fail(client, 4)
    assert attempt(client, PASSWORD).status_code == 302


def test_an_unknown_username_is_locked_the_same_way(client, medewerker):
    # No hint whether the account exists: the lock looks the same.
    fail(client, 4, username="bestaat-niet")
    assert attempt(client, "fout", username="bestaat-niet").status_code == 429


def test_client_login_and_force_login_keep_working_in_tests(client, medewerker, superuser):
    assert client.login(username="medewerker", password=PASSWORD)
    client.logout()
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


def test_client_address_is_remote_addr_unless_a_proxy_is_trusted():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.2")
    assert client_ip(request) == "10.0.0.1"
    with override_settings(TRUST_X_FORWARDED_FOR=True):
        # The last entry is what our own proxy added; the first could be typed by anyone.
        assert client_ip(request) == "198.51.100.2"


def test_behind_a_trusted_proxy_a_forged_forwarded_header_does_not_dodge_the_lock(client, medewerker):
    with override_settings(TRUST_X_FORWARDED_FOR=True):
        for i in range(5):
            client.post(
                LOGIN,
                {"username": "medewerker", "password": "fout"},
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR=f"203.0.113.{i}, 198.51.100.2",
            )
        response = client.post(
            LOGIN,
            {"username": "medewerker", "password": PASSWORD},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.2",
        )
    assert response.status_code == 429
