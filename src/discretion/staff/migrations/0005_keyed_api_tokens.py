"""API tokens are stored as digests keyed by DISCRETION_LINK_KEY. A token stored before as an
unkeyed SHA-256 cannot be re-keyed without the token itself, so it is revoked: issue a new one
(discretion.staff.tokens.issue_api_token)."""

from django.db import migrations


def revoke_unkeyed_tokens(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("staff", "ApiToken").objects.update(revoked=True)


class Migration(migrations.Migration):
    dependencies = [("staff", "0004_case_shares_and_alert_kinds")]

    operations = [
        migrations.RenameField("apitoken", "token_sha256", "token_digest"),
        migrations.RunPython(revoke_unkeyed_tokens, migrations.RunPython.noop),
    ]
