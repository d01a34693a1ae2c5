"""Programme staff open, follow and close prioritisation rounds in the admin.

Who sees the round admin is decided by regiosessies.permissions (ProgrammateamOnlyMixin); these model
permissions keep the group's rights complete, as for the other apps (belemmeringen 0005_groups).
Ballots and invitations get no admin and no permission: nobody looks at one person's points.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"ronde": ["view", "add", "change"]}


def grant(apps, schema_editor):
    # On a fresh database the post_migrate signal that creates permissions has not run yet.
    app_config = apps.get_app_config("prioritering")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Programmateam")
    codenames = [f"{action}_{model}" for model, actions in GRANTS.items() for action in actions]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="prioritering", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Programmateam"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="prioritering"))


class Migration(migrations.Migration):
    dependencies = [
        ("prioritering", "0001_initial"),
        ("belemmeringen", "0005_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
