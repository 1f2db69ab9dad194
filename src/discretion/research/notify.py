"""Who is told what about a research submission: research governance when one waits for a decision
(never the person who submitted it), and the submitter when it is decided. Called inside the
services' transactions, after their audit events; the text names the submission's title and number,
which hold nothing about a child."""

from __future__ import annotations

from django.urls import reverse

from discretion.notifications.models import Kind
from discretion.notifications.services import Notice, notify
from discretion.research.models import RequestStatus, ResearchRequest
from discretion.staff.models import Staff


def submitted(req: ResearchRequest, actor: Staff) -> None:
    from discretion.research.services import deciders_for

    notify(
        deciders_for(req),
        Notice(
            Kind.REFERRED,
            f"Research request {req.pk} waits for your decision: submitted by {actor.display_name}.",
            reverse("research:detail", args=[req.pk]),
            "research_request",
            req.pk,
        ),
        triggered_by=actor,
    )


def decided(req: ResearchRequest, actor: Staff) -> None:
    approved = req.status == RequestStatus.APPROVED
    notify(
        [req.submitted_by],
        Notice(
            Kind.APPROVED if approved else Kind.REFUSED,
            f"Research request {req.pk} was {'approved' if approved else 'refused'} by {actor.display_name}.",
            reverse("research:detail", args=[req.pk]),
            "research_request",
            req.pk,
        ),
        triggered_by=actor,
    )
