"""The reports are easy to find for staff and closed with a clear page for everyone else: the site's own
403 page, the staff bar on the site (never for anonymous visitors, never in the public page cache)."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import caches
from django.urls import reverse

pytestmark = pytest.mark.django_db

DASHBOARD = "/rapportage/"


def test_facilitator_opening_the_reports_gets_the_sites_own_dutch_403_page(client, facilitator_a):
    client.force_login(facilitator_a)
    response = client.get(DASHBOARD)
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="nl">' in page
    assert "U heeft geen toegang tot deze pagina" in page
    assert "Alleen het programmateam kan de rapportage bekijken." in page
    assert "het programmateam en de facilitator van die sessie" in page
    assert "Toegang krijgen" in page and "mailto:" in page
    assert "403 Forbidden" not in page


def test_the_403_page_is_english_under_en(client, facilitator_a):
    client.force_login(facilitator_a)
    response = client.get("/en" + DASHBOARD)
    assert response.status_code == 403
    assert '<html lang="en">' in response.content.decode()


def test_anonymous_visitor_is_sent_to_log_in_not_to_the_403_page(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_facilitator_of_another_session_gets_the_403_page_for_that_sessions_report(client, facilitator_b, session_a):
    client.force_login(facilitator_b)
    response = client.get(reverse("rapportage:session_pdf", kwargs={"slug": session_a.slug}))
    assert response.status_code == 403
    assert "U heeft geen toegang tot deze pagina" in response.content.decode()


def test_programme_staff_see_the_staff_bar_with_reports_and_a_post_log_out(client, programmateam):
    client.force_login(programmateam)
    page = client.get(reverse("home")).content.decode()
    assert 'class="staff-bar' in page
    assert f'href="{DASHBOARD}"' in page
    assert f'action="{reverse("admin:logout")}"' in page and 'method="post"' in page
    assert "Aangemeld als programma" in page


def test_facilitator_sees_the_report_of_their_own_session_only(client, facilitator_a, session_a, session_b):
    client.force_login(facilitator_a)
    page = client.get(reverse("regiosessies:list")).content.decode()
    assert reverse("rapportage:session_pdf", kwargs={"slug": session_a.slug}) in page
    assert reverse("rapportage:session_pdf", kwargs={"slug": session_b.slug}) not in page
    assert f'href="{DASHBOARD}"' not in page


def test_logging_out_from_the_site_works(client, programmateam):
    client.force_login(programmateam)
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert 'class="staff-bar' not in client.get(reverse("home")).content.decode()


def test_anonymous_visitors_get_no_staff_bar_and_the_page_stays_cacheable(client, programmateam, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"s-{uuid.uuid4()}"}
    }
    try:
        staff = type(client)()
        staff.force_login(programmateam)
        assert 'class="staff-bar' in staff.get(reverse("home")).content.decode()
        # The staff member's page was not stored: the next anonymous visitor gets a page without the bar,
        # which is the same for everyone (no Vary: Cookie, so it can be stored).
        anonymous = client.get(reverse("home"))
        assert 'class="staff-bar' not in anonymous.content.decode()
        assert "Cookie" not in anonymous.get("Vary", "")
        again = client.get(reverse("home"))
        assert again.content == anonymous.content
    finally:
        caches["default"].clear()
