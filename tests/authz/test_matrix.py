"""The authorisation matrix: every role × every page and API operation × objects inside and outside
the role's relationship (issue "Close every door").

Every URL pattern and every operation in /api/openapi.json must be in the tables below (a new route
fails `test_every_route_is_in_the_matrix` until someone decides who may use it). Each is called by
each role on team A's objects and on team B's; what comes back is compared with what the table says
that role may do there, in both directions: an unexpected allow is a hole, an unexpected refusal a
table (or a feature) to mend. Writes run inside a savepoint that is rolled back, so every call sees
the same world.

Allowed means: an API call answered 2xx; a page read answered 200; a page write that recorded an
audited change (any event that is not a read or a refusal) with no error shown.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .matrix_world import PDF, ROLES, MatrixWorld, Side, build

pytestmark = pytest.mark.django_db

NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(ROLES)
SUPERVISED = frozenset({"volunteer_a", "student_a"})
STAFF = EVERYONE - SUPERVISED  # anyone signed in who is not under supervision
CAN_BREAK_GLASS = EVERYONE - SUPERVISED - {"press", "admin"}
A_RECORD = frozenset({"worker_a", "manager_a", "volunteer_a", "igo"})  # volunteer: case A is shared
B_RECORD = frozenset({"worker_b", "igo"})
IGO = frozenset({"igo"})

Expect = dict[str, frozenset[str]]  # side ("a" or "b") -> roles allowed


def both(roles: frozenset[str]) -> Expect:
    return {"a": roles, "b": roles}


def sides(a: frozenset[str], b: frozenset[str]) -> Expect:
    return {"a": a, "b": b}


@dataclass(frozen=True)
class Call:
    """How to call one route for one side: its path parameters and, for a write, its body."""

    expect: Expect
    params: Callable[[MatrixWorld, Side], dict[str, Any]] = lambda w, s: {}
    body: Callable[[MatrixWorld, Side], dict[str, Any]] | None = None
    multipart: bool = False


def _today() -> str:
    return dt.date.today().isoformat()


# --- pages: reads ------------------------------------------------------------------------------

P = lambda **kw: lambda w, s: {k: f(w, s) for k, f in kw.items()}  # noqa: E731
person = P(ref=lambda w, s: s.person.ref)
case = P(ref=lambda w, s: s.case.ref)
approved = P(request_id=lambda w, s: s.approved.pk)
referred = P(request_id=lambda w, s: s.referred.pk)
foi = P(pk=lambda w, s: s.foi.pk)
sar = P(pk=lambda w, s: s.sar.pk)
research = P(request_id=lambda w, s: s.research.pk)
letter = P(message_id=lambda w, s: s.letter.pk)
alert = P(alert_id=lambda w, s: s.alert.pk)
link = P(link_id=lambda w, s: s.link.pk)

REQUEST_A = frozenset({"worker_a", "manager_a", "igo"})
REQUEST_B = frozenset({"worker_b", "igo"})

PAGE_READS: dict[str, Call] = {
    "web:home": Call(both(EVERYONE)),
    "web:search": Call(both(EVERYONE)),
    "web:person": Call(sides(A_RECORD, B_RECORD), person),
    "web:case": Call(sides(A_RECORD, B_RECORD), case),
    "web:entry": Call(sides(A_RECORD, B_RECORD), P(entry_id=lambda w, s: s.entry.pk)),
    "web:attachment": Call(sides(A_RECORD, B_RECORD), P(attachment_id=lambda w, s: s.attachment.pk)),
    # The form asks for a reason; it shows nothing of the record (policy: anyone who may break glass).
    "web:break-glass": Call(both(CAN_BREAK_GLASS), case),
    "web:who-has-viewed": Call(both(IGO), person),
    "web:acknowledge-policy": Call(both(EVERYONE)),
    "web:reset-authenticator": Call(both(frozenset({"igo", "admin"})), P(staff_id=lambda w, s: s.staff.pk)),
    "requests:queue": Call(both(EVERYONE)),  # each sees only their own part
    "requests:step": Call(both(STAFF - {"press"}), P(name=lambda w, s: "who")),
    "requests:detail": Call(sides(REQUEST_A, REQUEST_B), approved),
    "requests:documents": Call(sides(REQUEST_A, REQUEST_B), approved),
    "requests:entries": Call(sides(frozenset({"worker_a", "igo"}), REQUEST_B), approved),
    "requests:release": Call(sides(REQUEST_A, REQUEST_B), approved),
    "requests:released": Call(sides(REQUEST_A, REQUEST_B), approved),
    "information_rights:dashboard": Call(both(IGO)),
    "information_rights:dashboard-csv": Call(both(IGO)),
    "information_rights:disclosure-log": Call(both(EVERYONE)),  # published answers: public by law
    "information_rights:requests": Call(both(IGO)),
    "information_rights:request-new": Call(both(IGO)),
    "information_rights:request": Call(both(IGO), foi),
    "information_rights:sars": Call(both(IGO)),
    "information_rights:sar-new": Call(both(IGO)),
    "information_rights:sar": Call(both(IGO), sar),
    "information_rights:sar-redaction-log": Call(both(IGO), sar),
    "information_rights:sar-documents": Call(both(IGO), sar),
    "outbound:compose": Call(sides(A_RECORD - SUPERVISED, B_RECORD), case),
    "research:list": Call(both(EVERYONE)),  # each sees their own submissions
    "research:submit": Call(both(STAFF)),
    "research:detail": Call(
        sides(frozenset({"worker_a", "igo", "research"}), frozenset({"worker_b", "igo", "research"})),
        research,
    ),
    "research:commercial": Call(both(EVERYONE)),  # each sees what is within their remit
    "research:commercial-record": Call(
        sides(frozenset({"worker_a"}), frozenset({"worker_b"})), P(record_id=lambda w, s: s.commercial.pk)
    ),
    "disclosures:register": Call(both(frozenset({"manager_a", "igo"}))),
    "disclosures:shared-with": Call(sides(A_RECORD - SUPERVISED, B_RECORD), person),  # not volunteers
    "disclosures:print-queue": Call(both(STAFF)),  # each sees the letters they released
    "disclosures:print-letter": Call(sides(frozenset({"worker_a", "igo"}), REQUEST_B), letter),
    "disclosures:letter-posted": Call(sides(frozenset({"worker_a", "igo"}), REQUEST_B), letter),
    "disclosures:links": Call(both(STAFF)),  # each sees the links they sent; an IGO every one
    "disclosures:revoke-link": Call(sides(frozenset({"worker_a", "igo"}), REQUEST_B), link),
    "notifications:list": Call(both(EVERYONE)),  # each sees their own
    "staff:compliance": Call(both(frozenset({"manager_a", "igo", "admin"}))),
    "staff:record-induction": Call(both(frozenset({"manager_a", "igo", "admin"}))),
    "staff:supervisees": Call(both(EVERYONE)),
    "staff:activate": Call(both(frozenset({"worker_a"})), P(staff_id=lambda w, s: w.staff["volunteer_a"].pk)),
    "staff:publish-policy": Call(both(frozenset({"igo", "admin"}))),
    "staff:alerts": Call(both(STAFF)),  # each sees the alerts sent to them (managers: their staff's)
    "staff:alert": Call(sides(frozenset({"manager_a", "igo"}), IGO), alert),
    "staff:account-changes": Call(both(IGO)),
    "staff:account-change": Call(both(IGO), P(change_id=lambda w, s: s.account_change.pk)),
}

# Pages nobody reaches by GET with a live answer in this world (POST-only, shown once, or open).
NOT_READ = {
    "web:sign-in", "web:two-factor", "web:two-factor-set-up", "web:sign-out", "web:oidc-sign-in",
    "web:oidc-callback", "web:health", "disclosures:download",  # open pages: the gate test covers them
    "requests:start",  # redirects to the first question
    "outbound:sent",  # shown once after sending
    "information_rights:request-letter", "information_rights:sar-review",
    "information_rights:sar-bundle",  # a POST: building the bundle records its digest (tests/information_rights)
    # A notification opens by redirecting to what it is about, and marking all read is a POST that
    # touches only the caller's own: tests/notifications (another's is the dull 404, audited).
    "notifications:open", "notifications:read-all",
    # No document pages in this world: tests/information_rights/test_document_review.py covers them.
    "information_rights:sar-page", "information_rights:sar-page-image", "information_rights:sar-page-action",
    "information_rights:sar-box-action", "information_rights:sar-documents-read",
}  # fmt: skip


# --- pages: writes -------------------------------------------------------------------------------

PAGE_WRITES: dict[str, Call] = {
    "requests:referral": Call(
        sides(frozenset({"manager_a", "igo"}), IGO),
        referred,
        lambda w, s: {"approve": "yes", "reasoning": "Fine"},
    ),
    "requests:task": Call(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B),
        referred,
        lambda w, s: {"kind": "verify_identity", "note": "ok"},
    ),
    "requests:close": Call(both(NOBODY), approved, lambda w, s: {"note": "Done"}),  # not yet released
    "requests:check-document": Call(
        both(frozenset({"legal"})),
        referred,
        lambda w, s: {"document": s.document.pk, "accept": "yes", "note": "Sealed order seen"},
    ),
    "requests:ask-record-access": Call(both(NOBODY), approved, lambda w, s: {"reason": "x"}),  # already open
    "requests:decide-record-access": Call(
        both(NOBODY), approved, lambda w, s: {"approve": "yes", "reasoning": "x"}
    ),
    "requests:entries": Call(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B),
        approved,
        lambda w, s: {"entry": [s.entry.pk], f"reason_{s.entry.pk}": "Needed"},
    ),
    "requests:release": Call(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B),
        approved,
        lambda w, s: {"channel": "post", "address": "1 Surgery Lane"},
    ),
    "requests:documents": Call(
        both(NOBODY), approved, lambda w, s: {"code": "court_order", "file": SimpleUploadedFile("o.pdf", PDF)}
    ),  # the approved request's facts are settled; see the API's document on the referred one
    "web:break-glass": Call(
        both(CAN_BREAK_GLASS), case, lambda w, s: {"reason": "Police called: child missing"}
    ),
    "web:case-shares": Call(
        sides(frozenset({"worker_a"}), NOBODY),
        case,
        lambda w, s: {"supervisee": w.staff["student_a"].username},
    ),
    "web:entry": Call(
        sides(frozenset({"worker_a", "manager_a"}), frozenset({"worker_b"})),
        P(entry_id=lambda w, s: s.entry.pk),
        lambda w, s: {"file": SimpleUploadedFile("note.pdf", PDF)},
    ),
    "web:person": Call(
        sides(frozenset({"worker_a", "manager_a"}), frozenset({"worker_b"})),
        person,
        lambda w, s: {"nhs_number": "943 476 5919"},
    ),
    "outbound:compose": Call(
        sides(frozenset({"worker_a", "manager_a", "igo"}), B_RECORD),
        case,
        lambda w, s: {
            "to": "carers@example.org",
            "subject": "Newsletter",
            "body": "Rota",
            "action": "send",
            # The sender confirms a recipient they have never written to (outbound/recipients.py).
            "confirmed": "new_recipient:carers@example.org",
        },
    ),
    "disclosures:letter-posted": Call(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B),
        letter,
        lambda w, s: {
            "posted_on_day": str(dt.date.today().day),
            "posted_on_month": str(dt.date.today().month),
            "posted_on_year": str(dt.date.today().year),
            "reference": "RR1",
        },
    ),
    "research:decide": Call(
        both(frozenset({"research"})), research, lambda w, s: {"decision": "approve", "reasons": "Fine"}
    ),
    "staff:alert": Call(
        sides(frozenset({"manager_a", "igo"}), IGO),
        alert,
        lambda w, s: {"outcome": "no_concern", "note": "Fine"},
    ),
    "staff:activate": Call(
        both(frozenset({"worker_a"})),
        P(staff_id=lambda w, s: w.staff["volunteer_a"].pk),
        lambda w, s: {"confirm": "yes"},
    ),
    # An information governance officer other than the administrator who made the change.
    "staff:account-change": Call(
        both(IGO),
        P(change_id=lambda w, s: s.account_change.pk),
        lambda w, s: {"decision": "confirm", "note": "New post"},
    ),
    "information_rights:request-action": Call(
        both(IGO), P(pk=lambda w, s: s.foi.pk, action=lambda w, s: "acknowledge"), lambda w, s: {}
    ),
    "research:commercial-answer": Call(
        sides(frozenset({"manager_a"}), NOBODY),
        P(query_id=lambda w, s: s.question.pk),
        lambda w, s: {"allow": "yes", "answer": "Within your remit"},
    ),
    "disclosures:revoke-link": Call(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B),
        link,
        lambda w, s: {"reason": "Sent to the wrong GP"},
    ),
    "research:extract": Call(both(NOBODY), research, lambda w, s: {}),  # not approved: nobody yet
    "information_rights:sar-release": Call(both(NOBODY), sar, lambda w, s: {}),  # not compiled: nobody yet
    "information_rights:sar-action": Call(
        both(IGO), P(pk=lambda w, s: s.sar.pk, action=lambda w, s: "compile"), lambda w, s: {}
    ),
}
NOT_WRITTEN = {
    "requests:step", "requests:released", "requests:detail", "requests:queue", "requests:start",
    "outbound:check",  # answers the findings panel: a read, behind need to know (see the reads)
}  # fmt: skip


# --- API ------------------------------------------------------------------------------------------

J = Call
API: dict[tuple[str, str], Call] = {
    ("get", "/api/records/people/{ref}"): J(sides(A_RECORD, B_RECORD), person),
    ("get", "/api/records/cases/{ref}"): J(sides(A_RECORD, B_RECORD), case),
    ("get", "/api/records/people"): J(both(EVERYONE)),
    ("get", "/api/records/cases/{ref}/shares"): J(sides(A_RECORD, B_RECORD), case),
    ("post", "/api/records/cases/{ref}/break-glass"): J(
        both(CAN_BREAK_GLASS), case, lambda w, s: {"reason": "Police called: child missing"}
    ),
    ("post", "/api/records/cases/{ref}/shares"): J(
        sides(frozenset({"worker_a"}), NOBODY),
        case,
        lambda w, s: {"supervisee": w.staff["student_a"].username},
    ),
    ("delete", "/api/records/cases/{ref}/shares/{username}"): J(
        sides(frozenset({"worker_a", "manager_a"}), NOBODY),
        P(ref=lambda w, s: s.case.ref, username=lambda w, s: w.staff["volunteer_a"].username),
    ),
    ("post", "/api/requests/"): J(
        sides(frozenset({"worker_a", "manager_a", "igo"}), B_RECORD),
        body=lambda w, s: {
            "requester": {"name": "DC Rao", "category": "police"},
            "channel": "letter",
            "person_refs": [s.person.ref],
            "information": ["child_personal"],
            "purpose": "missing_child",
        },
    ),
    ("get", "/api/requests/queue"): J(both(EVERYONE)),
    ("get", "/api/requests/checks"): J(both(EVERYONE)),
    ("get", "/api/requests/{request_id}"): J(sides(REQUEST_A, REQUEST_B), approved),
    ("get", "/api/requests/{request_id}/decision"): J(sides(REQUEST_A, REQUEST_B), approved),
    ("get", "/api/requests/{request_id}/candidates"): J(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B), approved
    ),
    # Legal Services see a request with a court order to check (policy 1.5).
    ("get", "/api/requests/{request_id}/documents"): J(
        sides(REQUEST_A | {"legal"}, REQUEST_B | {"legal"}), referred
    ),
    ("patch", "/api/requests/{request_id}/facts"): J(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B), referred, lambda w, s: {"in_doubt": False}
    ),
    ("post", "/api/requests/{request_id}/referral"): J(
        sides(frozenset({"manager_a", "igo"}), IGO),
        referred,
        lambda w, s: {"approve": True, "reasoning": "Fine"},
    ),
    ("post", "/api/requests/{request_id}/tasks"): J(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B),
        referred,
        lambda w, s: {"kind": "verify_identity", "note": "ok"},
    ),
    ("put", "/api/requests/{request_id}/selection"): J(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B),
        approved,
        lambda w, s: {"entries": [{"entry_id": s.entry.pk, "reason": "Needed"}]},
    ),
    ("post", "/api/requests/{request_id}/release"): J(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B),
        approved,
        lambda w, s: {"channel": "post", "address": "1 Surgery Lane"},
    ),
    ("post", "/api/requests/{request_id}/documents"): J(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B),
        referred,
        lambda w, s: {"code": "written_consent", "file": SimpleUploadedFile("c.pdf", PDF)},
        multipart=True,
    ),
    ("post", "/api/requests/{request_id}/documents/{document_id}/check"): J(
        both(frozenset({"legal"})),
        P(request_id=lambda w, s: s.referred.pk, document_id=lambda w, s: s.document.pk),
        lambda w, s: {"accept": True, "note": "Sealed order seen"},
    ),
    ("post", "/api/requests/{request_id}/record-access"): J(
        both(NOBODY), approved, lambda w, s: {"reason": "x"}
    ),
    ("post", "/api/requests/{request_id}/record-access/decision"): J(
        both(NOBODY), approved, lambda w, s: {"approve": True, "reasoning": "x"}
    ),
    ("get", "/api/disclosures/"): J(both(frozenset({"manager_a", "igo"}))),
    ("get", "/api/disclosures/people/{ref}"): J(sides(A_RECORD - SUPERVISED, B_RECORD), person),
    ("get", "/api/disclosures/print-queue"): J(both(STAFF)),
    ("get", "/api/disclosures/links"): J(both(STAFF)),
    ("post", "/api/disclosures/links/{link_id}/revoke"): J(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B),
        link,
        lambda w, s: {"reason": "Sent to the wrong GP"},
    ),
    ("get", "/api/notifications/"): J(both(EVERYONE)),
    ("post", "/api/notifications/read-all"): J(both(EVERYONE)),
    # Only its recipient: team A's manager was told of team A's referral (team B's manager is no role here).
    ("post", "/api/notifications/{notification_id}/read"): J(
        sides(frozenset({"manager_a"}), NOBODY), P(notification_id=lambda w, s: s.notification.pk)
    ),
    ("get", "/api/disclosures/print-queue/{message_id}/letter"): J(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B), letter
    ),
    ("post", "/api/disclosures/print-queue/{message_id}/posted"): J(
        sides(frozenset({"worker_a", "igo"}), REQUEST_B),
        letter,
        lambda w, s: {"posted_on": _today(), "reference": "R1"},
    ),
    ("post", "/api/information-rights/requests"): J(
        both(IGO),
        body=lambda w, s: {
            "requester_name": "A",
            "requester_contact": "a@example.org",
            "channel": "email",
            "wording": "x",
        },
    ),
    ("get", "/api/information-rights/requests/{request_id}"): J(
        both(IGO), P(request_id=lambda w, s: s.foi.pk)
    ),
    ("get", "/api/information-rights/disclosure-log"): J(both(EVERYONE)),
    ("get", "/api/information-rights/dashboard"): J(both(IGO)),
    ("get", "/api/information-rights/sar/{sar_id}"): J(both(IGO), P(sar_id=lambda w, s: s.sar.pk)),
    ("get", "/api/information-rights/sar/{sar_id}/redactions"): J(both(IGO), P(sar_id=lambda w, s: s.sar.pk)),
    ("get", "/api/information-rights/sar/{sar_id}/documents"): J(both(IGO), P(sar_id=lambda w, s: s.sar.pk)),
    ("post", "/api/information-rights/sar/{sar_id}/compile"): J(
        both(IGO), P(sar_id=lambda w, s: s.sar.pk), lambda w, s: {}
    ),
    ("post", "/api/information-rights/requests/{request_id}/acknowledge"): J(
        both(IGO), P(request_id=lambda w, s: s.foi.pk), lambda w, s: {}
    ),
    ("post", "/api/information-rights/requests/{request_id}/assign"): J(
        both(IGO), P(request_id=lambda w, s: s.foi.pk), lambda w, s: {"service_area": "Children's Services"}
    ),
    ("post", "/api/information-rights/requests/{request_id}/searches"): J(
        both(IGO),
        P(request_id=lambda w, s: s.foi.pk),
        lambda w, s: {"place": "Case system", "hours": "1", "found": "x"},
    ),
    ("post", "/api/information-rights/requests/{request_id}/clarification"): J(
        both(IGO), P(request_id=lambda w, s: s.foi.pk), lambda w, s: {"requested_on": _today()}
    ),
    ("post", "/api/information-rights/sar/{sar_id}/clarification"): J(
        both(IGO), P(sar_id=lambda w, s: s.sar.pk), lambda w, s: {"requested_on": _today()}
    ),
    ("post", "/api/information-rights/sar"): J(
        both(IGO),
        body=lambda w, s: {
            "requester_name": "B",
            "requester_contact": "b@example.org",
            "requester_kind": "self",
        },
    ),
    ("post", "/api/outbound/cases/{ref}/messages"): J(
        sides(frozenset({"worker_a", "manager_a", "igo"}), B_RECORD),
        case,
        lambda w, s: {"to": ["carers@example.org"], "subject": "Newsletter", "body": "Rota for June"},
    ),
    ("get", "/api/staff/compliance"): J(both(frozenset({"manager_a", "igo", "admin"}))),
    ("get", "/api/staff/policy/current"): J(both(EVERYONE)),
    ("post", "/api/staff/policy/acknowledge"): J(both(EVERYONE), body=lambda w, s: {}),
    ("get", "/api/staff/alerts"): J(both(STAFF)),
    ("get", "/api/staff/alerts/{alert_id}"): J(sides(frozenset({"manager_a", "igo"}), IGO), alert),
    ("post", "/api/staff/alerts/{alert_id}/review"): J(
        sides(frozenset({"manager_a", "igo"}), IGO),
        alert,
        lambda w, s: {"outcome": "no_concern", "note": "Fine"},
    ),
    ("post", "/api/staff/inductions"): J(
        sides(frozenset({"manager_a", "igo", "admin"}), frozenset({"igo", "admin"})),
        body=lambda w, s: {"staff_id": s.staff.pk, "discussed_on": _today()},
    ),
    ("post", "/api/staff/absences"): J(
        sides(frozenset({"manager_a", "igo", "admin"}), frozenset({"igo", "admin"})),
        body=lambda w, s: {"staff_id": s.staff.pk, "start_on": _today(), "end_on": _today()},
    ),
    ("post", "/api/staff/supervised/{staff_id}/activate"): J(
        both(frozenset({"worker_a"})), P(staff_id=lambda w, s: w.staff["volunteer_a"].pk), lambda w, s: {}
    ),
    ("post", "/api/staff/policy-versions"): J(
        both(frozenset({"igo", "admin"})), body=lambda w, s: {"version": "99", "title": "P", "text": "T"}
    ),
    ("post", "/api/staff/supervised"): J(
        # Governance, or the manager of the team of the member of staff who will be responsible.
        sides(frozenset({"igo", "admin", "manager_a"}), frozenset({"igo", "admin"})),
        body=lambda w, s: {
            "username": "new.volunteer",
            "employment_type": "volunteer",
            "responsible_id": s.staff.pk,
        },
    ),
    ("post", "/api/research/requests"): J(
        both(STAFF),
        body=lambda w, s: {
            "title": "T",
            "purpose": "P",
            "lawful_basis": "Art 6(1)(e)",
            "fields": ["district"],
            "retention": "1 year",
            "audience": "Team",
            "requester_name": "Dr R",
        },
    ),
    ("get", "/api/research/requests"): J(both(EVERYONE)),
    ("get", "/api/research/requests/{request_id}"): J(
        sides(frozenset({"worker_a", "igo", "research"}), frozenset({"worker_b", "igo", "research"})),
        research,
    ),
    ("post", "/api/research/requests/{request_id}/decision"): J(
        both(frozenset({"research"})), research, lambda w, s: {"approve": True, "reasons": "Fine"}
    ),
    ("get", "/api/research/commercial"): J(both(EVERYONE)),
    ("get", "/api/research/commercial/{record_id}"): J(
        sides(frozenset({"worker_a"}), frozenset({"worker_b"})), P(record_id=lambda w, s: s.commercial.pk)
    ),
}
# Operations whose success depends on state this world does not set up; each must still refuse every
# role outside the IGO (and the IGO's answer is not asserted here: tests/information_rights cover it).
IGO_ONLY_STATEFUL = {
    ("post", "/api/information-rights/sar/{sar_id}/verify"),  # the world's cases are verified already
    # A request made for someone else: evidence, its second check, the child's view (test_representatives).
    ("post", "/api/information-rights/sar/{sar_id}/evidence"),
    ("post", "/api/information-rights/sar/{sar_id}/evidence/{evidence_id}/check"),
    ("post", "/api/information-rights/sar/{sar_id}/child"),
    ("post", "/api/information-rights/requests/{request_id}/extend"),
    ("post", "/api/information-rights/requests/{request_id}/exemptions"),
    ("post", "/api/information-rights/requests/{request_id}/outcome"),
    ("post", "/api/information-rights/requests/{request_id}/transfer"),
    ("post", "/api/information-rights/requests/{request_id}/reviews"),
    ("post", "/api/information-rights/sar/{sar_id}/extend"),
    ("post", "/api/information-rights/sar/{sar_id}/redactions"),
    ("post", "/api/information-rights/redactions/{redaction_id}/decision"),
    ("get", "/api/information-rights/sar/{sar_id}/bundle"),
    ("post", "/api/information-rights/sar/{sar_id}/release"),
    ("post", "/api/information-rights/sar/{sar_id}/attachments/{attachment_id}/decision"),
    ("post", "/api/information-rights/sar/{sar_id}/reviews"),
    ("post", "/api/information-rights/sar/{sar_id}/reviews/{review_id}/decision"),
    ("post", "/api/research/requests/{request_id}/extracts"),
    # Four eyes and the reviewer's redactions: a compiled bundle, or an answered request, first.
    ("post", "/api/information-rights/sar/{sar_id}/sign-off-request"),
    ("post", "/api/information-rights/sar/{sar_id}/sign-off"),
    ("post", "/api/information-rights/sar/{sar_id}/redactions/selection"),
    ("post", "/api/information-rights/sar/{sar_id}/redactions/{redaction_id}/extent"),
    ("post", "/api/information-rights/sar/{sar_id}/redactions/accept-proposed"),
    ("post", "/api/information-rights/requests/{request_id}/sign-off"),
    ("post", "/api/information-rights/requests/{request_id}/letter"),
    # Document pages and boxes (none in this world; tests/information_rights/test_document_review.py).
    ("post", "/api/information-rights/sar/{sar_id}/documents/read"),
    ("get", "/api/information-rights/pages/{page_id}"),
    ("get", "/api/information-rights/pages/{page_id}/image"),
    ("post", "/api/information-rights/pages/{page_id}/boxes"),
    ("post", "/api/information-rights/pages/{page_id}/words"),
    ("post", "/api/information-rights/pages/{page_id}/check"),
    ("post", "/api/information-rights/pages/{page_id}/duplicates/decision"),
    ("post", "/api/information-rights/boxes/{box_id}/decision"),
    ("post", "/api/information-rights/boxes/{box_id}/geometry"),
    ("post", "/api/information-rights/boxes/{box_id}/apply-to-all"),
}
BEARER_ONLY = {("post", "/api/outbound/check")}  # a mail server's service account (tests/outbound)


# --- the walk -----------------------------------------------------------------------------------


def _page_routes(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> dict[str, str]:
    resolver = resolver or get_resolver()
    out: dict[str, str] = {}
    for pattern in resolver.url_patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if text.startswith(("admin/", "api/")):
                continue
            out.update(_page_routes(pattern, text, pattern.namespace or ns))
        elif isinstance(pattern, URLPattern) and pattern.name:
            out[f"{ns}:{pattern.name}"] = "/" + text
    return out


def _api_operations() -> set[tuple[str, str]]:
    from discretion.api import api

    return {(method, path) for path, ops in api.get_openapi_schema()["paths"].items() for method in ops}


def _fill(route: str, params: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        return str(params[match.group(1)])

    return re.sub(r"\{(\w+)\}", value, re.sub(r"<(?:\w+:)?(\w+)>", value, route))


def _wrote(before: int) -> bool:
    from discretion.audit.models import AuditEvent

    reading = ("read", "refused", "listed", "search", "refs_read", "checks.listed")
    actions = AuditEvent.objects.filter(id__gt=before).values_list("action", flat=True)
    return any(not action.endswith(reading) and action != "policy.acknowledged" for action in actions)


def _head() -> int:
    from discretion.audit.models import AuditEvent

    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


class _Rollback(Exception):
    pass


def _isolated(call: Callable[..., Any], *args: Any) -> Any:
    """Run one request inside a savepoint and undo whatever it wrote."""
    result: list[Any] = []
    try:
        with transaction.atomic():
            result.append(call(*args))
            raise _Rollback
    except _Rollback:
        pass
    return result[0]


def _page_post(client: Client, url: str, body: dict[str, Any]) -> tuple[int, bool]:
    before = _head()
    response = client.post(url, body)
    errors = any(client.session.get(k) for k in ("request_error", "share_error"))
    return response.status_code, response.status_code in (200, 302) and not errors and _wrote(before)


def _api_write(client: Client, method: str, url: str, body: dict[str, Any], multipart: bool) -> int:
    if multipart:
        return int(client.post(url, body).status_code)
    return int(getattr(client, method)(url, body, content_type="application/json").status_code)


def test_every_route_is_in_the_matrix() -> None:
    pages = set(_page_routes())
    decided = set(PAGE_READS) | set(PAGE_WRITES) | NOT_READ | NOT_WRITTEN
    assert pages - decided == set(), "new pages: decide who may use them"
    api = _api_operations()
    decided_api = set(API) | IGO_ONLY_STATEFUL | BEARER_ONLY
    assert api - decided_api == set(), "new API operations: decide who may use them"
    assert decided_api - api == set(), "the matrix names operations that no longer exist"


def _client(staff: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    return client


def test_authorisation_matrix(world: Any) -> None:
    w = build(world)
    routes = _page_routes()
    clients = {role: _client(w.staff[role]) for role in ROLES}
    surprises: list[str] = []
    calls = 0

    def judge(what: str, side: str, role: str, allowed: bool, expected: frozenset[str], status: int) -> None:
        if allowed != (role in expected):
            kind = "ALLOWED" if allowed else "refused"
            surprises.append(f"{kind:8} {what} [{side}] as {role} ({status})")
        if status >= 500:
            surprises.append(f"SERVER ERROR {what} [{side}] as {role} ({status})")

    for side_name, side in (("a", w.a), ("b", w.b)):
        for name, call in PAGE_READS.items():
            url = _fill(routes[name], call.params(w, side))
            for role, client in clients.items():
                response = client.get(url)
                calls += 1
                judge(
                    f"GET {name}",
                    side_name,
                    role,
                    response.status_code == 200,
                    call.expect[side_name],
                    response.status_code,
                )
        for name, call in PAGE_WRITES.items():
            url = _fill(routes[name], call.params(w, side))
            assert call.body is not None
            for role, client in clients.items():
                status, allowed = _isolated(_page_post, client, url, call.body(w, side))
                calls += 1
                judge(f"POST {name}", side_name, role, allowed, call.expect[side_name], status)
        for (method, path), call in API.items():
            url = _fill(path, call.params(w, side))
            for role, client in clients.items():
                if method == "get":
                    status = client.get(url).status_code
                else:
                    body = call.body(w, side) if call.body else {}
                    status = _isolated(_api_write, client, method, url, body, call.multipart)
                calls += 1
                judge(
                    f"{method.upper()} {path}",
                    side_name,
                    role,
                    200 <= status < 300,
                    call.expect[side_name],
                    status,
                )
        for method, path in sorted(IGO_ONLY_STATEFUL):
            params = {
                "request_id": side.foi.pk if "information-rights" in path else side.research.pk,
                "sar_id": side.sar.pk,
                "redaction_id": 1,
                "attachment_id": side.attachment.pk,
                "review_id": 1,
                "page_id": 1,
                "box_id": 1,
                "evidence_id": 1,
            }
            url = _fill(path, params)
            for role, client in clients.items():
                if role == "igo" or (role == "research" and "research" in path):
                    continue
                status = (
                    client.get(url).status_code
                    if method == "get"
                    else _isolated(_api_write, client, method, url, {}, False)
                )
                calls += 1
                if status not in (401, 403, 404, 422):
                    surprises.append(f"ALLOWED? {method.upper()} {path} [{side_name}] as {role} ({status})")
    print(  # the size, for the record (pytest -s)
        f"authz matrix: {calls} calls; {len(PAGE_READS)} page reads, {len(PAGE_WRITES)} page writes, "
        f"{len(API)} API operations, {len(IGO_ONLY_STATEFUL)} stateful IGO operations; {len(ROLES)} roles; 2 sides"
    )
    assert calls > 2000
    assert surprises == [], "\n".join(surprises)
