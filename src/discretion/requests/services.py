"""Request workflow: one function per user action — permission, rule, write, audit.

The actions live in modules named for what they do (`intake`, `fact_changes`, `approvals`,
`tasks_done`, `selection`, `release`, `closing`, `worklists`; who may act in `permissions`, the
decision and state in `workflow`). This module names them for callers elsewhere. The policy engine
decides (`discretion.policy.decide`); personal data is read only through `discretion.access`, and
leaves only through `discretion.disclosures.services.disclose`.
"""

from __future__ import annotations

from discretion.errors import InvalidInput, NotPermitted
from discretion.requests.approvals import ask_for_record_access, decide_record_access, decide_referral
from discretion.requests.closing import close_request
from discretion.requests.fact_changes import set_facts
from discretion.requests.intake import RequesterDetails, log_request
from discretion.requests.permissions import (
    ROUTE_ROLES,
    get_request_for,
    handlers_of,
    may_act_for,
    may_see,
)
from discretion.requests.release import release_request, requester_addresses, unmet_conditions
from discretion.requests.selection import Candidate, candidates_for, select_entries
from discretion.requests.tasks_done import complete_task, open_tasks
from discretion.requests.workflow import current_decision
from discretion.requests.worklists import (
    checks_for,
    history,
    my_requests,
    queue_for,
    subject_refs,
    waiting_count,
)

__all__ = [
    "ROUTE_ROLES",
    "Candidate",
    "InvalidInput",
    "NotPermitted",
    "RequesterDetails",
    "ask_for_record_access",
    "candidates_for",
    "checks_for",
    "close_request",
    "complete_task",
    "current_decision",
    "decide_record_access",
    "decide_referral",
    "get_request_for",
    "handlers_of",
    "history",
    "log_request",
    "may_act_for",
    "may_see",
    "my_requests",
    "open_tasks",
    "queue_for",
    "release_request",
    "requester_addresses",
    "select_entries",
    "set_facts",
    "subject_refs",
    "unmet_conditions",
    "waiting_count",
]
