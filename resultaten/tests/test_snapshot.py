from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapportage.tests.factories import make_many_obstacles
from resultaten import snapshot


def _queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        snapshot.build_snapshot()
    return len(captured)


def test_building_the_snapshot_takes_the_same_queries_for_ten_times_the_data(findings):
    small = _queries()
    make_many_obstacles([findings.noord, findings.zuid], 200, knelpunten=30)

    assert _queries() == small


def test_the_snapshot_holds_no_registrant_and_no_user(findings, facilitator_a):
    from belemmeringen.models import Behoefte, Belemmering, Knelpunt
    from resultaten.tests.conftest import PERSONAL

    for model in (Belemmering, Behoefte, Knelpunt):
        model.objects.update(created_by=facilitator_a)  # who typed it is not published either
    text = str(snapshot.build_snapshot())

    for value in [*PERSONAL, facilitator_a.username]:
        assert value not in text


def test_same_data_gives_the_same_fingerprint_whatever_the_report_date(findings):
    data = snapshot.build_snapshot()
    today = {"texts": {"title": "Rapport", "publication_date": "2026-11-29"}}
    tomorrow = {"texts": {"title": "Rapport", "publication_date": "2026-11-30"}}

    assert snapshot.fingerprint(data, today) == snapshot.fingerprint(data, tomorrow)
    assert snapshot.fingerprint(data, today) != snapshot.fingerprint(data, {"texts": {"title": "Anders"}})
