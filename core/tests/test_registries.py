"""What the domain apps register with core from their AppConfig.ready(): the models whose writes make
the public pages stale, and the personal data the purge and a person's requests cover."""

from __future__ import annotations

from belemmeringen.models import Subthema, Thema
from core import pagecache, privacy
from regiosessies.models import Aanmelding, Regio, Regiosessie
from regiosessies.privacy import Registrations


def test_the_page_cache_watches_what_the_public_pages_show():
    assert set(pagecache._ignored_writes) == {Regio, Regiosessie, Aanmelding, Thema, Subthema}
    # Only a new place on a waiting list is a write the pages do not show.
    invisible = pagecache._ignored_writes[Aanmelding]
    assert invisible(Aanmelding(status=Aanmelding.Status.WAITLISTED), created=True)
    assert not invisible(Aanmelding(status=Aanmelding.Status.WAITLISTED), created=False)
    assert not invisible(Aanmelding(status=Aanmelding.Status.CONFIRMED), created=True)


def test_the_registrations_are_the_personal_data_a_domain_app_holds():
    assert [type(source) for source in privacy.sources()] == [Registrations]
