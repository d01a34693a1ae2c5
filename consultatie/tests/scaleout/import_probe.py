"""Django-side helper for the import scale-out test (test_import_scaleout.py), run against the stack.

python -m consultatie.tests.scaleout.import_probe login <username> <session-slug>
    A facilitator of that session, with a confirmed TOTP device, and a logged-in session that has
    passed two-factor (as the login and code pages would leave it): prints its cookie value.
python -m consultatie.tests.scaleout.import_probe titles <session-slug>
    The titles of the obstacles stored in that session.
"""

from __future__ import annotations

import json
import os
import sys


def login(username: str, slug: str) -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from regiosessies.models import Regiosessie

    user = get_user_model().objects.create_user(username=username, password=None, is_staff=True)
    user.groups.add(Group.objects.get(name="Facilitator"))
    Regiosessie.objects.get(slug=slug).facilitators.add(user)
    device = TOTPDevice.objects.create(user=user, name="scaleout", confirmed=True)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "session_key": store.session_key}


def titles(slug: str) -> dict:
    from belemmeringen.models import Belemmering

    return {"titles": sorted(Belemmering.objects.filter(session__slug=slug).values_list("title", flat=True))}


def main(argv: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consultatie.settings")
    django.setup()
    command, *args = argv
    if command == "login":
        result = login(*args)
    elif command == "titles":
        result = titles(*args)
    else:
        print(f"unknown command {command!r}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
