from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultatenConfig(AppConfig):
    name = "resultaten"
    verbose_name = _("Resultaten en open data")

    def ready(self) -> None:
        from resultaten import signals

        # A publication and a later change of a knelpunt's follow-up make the cached public pages stale.
        signals.connect_page_cache()
