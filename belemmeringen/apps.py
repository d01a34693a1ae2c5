from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BelemmeringenConfig(AppConfig):
    name = "belemmeringen"
    verbose_name = _("Belemmeringen en behoeften")

    def ready(self) -> None:
        from belemmeringen.models import Subthema, Thema
        from core import pagecache

        # The home page shows the themes with their sub-topics.
        pagecache.watch(Thema)
        pagecache.watch(Subthema)
