"""Recipient prompts before a message leaves, as Egress Prevent does it (issue 14).

The sender is asked to confirm, and each answer is audited, when:
- they have never written to a recipient before (their own history of sends through the gateway, and of
  releases in the disclosure register);
- a recipient's domain looks like one the council knows but is not it ("lancashire-counci1.gov.uk");
- a message with personal data goes to people both inside and outside the council;
- a reply to all adds people outside the council who were not on the message replied to.
A prompt is answered by sending its key back (`confirmed`); a prompt not answered stops the send.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import jellyfish
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from discretion.audit import services as audit
from discretion.outbound.models import SentTo
from discretion.staff.models import Staff

# Letters written to look like others: digits, Cyrillic and Greek look-alikes, "rn" for "m".
_CONFUSABLE = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "i": "l",
        "|": "l",
        "3": "e",
        "5": "s",
        "8": "b",
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "х": "x",
        "у": "y",
        "і": "l",
        "ј": "j",
        "ԁ": "d",
        "ο": "o",
        "ν": "v",
        "α": "a",
    }
)


class Kind(enum.StrEnum):
    NEW_RECIPIENT = "new_recipient"
    LOOKALIKE = "lookalike_domain"
    MIXED = "inside_and_outside"
    REPLY_ALL = "reply_all_adds_outsiders"


@dataclass(frozen=True)
class Prompt:
    kind: Kind
    address: str  # the recipient it is about ("" for the whole message)
    text: str  # plain English, a question the sender answers

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.address}"


class ConfirmRecipients(Exception):
    """The sender must answer these prompts before the message can go. The asking has been audited."""

    def __init__(self, prompts: Sequence[Prompt]) -> None:
        super().__init__("Check the recipients before sending.")
        self.prompts = tuple(prompts)


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower().rstrip(".")


def council_domains() -> tuple[str, ...]:
    from discretion.outbound.relay.rules import council_domains as configured

    return configured()


def is_inside(address: str) -> bool:
    domain = _domain(address)
    return any(domain == d or domain.endswith("." + d) for d in council_domains())


@dataclass(frozen=True)
class Known:
    """Domains the council knows: `domains` are whole domains (its own, configured partners, every domain
    anyone has released to); `suffixes` are the secure-domain list (gov.uk, nhs.net: any subdomain)."""

    domains: frozenset[str]
    suffixes: frozenset[str]


def known_domains() -> Known:
    from discretion.disclosures.models import Disclosure
    from discretion.outbound.services import secure_domains

    domains = set(council_domains()) | {d.lower() for d in getattr(settings, "DISCRETION_KNOWN_DOMAINS", [])}
    recent = Disclosure.objects.exclude(recipient_address="").order_by("-id")
    domains |= {_domain(a) for a in recent.values_list("recipient_address", flat=True)[:5000] if "@" in a}
    return Known(frozenset(d for d in domains if d), frozenset(secure_domains()))


def skeleton(domain: str) -> str:
    """A domain as it looks: accents dropped, look-alike letters folded, "rn" read as "m", "vv" as "w"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", domain.lower()) if not unicodedata.combining(c))
    return plain.translate(_CONFUSABLE).replace("rn", "m").replace("vv", "w").replace("-", "")


def lookalike_of(domain: str, known: Known) -> str | None:
    """The known domain `domain` imitates, or None. A known domain, or a subdomain of one, is itself."""
    domain = domain.lower()
    if domain in known.domains or domain in known.suffixes:
        return None
    if any(domain.endswith("." + k) for k in known.domains):
        return None
    shape = skeleton(domain)
    for k in sorted(known.domains | known.suffixes):
        if len(k) < 6 or domain.endswith("." + k):
            continue  # "anything.gov.uk" is not a look-alike of "gov.uk" itself
        if skeleton(k) == shape:
            return k
        distance = int(jellyfish.damerau_levenshtein_distance(domain, k))
        if distance <= (2 if len(k) >= 12 else 1):
            return k
    return None


def lookalike_domains(addresses: Iterable[str]) -> list[str]:
    known = known_domains()
    return sorted({_domain(a) for a in addresses if lookalike_of(_domain(a), known)})


def has_written_to(actor: Staff | None, addresses: Collection[str]) -> set[str]:
    """The addresses `actor` has sent to before; with no sender known, no history to go on: all."""
    from discretion.disclosures.models import Disclosure

    if actor is None:
        return set(addresses)
    written = set(SentTo.objects.filter(staff=actor, address__in=addresses).values_list("address", flat=True))
    written |= set(
        Disclosure.objects.filter(released_by=actor, recipient_address__in=addresses).values_list(
            "recipient_address", flat=True
        )
    )
    return written


def prompts_for(
    actor: Staff | None,
    recipients: Sequence[str],
    *,
    contains_personal_data: bool,
    thread: Sequence[str] = (),
) -> list[Prompt]:
    """Every prompt this message raises for this sender (no writes)."""
    prompts: list[Prompt] = []
    known = known_domains()
    for address in recipients:
        imitated = lookalike_of(_domain(address), known)
        if imitated:
            prompts.append(
                Prompt(
                    Kind.LOOKALIKE,
                    address,
                    f"{_domain(address)} looks like {imitated} but is not it. Is {address} the right address?",
                )
            )
    written = has_written_to(actor, recipients)
    for address in recipients:
        if address not in written and not is_inside(address):
            prompts.append(
                Prompt(Kind.NEW_RECIPIENT, address, f"You have not written to {address} before. Is it right?")
            )
    outside = [r for r in recipients if not is_inside(r)]
    if contains_personal_data and outside and len(outside) < len(recipients):
        prompts.append(
            Prompt(
                Kind.MIXED,
                "",
                "This message holds personal data and goes to people both inside and outside the council "
                f"({', '.join(outside)} outside). Should everyone get it?",
            )
        )
    if thread:
        before = {a.strip().lower() for a in thread}
        added = [r for r in outside if r not in before]
        if added:
            prompts.append(
                Prompt(
                    Kind.REPLY_ALL,
                    ",".join(added),
                    f"Your reply adds people outside the council who were not on the message you are replying "
                    f"to: {', '.join(added)}. Should they get it?",
                )
            )
    return prompts


def confirm(
    actor: Staff,
    recipients: Sequence[str],
    *,
    contains_personal_data: bool,
    confirmed: Collection[str] = (),
    thread: Sequence[str] = (),
    case_id: int | None = None,
    sender_known: bool = True,
) -> list[Prompt]:
    """Raise `ConfirmRecipients` (audited) while a prompt is unanswered; audit the answers once all are.
    `sender_known` False: `actor` answers for a mailbox that is no one's, so there is no history of
    theirs to say who is new."""
    prompts = prompts_for(
        actor if sender_known else None,
        recipients,
        contains_personal_data=contains_personal_data,
        thread=thread,
    )
    if not prompts:
        return []
    open_prompts = [p for p in prompts if p.key not in confirmed]
    details: dict[str, object] = {
        "prompts": sorted({str(p.kind) for p in prompts}),
        "domains": sorted({_domain(p.address) for p in prompts if p.address and "," not in p.address}),
    }
    object_type, object_id = ("case", case_id) if case_id else ("", "")
    if open_prompts:
        with transaction.atomic():  # its own transaction: a caller's rollback cannot erase it
            audit.record(
                actor.pk,
                "outbound.prompted",
                object_type=object_type,
                object_id=object_id or "",
                details={**details, "open": sorted({str(p.kind) for p in open_prompts})},
            )
        raise ConfirmRecipients(prompts)
    audit.record(
        actor.pk,
        "outbound.prompts_confirmed",
        object_type=object_type,
        object_id=object_id or "",
        details=details,
    )
    return prompts


def remember(actor: Staff, recipients: Iterable[str]) -> None:
    """Record that `actor` has now written to these addresses (in the caller's transaction)."""
    now = timezone.now()
    for address in {r.strip().lower() for r in recipients}:
        updated = SentTo.objects.filter(staff=actor, address=address).update(
            last_sent_at=now, times=F("times") + 1
        )
        if not updated:
            SentTo.objects.create(staff=actor, address=address, first_sent_at=now, last_sent_at=now)
