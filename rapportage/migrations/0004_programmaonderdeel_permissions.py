"""Programme staff write the programme proposal: they may add, change, delete and view its items."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_programmaonderdeel", "change_programmaonderdeel", "delete_programmaonderdeel", "view_programmaonderdeel"]


def grant(apps, schema_editor):
    # On a fresh database the post_migrate signal that creates permissions has not run yet.
    app_config = apps.get_app_config("rapportage")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Programmateam")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="rapportage", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Programmateam"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="rapportage", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("rapportage", "0003_chapters_and_programme")]

    operations = [migrations.RunPython(grant, revoke)]
