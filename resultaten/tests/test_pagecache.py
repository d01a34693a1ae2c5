"""The results pages come from the page cache; a publication and a later change of a knelpunt's
follow-up make the stored pages stale at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from belemmeringen.services import change_knelpunt_status
from resultaten.services import publish

pytestmark = pytest.mark.slow


def test_publishing_replaces_the_stored_not_yet_published_page(
    client, findings, page_cache_on, django_capture_on_commit_callbacks
):
    assert "nog niet gepubliceerd" in client.get(reverse("resultaten:index")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        publish()

    assert findings.knelpunten["pilots"].title in client.get(reverse("resultaten:index")).content.decode()


def test_a_status_change_shows_at_once_on_the_cached_knelpunt_page(
    client, published, findings, page_cache_on, django_capture_on_commit_callbacks
):
    url = reverse("resultaten:knelpunt", args=[findings.knelpunten["pilots"].pk])
    client.get(url)  # stored

    with django_capture_on_commit_callbacks(execute=True):
        change_knelpunt_status(
            knelpunt=findings.knelpunten["pilots"], status="elders", explanation="Belegd bij de VNG."
        )

    assert "Belegd bij de VNG." in client.get(url).content.decode()
