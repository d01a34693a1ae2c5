from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultatieConfig(AppConfig):
    name = "consultatie"
    verbose_name = _("Consultatie")

    def ready(self) -> None:
        from consultatie import pagecache

        # Writes to what the public pages show make the cached pages stale.
        pagecache.connect_signals()
