"""The print queue: releases by post wait to be printed, checked and posted, then are recorded as
posted with the date and any recorded-delivery reference."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from discretion.audit import services as audit
from discretion.disclosures.models import (
    Channel,
    DisclosedPerson,
    OutboxMessage,
)
from discretion.errors import InvalidInput
from discretion.staff.models import Staff


def print_queue(actor: Staff) -> list[OutboxMessage]:
    """Letters released by post and not yet recorded as posted, oldest first: an information
    governance officer sees every one, anyone else the letters they released. Audited (ids)."""
    from discretion.access import refusal
    from discretion.staff.models import Role

    if not actor.is_active or actor.is_supervised:
        raise refusal(actor, "disclosures.print_queue", "Volunteers and students cannot print releases.")
    rows = (
        OutboxMessage.objects.filter(channel=Channel.POST, posted_on__isnull=True, disclosure__isnull=False)
        .select_related("disclosure", "disclosure__released_by")
        .order_by("created_at", "pk")
    )
    if actor.role != Role.IGO:
        rows = rows.filter(disclosure__released_by=actor)
    letters = list(rows[:500])
    audit.record_for_people(
        actor.pk,
        "disclosures.print_queue_read",
        DisclosedPerson.objects.filter(disclosure__in=[m.disclosure_id for m in letters]).values_list(
            "person_id", flat=True
        ),
        object_type="print_queue",
        details={"rows": [m.pk for m in letters]},
    )
    return letters


@transaction.atomic
def mark_posted(actor: Staff, message_id: int, *, posted_on: dt.date, reference: str = "") -> OutboxMessage:
    """Record that a letter released by post has been posted (and its tracking number): it
    leaves the print queue, and the register shows when it went."""
    from discretion.access import NotFound, may_handle_letter

    message = (
        OutboxMessage.objects.select_for_update()
        .select_related("disclosure")
        .filter(pk=message_id, channel=Channel.POST, disclosure__isnull=False)
        .first()
    )
    if message is None or message.disclosure is None:
        raise NotFound("No such letter.")
    if not may_handle_letter(actor, message.disclosure.released_by_id):
        from discretion.access import refusal

        refusal(
            actor,
            "disclosure.posted",
            "No such letter.",
            object_type="disclosure",
            object_id=message.disclosure_id,
        )
        raise NotFound("No such letter.")  # the same answer as for a letter that does not exist
    if message.posted_on is not None:
        raise InvalidInput(f"This letter was recorded as posted on {message.posted_on:%d %B %Y}")
    released_on = timezone.localdate(message.disclosure.released_at)
    if posted_on > timezone.localdate():
        raise InvalidInput("Date posted must be today or in the past")
    if posted_on < released_on:
        raise InvalidInput(f"Date posted must be on or after the day it was released, {released_on:%d %B %Y}")
    reference = reference.strip()
    if len(reference) > 40:
        raise InvalidInput("Tracking number must be 40 characters or fewer")
    message.posted_on, message.posted_by, message.postal_reference = posted_on, actor, reference
    message.save(update_fields=["posted_on", "posted_by", "postal_reference"])
    audit.record_for_people(
        actor.pk,
        "disclosure.posted",
        message.disclosure.subjects.values_list("person_id", flat=True),
        object_type="disclosure",
        object_id=message.disclosure.pk,
        details={"message": message.pk, "posted_on": posted_on.isoformat(), "tracked": bool(reference)},
    )
    return message
