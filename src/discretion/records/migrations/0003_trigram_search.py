"""PostgreSQL only: a GiST trigram index for fuzzy name search (pg_trgm nearest-neighbour)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS records_personname_search_trgm "
            "ON records_personname USING gist (search_key gist_trgm_ops)"
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS records_personname_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("records", "0002_initial")]
    operations = [TrigramExtension(), migrations.RunPython(forwards, backwards)]
