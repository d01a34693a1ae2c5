from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from resultaten.models import Publicatie

pytestmark = pytest.mark.slow


def test_publish_results_prints_the_new_version_then_that_nothing_changed(findings):
    first, second = StringIO(), StringIO()

    call_command("publish_results", stdout=first)
    call_command("publish_results", stdout=second)

    assert "Versie 1 gepubliceerd" in first.getvalue()
    assert "5 knelpunten, 7 inbrengen, 8 open-databestanden" in first.getvalue()
    assert "Geen nieuwe versie: de gegevens zijn gelijk aan versie 1" in second.getvalue()
    assert Publicatie.objects.count() == 1


def test_publish_results_publishes_nothing_when_the_pdf_fails(findings, monkeypatch):
    from django.core.management.base import CommandError

    from core.pdf import RenderError

    def fail(html, **kwargs):
        raise RenderError("Het maken van de PDF is mislukt.")

    monkeypatch.setattr("resultaten.services.render_pdf", fail)

    with pytest.raises(CommandError, match="Niet gepubliceerd"):
        call_command("publish_results", stdout=StringIO())
    assert not Publicatie.objects.exists()
