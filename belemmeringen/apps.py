from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BelemmeringenConfig(AppConfig):
    name = "belemmeringen"
    verbose_name = _("Belemmeringen en behoeften")
