"""Each role's home page is their work: the queue each role owns, urgent first.

Every list comes from the service that owns it (requests, information rights, disclosures, staff
alerts, research), which checks who may see it and audits the read; this module only chooses which
lists a role's home shows and words each line. Lines name requests by number and who asked by kind,
never a child or a requester by name; a child's name appears only on the caseload, as it always has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import dateformat

from discretion import access
from discretion.disclosures import services as disclosures
from discretion.information_rights import services as ir
from discretion.requests import labels, record_access, services
from discretion.requests.forms import CATEGORY_LABELS, DOCUMENT_LABELS, PURPOSE_LABELS
from discretion.requests.models import Request, State
from discretion.requests.urgency import urgent_reason
from discretion.research import services as research
from discretion.research.models import RequestStatus
from discretion.staff import services as staff
from discretion.staff.models import Role, Staff


@dataclass(frozen=True)
class Item:
    """One line of a queue: a link, what it is, and a tag (words and colour: never colour alone)."""

    href: str
    label: str
    detail: str = ""
    urgent: str = ""
    tag: str = ""
    tag_colour: str = ""


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    empty: str = "Nothing waiting."
    more_href: str = ""
    more_text: str = ""
    intro: str = ""


@dataclass
class Work:
    heading: str
    sections: list[Section]
    cases: list[Any] | None = None  # the caseload (practitioners, managers, volunteers, students)
    cases_title: str = "My cases"
    actions: list[tuple[str, str]] = field(default_factory=list)  # (href, text) buttons


def _when(value: Any) -> str:
    from django.utils import timezone

    return dateformat.format(timezone.localtime(value), "j M Y, H:i")


def _request_item(req: Request, detail: str, *, href: str = "") -> Item:
    purpose = PURPOSE_LABELS.get(str(req.facts.get("purpose", "")), "")
    who = CATEGORY_LABELS.get(req.category, "Someone")
    about = f"{who}, {purpose[:1].lower()}{purpose[1:]}" if purpose and purpose != "Something else" else who
    return Item(
        href=href or reverse("requests:detail", args=[req.pk]),
        label=f"Request {req.pk}",
        detail=f"{about}. {detail}".strip(),
        urgent=urgent_reason(req),
    )


# --- the sections, one per queue ---------------------------------------------------------------


def _to_decide(actor: Staff, title: str, empty: str = "Nothing waiting for your decision.") -> Section:
    rows = services.queue_for(actor)
    items = [
        _request_item(
            r,
            f"Handled by {r.handler.display_name}; referred to "
            f"{', '.join(labels.route_labels(r.decision.get('route_to', [])))}; received {_when(r.received_at)}.",
        )
        for r in rows
    ]
    return Section("to-decide", title, items, empty)


def _checks(actor: Staff) -> list[Section]:
    documents, asking = services.checks_for(actor)
    sections = []
    if actor.role in (Role.LEGAL, Role.IGO):
        title = "Court orders to check" if actor.role == Role.LEGAL else "Documents to check"
        items = [
            _request_item(
                d.request,
                f"{DOCUMENT_LABELS.get(d.code, 'A document')} added {_when(d.uploaded_at)}: a second person "
                "must check it before it counts.",
            )
            for d in documents
        ]
        sections.append(Section("documents", title, items, "No documents waiting for your check."))
    if actor.role in (Role.TEAM_MANAGER, Role.IGO):
        items = [
            _request_item(r, f"{r.handler.display_name} asks to open the records it is about.")
            for r in asking
        ]
        sections.append(
            Section("record-access", "Asking to open records", items, "Nobody is waiting for your agreement.")
        )
    return sections


NEXT_STEPS = {
    State.RECEIVED: "Received",
    State.REFERRED: "Waiting for a decision",
    State.NEED_MORE: "Waiting for more information",
    State.APPROVED: "Approved: choose what to release",
    State.PREPARING: "Ready to release",
    State.RELEASED: "Released: close it when nothing more is needed",
    State.REFUSED: "Refused: close it when the requester has been told",
}


def _handling(actor: Staff) -> Section:
    items = []
    for r in services.my_requests(actor):
        step = NEXT_STEPS.get(State(r.state), r.get_state_display())
        href = ""
        if r.state in (State.APPROVED, State.PREPARING) and record_access.status_of(r) in (
            record_access.Status.NOT_NEEDED,
            record_access.Status.AGREED,
        ):
            href = reverse("requests:entries", args=[r.pk])
        items.append(_request_item(r, f"{step}.", href=href))
    return Section("handling", "Requests you are handling", items, "You are not handling any requests.")


def _letters(actor: Staff) -> Section | None:
    letters = disclosures.print_queue(actor)
    if not letters and actor.role != Role.IGO:
        return None
    items = [
        Item(
            href=reverse("disclosures:letter-posted", args=[m.pk]),
            label=f"Register entry {m.disclosure_id}",
            detail=f"Released by {m.disclosure.released_by.display_name if m.disclosure else ''} on "
            f"{_when(m.created_at)}: print it, post it and record when it went.",
        )
        for m in letters
    ]
    return Section(
        "letters",
        "Letters to post",
        items,
        "No letters waiting.",
        more_href=reverse("disclosures:print-queue"),
        more_text="All letters to post",
    )


def _alerts(actor: Staff) -> Section:
    alerts = list(staff.alerts_for(actor, open_only=True)[:50])
    items = [
        Item(
            href=reverse("staff:alert", args=[a.pk]),
            label=a.get_kind_display(),
            detail=f"About {a.subject_staff.display_name}, raised {_when(a.created_at)}: {a.summary}",
            tag="Not yet reviewed",
            tag_colour="yellow",
        )
        for a in alerts
    ]
    return Section(
        "alerts",
        "Alerts to review",
        items,
        "No alerts waiting for review.",
        more_href=reverse("staff:alerts"),
        more_text="All alerts",
    )


RAG_TAGS = {
    "red": ("Red", "red"),
    "amber": ("Amber", "yellow"),
    "green": ("Green", "green"),
    "on_hold": ("On hold", "grey"),
}


def _information_rights(actor: Staff) -> Section:
    """FOI, EIR and subject-access cases by due date, with their RAG status (words and colour)."""

    board = ir.dashboard(actor)
    items = []
    for case in board.open_cases:
        text, colour = RAG_TAGS.get(case.rag, (case.rag, "grey"))
        if case.rag != "on_hold" and case.due_on < board.today:
            text, colour = "Overdue", "red"
        due = dateformat.format(case.due_on, "j M Y")
        if case.rag == "on_hold":
            left = f"clock stopped: {case.waiting_for} awaited"
        elif case.due_on < board.today:
            left = f"was due {due}"
        else:
            left = f"due {due}, {case.days_left} working day{'s' if case.days_left != 1 else ''} left"
        href = reverse(
            "information_rights:sar" if case.kind == "sar" else "information_rights:request", args=[case.pk]
        )
        items.append(
            Item(
                href=href,
                label=case.ref,
                detail=f"{case.regime}, {left}; handled by {case.handler or 'nobody yet'}.",
                tag=text,
                tag_colour=colour,
            )
        )
    return Section(
        "information-rights",
        "FOI, EIR and subject access cases by due date",
        items,
        "No open cases.",
        more_href=reverse("information_rights:dashboard"),
        more_text="The information rights dashboard",
    )


def _sign_offs(actor: Staff) -> Section | None:
    """Four eyes: answers and bundles another officer prepared, waiting for this one's sign-off."""
    from discretion.information_rights import review

    answers, bundles = review.waiting_for_sign_off(actor)
    items = [
        Item(
            href=reverse("information_rights:request", args=[r.pk]),
            label=r.ref,
            detail=f"The answer, prepared by {r.answer_prepared_by.display_name if r.answer_prepared_by else 'another officer'}.",
        )
        for r in answers
    ] + [
        Item(
            href=reverse("information_rights:sar-review", args=[s.pk]),
            label=s.ref,
            detail=f"The subject access bundle, prepared by {s.prepared_by.display_name if s.prepared_by else 'another officer'}.",
        )
        for s in bundles
    ]
    return Section("sign-off", "Waiting for your sign-off", items, "Nothing waiting for your sign-off.")


def _research(actor: Staff) -> Section:
    waiting = research.requests_for(actor).filter(status=RequestStatus.SUBMITTED).exclude(submitted_by=actor)
    items = [
        Item(
            href=reverse("research:detail", args=[r.pk]),
            label=r.title,
            detail=f"Submitted by {r.submitted_by.display_name} on {_when(r.submitted_at)}"
            + (f" for {r.organisation}" if r.is_external and r.organisation else "")
            + ".",
        )
        for r in waiting.order_by("submitted_at", "id")[:100]
    ]
    return Section(
        "research",
        "Research requests waiting for your decision",
        items,
        "No research requests waiting.",
        more_href=reverse("research:list"),
        more_text="All research requests",
    )


def _administration() -> Section:
    return Section(
        "administration",
        "Administration",
        [
            Item(
                href=reverse("admin:index"),
                label="Configuration",
                detail="Staff accounts, roles and teams, the calendar's one-off days, recipients' "
                "encryption keys and commercial records. Every change is audited.",
            ),
            Item(
                href=reverse("staff:compliance"),
                label="Staff compliance",
                detail="Accounts with a policy not acknowledged, an induction not recorded or a "
                "supervisor missing.",
            ),
        ],
    )


# --- a role's home ---------------------------------------------------------------------------


def work_for(actor: Staff) -> Work:
    """The home page of `actor`: what waits for them, urgent first, in the order they should
    look at it; the caseload stays for those who have one."""
    if actor.is_supervised:
        return Work("My cases", [], cases=access.my_cases(actor), cases_title="Cases shared with you")
    log = [(reverse("requests:start"), "Log a request")]
    role = actor.role
    sections: list[Section] = []
    work = Work("My work", sections)
    if role == Role.TEAM_MANAGER:
        sections.append(_to_decide(actor, "Waiting for your approval"))
        sections.extend(_checks(actor))
        sections.append(_alerts(actor))
        sections.append(_handling(actor))
        work.cases, work.cases_title, work.actions = access.my_cases(actor), "My team's cases", log
    elif role == Role.IGO:
        sections.append(_to_decide(actor, "Waiting for your decision"))
        sections.extend(_checks(actor))
        sections.append(_information_rights(actor))
        signing = _sign_offs(actor)
        sections.extend([signing] if signing and signing.items else [])
        letters = _letters(actor)
        sections.extend([letters] if letters else [])
        sections.append(_alerts(actor))
        sections.append(_handling(actor))
        work.actions = [
            *log,
            (reverse("information_rights:request-new"), "Log an FOI or EIR request"),
            (reverse("information_rights:sar-new"), "Log a subject access request"),
        ]
    elif role == Role.LEGAL:
        sections.extend(_checks(actor))
        sections.append(_to_decide(actor, "Referred to Legal Services"))
        work.actions = log
    elif role == Role.PRESS:
        section = _to_decide(actor, "Media enquiries", "No media enquiries waiting.")
        section.intro = (
            "Enquiries from the press, radio, television and online media, referred to you (policy 1.5). "
            "Nothing about a child is shared with the media; close each one once it is answered."
        )
        sections.append(section)
    elif role == Role.RESEARCH:
        sections.append(_research(actor))
        sections.append(_to_decide(actor, "Referred to research governance"))
    elif role == Role.ADMIN:
        sections.append(_administration())
        sections.append(_alerts(actor))
    else:  # practitioners, agency workers
        sections.append(_handling(actor))
        letters = _letters(actor)
        sections.extend([letters] if letters else [])
        alerts = _alerts(actor)  # sent to them: a volunteer or student they supervise
        sections.extend([alerts] if alerts.items else [])
        work.cases, work.actions = access.my_cases(actor), log
    return work
