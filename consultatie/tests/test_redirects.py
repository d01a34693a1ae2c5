"""Old WordPress addresses keep working: staff point them at the new pages from the admin."""

from __future__ import annotations

import pytest
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site

pytestmark = pytest.mark.django_db


def test_an_old_wordpress_path_redirects_to_the_new_page(client):
    Redirect.objects.create(
        site=Site.objects.get_current(),
        old_path="/consultatie-belemmeringen-schaalsprong-smart-city/",
        new_path="/aanmelden/",
    )
    response = client.get("/consultatie-belemmeringen-schaalsprong-smart-city/")
    assert response.status_code == 301
    assert response["Location"] == "/aanmelden/"


def test_a_removed_old_path_answers_410(client):
    Redirect.objects.create(site=Site.objects.get_current(), old_path="/wp-login.php", new_path="")
    assert client.get("/wp-login.php").status_code == 410


def test_staff_manage_redirects_in_the_admin(admin_client):
    response = admin_client.get("/admin/redirects/redirect/add/")
    assert response.status_code == 200
