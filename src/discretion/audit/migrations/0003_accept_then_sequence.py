"""Accepted events wait (seq NULL) for the sequencer; the trigger allows that one step only."""

import importlib

from django.db import migrations, models

_0002 = importlib.import_module("discretion.audit.migrations.0002_append_only")

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    -- The sequencer's one permitted change: an accepted event (no seq, no hash yet) is given
    -- its place in the chain; nothing it says can change on the way.
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND OLD.hash = '' AND NEW.seq IS NOT NULL
       AND (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.object_type, NEW.object_id, NEW.person_id,
            NEW.ip, NEW.session, NEW.reason, NEW.details)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.object_type, OLD.object_id, OLD.person_id,
            OLD.ip, OLD.session, OLD.reason, OLD.details) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
# The sequencer, in the database so one statement integrates a batch (audit/sequencer.py).
# The text it hashes is chain.canonical(): each field as PostgreSQL's COPY text writes it (NULL
# as \N; backslash, \b \f \n \r \t \v as backslash escapes), tab-separated, then a tab and
# the previous hash. chain.verify_lines recomputes every hash in Python from the rows' COPY
# output, so any difference between the two would fail verify (tests/audit run both engines).
INTEGRATE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION audit_copy_text(value text) RETURNS text AS $$
    SELECT CASE WHEN value IS NULL THEN E'\\N' ELSE
        replace(replace(replace(replace(replace(replace(replace(value,
            E'\\', E'\\\\'), chr(8), E'\\b'), chr(12), E'\\f'), chr(10), E'\\n'),
            chr(13), E'\\r'), chr(9), E'\\t'), chr(11), E'\\v')
    END
$$ LANGUAGE sql IMMUTABLE;

CREATE OR REPLACE FUNCTION audit_integrate(until_id bigint, max_batch integer)
RETURNS TABLE (status text, seq bigint, prev_hash text, hash text, head_seq bigint, head_hash text)
AS $$
DECLARE
    chain_lock CONSTANT bigint := 418581342580;  -- sequencer.CHAIN_LOCK
    head_row record;
    ev record;
    s bigint;
    prev text;
    digest text;
    ids bigint[] := '{}';
    seqs bigint[] := '{}';
    prevs text[] := '{}';
    hashes text[] := '{}';
    mine record;
BEGIN
    IF until_id IS NOT NULL THEN
        SELECT e.seq, e.prev_hash, e.hash INTO mine FROM audit_auditevent e WHERE e.id = until_id;
        IF NOT FOUND THEN
            RETURN QUERY SELECT 'gone'::text, NULL::bigint, NULL::text, NULL::text, NULL::bigint, NULL::text;
            RETURN;
        END IF;
        IF mine.seq IS NOT NULL THEN
            RETURN QUERY SELECT 'placed'::text, mine.seq, mine.prev_hash::text, mine.hash::text,
                NULL::bigint, NULL::text;
            RETURN;
        END IF;
    END IF;
    IF NOT pg_try_advisory_xact_lock(chain_lock) THEN
        RETURN QUERY SELECT 'busy'::text, NULL::bigint, NULL::text, NULL::text, NULL::bigint, NULL::text;
        RETURN;
    END IF;
    -- Read after taking the lock: each statement here sees what committed before it began.
    SELECT h.seq, h.hash INTO head_row FROM audit_chainhead h WHERE h.id = 1;
    IF NOT FOUND THEN
        INSERT INTO audit_chainhead (id, seq, hash) VALUES (1, 0, repeat('0', 64));
        s := 0;
        prev := repeat('0', 64);
    ELSE
        s := head_row.seq;
        prev := head_row.hash;
    END IF;
    FOR ev IN
        SELECT e.id, e.at, e.actor_id, e.action, e.object_type, e.object_id, e.person_id, e.ip,
               e.session, e.reason, e.details
        FROM audit_auditevent e WHERE e.seq IS NULL ORDER BY e.id LIMIT max_batch
    LOOP
        s := s + 1;
        digest := encode(sha256(convert_to(concat_ws(E'	',
            s::text, audit_copy_text(ev.at), audit_copy_text(ev.actor_id::text),
            audit_copy_text(ev.action), audit_copy_text(ev.object_type),
            audit_copy_text(ev.object_id), audit_copy_text(ev.person_id::text),
            audit_copy_text(ev.ip), audit_copy_text(ev.session), audit_copy_text(ev.reason),
            audit_copy_text(ev.details), prev), 'UTF8')), 'hex');
        ids := ids || ev.id;
        seqs := seqs || s;
        prevs := prevs || prev;
        hashes := hashes || digest;
        prev := digest;
    END LOOP;
    IF cardinality(ids) > 0 THEN
        UPDATE audit_auditevent AS e SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
        FROM unnest(ids, seqs, prevs, hashes) AS v(id, seq, prev_hash, hash) WHERE e.id = v.id;
        UPDATE audit_chainhead SET seq = s, hash = prev WHERE id = 1;
    END IF;
    IF until_id IS NOT NULL THEN
        SELECT e.seq, e.prev_hash, e.hash INTO mine FROM audit_auditevent e WHERE e.id = until_id;
        IF FOUND AND mine.seq IS NOT NULL THEN
            RETURN QUERY SELECT 'placed'::text, mine.seq, mine.prev_hash::text, mine.hash::text,
                CASE WHEN cardinality(ids) > 0 THEN s END, CASE WHEN cardinality(ids) > 0 THEN prev END;
            RETURN;
        END IF;
    END IF;
    RETURN QUERY SELECT
        CASE WHEN cardinality(ids) >= max_batch THEN 'more' ELSE 'done' END,
        NULL::bigint, NULL::text, NULL::text,
        CASE WHEN cardinality(ids) > 0 THEN s END, CASE WHEN cardinality(ids) > 0 THEN prev END;
END;
$$ LANGUAGE plpgsql;
"""
DROP_INTEGRATE = """
DROP FUNCTION IF EXISTS audit_integrate(bigint, integer);
DROP FUNCTION IF EXISTS audit_copy_text(text);
"""
OLD_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_FUNCTION, params=None)
        schema_editor.execute(INTEGRATE_FUNCTION, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        # Altering the column rebuilt the table, which drops its triggers: put it back.
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_append_only")
        schema_editor.execute(_0002.SQLITE_TRIGGER)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_INTEGRATE, params=None)
        schema_editor.execute(OLD_FUNCTION, params=None)
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
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)), fields=["id"], name="audit_pending_idx"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
