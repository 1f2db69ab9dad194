"""Fuzzy person search: trigram similarity on PostgreSQL, phonetic keys everywhere.

Returns ids only; `discretion.access.search_people` decides what the searcher may see.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jellyfish
from django.contrib.postgres.search import TrigramDistance
from django.db import connection
from django.db.models import Q, QuerySet

from discretion.records.identifiers import name_key
from discretion.records.models import PersonName


def family_sound(name: str) -> str:
    """A phonetic key for a family name ("Walsh", "Welsh" → "WLX")."""
    key = name_key(name).replace(" ", "")
    return jellyfish.metaphone(key)[:32] if key else ""


def name_rows(given_names: str, family_name: str, kind: str) -> dict[str, str]:
    return {
        "kind": kind,
        "given_names": given_names,
        "family_name": family_name,
        "search_key": name_key(f"{given_names} {family_name}"),
        "family_sound": family_sound(family_name),
    }


def matching_person_ids(query: str, *, date_of_birth: dt.date | None = None, limit: int = 100) -> list[int]:
    """Ids of people whose name (any of their names) is like `query`, best first."""
    key = name_key(query)
    rows: QuerySet[Any, Any] = PersonName.objects.all()
    if date_of_birth is not None:
        rows = rows.filter(person__date_of_birth=date_of_birth)
    if not key:
        if date_of_birth is None:
            return []
        return list(dict.fromkeys(rows.order_by("person_id").values_list("person_id", flat=True)[:limit]))
    tokens = key.split()
    sounds = {family_sound(t) for t in tokens if len(t) > 1}
    candidates: list[tuple[int, str]]
    if connection.vendor == "postgresql":
        # Nearest names by trigram distance, read in order from the GiST index (records migration
        # 0003): fast top-k whatever the name's frequency, and it catches misspellings; plus
        # names that sound alike through the phonetic key's b-tree.
        nearest = (
            rows.annotate(distance=TrigramDistance("search_key", key))
            .order_by("distance")
            .values_list("person_id", "search_key")[: limit * 2]
        )
        sounding = rows.filter(family_sound__in=sounds).values_list("person_id", "search_key")[: limit * 2]
        candidates = [*nearest, *sounding]
    else:
        condition = Q(search_key__contains=key) | Q(family_sound__in=sounds)
        candidates = list(rows.filter(condition).values_list("person_id", "search_key")[: limit * 20])
    scores: dict[int, float] = {}
    for person_id, search_key in candidates:
        score = _score(key, tokens, search_key)
        if score > scores.get(person_id, 0.0):
            scores[person_id] = score
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [person_id for person_id, score in ranked if score >= 0.55][:limit]


def _score(key: str, tokens: list[str], candidate: str) -> float:
    whole = jellyfish.jaro_winkler_similarity(key, candidate)
    parts = candidate.split()
    # Each query word against its best-matching name word ("kaden walsh" ~ "kayden lee walsh").
    per_token = sum(max(jellyfish.jaro_winkler_similarity(t, p) for p in parts) for t in tokens) / len(tokens)
    return max(whole, per_token)
