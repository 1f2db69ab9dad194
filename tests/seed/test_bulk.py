"""The council-sized seed builds in committed chunks with progress, and a build stopped part way
resumes where it stopped and makes exactly what an unbroken build makes."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.db import connection

from discretion import seed_bulk
from discretion.records.models import Case, Entry, Person, PersonName
from discretion.seed import Size

pytestmark = pytest.mark.django_db(transaction=True)

TINY = Size(children=30, entries_per_case=3, teams=3)


def _digest() -> str:
    h = hashlib.sha256()
    for model, fields in (
        (Person, ("id", "ref", "given_names", "family_name", "date_of_birth", "nhs_number")),
        (PersonName, ("person_id", "kind", "search_key")),
        (Case, ("id", "ref", "subject_id", "team_id", "opened_on")),
        (Entry, ("id", "case_id", "author_id", "occurred_on", "title", "text")),
    ):
        for row in model.objects.order_by(*fields).values_list(*fields):
            h.update(repr(row).encode())
    return h.hexdigest()


def _empty_database() -> None:
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {seed_bulk.PROGRESS_TABLE}")


def test_a_stopped_build_resumes_and_makes_what_an_unbroken_build_makes(monkeypatch):
    progress = io.StringIO()
    report = seed_bulk.build("large", TINY, 7, chunk_children=10, out=progress)
    assert report.children == 30 and report.entries == Entry.objects.count() > 30
    assert "chunk 3/3" in progress.getvalue() and "done in" in progress.getvalue()
    whole = _digest()
    with pytest.raises(ValueError, match="already holds people"):
        seed_bulk.build("large", TINY, 7, chunk_children=10, out=io.StringIO())

    _empty_database()
    real = seed_bulk._chunk

    def dies_in_the_second_chunk(k, *args, **kwargs):
        if k == 1:
            raise KeyboardInterrupt  # the process stopped
        return real(k, *args, **kwargs)

    monkeypatch.setattr(seed_bulk, "_chunk", dies_in_the_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        seed_bulk.build("large", TINY, 7, chunk_children=10, out=io.StringIO())
    assert Person.objects.filter(is_child=True).count() == 10  # the first chunk was kept
    with pytest.raises(ValueError, match="resume it with the same"):
        seed_bulk.build("large", TINY, 8, chunk_children=10, out=io.StringIO())
    monkeypatch.setattr(seed_bulk, "_chunk", real)
    resumed = io.StringIO()
    seed_bulk.build("large", TINY, 7, chunk_children=10, out=resumed)
    assert "resuming at chunk 2 of 3" in resumed.getvalue()
    assert _digest() == whole
    if connection.vendor == "postgresql":  # the deferred indexes and constraints are back
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = 'records_personname'")
            assert cursor.fetchone()[0] >= 4
            cursor.execute(
                "SELECT count(*) FROM pg_constraint WHERE conrelid = 'records_entry'::regclass AND contype = 'f'"
            )
            assert cursor.fetchone()[0] == 2
    _empty_database()
