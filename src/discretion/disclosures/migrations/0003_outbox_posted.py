"""The print queue: when a letter released by post was posted, by whom, and its tracking number."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("disclosures", "0002_channels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="posted_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="posted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="postal_reference",
            field=models.CharField(
                blank=True, help_text="Tracked or recorded delivery number.", max_length=40
            ),
        ),
    ]
