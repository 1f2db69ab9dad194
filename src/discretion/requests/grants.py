"""Need-to-know grants that a request gives its handler (for `discretion.access` to consult).

Imports only models, so `access` can import it without a cycle. The handler of an approved
request (approved or preparing the release) may read the records of the people it is about, to
choose what to release (policy 2.3–2.4: need to know, for this request only). The grant ends when
the request is released, refused or closed.
"""

from __future__ import annotations

from django.db.models import QuerySet

from discretion.records.models import CaseMember
from discretion.requests.models import RequestSubject, State

GRANTING_STATES = (State.APPROVED, State.PREPARING)


def request_grants(actor_id: int, person_id: int) -> bool:
    """May `actor_id` read person `person_id` because they handle an approved request about them?"""
    return RequestSubject.objects.filter(
        person_id=person_id, request__handler_id=actor_id, request__state__in=GRANTING_STATES
    ).exists()


def request_case_ids(actor_id: int) -> QuerySet[CaseMember, int]:
    """Ids of the cases the actor's approved requests give them a need to know."""
    people = RequestSubject.objects.filter(
        request__handler_id=actor_id, request__state__in=GRANTING_STATES
    ).values("person_id")
    return CaseMember.objects.filter(person_id__in=people).values_list("case_id", flat=True)
