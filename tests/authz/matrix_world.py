"""The world the authorisation matrix walks: every role, and for each kind of object one inside a
relationship (team A's worker, their manager, their volunteer) and one outside it (team B's).

Built through the real services, as users would build it, so each object carries the state that
makes its actions possible (an approved request, a compiled subject-access case, a letter to post).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ROLES = (
    "worker_a",
    "manager_a",
    "volunteer_a",
    "student_a",
    "agency_a",
    "worker_b",
    "igo",
    "legal",
    "press",
    "research",
    "admin",
)


@dataclass
class Side:
    """One set of objects: team A's ("a") or team B's ("b")."""

    person: Any = None
    case: Any = None
    entry: Any = None
    flagged_entry: Any = None
    attachment: Any = None
    referred: Any = None  # a police request referred to the manager
    approved: Any = None  # a share-decided request, every check done, entries chosen
    document: Any = None
    letter: Any = None  # a release by post waiting to be printed
    link: Any = None  # a release by secure link, not yet expired
    notification: Any = None  # the team manager told of the referral
    alert: Any = None
    account_change: Any = None  # an administrator's change to the side's worker's role, waiting
    research: Any = None
    commercial: Any = None
    question: Any = None
    foi: Any = None
    sar: Any = None
    redaction: Any = None
    sar_review: Any = None
    staff: Any = None  # the side's worker (for staff pages)
    supervisee: Any = None
    refs: dict[str, Any] = field(default_factory=dict)


@dataclass
class MatrixWorld:
    staff: dict[str, Any]
    a: Side
    b: Side


def _entry(world: Any, case: Any, text: str, **flags: Any) -> Any:
    return world.entry(case, text, **flags)


def _prepared_request(worker: Any, side: Side, key: str) -> Any:
    """A GP's section 47 request, every check done and an entry chosen: ready to release."""
    from discretion.requests import services as requests

    gp = requests.RequesterDetails(
        name="Dr Okafor",
        category="other_agency",
        contact=f"gp.{key}@nhs.example, 1 Surgery Lane",
        works_with_child=True,
    )
    req = requests.log_request(
        worker,
        requester=gp,
        channel="secure_email",
        person_ids=[side.person.pk],
        information=["child_personal"],
        purpose="section_47_enquiry",
    )
    for kind in ("verify_identity", "verify_entitlement"):
        requests.complete_task(worker, req.pk, kind, note="Checked.")
    requests.complete_task(worker, req.pk, "inform_subject", note="Told.", outcome="told")
    requests.select_entries(worker, req.pk, {side.entry.pk: "What the GP needs"})
    return req


def build(world: Any) -> MatrixWorld:
    from discretion.disclosures.models import SecureLink
    from discretion.information_rights import services as ir
    from discretion.notifications.models import Notification
    from discretion.records import services as records
    from discretion.records import sharing
    from discretion.requests import documents
    from discretion.requests import services as requests
    from discretion.research import commercial
    from discretion.research import services as research
    from discretion.research.models import CommercialRecord
    from discretion.staff import accounts
    from discretion.staff.alerts import raise_alert

    team_a, team_b = world.team("Chorley Safeguarding"), world.team("Burnley Children in Need")
    manager_a = world.manager_of(team_a)
    manager_b = world.manager_of(team_b)
    worker_a = world.staff("practitioner", team=team_a)
    worker_b = world.staff("practitioner", team=team_b)
    staff = {
        "worker_a": worker_a,
        "manager_a": manager_a,
        "volunteer_a": world.staff(employment_type="volunteer", responsible=worker_a, team=team_a),
        "student_a": world.staff(employment_type="student", responsible=worker_a, team=team_a),
        "agency_a": world.staff("practitioner", team=team_a, employment_type="agency"),
        "worker_b": worker_b,
        "igo": world.staff("information_governance"),
        "legal": world.staff("legal_services"),
        "press": world.staff("press_office"),
        "research": world.staff("research_governance"),
        "admin": world.staff("administrator"),
    }
    staff["admin"].is_staff = staff["admin"].is_superuser = True
    staff["admin"].save()
    permission = Permission.objects.get(codename="view_commercial_records")
    for name in ("worker_a", "worker_b"):
        staff[name].user_permissions.add(permission)

    sides = {}
    for key, team, worker, manager, given in (
        ("a", team_a, worker_a, manager_a, "Kayden"),
        ("b", team_b, worker_b, manager_b, "Maisie"),
    ):
        side = Side(staff=worker)
        side.person = world.person(given, "Walsh" if key == "a" else "Pemberton")
        side.case = world.case(side.person, team, workers=(worker,))
        side.entry = _entry(world, side.case, f"Home visit. {given} seen alone.", title="Visit")
        side.flagged_entry = _entry(world, side.case, "Mother's partner has a conviction.", third_party=True)
        side.attachment = records.add_attachment(
            worker,
            side.entry.pk,
            io.BytesIO(PDF),
            name="letter.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
        police = requests.RequesterDetails(name="DC Rao", category="police", organisation="County Police")
        side.referred = requests.log_request(
            worker,
            requester=police,
            channel="letter",
            person_ids=[side.person.pk],
            information=["child_personal"],
            purpose="missing_child",
        )
        side.document = documents.add_document(
            worker,
            side.referred.pk,
            "court_order",
            SimpleUploadedFile("order.pdf", PDF),
            name="order.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
        side.approved = _prepared_request(worker, side, key)
        # A release by post of a third request, so there is a letter to print.
        posted = _prepared_request(worker, side, key)
        release = requests.release_request(worker, posted.pk, channel="post", address="1 Surgery Lane")
        side.letter = release.message
        # A fourth, released by secure link, so there is a link to list and revoke.
        linked = _prepared_request(worker, side, key)
        sent = requests.release_request(
            worker, linked.pk, channel="secure_link", address=f"gp.{key}@nhs.example"
        )
        side.link = SecureLink.objects.get(message=sent.message)
        side.notification = Notification.objects.get(
            recipient=manager, object_type="request", object_id=str(side.referred.pk)
        )
        side.alert = raise_alert("bulk_reading", about=worker, recipient=manager, summary="Read 300 records")
        side.account_change = accounts.hold_change(
            staff["admin"], worker, {"role": ["practitioner", "team_manager"]}
        )
        side.research = research.submit_request(
            worker,
            research.Submission(
                title=f"Placement stability {key}",
                purpose="Service evaluation",
                lawful_basis="UK GDPR Art 6(1)(e)",
                fields=["district", "gender"],
                retention="12 months",
                audience="The evaluation team",
                requester_name="Dr Ann Researcher",
            ),
        )
        side.commercial = CommercialRecord.objects.create(
            title=f"Framework {key}",
            kind="contract",
            counterparty="Pennine Care Homes Ltd",
            team=team,
            text="Fees",
            created_by=manager,
        )
        side.question = commercial.ask_manager(worker, side.commercial.pk, reason="Am I allowed to see this?")
        side.foi = ir.log_request(
            staff["igo"],
            requester_name=f"Ms FOI {key}",
            requester_contact=f"foi.{key}@example.org",
            channel="email",
            wording="How many children were in care last year?",
        )
        side.sar = ir.open_sar(
            staff["igo"],
            requester_name=f"{given} Walsh",
            requester_contact=f"sar.{key}@example.org",
            requester_kind="self",
            received_on=dt.date(2026, 11, 2),
            subject_ref=side.person.ref,
        )
        ir.verify_identity(staff["igo"], side.sar.pk, evidence="Passport seen", subject_ref=side.person.ref)
        sides[key] = side

    sharing.share_case(worker_a, ref=sides["a"].case.ref, supervisee_username=staff["volunteer_a"].username)
    sides["a"].supervisee = staff["volunteer_a"]
    sides["b"].supervisee = staff["student_a"]
    return MatrixWorld(staff=staff, a=sides["a"], b=sides["b"])
