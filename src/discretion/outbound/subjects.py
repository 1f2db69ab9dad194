"""The finder's known subjects and staff, read from the records (policy 1.1: the council knows its own
data subjects, so it can recognise them in what staff are about to send).

- `load_subjects` / `load_staff` read the whole council in four `values_list` queries (no N+1): people,
  their other names (aliases, known-as, previous), their addresses (current and past: an old address still
  identifies a family), and active staff.
- `get_index()` is the process-wide `SubjectIndex`. It is kept fresh three ways:
  1. in this process, `post_save`/`post_delete` on Person, PersonName and Address upsert or remove the one
     person changed (connected in `OutboundConfig.ready`);
  2. people, names and addresses added by OTHER processes (web workers, the seed, imports) are picked up on
     the next `get_index()` by an id-range query past the highest id already loaded;
  3. edits made elsewhere (a surname corrected in another process) are caught by a full rebuild once the
     index is older than `OUTBOUND_INDEX_MAX_AGE` seconds (default 600).
  A staff change marks the index stale (rebuilt on next use): staff names are allow-list data, built once.

Django models are imported inside functions so that `subjects_provider` can set Django up first: the pure
`discretion scan` command imports this module without Django configured.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings

from discretion.bootstrap import database_has_table, setup_django
from discretion.detect import DEFAULT_CASE_REF_PATTERNS, StaffMember, Subject, SubjectIndex
from discretion.errors import InvalidInput

if TYPE_CHECKING:
    from discretion.detect.cli import KnownPeople

DEFAULT_INDEX_MAX_AGE = 600.0


def load_subjects(person_ids: Iterable[int] | None = None) -> list[Subject]:
    """Every person on the records (or just `person_ids`) as finder subjects (records.finder)."""
    from discretion.records import finder

    return finder.load_subjects(person_ids)


def load_staff() -> list[StaffMember]:
    """Active staff: their names and e-mail addresses in a signature are not service-user data."""
    from discretion.staff.models import Staff

    return [
        StaffMember(family_name=last, given_names=first, email=email or None)
        for first, last, email in Staff.objects.filter(is_active=True)
        .exclude(last_name="")
        .values_list("first_name", "last_name", "email")
    ]


def allow_list() -> list[str]:
    """Configured allow-list entries plus the council's own phone numbers (not service-user data)."""
    return [*getattr(settings, "OUTBOUND_ALLOW_LIST", []), *getattr(settings, "COUNCIL_PHONES", [])]


def build_index() -> SubjectIndex:
    return SubjectIndex(
        load_subjects(),
        load_staff(),
        allow_list=allow_list(),
        council_addresses=getattr(settings, "COUNCIL_ADDRESSES", []),
        case_ref_patterns=getattr(settings, "OUTBOUND_CASE_REF_PATTERNS", DEFAULT_CASE_REF_PATTERNS),
    )


class _Cache:
    """The process-wide index and the high-water marks of what it has loaded."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.index: SubjectIndex | None = None
        self.built_at = 0.0
        self.max_person_id = 0
        self.max_name_id = 0
        self.max_address_id = 0


_cache = _Cache()


def _high_water() -> tuple[int, int, int]:
    from discretion.records import finder

    return finder.high_water()


def _catch_up(index: SubjectIndex) -> None:
    """Upsert people added (or given a new name or address) by other processes since the last look."""
    from discretion.records import finder

    changed = finder.people_changed_since((_cache.max_person_id, _cache.max_name_id, _cache.max_address_id))
    if not changed:
        return
    for subject in load_subjects(changed):
        index.upsert(subject)
    _cache.max_person_id, _cache.max_name_id, _cache.max_address_id = _high_water()


def get_index() -> SubjectIndex:
    """The process-wide index: built on first use, caught up on every use, rebuilt when old."""
    max_age = float(getattr(settings, "OUTBOUND_INDEX_MAX_AGE", DEFAULT_INDEX_MAX_AGE))
    with _cache.lock:
        if _cache.index is None or time.monotonic() - _cache.built_at > max_age:
            marks = _high_water()
            _cache.index = build_index()
            _cache.built_at = time.monotonic()
            _cache.max_person_id, _cache.max_name_id, _cache.max_address_id = marks
        else:
            _catch_up(_cache.index)
        return _cache.index


def reset_index() -> None:
    """Forget the cached index (tests; after a bulk import): the next use rebuilds it."""
    with _cache.lock:
        _cache.index = None


def refresh_person(person_id: int) -> None:
    """Re-read one person into the cached index (a record of theirs changed). No-op before first use."""
    with _cache.lock:
        index = _cache.index
        if index is None:
            return
        subjects = load_subjects([person_id])
        if subjects:
            index.upsert(subjects[0])


def forget_person(ref: str) -> None:
    with _cache.lock:
        if _cache.index is not None:
            _cache.index.remove(ref)


# --- signal receivers (connected in OutboundConfig.ready) --------------------------------------


def person_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    refresh_person(instance.pk)


def person_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    forget_person(instance.ref)


def person_detail_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A name or address was added, changed or deleted: re-read its person (gone: nothing to do,
    the person's own post_delete removes them)."""
    refresh_person(instance.person_id)


_STAFF_FIELDS = frozenset({"first_name", "last_name", "email", "is_active"})


def staff_changed(sender: Any, **kwargs: Any) -> None:
    # Every sign-in saves last_login: only a change to what the index holds forces a rebuild.
    update_fields = kwargs.get("update_fields")
    if update_fields is None or _STAFF_FIELDS & set(update_fields):
        reset_index()


# --- the `discretion scan` default source ------------------------------------------------------


def subjects_provider(as_user: str | None = None) -> KnownPeople:
    """Known people and staff from the database, for `discretion scan` without --subjects. The person
    asking (`--as`) must be a current, unsupervised member of staff; each scan is audited as theirs,
    naming whoever it matched, and findings about people they have no relationship to are masked
    (outbound/finder_access.py). With no council database set up, patterns only (nothing to read)."""
    from discretion.detect.cli import KnownPeople

    setup_django()
    from django.db import DatabaseError

    from discretion import access
    from discretion.outbound import finder_access
    from discretion.records import finder

    if not database_has_table(finder.person_table()):
        return KnownPeople()  # no council database set up: no known people, patterns only
    try:
        actor = finder_access.scanner(as_user)
        subjects, staff = load_subjects(), load_staff()
    except (LookupError, access.NotPermitted) as exc:
        access.flush_pending_refusals()
        raise InvalidInput(str(exc)) from None
    except DatabaseError as exc:
        raise InvalidInput(
            f"cannot read known people from the database ({exc.__class__.__name__}); "
            "run `discretion manage migrate` or give --subjects FILE"
        ) from None

    def record(refs: list[str]) -> None:
        finder_access.record_check(actor, refs, via="cli", object_type="scan")

    def related(refs: Collection[str]) -> frozenset[str]:
        return finder_access.related_refs(actor, refs)

    return KnownPeople(subjects, staff, record=record, related=related)
