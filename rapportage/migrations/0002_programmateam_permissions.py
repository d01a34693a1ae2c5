"""Programme staff may edit the report texts and see the rendered reports; the texts get their row.

Who may download a report is decided by regiosessies.permissions (is_programmateam); these model
permissions only open the admin pages for the group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "rapporttekst": ["view", "change"],
    "rapportrender": ["view"],
}


def grant(apps, schema_editor):
    # On a fresh database the post_migrate signal that creates permissions has not run yet.
    app_config = apps.get_app_config("rapportage")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Programmateam")
    codenames = [f"{action}_{model}" for model, actions in GRANTS.items() for action in actions]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="rapportage", codename__in=codenames))

    RapportTekst = apps.get_model("rapportage", "RapportTekst")
    if not RapportTekst.objects.exists():
        RapportTekst.objects.create()


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Programmateam"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="rapportage"))


class Migration(migrations.Migration):
    dependencies = [
        ("rapportage", "0001_initial"),
        ("belemmeringen", "0005_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
