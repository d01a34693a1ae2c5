from __future__ import annotations

import pytest

from rapportage.tests.factories import make_findings


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Rendered PDFs go to a throw-away MEDIA_ROOT per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def findings(session_a, session_b):
    return make_findings(session_a, session_b)
