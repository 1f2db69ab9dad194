"""Accepted events wait (seq NULL) for the sequencer; the trigger allows that one step only."""

import importlib

from django.db import migrations, models

_0002 = importlib.import_module("discretion.audit.migrations.0002_append_only")

# PostgreSQL: DELETE is always refused; an UPDATE only unless it is the sequencer's one step
# (an accepted event, no seq and no hash yet, given its place without any other change). The
# WHEN clause lets that step through without calling the function at all (a batch of thousands).
TRIGGER = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_no_delete
    BEFORE DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE ON audit_auditevent
    FOR EACH ROW
    WHEN (NOT (OLD.seq IS NULL AND OLD.hash = '' AND NEW.seq IS NOT NULL
               AND (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.object_type, NEW.object_id,
                    NEW.person_id, NEW.ip, NEW.session, NEW.reason, NEW.details)
                   IS NOT DISTINCT FROM
                   (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.object_type, OLD.object_id,
                    OLD.person_id, OLD.ip, OLD.session, OLD.reason, OLD.details)))
    EXECUTE FUNCTION audit_event_append_only();
"""
UNDO = """
DROP TRIGGER IF EXISTS audit_event_no_delete ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        # Altering the column rebuilt the table, which drops its triggers: put it back.
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_append_only")
        schema_editor.execute(_0002.SQLITE_TRIGGER)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNDO, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_append_only")
        schema_editor.execute(_0002.SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(
                help_text="Place in the chain; NULL until integrated.", null=True, unique=True
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor_id",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["actor_id", "id"], name="audit_actor_accepted_idx"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)), fields=["id"], name="audit_pending_idx"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
