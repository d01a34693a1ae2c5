from django.db import migrations

from belemmeringen.reference import THEMAS


def seed(apps, schema_editor):
    Thema = apps.get_model("belemmeringen", "Thema")
    Subthema = apps.get_model("belemmeringen", "Subthema")
    for order, data in enumerate(THEMAS, start=1):
        thema, _ = Thema.objects.update_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "description": data["description"], "order": order},
        )
        for sub_order, name in enumerate(data["subthemas"], start=1):
            Subthema.objects.update_or_create(thema=thema, name=name, defaults={"order": sub_order})


class Migration(migrations.Migration):
    dependencies = [("belemmeringen", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
