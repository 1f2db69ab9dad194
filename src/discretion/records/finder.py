"""The council's own data subjects as the personal-data finder knows them (policy 1.1).

Read here, beside the record models, in a few `values_list` queries: names, other names, current
and past addresses, NHS numbers and dates of birth, as `detect.Subject`s. The finder matches
outgoing text against them and returns findings, never records (outbound.subjects keeps the index).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Max

from discretion.detect import Address, Subject
from discretion.records.models import Address as AddressRow
from discretion.records.models import NameKind, Person, PersonName

# The models whose changes the finder's index follows (signals connected in OutboundConfig.ready).
PERSON_MODEL = Person
DETAIL_MODELS = (PersonName, AddressRow)


def person_table() -> str:
    return Person._meta.db_table


def _subject(row: tuple[Any, ...], aliases: list[str], addresses: list[Address]) -> Subject:
    _pk, ref, given, family, dob, nhs, is_child = row
    return Subject(
        ref=ref,
        family_name=family,
        given_names=given or "",
        aliases=tuple(aliases),
        dob=dob,
        addresses=tuple(addresses),
        nhs_number=nhs or None,
        is_child=bool(is_child),
    )


def load_subjects(person_ids: Iterable[int] | None = None) -> list[Subject]:
    """Every person on the records (or just `person_ids`) as finder subjects, in three queries."""
    people = Person.objects.order_by("id")
    names = PersonName.objects.exclude(kind=NameKind.LEGAL)
    addresses = AddressRow.objects.all()
    if person_ids is not None:
        ids = sorted(set(person_ids))
        people = people.filter(id__in=ids)
        names = names.filter(person_id__in=ids)
        addresses = addresses.filter(person_id__in=ids)
    aliases: dict[int, list[str]] = defaultdict(list)
    for person_id, given, family in names.values_list("person_id", "given_names", "family_name").iterator(
        chunk_size=5000
    ):
        aliases[person_id].append(f"{given} {family}".strip())
    homes: dict[int, list[Address]] = defaultdict(list)
    for person_id, line1, town, postcode in addresses.values_list(
        "person_id", "line1", "town", "postcode"
    ).iterator(chunk_size=5000):
        homes[person_id].append(Address(line1=line1, town=town or None, postcode=postcode or None))
    return [
        _subject(row, aliases.get(row[0], []), homes.get(row[0], []))
        for row in people.values_list(
            "id", "ref", "given_names", "family_name", "date_of_birth", "nhs_number", "is_child"
        ).iterator(chunk_size=5000)
    ]


def high_water() -> tuple[int, int, int]:
    """The highest person, name and address ids: what an index built now has loaded."""
    return (
        Person.objects.aggregate(m=Max("id"))["m"] or 0,
        PersonName.objects.aggregate(m=Max("id"))["m"] or 0,
        AddressRow.objects.aggregate(m=Max("id"))["m"] or 0,
    )


def people_changed_since(marks: tuple[int, int, int]) -> set[int]:
    """The people added, or given a new name or address, past these high-water marks."""
    person_id, name_id, address_id = marks
    changed: set[int] = set(Person.objects.filter(id__gt=person_id).values_list("id", flat=True))
    changed.update(PersonName.objects.filter(id__gt=name_id).values_list("person_id", flat=True))
    changed.update(AddressRow.objects.filter(id__gt=address_id).values_list("person_id", flat=True))
    return changed
