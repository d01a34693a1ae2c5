"""The site-wide records move from the `consultatie` app to `core` without touching their rows.

The tables stay where they are (this migration only takes the models over in Django's state; 0002 renames
the tables), and the content types move with them, so admin history and group permissions keep pointing
at the same rows.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["outboxmessage", "contactbericht", "auditlog", "mailing", "mailingrecipient"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label="core", model__in=MOVED).exists():
        return
    ContentType.objects.using(db).filter(app_label="consultatie", model__in=MOVED).update(app_label="core")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="core", model__in=MOVED).update(app_label="consultatie")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("consultatie", "0006_mailing"),
        ("contenttypes", "0002_remove_content_type_name"),
        ('regiosessies', '0005_english_text_and_reminder'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ContactBericht',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='naam')),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mailadres')),
                        ('subject', models.CharField(max_length=200, verbose_name='onderwerp')),
                        ('message', models.TextField(max_length=5000, verbose_name='bericht')),
                        ('created', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='ontvangen op')),
                        ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='afgehandeld op')),
                    ],
                    options={
                        'verbose_name': 'contactbericht',
                        'verbose_name_plural': 'contactberichten',
                        'db_table': 'consultatie_contactbericht',
                        'ordering': ['-created', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='AuditLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('actor_username', models.CharField(blank=True, max_length=150, verbose_name='gebruikersnaam')),
                        ('action', models.CharField(choices=[('export', 'export'), ('view', 'inzage'), ('erase', 'verwijdering')], db_index=True, max_length=20, verbose_name='handeling')),
                        ('what', models.CharField(max_length=300, verbose_name='wat')),
                        ('record_count', models.PositiveIntegerField(default=0, verbose_name='aantal records')),
                        ('subject_hash', models.CharField(blank=True, db_index=True, max_length=128, verbose_name='betrokkene (hash van e-mailadres)')),
                        ('created', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='tijdstip')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='medewerker')),
                    ],
                    options={
                        'verbose_name': 'auditregel',
                        'verbose_name_plural': 'auditlog',
                        'db_table': 'consultatie_auditlog',
                        'ordering': ['-created', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Mailing',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40, verbose_name='soort')),
                        ('key', models.CharField(max_length=100, verbose_name='sleutel')),
                        ('template', models.CharField(max_length=100, verbose_name='sjabloon')),
                        ('render_with', models.CharField(help_text='Functie die per ontvanger de inhoud en kopregels opmaakt.', max_length=200, verbose_name='opgemaakt door')),
                        ('data', models.JSONField(blank=True, default=dict, verbose_name='gegevens')),
                        ('created', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='aangemaakt')),
                    ],
                    options={
                        'verbose_name': 'verzending',
                        'verbose_name_plural': 'verzendingen',
                        'db_table': 'consultatie_mailing',
                        'ordering': ['-created', '-id'],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'key'), name='mailing_unique_kind_key')],
                    },
                ),
                migrations.CreateModel(
                    name='OutboxMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('recipient', models.EmailField(max_length=254, verbose_name='ontvanger')),
                        ('reply_to', models.EmailField(blank=True, max_length=254, verbose_name='antwoorden aan')),
                        ('subject', models.CharField(blank=True, max_length=300, verbose_name='onderwerp')),
                        ('body_text', models.TextField(blank=True, verbose_name='tekst')),
                        ('body_html', models.TextField(blank=True, verbose_name='HTML')),
                        ('attachments', models.JSONField(blank=True, default=list, help_text='Lijst van bijlagen als tekst: bestandsnaam, inhoud en MIME-type.', verbose_name='bijlagen')),
                        ('template', models.CharField(blank=True, db_index=True, max_length=100, verbose_name='soort bericht')),
                        ('language', models.CharField(blank=True, help_text='Taal waarin het bericht wordt opgesteld.', max_length=10, verbose_name='taal')),
                        ('render_with', models.CharField(blank=True, help_text='Functie die de inhoud opmaakt als het bericht pas na de transactie wordt opgemaakt.', max_length=200, verbose_name='opgemaakt door')),
                        ('status', models.CharField(choices=[('pending', 'wacht op verzending'), ('sending', 'wordt verzonden'), ('sent', 'verzonden'), ('failed', 'mislukt, wordt opnieuw geprobeerd')], db_index=True, default='pending', max_length=20, verbose_name='status')),
                        ('attempts', models.PositiveIntegerField(default=0, verbose_name='aantal pogingen')),
                        ('last_error', models.TextField(blank=True, verbose_name='laatste foutmelding')),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='volgende poging na')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='verzending gestart op')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='verzonden op')),
                        ('created', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='aangemaakt')),
                        ('aanmelding', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='berichten', to='regiosessies.aanmelding', verbose_name='aanmelding')),
                    ],
                    options={
                        'verbose_name': 'uitgaand bericht',
                        'verbose_name_plural': 'uitgaande berichten',
                        'db_table': 'consultatie_outboxmessage',
                        'ordering': ['-created', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='MailingRecipient',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='e-mailadres')),
                        ('language', models.CharField(blank=True, max_length=10, verbose_name='taal')),
                        ('context', models.JSONField(blank=True, default=dict, help_text='Wat de opmaakfunctie per ontvanger nodig heeft.', verbose_name='gegevens voor dit bericht')),
                        ('status', models.CharField(choices=[('pending', 'wacht op verzending'), ('sending', 'wordt verzonden'), ('sent', 'verzonden'), ('failed', 'mislukt, wordt opnieuw geprobeerd')], db_index=True, default='pending', max_length=20, verbose_name='status')),
                        ('attempts', models.PositiveIntegerField(default=0, verbose_name='aantal pogingen')),
                        ('last_error', models.TextField(blank=True, verbose_name='laatste foutmelding')),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='volgende poging na')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='verzending gestart op')),
                        ('sent_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='verzonden op')),
                        ('created', models.DateTimeField(auto_now_add=True, verbose_name='aangemaakt')),
                        ('mailing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recipients', to='core.mailing', verbose_name='verzending')),
                    ],
                    options={
                        'verbose_name': 'ontvanger',
                        'verbose_name_plural': 'ontvangers',
                        'db_table': 'consultatie_mailingrecipient',
                        'ordering': ['mailing', 'id'],
                        'indexes': [models.Index(fields=['mailing', 'status'], name='mailingrecipient_progress')],
                        'constraints': [models.UniqueConstraint(fields=('mailing', 'email'), name='mailing_one_row_per_address')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
