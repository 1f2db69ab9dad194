"""Releases by post: opening one to print, through the access door."""

from __future__ import annotations

from discretion import access
from discretion.disclosures.models import Channel, OutboxMessage
from discretion.staff.models import Staff


def open_letter_for(actor: Staff, message_id: int) -> OutboxMessage:
    """A release by post, to print: checked and audited by `access.read_letter` (NotFound for a
    letter that does not exist and for one the actor may not print alike)."""
    message = (
        OutboxMessage.objects.select_related("disclosure")
        .filter(pk=message_id, channel=Channel.POST, disclosure__isnull=False)
        .first()
    )
    disclosure = message.disclosure if message is not None else None
    release = (
        access.LetterRelease(
            disclosure_id=disclosure.pk,
            released_by_id=disclosure.released_by_id,
            person_ids=list(disclosure.subjects.values_list("person_id", flat=True)),
            message_id=message_id,
            content_sha256=disclosure.content_sha256,
        )
        if disclosure is not None
        else None
    )
    access.read_letter(actor, release)
    assert message is not None
    return message
