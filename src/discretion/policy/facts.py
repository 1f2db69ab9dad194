"""Request facts: the frozen input of `decide`, strict parsing from JSON and stable writing back.

Parsing is strict: an unknown field or code raises `FactsError` naming the field and the allowed
values. Only ``requester.category`` is required; everything else has a default:

- booleans (``requester.works_with_child``, ``requester.identity_verified``,
  ``requester.entitlement_verified``, ``claims_legal_right``, ``in_doubt``, ``risk_if_informed``): false;
- lists (``information``, ``documents``, ``approvals``): empty (no information named means the
  request does not yet say what is required: policy 1.4);
- ``consent``: ``none``; ``purpose``: ``other``; ``channel``: not stated (``null``);
- ``in_writing``: derived from the channel — true for letter, email, secure_email and portal (a
  written request, as FOIA s8 counts e-mail), false for phone, in_person or no channel.

Lists may repeat a code; they are kept as sets and written in the vocabulary's order.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from discretion.policy.vocabulary import (
    PERSONAL,
    Approval,
    Category,
    Channel,
    Consent,
    Document,
    Information,
    Purpose,
)

E = TypeVar("E", bound=enum.StrEnum)

WRITTEN_CHANNELS: frozenset[Channel] = frozenset(
    {Channel.LETTER, Channel.EMAIL, Channel.SECURE_EMAIL, Channel.PORTAL}
)


class FactsError(ValueError):
    """Facts that do not fit the vocabulary; the message names the field and the allowed values."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Requester:
    category: Category
    works_with_child: bool = False
    identity_verified: bool = False
    entitlement_verified: bool = False


@dataclass(frozen=True, slots=True)
class RequestFacts:
    """Everything `decide` may look at about one request for information."""

    requester: Requester
    purpose: Purpose = Purpose.OTHER
    channel: Channel | None = None
    in_writing: bool = False
    information: frozenset[Information] = frozenset()
    consent: Consent = Consent.NONE
    documents: frozenset[Document] = frozenset()
    claims_legal_right: bool = False
    in_doubt: bool = False
    risk_if_informed: bool = False
    approvals: frozenset[Approval] = frozenset()

    @property
    def category(self) -> Category:
        return self.requester.category

    @property
    def personal(self) -> frozenset[Information]:
        """The personal (or confidential-source) kinds of information asked for."""
        return self.information & PERSONAL

    def has(self, document: Document) -> bool:
        return document in self.documents

    def approved_by(self, *approvals: Approval) -> bool:
        return any(a in self.approvals for a in approvals)


_REQUESTER_BOOLS = ("works_with_child", "identity_verified", "entitlement_verified")
_TOP_BOOLS = ("in_writing", "claims_legal_right", "in_doubt", "risk_if_informed")
_REQUESTER_FIELDS = frozenset({"category", *_REQUESTER_BOOLS})
_TOP_FIELDS = frozenset(
    {"requester", "purpose", "channel", "information", "consent", "documents", "approvals", *_TOP_BOOLS}
)


def _allowed(names: Iterable[str]) -> str:
    return ", ".join(names)


def _code(enum_type: type[E], value: object, field: str) -> E:
    allowed = _allowed(member.value for member in enum_type)
    if not isinstance(value, str):
        raise FactsError(field, f"{field} must be a string; allowed: {allowed}")
    try:
        return enum_type(value)
    except ValueError:
        raise FactsError(field, f"unknown value {value!r} for {field}; allowed: {allowed}") from None


def _codes(enum_type: type[E], value: object, field: str) -> frozenset[E]:
    if not isinstance(value, list):
        allowed = _allowed(member.value for member in enum_type)
        raise FactsError(field, f"{field} must be a list; allowed values: {allowed}")
    return frozenset(_code(enum_type, item, field) for item in value)


def _flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise FactsError(field, f"{field} must be true or false, not {value!r}")
    return value


def _no_unknown_fields(obj: Mapping[str, Any], known: frozenset[str], prefix: str) -> None:
    for key in obj:
        if key not in known:
            allowed = _allowed(sorted(known))
            shown = key if str(key).isprintable() else repr(key)  # one line on stderr, whatever the key
            raise FactsError(f"{prefix}{shown}", f"unknown field {prefix}{shown}; allowed: {allowed}")


def parse_facts(obj: Mapping[str, Any]) -> RequestFacts:
    """Build `RequestFacts` from a JSON object, or raise `FactsError` naming the bad field."""
    if not isinstance(obj, Mapping):
        raise FactsError("facts", "facts must be a JSON object")
    _no_unknown_fields(obj, _TOP_FIELDS, "")
    raw_requester = obj.get("requester")
    if not isinstance(raw_requester, Mapping):
        raise FactsError("requester", "requester must be an object with at least requester.category")
    _no_unknown_fields(raw_requester, _REQUESTER_FIELDS, "requester.")
    if "category" not in raw_requester:
        allowed = _allowed(c.value for c in Category)
        raise FactsError("requester.category", f"requester.category is required; allowed: {allowed}")
    flags = {name: _flag(raw_requester.get(name, False), f"requester.{name}") for name in _REQUESTER_BOOLS}
    requester = Requester(
        category=_code(Category, raw_requester["category"], "requester.category"),
        works_with_child=flags["works_with_child"],
        identity_verified=flags["identity_verified"],
        entitlement_verified=flags["entitlement_verified"],
    )
    channel = None if obj.get("channel") is None else _code(Channel, obj["channel"], "channel")
    in_writing_default = channel in WRITTEN_CHANNELS
    return RequestFacts(
        requester=requester,
        purpose=_code(Purpose, obj.get("purpose", Purpose.OTHER.value), "purpose"),
        channel=channel,
        in_writing=_flag(obj.get("in_writing", in_writing_default), "in_writing"),
        information=_codes(Information, obj.get("information", []), "information"),
        consent=_code(Consent, obj.get("consent", Consent.NONE.value), "consent"),
        documents=_codes(Document, obj.get("documents", []), "documents"),
        claims_legal_right=_flag(obj.get("claims_legal_right", False), "claims_legal_right"),
        in_doubt=_flag(obj.get("in_doubt", False), "in_doubt"),
        risk_if_informed=_flag(obj.get("risk_if_informed", False), "risk_if_informed"),
        approvals=_codes(Approval, obj.get("approvals", []), "approvals"),
    )


def in_order(enum_type: type[E], members: Iterable[E]) -> list[str]:
    """Codes of `members` in the vocabulary's declaration order (a stable order for output)."""
    present = set(members)
    return [member.value for member in enum_type if member in present]


def facts_to_json(facts: RequestFacts) -> dict[str, Any]:
    """The facts as a JSON object with every field, in a stable key and list order."""
    requester = facts.requester
    return {
        "requester": {
            "category": requester.category.value,
            "works_with_child": requester.works_with_child,
            "identity_verified": requester.identity_verified,
            "entitlement_verified": requester.entitlement_verified,
        },
        "channel": None if facts.channel is None else facts.channel.value,
        "in_writing": facts.in_writing,
        "purpose": facts.purpose.value,
        "information": in_order(Information, facts.information),
        "consent": facts.consent.value,
        "documents": in_order(Document, facts.documents),
        "claims_legal_right": facts.claims_legal_right,
        "in_doubt": facts.in_doubt,
        "risk_if_informed": facts.risk_if_informed,
        "approvals": in_order(Approval, facts.approvals),
    }
