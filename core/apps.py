from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Cross-cutting machinery every domain app builds on (mail, cache, security, privacy, audit log).

    It imports no domain app: a domain app registers what it adds (for instance which of its models make
    the public pages stale) from its own `AppConfig.ready()`.
    """

    name = "core"
    verbose_name = _("Berichten en privacy")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from core.permissions import sync_role_groups_after_migrate

        # The role groups get exactly the permissions core.permissions.ROLE_PERMISSIONS declares.
        post_migrate.connect(sync_role_groups_after_migrate, sender=self, dispatch_uid="core.sync_role_groups")
