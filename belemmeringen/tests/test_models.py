"""Validation of findings and the shared-need rule (the role groups: regiosessies/tests/test_roles.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from belemmeringen.models import Behoefte, Belemmering, Subthema, Thema
from belemmeringen.tests.factories import make_belemmering

pytestmark = pytest.mark.django_db


def test_subthema_of_other_thema_is_invalid(session_a):
    obj = Belemmering(
        session=session_a,
        thema=Thema.objects.get(name="Technisch"),
        subthema=Subthema.objects.get(name="Cofinanciering"),
        title="Verkeerd",
        level="lokaal",
        dimension="verticaal",
    )
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert excinfo.value.message_dict == {"subthema": ["Dit subthema hoort niet bij het gekozen thema."]}


def test_negative_recognised_count_is_invalid(session_a):
    obj = Belemmering(
        session=session_a,
        thema=Thema.objects.get(name="Technisch"),
        title="Min",
        level="lokaal",
        dimension="verticaal",
        recognised_by=-1,
    )
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert "recognised_by" in excinfo.value.message_dict


def test_reference_themes_and_subthemes_are_seeded():
    assert list(Thema.objects.values_list("name", flat=True)) == [
        "Organisatie",
        "Financiering",
        "Juridisch",
        "Technisch",
    ]
    assert Subthema.objects.count() == 11


def test_need_editable_by_creator_while_only_own_sessions_use_it(facilitator_a, session_a, session_b, behoefte):
    behoefte.created_by = facilitator_a
    behoefte.save()
    make_belemmering(session_a).behoeften.add(behoefte)
    assert list(Behoefte.objects.editable_by(facilitator_a)) == [behoefte]
    make_belemmering(session_b).behoeften.add(behoefte)
    assert list(Behoefte.objects.editable_by(facilitator_a)) == []


def test_need_editable_by_programme_staff_and_not_by_others(programmateam, facilitator_b, behoefte):
    assert list(Behoefte.objects.editable_by(programmateam)) == [behoefte]
    assert list(Behoefte.objects.editable_by(facilitator_b)) == []
