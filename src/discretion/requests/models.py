"""Requests for information about a child: who asked, how, about whom, what and why; the policy
decision on them (with its history), the approvals, the verification tasks, the entries picked for
release, and every state change (policy 1.1–3)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone


class State(models.TextChoices):
    RECEIVED = "received", "Received"
    NEED_MORE = "need_more", "Waiting for more information"
    REFERRED = "referred", "Referred"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    PREPARING = "preparing", "Preparing the release"
    RELEASED = "released", "Released"
    CLOSED = "closed", "Closed"


class Request(models.Model):
    """One incoming request. `facts` is the policy facts object (the vocabulary of
    `discretion.policy`), and `decision` the decision last made on them."""

    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED, db_index=True)
    handler = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="handled_requests")
    team = models.ForeignKey("staff.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)
    requester_name = models.CharField(max_length=200)
    requester_organisation = models.CharField(max_length=200, blank=True)
    requester_role = models.CharField(max_length=200, blank=True)
    requester_contact = models.CharField(
        max_length=254, blank=True, help_text="Telephone, e-mail or address."
    )
    # A colleague asking: their own account, so the request can never give them access itself.
    requester_staff = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(blank=True, help_text="What is asked for, in the requester's words.")
    facts = models.JSONField(default=dict)
    decision = models.JSONField(default=dict)
    subjects: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "records.Person", through="RequestSubject", related_name="+"
    )
    disclosure = models.ForeignKey(
        "disclosures.Disclosure", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"Request {self.pk}"

    @property
    def category(self) -> str:
        return str(self.facts.get("requester", {}).get("category", ""))

    @property
    def outcome(self) -> str:
        return str(self.decision.get("outcome", ""))

    @property
    def stored_facts(self) -> StoredFacts:
        """The facts the current decision was made on, read by name."""
        return StoredFacts(self.facts)


@dataclass(frozen=True)
class StoredFacts:
    """A request's stored facts (the policy's vocabulary, `discretion.policy.facts`), read by name
    rather than by key. Lenient as the stored JSON is: a fact never recorded reads as absent."""

    raw: Mapping[str, Any]

    @property
    def _requester(self) -> Mapping[str, Any]:
        requester = self.raw.get("requester", {})
        return requester if isinstance(requester, Mapping) else {}

    @property
    def purpose(self) -> str:
        return str(self.raw.get("purpose", ""))

    @property
    def channel(self) -> str:
        return str(self.raw.get("channel", ""))

    @property
    def information(self) -> frozenset[str]:
        return frozenset(self.raw.get("information", []))

    @property
    def documents(self) -> frozenset[str]:
        return frozenset(self.raw.get("documents", []))

    @property
    def approvals(self) -> frozenset[str]:
        return frozenset(self.raw.get("approvals", []))

    @property
    def in_writing(self) -> bool:
        return bool(self.raw.get("in_writing"))

    @property
    def has_consent(self) -> bool:
        """Any consent other than "none" (written consent counts once its document is checked)."""
        return self.raw.get("consent") != "none"

    @property
    def identity_verified(self) -> bool:
        return bool(self._requester.get("identity_verified"))

    @property
    def entitlement_verified(self) -> bool:
        return bool(self._requester.get("entitlement_verified"))


class RequestSubject(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="subject_links")
    person = models.ForeignKey("records.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "person"], name="one_subject_per_request")]
        indexes = [models.Index(fields=["person", "request"])]


class DecisionRecord(models.Model):
    """Every decision with the facts it was made on (stored with its facts, as history: docs/architecture.md)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="decisions")
    made_at = models.DateTimeField(default=timezone.now)
    made_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    facts = models.JSONField()
    decision = models.JSONField()

    class Meta:
        ordering = ["made_at", "id"]


class RequestEvent(models.Model):
    """A state change or action on a request: who, when, from and to which state."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class RequestDocument(models.Model):
    """A document that came with the request (court order, consent form, appointment…)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="documents")
    code = models.CharField(max_length=40)
    file = models.FileField(upload_to="requests/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Evidence only once checked by a second person with the right role (Legal Services for a
    # court order, information governance otherwise): until then it is not a fact.
    checked_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True, blank=True)
    check_note = models.TextField(blank=True)


class Approval(models.Model):
    """An approval or refusal by the role a request was referred to, with its reasoning."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="approvals")
    route = models.CharField(max_length=32)
    approved = models.BooleanField()
    decided_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    reasoning = models.TextField()


class RecordAccess(models.Model):
    """Four eyes on the records a request opens: someone other than the handler (their team manager
    or information governance, or whoever approved the request) agrees that the handler may read
    the records of the people the request is about, for this request only, until it is released,
    refused or closed, or the time runs out (policy 2.3-2.4: need to know)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="record_access")
    handler = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        "staff.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True, blank=True)
    reasoning = models.TextField(blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        indexes = [models.Index(fields=["handler", "approved", "ended_at"])]


class TaskKind(models.TextChoices):
    VERIFY_IDENTITY = "verify_identity", "Check the requester's identity"
    VERIFY_ENTITLEMENT = "verify_entitlement", "Check the requester is entitled to the information"
    REQUEST_IN_WRITING = "request_in_writing", "Get the request in writing"
    INFORM_SUBJECT = "inform_subject", "Tell the child or young person"


class InformOutcome(models.TextChoices):
    TOLD = "told", "The child or young person has been told"
    NOT_POSSIBLE = "not_possible", "Not told: it is not possible now (for example, the child is missing)"
    RISK = "risk", "Not told: it is not safe now (telling them would put them or someone else at risk)"
    UNDERSTANDING = "understanding", "Not told: their age and understanding"


class Task(models.Model):
    """A completed verification or informing task (what was done, by whom, when, how)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=24, choices=TaskKind.choices)
    outcome = models.CharField(max_length=16, blank=True)
    note = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    done_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(default=timezone.now)
    # A check made on facts that have since changed (a letter that became a phone call) no longer
    # stands: it stays in the history, and the check is done again.
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind"],
                condition=models.Q(voided_at__isnull=True),
                name="one_task_per_kind",
            )
        ]


class Selection(models.Model):
    """An entry picked for release, with why the recipient needs it (policy 2.3–2.4)."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="selections")
    entry = models.ForeignKey("records.Entry", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    selected_by = models.ForeignKey("staff.Staff", on_delete=models.PROTECT, related_name="+")
    selected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "entry"], name="one_selection_per_entry")]
