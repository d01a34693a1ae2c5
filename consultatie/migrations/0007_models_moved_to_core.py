"""The outbox, contact messages, audit log and bulk mail now belong to `core` (core 0001 takes them over).

Only Django's state changes here; the tables are renamed by core 0002.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consultatie", "0006_mailing"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="MailingRecipient"),
                migrations.DeleteModel(name="Mailing"),
                migrations.DeleteModel(name="OutboxMessage"),
                migrations.DeleteModel(name="ContactBericht"),
                migrations.DeleteModel(name="AuditLog"),
            ],
        ),
    ]
