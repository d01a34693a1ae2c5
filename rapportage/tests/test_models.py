from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from rapportage.models import RapportRender, RapportTekst

pytestmark = pytest.mark.django_db


def test_load_returns_unsaved_defaults_when_the_row_is_gone():
    RapportTekst.objects.all().delete()
    tekst = RapportTekst.load()
    assert tekst.pk is None
    assert tekst.title == "Belemmeringen schaalsprong Smart City"
    assert RapportTekst.objects.count() == 0  # reading never writes


def test_programmateam_holds_the_report_permissions():
    # Granted by core.permissions.ROLE_PERMISSIONS, synced to the group on every migrate.
    group = Group.objects.get(name="Programmateam")
    codenames = set(group.permissions.filter(content_type__app_label="rapportage").values_list("codename", flat=True))
    assert codenames == {
        "view_rapporttekst",
        "change_rapporttekst",
        "view_rapportrender",
        "add_programmaonderdeel",
        "change_programmaonderdeel",
        "delete_programmaonderdeel",
        "view_programmaonderdeel",
    }


def test_ready_for_only_finds_finished_renders_with_a_file():
    RapportRender.objects.create(fingerprint="a" * 64, status=RapportRender.Status.PENDING)
    RapportRender.objects.create(fingerprint="a" * 64, status=RapportRender.Status.DONE)  # no file
    assert not RapportRender.objects.ready_for("a" * 64).exists()
    assert RapportRender.objects.pending_for("a" * 64).count() == 1
