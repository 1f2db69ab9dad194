"""The chain head row, and on PostgreSQL a trigger that refuses UPDATE and DELETE on events."""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


# SQLite: UPDATE is refused too. DELETE stays possible there only because Django's test
# teardown empties tables with DELETE; production runs on PostgreSQL, where both are refused.
SQLITE_TRIGGER = """
CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("audit", "ChainHead").objects.get_or_create(id=1)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_append_only")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
