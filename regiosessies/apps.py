from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegiosessiesConfig(AppConfig):
    name = "regiosessies"
    verbose_name = _("Regiosessies en aanmeldingen")
