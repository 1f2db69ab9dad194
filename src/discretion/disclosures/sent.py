"""Secure links as senders and recipients expect them (an Egress-like "sent" view).

Senders see the links they sent, and information governance every link, each with where it has got
to: queued, sent, opened, downloaded, expired or revoked. Either can revoke a link that has not yet
expired (audited; a revoked link refuses every download, `link_redemption.redeem_link`). The recipient's
page names the council and the sender and says when the link expires; a link the recipient opens is
marked opened (the first time, audited with no actor: the recipient has no account).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from discretion.access import NotFound, refusal
from discretion.audit import services as audit
from discretion.disclosures import link_redemption, links
from discretion.disclosures.models import DisclosedPerson, Disclosure, OutboxStatus, SecureLink
from discretion.staff.models import Role, Staff


class LinkStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    OPENED = "opened"
    DOWNLOADED = "downloaded"
    EXPIRED = "expired"
    REVOKED = "revoked"


STATUS_LABELS = {
    LinkStatus.QUEUED: "Queued",
    LinkStatus.SENT: "Sent",
    LinkStatus.OPENED: "Opened",
    LinkStatus.DOWNLOADED: "Downloaded",
    LinkStatus.EXPIRED: "Expired",
    LinkStatus.REVOKED: "Revoked",
}
STATUS_COLOURS = {
    LinkStatus.QUEUED: "grey",
    LinkStatus.SENT: "blue",
    LinkStatus.OPENED: "light-blue",
    LinkStatus.DOWNLOADED: "green",
    LinkStatus.EXPIRED: "yellow",
    LinkStatus.REVOKED: "red",
}


class InvalidInput(ValueError):
    """Input the sender can correct; the message says how."""


def status_of(link: SecureLink) -> LinkStatus:
    if link.revoked:
        return LinkStatus.REVOKED
    if link.expires_at <= timezone.now():
        return LinkStatus.EXPIRED
    if link.downloads:
        return LinkStatus.DOWNLOADED
    if link.opened_at is not None:
        return LinkStatus.OPENED
    if link.message.status == OutboxStatus.SENT:
        return LinkStatus.SENT
    return LinkStatus.QUEUED


@dataclass(frozen=True)
class SentLink:
    link: SecureLink
    disclosure: Disclosure
    status: LinkStatus

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def can_revoke(self) -> bool:
        return self.status not in (LinkStatus.REVOKED, LinkStatus.EXPIRED)

    @property
    def note(self) -> str:
        """What else the sender should know: downloads used, a lock, a failed send."""
        link = self.link
        if self.status is LinkStatus.REVOKED and link.revoked_at is not None:
            who = link.revoked_by.display_name if link.revoked_by else "someone"
            return f"Revoked by {who}: {link.revoked_reason}".strip(": ")
        if link.failed_codes >= link_redemption.MAX_FAILED_CODES:
            return "Locked after too many wrong codes."
        if link.downloads:
            return f"Downloaded {link.downloads} of {link.max_downloads} times."
        if link.message.status == OutboxStatus.FAILED:
            return "The e-mail could not be sent yet; it will be tried again."
        return ""


def may_manage(actor: Staff, released_by_id: int) -> bool:
    """The member of staff who sent it, or an information governance officer."""
    return (
        actor.is_active and not actor.is_supervised and (actor.pk == released_by_id or actor.role == Role.IGO)
    )


def _rows(actor: Staff) -> list[SecureLink]:
    rows = SecureLink.objects.select_related("message__disclosure__released_by", "revoked_by").filter(
        message__disclosure__isnull=False
    )
    if actor.role != Role.IGO:
        rows = rows.filter(message__disclosure__released_by=actor)
    return list(rows.order_by("-message__created_at", "-id")[:500])


def links_sent(actor: Staff) -> list[SentLink]:
    """The secure links the actor sent (an IGO: every one), newest first, with their status.
    Recipients and what was sent are on the list, so the read is audited like the register's."""
    if not actor.is_active or actor.is_supervised:
        raise refusal(actor, "disclosures.links", "Volunteers and students do not send secure links.")
    rows = _rows(actor)
    disclosure_ids = [link.message.disclosure_id for link in rows]
    audit.record_for_people(
        actor.pk,
        "disclosures.links_read",
        DisclosedPerson.objects.filter(disclosure_id__in=disclosure_ids).values_list("person_id", flat=True),
        object_type="secure_link",
        details={"rows": [link.pk for link in rows]},
    )
    out = []
    for link in rows:
        disclosure = link.message.disclosure
        assert disclosure is not None
        out.append(SentLink(link, disclosure, status_of(link)))
    return out


def get_link_for(actor: Staff, link_id: int) -> SentLink:
    """One link, for its sender or an IGO; anyone else gets the answer a missing link gets (audited)."""
    link = (
        SecureLink.objects.select_related("message__disclosure__released_by", "revoked_by")
        .filter(pk=link_id, message__disclosure__isnull=False)
        .first()
    )
    disclosure = link.message.disclosure if link is not None else None
    if link is None or disclosure is None or not may_manage(actor, disclosure.released_by_id):
        if link is not None:
            refusal(actor, "disclosures.link", "No such link.", object_type="secure_link", object_id=link_id)
        raise NotFound("No such link.")
    return SentLink(link, disclosure, status_of(link))


@transaction.atomic
def revoke_link(actor: Staff, link_id: int, *, reason: str) -> SecureLink:
    """The sender or an IGO revokes a link before it expires: it refuses every download from now
    on (policy 1.1: a release sent to the wrong person, or no longer needed, is stopped). Audited
    against every person whose information it holds."""
    sent = get_link_for(actor, link_id)
    link = SecureLink.objects.select_for_update().get(pk=sent.link.pk)
    if link.revoked:
        raise InvalidInput("This link has already been revoked")
    if link.expires_at <= timezone.now():
        raise InvalidInput("This link has already expired: it cannot be used")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Enter why you are revoking the link")
    if len(reason) > 1000:
        raise InvalidInput("The reason must be 1000 characters or fewer")
    link.revoked, link.revoked_at, link.revoked_by, link.revoked_reason = True, timezone.now(), actor, reason
    link.save(update_fields=["revoked", "revoked_at", "revoked_by", "revoked_reason"])
    audit.record_for_people(
        actor.pk,
        "disclosure.link_revoked",
        DisclosedPerson.objects.filter(disclosure=sent.disclosure).values_list("person_id", flat=True),
        object_type="disclosure",
        object_id=sent.disclosure.pk,
        reason=reason,
        details={"link": link.pk, "downloads": link.downloads},
    )
    return link


# --- the recipient's page ------------------------------------------------------------------


@dataclass(frozen=True)
class ForRecipient:
    """What the recipient's page says about a link: who sent it and until when it works."""

    council: str
    sender: str
    team: str
    sent_at: object
    expires_at: object
    refusal: str  # why it cannot be used now, or ""


def for_recipient(token: str) -> ForRecipient | None:
    """The link behind a recipient's address, for its page; None for an unknown link (the refusal
    is audited, and counts towards the address's limit, as a wrong download does). The first
    opening is recorded and audited (no actor: the recipient has no account)."""
    from discretion.audit.context import current_context

    if link_redemption.is_throttled(current_context().ip):
        return None
    link = (
        SecureLink.objects.select_related("message__disclosure__released_by__team")
        .filter(token_digest=links.token_digest(token))
        .first()
    )
    disclosure = link.message.disclosure if link is not None else None
    if link is None or disclosure is None:
        with transaction.atomic():
            link_redemption.refuse_download(link_redemption.NOT_VALID, details={"link": None, "page": True})
        return None
    now = timezone.now()
    refusal_text = ""
    if link.revoked:
        refusal_text = "This link has been withdrawn by the council. Contact the sender if you still need it."
    elif link.expires_at <= now:
        refusal_text = "This link has expired. Ask the sender for a new one."
    elif link.failed_codes >= link_redemption.MAX_FAILED_CODES:
        refusal_text = "This link is locked after too many wrong codes. Ask the sender for a new one."
    elif link.downloads >= link.max_downloads:
        refusal_text = "This link has been used the maximum number of times."
    if not refusal_text and link.opened_at is None:
        with transaction.atomic():
            SecureLink.objects.filter(pk=link.pk, opened_at__isnull=True).update(opened_at=now)
            audit.record(
                None,
                "disclosure.link_opened",
                object_type="disclosure",
                object_id=disclosure.pk,
                details={"link": link.pk},
            )
    sender = disclosure.released_by
    return ForRecipient(
        council=str(getattr(settings, "COUNCIL_NAME", "The council")),
        sender=sender.display_name,
        team=sender.team.name if sender.team_id and sender.team else "Children's Services",
        sent_at=disclosure.released_at,
        expires_at=link.expires_at,
        refusal=refusal_text,
    )
