"""The one door to personal data: need to know, checked and audited on every read.

Every read of a person, case, entry or attachment, and every search, goes through a function
here. Each decides whether the actor may see the record (the basis), writes an audit event
(the read, or the refusal), and returns only what that basis allows. A view, API endpoint or
command that queries these records directly is a bug.

Need to know (policy 1.2, 2.4; docs/architecture.md, "The two doors"):
- staff allocated to a case, while allocated;
- the team manager of the case's team, or of a worker currently allocated to it;
- a volunteer or work-experience student: only the cases their responsible member of staff has
  shared with them, case by case, while that member of staff is allocated; never special-category,
  third-party, confidential-source or commercial entries, and identifiers such as NHS numbers masked;
- the handler of a request, for the people it names and the kinds of information it asks for, once
  someone else has agreed (`requests.grants`: four eyes);
- information governance officers, for audit;
- anyone else (bar volunteers, students and the press office) by break-glass: a typed reason,
  recorded, time-limited, alerting the team manager of the case.

A refusal is audited; to anyone who could not break glass anyway it is the same dull "not found" as
a record that does not exist, so no role can use the door to learn who is on the records.

The door is a package named by what each part does: `grants` (who may open what), `refusals`,
`reads`, `masking`, `search`, `break_glass_access`, `research`, `letters`, `audit_reads`, `ids`.
Everything is re-exported here, so `from discretion import access; access.get_person_for(...)`
is how callers use it.
"""

from __future__ import annotations

from discretion.access.audit_reads import who_has_viewed as who_has_viewed
from discretion.access.break_glass_access import TRAIL_ACTIONS as TRAIL_ACTIONS
from discretion.access.break_glass_access import AlertReviewer as AlertReviewer
from discretion.access.break_glass_access import BreakGlassTrail as BreakGlassTrail
from discretion.access.break_glass_access import TrailRow as TrailRow
from discretion.access.break_glass_access import break_glass as break_glass
from discretion.access.break_glass_access import break_glass_trail as break_glass_trail
from discretion.access.break_glass_access import register_alert_reviewer as register_alert_reviewer
from discretion.access.grants import COMMERCIAL as COMMERCIAL
from discretion.access.grants import CONFIDENTIAL_SOURCE as CONFIDENTIAL_SOURCE
from discretion.access.grants import ENTRY_FLAGS as ENTRY_FLAGS
from discretion.access.grants import SPECIAL_CATEGORY as SPECIAL_CATEGORY
from discretion.access.grants import SUPERVISED_GRANT as SUPERVISED_GRANT
from discretion.access.grants import THIRD_PARTY as THIRD_PARTY
from discretion.access.grants import Basis as Basis
from discretion.access.grants import Grant as Grant
from discretion.access.grants import IdQuery as IdQuery
from discretion.access.grants import RegisteredBasis as RegisteredBasis
from discretion.access.grants import Scope as Scope
from discretion.access.grants import _require_active as _require_active
from discretion.access.grants import accessible_case_ids as accessible_case_ids
from discretion.access.grants import can_break_glass as can_break_glass
from discretion.access.grants import case_grant as case_grant
from discretion.access.grants import case_grants as case_grants
from discretion.access.grants import has_acknowledged_current_policy as has_acknowledged_current_policy
from discretion.access.grants import mask_identifier as mask_identifier
from discretion.access.grants import register_basis as register_basis
from discretion.access.grants import registered_bases as registered_bases
from discretion.access.ids import case_id_for_ref as case_id_for_ref
from discretion.access.ids import case_refs as case_refs
from discretion.access.ids import person_ids_for_refs as person_ids_for_refs
from discretion.access.letters import LetterRelease as LetterRelease
from discretion.access.letters import may_handle_letter as may_handle_letter
from discretion.access.letters import read_letter as read_letter
from discretion.access.masking import mask_identifiers_in as mask_identifiers_in
from discretion.access.reads import CaseView as CaseView
from discretion.access.reads import PersonView as PersonView
from discretion.access.reads import get_case_for as get_case_for
from discretion.access.reads import get_entry_for as get_entry_for
from discretion.access.reads import get_person_for as get_person_for
from discretion.access.reads import my_cases as my_cases
from discretion.access.reads import open_attachment_for as open_attachment_for
from discretion.access.reads import person_refs as person_refs
from discretion.access.reads import require_case_grant as require_case_grant
from discretion.access.refusals import NOT_FOUND_MESSAGES as NOT_FOUND_MESSAGES
from discretion.access.refusals import Hidden as Hidden
from discretion.access.refusals import _pending_refusals as _pending_refusals
from discretion.access.refusals import flush_pending_refusals as flush_pending_refusals
from discretion.access.refusals import refusal as refusal
from discretion.access.research import ResearchRow as ResearchRow
from discretion.access.research import read_for_research as read_for_research
from discretion.access.search import SearchResults as SearchResults
from discretion.access.search import search_people as search_people
from discretion.errors import AccessDenied as AccessDenied
from discretion.errors import NotFound as NotFound
from discretion.errors import NotPermitted as NotPermitted
from discretion.errors import PolicyNotAcknowledged as PolicyNotAcknowledged
