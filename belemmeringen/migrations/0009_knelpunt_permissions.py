"""Programme staff group knelpunten: grant the group `Programmateam` the knelpunt permissions.

Migration 0005 granted the group every belemmeringen permission that existed then; the Knelpunt
models came later (0007), so their permissions are added here. Facilitators get none: they do not
group, and the admin also asks regiosessies.permissions.is_programmateam (both must say yes).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["knelpunt", "knelpuntstatuswijziging"]


def _ensure_permissions(apps):
    # On a fresh database the post_migrate signal that creates permissions has not run yet.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(Group, Permission):
    """Idempotent; tests call it after a flush, like 0005's grant."""
    programmateam, _ = Group.objects.get_or_create(name="Programmateam")
    programmateam.permissions.add(
        *Permission.objects.filter(content_type__app_label="belemmeringen", content_type__model__in=MODELS)
    )


def forwards(apps, schema_editor):
    _ensure_permissions(apps)
    grant(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Programmateam"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="belemmeringen", content_type__model__in=MODELS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("belemmeringen", "0008_english_names"),
        ("belemmeringen", "0005_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
