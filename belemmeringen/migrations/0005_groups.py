"""The two staff groups and their model permissions.

Which sessions a facilitator sees is NOT decided here but by regiosessies.permissions; these
permissions only say which kinds of rows each group may view, add or change at all.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FACILITATOR = {
    "belemmeringen": {
        "belemmering": ["view", "add", "change"],
        "behoefte": ["view", "add", "change", "delete"],  # delete: only its own, see BehoefteAdmin
        "lichtmastantwoord": ["view", "add", "change"],
        "lichtmastbevinding": ["view", "add", "change"],
        "thema": ["view"],
        "subthema": ["view"],
        "sessiebevindingen": ["view", "change"],
    },
    "regiosessies": {
        "aanmelding": ["view", "change"],
        "regiosessie": ["view"],
    },
}
PROGRAMMATEAM_APPS = ["regiosessies", "belemmeringen"]


def _ensure_permissions(apps):
    # On a fresh database the post_migrate signal that creates permissions has not run yet.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_groups(apps, schema_editor):
    _ensure_permissions(apps)
    grant(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def grant(Group, Permission):
    """Create both groups and give them their permissions (idempotent; tests call it after a flush)."""
    facilitator, _ = Group.objects.get_or_create(name="Facilitator")
    codenames = [
        (app_label, f"{action}_{model}")
        for app_label, models in FACILITATOR.items()
        for model, actions in models.items()
        for action in actions
    ]
    perms = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in codenames
    ]
    facilitator.permissions.add(*perms)

    programmateam, _ = Group.objects.get_or_create(name="Programmateam")
    programmateam.permissions.add(*Permission.objects.filter(content_type__app_label__in=PROGRAMMATEAM_APPS))


def remove_groups(apps, schema_editor):
    # The groups may have gained members and other apps' permissions; only take back what we granted.
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=["Facilitator", "Programmateam"]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label__in=PROGRAMMATEAM_APPS))


class Migration(migrations.Migration):
    dependencies = [
        ("belemmeringen", "0004_sessiebevindingen"),
        ("regiosessies", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
