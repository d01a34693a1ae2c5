from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerugkoppelingConfig(AppConfig):
    """Telling participants what became of their input: the results email on publication, the
    follow-up digest, and unsubscribing. Content lives here; the sending is consultatie's bulk mail."""

    name = "terugkoppeling"
    verbose_name = _("Terugkoppeling aan deelnemers")

    def ready(self) -> None:
        from resultaten.signals import results_published
        from terugkoppeling.services import on_results_published

        results_published.connect(on_results_published, dispatch_uid="terugkoppeling-results-email")
