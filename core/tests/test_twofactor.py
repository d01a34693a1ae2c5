"""Two-factor authentication for staff (django-otp, TOTP): required when REQUIRE_2FA is on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

ENROL = "/admin/tweestapsverificatie/instellen/"
VERIFY = "/admin/tweestapsverificatie/controleren/"


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def require_2fa():
    with override_settings(REQUIRE_2FA=True):
        yield


@pytest.fixture
def enrolled(programmateam):
    return TOTPDevice.objects.create(user=programmateam, name="Authenticator-app", confirmed=True)


def test_with_2fa_off_staff_reach_the_admin_with_only_a_password(client, programmateam):
    # The test settings run in development mode, like the demo: REQUIRE_2FA defaults to off there.
    client.force_login(programmateam)
    assert client.get("/admin/").status_code == 200


def test_staff_without_a_device_are_sent_to_enrolment(client, programmateam, require_2fa):
    client.force_login(programmateam)
    response = client.get("/admin/regiosessies/")
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Fadmin%2Fregiosessies%2F"


def test_staff_with_a_device_are_sent_to_verification(client, programmateam, enrolled, require_2fa):
    client.force_login(programmateam)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


@pytest.mark.parametrize("path", ["/admin/", "/admin/auth/user/", "/rapportage/", "/rapportage/rapport.pdf", "/"])
def test_without_the_second_step_no_page_is_served_to_staff(client, superuser, path, require_2fa):
    # Fail closed: every page, including staff pages added later, waits for the code.
    client.force_login(superuser)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)


def test_anonymous_visitors_are_not_asked_for_a_code(client, require_2fa):
    assert client.get("/").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_enrolment_shows_a_qr_code_made_on_the_server_and_the_secret_as_text(client, programmateam, require_2fa):
    client.force_login(programmateam)
    response = client.get(ENROL)
    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=programmateam)
    assert not device.confirmed
    assert "<svg" in html and 'role="img"' in html
    assert "<img" not in html.split('class="qr-code"')[1].split("</figure>")[0]  # nothing fetched elsewhere
    import base64
    from binascii import unhexlify

    secret = base64.b32encode(unhexlify(device.key)).decode().rstrip("=")
    assert secret[:4] + " " + secret[4:8] in html
    # Reloading shows the same secret, not a new one.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=programmateam).count() == 1


def test_enrolment_with_a_correct_code_confirms_the_device_and_opens_the_admin(client, programmateam, require_2fa):
    client.force_login(programmateam)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=programmateam)
    old_session_key = client.session.session_key
    response = client.post(ENROL, {"token": code_for(device), "next": "/admin/regiosessies/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/regiosessies/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session.session_key != old_session_key
    assert client.get("/admin/").status_code == 200


def test_enrolment_with_a_wrong_code_says_so_in_dutch_and_confirms_nothing(client, programmateam, require_2fa):
    client.force_login(programmateam)
    client.get(ENROL)
    response = client.post(ENROL, {"token": "000000" if code_for(TOTPDevice.objects.get()) != "000000" else "111111"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deze code klopt niet of is verlopen" in html
    assert 'aria-invalid="true"' in html and "errorlist-summary" in html
    assert not TOTPDevice.objects.get().confirmed
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    ("token", "message"), [("", "Vul de code"), ("12ab56", "zes cijfers"), ("١٢٣٤٥٦", "zes cijfers")]
)
def test_a_malformed_code_gets_a_clear_message(client, programmateam, enrolled, require_2fa, token, message):
    client.force_login(programmateam)
    response = client.post(VERIFY, {"token": token})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_verification_with_the_current_code_lets_staff_in(client, programmateam, enrolled, require_2fa):
    client.force_login(programmateam)
    response = client.post(VERIFY, {"token": code_for(enrolled), "next": "/admin/auth/user/"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/auth/user/"
    assert client.get("/admin/").status_code == 200


def test_a_code_cannot_be_used_twice(client, programmateam, enrolled, require_2fa):
    token = code_for(enrolled)
    client.force_login(programmateam)
    assert client.post(VERIFY, {"token": token}).status_code == 302
    other = type(client)()
    other.force_login(programmateam)
    response = other.post(VERIFY, {"token": token})
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()


def test_wrong_codes_slow_down_further_tries(client, programmateam, enrolled, require_2fa):
    client.force_login(programmateam)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(3):
            client.post(VERIFY, {"token": "000001"})
            traveller.shift(0.1)
        # Even the right code is refused while the back-off runs.
        response = client.post(VERIFY, {"token": code_for(enrolled)})
        assert "Te veel onjuiste codes" in response.content.decode()
        traveller.shift(30)
        response = client.post(VERIFY, {"token": code_for(enrolled)})
    assert response.status_code == 302


def test_a_password_alone_cannot_add_a_second_device(client, programmateam, enrolled, require_2fa):
    client.force_login(programmateam)
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=programmateam).count() == 1


def test_next_pointing_elsewhere_is_ignored(client, programmateam, enrolled, require_2fa):
    client.force_login(programmateam)
    response = client.post(VERIFY, {"token": code_for(enrolled), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_the_verification_page_needs_a_staff_login(client):
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_logging_out_from_the_verification_page_works(client, programmateam, enrolled, require_2fa):
    client.force_login(programmateam)
    response = client.post("/admin/logout/")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "0"}, "True"),
        ({"DEBUG": "1"}, "False"),
        ({"DEBUG": "0", "REQUIRE_2FA": "0"}, "False"),
        ({"DEBUG": "1", "REQUIRE_2FA": "1"}, "True"),
    ],
)
def test_two_factor_is_on_in_production_and_off_in_development_by_default(env, expected):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REQUIRE_2FA", "DJANGO_SETTINGS_MODULE"}}
    clean.update({"SECRET_KEY": "s" * 10 + "ecret-key-long-enough-for-production-mode-0123456789", **env})
    result = subprocess.run(
        [sys.executable, "-c", "import consultatie.settings as s; print(s.REQUIRE_2FA)"],
        cwd=Path(__file__).resolve().parents[2],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_the_admin_never_shows_a_devices_secret(client, superuser, enrolled):
    client.force_login(superuser)
    response = client.get(f"/admin/otp_totp/totpdevice/{enrolled.pk}/change/")
    assert response.status_code == 200
    assert enrolled.key not in response.content.decode()
    # Removing a lost phone's device is what the admin is for.
    assert client.get(f"/admin/otp_totp/totpdevice/{enrolled.pk}/delete/").status_code == 200


def test_facilitators_cannot_see_anyones_devices(client, facilitator_a, enrolled):
    client.force_login(facilitator_a)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 403
