from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultatieConfig(AppConfig):
    name = "consultatie"
    verbose_name = _("Consultatie")
