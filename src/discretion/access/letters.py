"""Releases by post: who may print one, and the audited read of its content."""

from __future__ import annotations

from dataclasses import dataclass

from discretion.access.grants import _require_active
from discretion.access.refusals import _refuse
from discretion.audit import services as audit
from discretion.errors import AccessDenied as AccessDenied
from discretion.errors import NotFound as NotFound
from discretion.errors import NotPermitted as NotPermitted
from discretion.errors import PolicyNotAcknowledged as PolicyNotAcknowledged
from discretion.staff.models import (
    Role,
    Staff,
)


def may_handle_letter(actor: Staff, released_by_id: int) -> bool:
    """Who prints and posts a release by post: the member of staff who released it (they have
    already seen it), or an information governance officer."""
    return (
        actor.is_active and not actor.is_supervised and (actor.pk == released_by_id or actor.role == Role.IGO)
    )


@dataclass(frozen=True)
class LetterRelease:
    """What the door needs to know of a release by post (the disclosures app looks it up)."""

    disclosure_id: int
    released_by_id: int
    person_ids: list[int]
    message_id: int
    content_sha256: str


def read_letter(actor: Staff, release: LetterRelease | None) -> None:
    """May the actor print this release by post? Its content is personal data, so the read is
    checked and audited here like any other read: one event per person whose information it holds.
    `None` (no such letter) and a refusal get the same dull NotFound."""
    _require_active(actor)
    if release is None:
        raise NotFound("No such letter.")
    people = release.person_ids
    if not may_handle_letter(actor, release.released_by_id):
        _refuse(
            actor,
            object_type="disclosure",
            object_id=release.disclosure_id,
            person_id=people[0] if people else None,
            case_id=None,
            message="",
        )
        raise NotFound("No such letter.")  # the same dull answer as a letter that does not exist
    audit.record_for_people(
        actor.pk,
        "disclosure.printed",
        people,
        object_type="disclosure",
        object_id=release.disclosure_id,
        details={"message": release.message_id, "sha256": release.content_sha256},
    )
