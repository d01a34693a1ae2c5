from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Cross-cutting machinery every domain app builds on (mail, cache, security, privacy, audit log).

    It imports no domain app: a domain app registers what it adds (for instance which of its models make
    the public pages stale) from its own `AppConfig.ready()`.
    """

    name = "core"
    verbose_name = _("Portaal")

    def ready(self) -> None:
        from core import pagecache

        # Writes to what the public pages show make the cached pages stale.
        pagecache.connect_signals()
