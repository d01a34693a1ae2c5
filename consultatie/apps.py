from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultatieConfig(AppConfig):
    """The project package: settings, URLs, the site-wide pages, the contact form and `seed_demo`."""

    name = "consultatie"
    verbose_name = _("Consultatie")
