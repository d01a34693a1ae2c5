from __future__ import annotations

import pytest
from django.urls import reverse

from core.tests.factories import make_staff
from resultaten.models import Publicatie

pytestmark = pytest.mark.slow

PUBLISH = "admin:resultaten_publicatie_publiceren"


def test_programmateam_publishes_with_the_admin_button(client, programmateam, findings):
    client.force_login(programmateam)

    changelist = client.get(reverse("admin:resultaten_publicatie_changelist")).content.decode()
    page = client.get(reverse(PUBLISH))
    response = client.post(reverse(PUBLISH), follow=True)

    assert f'href="{reverse(PUBLISH)}"' in changelist
    assert page.status_code == 200 and "Dit is de eerste publicatie" in page.content.decode()
    assert Publicatie.objects.get().published_by == programmateam
    assert "Versie 1 is gepubliceerd." in response.content.decode()


def test_publishing_again_without_changes_says_nothing_new(client, programmateam, published):
    client.force_login(programmateam)

    response = client.post(reverse(PUBLISH), follow=True)

    assert Publicatie.objects.count() == 1
    assert "gelijk aan versie 1" in response.content.decode()


@pytest.mark.parametrize("role", ["facilitator_a", "staff_without_group"])
def test_only_programme_staff_may_publish(client, request, findings, role):
    if role == "staff_without_group":
        user = make_staff("staff")
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)

    assert client.get(reverse(PUBLISH)).status_code == 403
    assert client.post(reverse(PUBLISH)).status_code == 403
    assert not Publicatie.objects.exists()


def test_anonymous_is_sent_to_the_login(client, findings):
    response = client.post(reverse(PUBLISH))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Publicatie.objects.exists()


def test_a_version_cannot_be_deleted_or_changed_in_the_admin(client, superuser, published):
    client.force_login(superuser)

    assert client.get(reverse("admin:resultaten_publicatie_change", args=[published.pk])).status_code == 200
    assert (
        client.post(reverse("admin:resultaten_publicatie_delete", args=[published.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Publicatie.objects.filter(pk=published.pk).exists()
