from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrioriteringConfig(AppConfig):
    name = "prioritering"
    verbose_name = _("Prioriteringsronde")
