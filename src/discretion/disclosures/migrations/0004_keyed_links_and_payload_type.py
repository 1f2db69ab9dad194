"""Secure links keep only a salt and keyed digests; outbox bodies no longer carry the link; each
released file records its type.

Links made before this migration had a random token written in clear into the outbox body and an
unsalted SHA-256 of the code; neither can be turned into keyed digests, so they are withdrawn, the
clear link is removed from every body, and a secure-link message still waiting to go is stopped
(it would carry a dead link): release again to send a new one.
"""

import re

from django.db import migrations, models

CLEAR_LINK = re.compile(r"(?:https?://[^\s/]+)?/disclosures/download/[A-Za-z0-9_-]+/?")
STOPPED = "Withdrawn when download links became keyed (migration 0004): release again to send a new link."


def withdraw_clear_links(apps, schema_editor):  # type: ignore[no-untyped-def]
    from discretion.disclosures.files import content_type_for

    SecureLink = apps.get_model("disclosures", "SecureLink")
    OutboxMessage = apps.get_model("disclosures", "OutboxMessage")
    for link in SecureLink.objects.all().iterator():
        link.revoked = True
        link.token_digest = f"withdrawn-{link.pk}"
        link.code_digest = ""
        link.save(update_fields=["revoked", "token_digest", "code_digest"])
    for message in OutboxMessage.objects.all().iterator():
        fields = ["payload_type"]
        message.payload_type = content_type_for(message.payload_name, bytes(message.payload))
        if CLEAR_LINK.search(message.body):
            message.body = CLEAR_LINK.sub("[withdrawn link]", message.body)
            fields.append("body")
        if message.channel == "secure_link" and message.status != "sent":
            message.status, message.attempts, message.last_error = "failed", 10, STOPPED
            fields += ["status", "attempts", "last_error"]
        message.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0003_outbox_posted")]

    operations = [
        migrations.RenameField("securelink", "token_sha256", "token_digest"),
        migrations.RenameField("securelink", "code_sha256", "code_digest"),
        migrations.AddField(
            model_name="securelink", name="salt", field=models.CharField(blank=True, max_length=64)
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="payload_type",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.RunPython(withdraw_clear_links, migrations.RunPython.noop),
    ]
