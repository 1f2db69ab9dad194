"""The request-facts and decision vocabulary: a public contract, so the codes never change.

Declaration order is the canonical order: lists in facts and decisions are always written in it.
"""

from __future__ import annotations

import enum


class Category(enum.StrEnum):
    """Who is asking."""

    COLLEAGUE = "colleague"
    OTHER_AGENCY = "other_agency"
    POLICE = "police"
    COURT = "court"
    CHILDRENS_GUARDIAN = "childrens_guardian"
    INSPECTOR = "inspector"
    INQUIRY = "inquiry"
    SOLICITOR = "solicitor"
    ADVOCATE = "advocate"
    RESEARCHER_INTERNAL = "researcher_internal"
    RESEARCHER_EXTERNAL = "researcher_external"
    MEDIA = "media"
    DATA_SUBJECT = "data_subject"
    PARENT_CARER = "parent_carer"
    MEMBER_OF_PUBLIC = "member_of_public"
    OUTSIDE_BODY = "outside_body"


class Channel(enum.StrEnum):
    """How the request arrived (and so how a reply would go back)."""

    PHONE = "phone"
    EMAIL = "email"
    SECURE_EMAIL = "secure_email"
    LETTER = "letter"
    IN_PERSON = "in_person"
    PORTAL = "portal"


class Purpose(enum.StrEnum):
    """What the requester says the information is for."""

    CARE_PLANNING = "care_planning"
    SECTION_47_ENQUIRY = "section_47_enquiry"
    CRIMINAL_INVESTIGATION = "criminal_investigation"
    MISSING_CHILD = "missing_child"
    INQUIRY_REVIEW = "inquiry_review"
    LEGAL_PROCEEDINGS = "legal_proceedings"
    INSPECTION = "inspection"
    RESEARCH = "research"
    AUDIT_MONITORING = "audit_monitoring"
    MEDIA_STORY = "media_story"
    OWN_RECORDS = "own_records"
    FOI = "foi"
    STATUTORY_FUNCTION = "statutory_function"
    OTHER = "other"


class Information(enum.StrEnum):
    """The kinds of information asked for."""

    CHILD_PERSONAL = "child_personal"
    THIRD_PARTY_PERSONAL = "third_party_personal"
    CONFIDENTIAL_SOURCE = "confidential_source"
    COMMERCIAL = "commercial"
    AGGREGATE = "aggregate"
    NON_PERSONAL = "non_personal"


class Consent(enum.StrEnum):
    """Consent of the person the information is about (or someone able to give it for them)."""

    NONE = "none"
    VERBAL = "verbal"
    WRITTEN = "written"


class Document(enum.StrEnum):
    """Documents the requester has supplied."""

    COURT_ORDER = "court_order"
    GUARDIAN_APPOINTMENT = "guardian_appointment"
    INSPECTOR_AUTHORITY = "inspector_authority"
    RESEARCH_SUBMISSION = "research_submission"
    RESEARCH_APPROVAL = "research_approval"
    WRITTEN_CONSENT = "written_consent"
    LEGAL_BASIS_STATEMENT = "legal_basis_statement"


class Approval(enum.StrEnum):
    """Approvals already given inside the council."""

    MANAGER = "manager"
    INFORMATION_GOVERNANCE = "information_governance"
    LEGAL_SERVICES = "legal_services"
    RESEARCH_GOVERNANCE = "research_governance"


class Outcome(enum.StrEnum):
    """What happens to the request."""

    SHARE = "share"
    REFUSE = "refuse"
    REFER = "refer"
    NEED_MORE = "need_more"


class Route(enum.StrEnum):
    """Who a request is referred to."""

    MANAGER = "manager"
    INFORMATION_GOVERNANCE = "information_governance"
    LEGAL_SERVICES = "legal_services"
    PRESS_OFFICE = "press_office"
    FOI_TEAM = "foi_team"
    SUBJECT_ACCESS_TEAM = "subject_access_team"
    RESEARCH_GOVERNANCE = "research_governance"


class Condition(enum.StrEnum):
    """What must be done before, or as part of, a release."""

    RECORD_DISCLOSURE = "record_disclosure"
    MINIMISE = "minimise"
    SECURE_CHANNEL = "secure_channel"
    VERIFY_IDENTITY = "verify_identity"
    VERIFY_ENTITLEMENT = "verify_entitlement"
    REQUEST_IN_WRITING = "request_in_writing"
    INFORM_SUBJECT = "inform_subject"
    MANAGER_APPROVAL = "manager_approval"
    OBTAIN_CONSENT = "obtain_consent"
    COURT_ORDER = "court_order"
    WITHHOLD_CONFIDENTIAL_SOURCE = "withhold_confidential_source"
    ANONYMISE = "anonymise"


#: Information about an identifiable person, or given in confidence about one (UK GDPR art 4(1)).
PERSONAL: frozenset[Information] = frozenset(
    {Information.CHILD_PERSONAL, Information.THIRD_PARTY_PERSONAL, Information.CONFIDENTIAL_SOURCE}
)
