# Written by hand (uxpublic): only the English text fields of Thema and Subthema, and the English
# names of the seeded themes. Another helper's model changes in this app get their own migration.

from django.db import migrations, models

# English for the themes and sub-topics seeded by 0003_seed_themas (belemmeringen/reference.py),
# the same wording the catalogue had for them. Rows renamed in the admin since are left alone.
ENGLISH = {
    "organisatie": (
        "Organisation",
        "How an organisation learns from earlier pilots, where Smart City finds its place and what knowledge and "
        "skills are needed.",
        {
            "Inzicht in ervaringen uit pilots": "Insight into experience from pilots",
            "Plaats in de organisatie / opgavegericht werken": "Place in the organisation / mission-driven working",
            "Competenties en vaardigheden": "Competences and skills",
        },
    ),
    "financiering": (
        "Funding",
        "How innovation fits into the current budget, whether costs can be shared and how a joint demand comes "
        "about.",
        {
            "Budgetallocatie binnen de lopende begroting": "Budget allocation within the current budget",
            "Cofinanciering": "Co-financing",
            "Use cases en vraagbundeling": "Use cases and pooled demand",
        },
    ),
    "juridisch": (
        "Legal",
        "Which forms of cooperation, data rules and ways of procuring enable scaling up or hold it back.",
        {
            "Nieuwe samenwerkingsvormen": "New forms of cooperation",
            "Dataprotectie": "Data protection",
            "Aanbesteden van innovatie": "Procuring innovation",
        },
    ),
    "technisch": (
        "Technical",
        "Which standards are needed and whether facilities are set up centrally or locally.",
        {"Standaarden": "Standards", "Centraal of decentraal": "Central or decentral"},
    ),
}


def fill_english(apps, schema_editor):
    Thema = apps.get_model("belemmeringen", "Thema")
    Subthema = apps.get_model("belemmeringen", "Subthema")
    for slug, (name, description, subthemas) in ENGLISH.items():
        Thema.objects.filter(slug=slug, name_en="").update(name_en=name, description_en=description)
        for dutch, english in subthemas.items():
            Subthema.objects.filter(thema__slug=slug, name=dutch, name_en="").update(name_en=english)


class Migration(migrations.Migration):

    dependencies = [
        ("belemmeringen", "0007_knelpunt"),
    ]

    operations = [
        migrations.AddField(
            model_name="thema",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="naam (Engels)"),
        ),
        migrations.AddField(
            model_name="thema",
            name="description_en",
            field=models.TextField(blank=True, verbose_name="toelichting (Engels)"),
        ),
        migrations.AddField(
            model_name="subthema",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="naam (Engels)"),
        ),
        migrations.RunPython(fill_english, migrations.RunPython.noop),
    ]
