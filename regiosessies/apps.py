from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _invisible_registration(instance, *, created: bool) -> bool:
    """A new place on a waiting list changes nothing the pages show: the session was already full
    (seats left and "full, waiting list open" stay the same) and waiting lists are not shown. During
    a rush most registrations are these, so the cached pages stay valid through them."""
    return created and instance.status == instance.Status.WAITLISTED


class RegiosessiesConfig(AppConfig):
    name = "regiosessies"
    verbose_name = _("Regiosessies en aanmeldingen")

    def ready(self) -> None:
        from core import pagecache, privacy
        from regiosessies.models import Aanmelding, Regio, Regiosessie
        from regiosessies.privacy import Registrations

        # The public pages show sessions and their regions, and the seats left (from the registrations).
        # Many-to-many links are not shown (a registration's themes, a session's facilitators).
        pagecache.watch(Regio)
        pagecache.watch(Regiosessie)
        pagecache.watch(Aanmelding, ignore=_invisible_registration)
        # Registrations hold personal data: retention, and a person's search, export and erasure.
        privacy.register(Registrations())
