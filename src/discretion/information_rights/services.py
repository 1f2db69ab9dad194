"""FOI/EIR casework and subject access: one function per user action (permission, rule, write, audit).

The actions live in modules named for what they do: `foi_intake`, `foi_clock` (the clock, on hold
and extended), `foi_outcome`, `foi_transfer`, `internal_reviews`, `dashboard`, `sar_opening`,
`sar_clock`, `sar_redaction`, `sar_release` (the bundle and its release), `reads`; who may act in
`permissions`, calendars in `working_calendars`. This module names them for callers elsewhere.
Deadlines come from `discretion.deadlines`, always with the council's calendar overrides
(`load_overrides`). Personal data for a subject-access bundle is read only through `access`.
"""

from __future__ import annotations

from discretion.errors import InvalidInput, NotPermitted
from discretion.information_rights.dashboard import (
    ON_HOLD,
    Dashboard,
    MonthCompliance,
    OpenCase,
    dashboard,
    dashboard_csv_rows,
    open_cases,
)
from discretion.information_rights.foi_clock import (
    compute_request_due,
    extend,
    record_clarification,
    record_fee,
    save_request_clock,
)
from discretion.information_rights.foi_intake import (
    acknowledge,
    acknowledgement_letter,
    add_search,
    assign,
    log_request,
    set_regime,
)
from discretion.information_rights.foi_outcome import (
    PUBLIC,
    add_exemption,
    public_disclosure_log,
    publish_to_log,
    record_outcome,
    refusal_notice,
    set_estimate,
)
from discretion.information_rights.foi_transfer import transfer_letter, transfer_to_sar
from discretion.information_rights.inputs import next_ref, not_in_future, not_longer_than, required_text
from discretion.information_rights.internal_reviews import (
    SAR_REVIEW_WORKING_DAYS,
    decide_review,
    decide_sar_review,
    record_review_decision,
    request_review,
    request_sar_review,
)
from discretion.information_rights.permissions import (
    get_info_request,
    is_igo,
    lock_sar,
    party_request,
    require_handler_or_igo,
    require_igo,
    require_request_open,
    require_sar_open,
)
from discretion.information_rights.reads import (
    get_request_for,
    get_sar_for,
    list_requests,
    list_sars,
    review_view,
)
from discretion.information_rights.sar_clock import (
    compute_sar_due,
    extend_sar,
    sar_clarification,
    save_sar_clock,
)
from discretion.information_rights.sar_opening import open_sar, verify_identity
from discretion.information_rights.sar_redaction import (
    add_redaction,
    attachment_reviews,
    compile_records,
    decide_attachment,
    decide_redaction,
)
from discretion.information_rights.sar_release import build_bundle, release_bundle
from discretion.information_rights.working_calendars import foi_cal, load_overrides, sar_cal, sar_nation

__all__ = [
    "ON_HOLD",
    "PUBLIC",
    "SAR_REVIEW_WORKING_DAYS",
    "Dashboard",
    "InvalidInput",
    "MonthCompliance",
    "NotPermitted",
    "OpenCase",
    "acknowledge",
    "acknowledgement_letter",
    "add_exemption",
    "add_redaction",
    "add_search",
    "assign",
    "attachment_reviews",
    "build_bundle",
    "compile_records",
    "compute_request_due",
    "compute_sar_due",
    "dashboard",
    "dashboard_csv_rows",
    "decide_attachment",
    "decide_redaction",
    "decide_review",
    "decide_sar_review",
    "extend",
    "extend_sar",
    "foi_cal",
    "get_info_request",
    "get_request_for",
    "get_sar_for",
    "is_igo",
    "list_requests",
    "list_sars",
    "load_overrides",
    "lock_sar",
    "log_request",
    "next_ref",
    "not_in_future",
    "not_longer_than",
    "open_cases",
    "open_sar",
    "party_request",
    "public_disclosure_log",
    "publish_to_log",
    "record_clarification",
    "record_fee",
    "record_outcome",
    "record_review_decision",
    "refusal_notice",
    "release_bundle",
    "request_review",
    "request_sar_review",
    "require_handler_or_igo",
    "require_igo",
    "require_request_open",
    "require_sar_open",
    "required_text",
    "review_view",
    "sar_cal",
    "sar_clarification",
    "sar_nation",
    "save_request_clock",
    "save_sar_clock",
    "set_estimate",
    "set_regime",
    "transfer_letter",
    "transfer_to_sar",
    "verify_identity",
]
