"""The policy as rules: each rule reads the facts and returns a `Finding`, or None when it does not apply.

A rule says what one paragraph of the Children's Services Confidentiality Policy requires of this
request: an outcome it insists on (refer, refuse or need_more), routes, conditions, named missing
facts, and which kinds of information it authorises to be shared. Rules run in three stages:

- ``request`` rules look at every request (one of them, the media rule, pre-empts all the others);
- the ``residual`` rule (1.2) fires only when nothing blocks and some requested information is not
  authorised by any rule: disclosure is only as the policy authorises, so it is refused;
- ``release`` rules fire only on a share and add what every release needs (recording, a secure
  channel, minimising, telling the child).

Shared predicates below (`is_media`, `is_foi`, …) say which paragraph governs a request, so that a
specific paragraph (1.5 legal proceedings, 1.4 research, 3 FOI/subject access) is not second-guessed
by the general consent rule (2.1), exactly as 2.1 defers to 2.2.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from discretion.policy.facts import RequestFacts
from discretion.policy.vocabulary import (
    PERSONAL,
    Approval,
    Category,
    Channel,
    Condition,
    Consent,
    Document,
    Information,
    Outcome,
    Purpose,
    Route,
)


class Stage(enum.StrEnum):
    REQUEST = "request"
    RESIDUAL = "residual"
    RELEASE = "release"


@dataclass(frozen=True, slots=True)
class Finding:
    """What one rule says about one request."""

    outcome: Outcome | None = None
    routes: frozenset[Route] = frozenset()
    conditions: frozenset[Condition] = frozenset()
    missing: tuple[str, ...] = ()
    authorises: frozenset[Information] = frozenset()
    variant: str = "text"


Check = Callable[[RequestFacts], Finding | None]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    paragraph: str
    stage: Stage
    check: Check
    variants: tuple[str, ...] = ()
    pre_empts: bool = False

    @property
    def name(self) -> str:
        return self.check.__name__


RULES: list[Rule] = []


def rule(
    rule_id: str,
    *,
    para: str,
    stage: Stage = Stage.REQUEST,
    variants: tuple[str, ...] = (),
    pre_empts: bool = False,
) -> Callable[[Check], Check]:
    """Register a rule in the catalogue (the order of definition is the order of reasons)."""

    def register(check: Check) -> Check:
        RULES.append(Rule(rule_id, para, stage, check, variants, pre_empts))
        return check

    return register


def finding(
    outcome: Outcome | None = None,
    *,
    routes: tuple[Route, ...] = (),
    conditions: tuple[Condition, ...] = (),
    missing: tuple[str, ...] = (),
    authorises: frozenset[Information] = frozenset(),
    variant: str = "text",
) -> Finding:
    return Finding(outcome, frozenset(routes), frozenset(conditions), missing, authorises, variant)


# --- who and what: shared predicates -------------------------------------------------------------

INTERNAL = frozenset({Category.COLLEAGUE, Category.RESEARCHER_INTERNAL})
# Professionals whose requests are judged on need to know (policy 2.4).
PROFESSIONALS = frozenset({Category.COLLEAGUE, Category.OTHER_AGENCY, Category.POLICE, Category.INQUIRY})
# Sharing necessary to safeguard a child, without consent (policy 2.2; Children Act 1989 s47).
SAFEGUARDING_PURPOSES = frozenset({Purpose.SECTION_47_ENQUIRY, Purpose.MISSING_CHILD})
# The 2.4 examples open to any professional: a s47 enquiry, a missing child, an inquiry, tribunal or
# serious case review. Investigating a criminal offence is the police's example alone (2.4, 1.5).
NEED_TO_KNOW_PURPOSES = SAFEGUARDING_PURPOSES | {Purpose.INQUIRY_REVIEW}
POLICE_PURPOSES = NEED_TO_KNOW_PURPOSES | {Purpose.CRIMINAL_INVESTIGATION}
# Where waiting for a letter would delay protecting a child (Children Act 1989 s47; missing children).
URGENT_PURPOSES = frozenset({Purpose.SECTION_47_ENQUIRY, Purpose.MISSING_CHILD})
# Third parties who need the person's written consent or a court order (policy 2.2, last paragraph).
REPRESENTATIVES = frozenset({Category.SOLICITOR, Category.ADVOCATE, Category.RESEARCHER_EXTERNAL})
# Statutory rights of access and the document that proves each (policy 2.2, 2.4).
STATUTORY_DOCUMENT: dict[Category, Document] = {
    Category.COURT: Document.COURT_ORDER,
    Category.CHILDRENS_GUARDIAN: Document.GUARDIAN_APPOINTMENT,  # Children Act 1989 s42
    Category.INSPECTOR: Document.INSPECTOR_AUTHORITY,
}
CHILD_OR_THIRD_PARTY = frozenset({Information.CHILD_PERSONAL, Information.THIRD_PARTY_PERSONAL})
NOT_PERSONAL = frozenset({Information.AGGREGATE, Information.NON_PERSONAL})
INSECURE_ELECTRONIC = frozenset({Channel.PHONE, Channel.EMAIL})
ADVISERS = (Approval.INFORMATION_GOVERNANCE, Approval.LEGAL_SERVICES)
POLICE_APPROVERS = (Approval.MANAGER, Approval.INFORMATION_GOVERNANCE, Approval.LEGAL_SERVICES)


def is_media(f: RequestFacts) -> bool:
    return f.category is Category.MEDIA or f.purpose is Purpose.MEDIA_STORY


def is_subject_access(f: RequestFacts) -> bool:
    """Personal information asked for by (or for) the person it is about: Access to Records (policy 3).
    A data subject or parent asking only about someone else is not asking for their own records."""
    if not f.personal:
        return False
    if f.purpose is Purpose.OWN_RECORDS:
        return True
    return f.category in (Category.DATA_SUBJECT, Category.PARENT_CARER) and bool(
        f.information & {Information.CHILD_PERSONAL, Information.CONFIDENTIAL_SOURCE}
    )


def is_foi(f: RequestFacts) -> bool:
    """A request to the world at large: an FOI purpose, or a member of the public (FOIA s1, s8) who
    does not hold the person's written consent (2.1) or a court order (2.2)."""
    if f.purpose is Purpose.OWN_RECORDS:
        return False
    if f.purpose is Purpose.FOI:
        return True
    return f.category is Category.MEMBER_OF_PUBLIC and not (
        has_written_consent(f) or f.has(Document.COURT_ORDER)
    )


def is_legal_proceedings(f: RequestFacts) -> bool:
    """Confidential information for legal proceedings, asked for by anyone but a statutory holder."""
    return (
        f.purpose is Purpose.LEGAL_PROCEEDINGS
        and f.category not in STATUTORY_DOCUMENT
        and bool(f.personal or Information.COMMERCIAL in f.information)
    )


def is_research(f: RequestFacts) -> bool:
    if f.category in (Category.RESEARCHER_INTERNAL, Category.RESEARCHER_EXTERNAL):
        return not is_foi(f)
    return f.purpose in (Purpose.RESEARCH, Purpose.AUDIT_MONITORING) and f.category in (
        Category.COLLEAGUE,
        Category.OTHER_AGENCY,
        Category.OUTSIDE_BODY,
    )


def governed_elsewhere(f: RequestFacts) -> bool:
    """A specific paragraph (1.4 research, 1.5, 3, statutory access) governs this request."""
    return (
        is_media(f)
        or is_subject_access(f)
        or is_foi(f)
        or is_legal_proceedings(f)
        or is_research(f)
        or f.category in STATUTORY_DOCUMENT
    )


def has_need_to_know(f: RequestFacts) -> bool:
    """A professional with a role in the child's care, or a purpose the policy names (2.4)."""
    if governed_elsewhere(f):
        return False
    if f.category in (Category.COLLEAGUE, Category.OTHER_AGENCY):
        return f.requester.works_with_child or f.purpose in NEED_TO_KNOW_PURPOSES
    if f.category is Category.POLICE:  # after a manager's approval (1.5-police)
        return f.purpose in POLICE_PURPOSES or f.requester.works_with_child
    return f.category is Category.INQUIRY


def has_written_consent(f: RequestFacts) -> bool:
    """Written consent given and the document in hand (policy 2.2: seen, not just said)."""
    return f.consent is Consent.WRITTEN and f.has(Document.WRITTEN_CONSENT)


def needs_written_consent_or_order(f: RequestFacts) -> bool:
    """Advocates, solicitors and external researchers (policy 2.2); legal proceedings are 1.5's."""
    external_research = is_research(f) and f.category not in INTERNAL
    return (
        (f.category in REPRESENTATIVES or external_research)
        and f.purpose is not Purpose.LEGAL_PROCEEDINGS
        and not is_media(f)
    )


def legal_right_confirmed(f: RequestFacts) -> bool:
    return f.claims_legal_right and f.approved_by(Approval.INFORMATION_GOVERNANCE)


def consent_governs(f: RequestFacts) -> bool:
    """Child or third-party personal information with no exception under 2.2 (policy 2.1)."""
    return bool(f.information & CHILD_OR_THIRD_PARTY) and not (
        governed_elsewhere(f)
        or has_need_to_know(f)
        or f.category is Category.COLLEAGUE
        or needs_written_consent_or_order(f)
        or f.has(Document.COURT_ORDER)
        or legal_right_confirmed(f)
    )


# --- the catalogue, in the policy's order ----------------------------------------------------------


@rule("1.1-lawful", para="1.1")
def doubt_needs_advice_before_disclosure(f: RequestFacts) -> Finding | None:
    """Where lawfulness is in doubt, advice from the IGO and/or Legal Services comes first (policy 1.1).
    That doubt is about personal data (data protection law or the common law of confidence); doubt
    over commercial information alone is the manager's (1.3)."""
    if not f.in_doubt or f.approved_by(*ADVISERS) or not f.personal:
        return None
    return finding(Outcome.REFER, routes=(Route.INFORMATION_GOVERNANCE, Route.LEGAL_SERVICES))


@rule("1.1-record", para="1.1", stage=Stage.RELEASE)
def every_disclosure_is_recorded(f: RequestFacts) -> Finding | None:
    """The Council records what information has been disclosed (policy 1.1)."""
    return finding(conditions=(Condition.RECORD_DISCLOSURE,))


@rule("1.1-secure-email", para="1.1", stage=Stage.RELEASE)
def personal_information_only_over_a_secure_channel(f: RequestFacts) -> Finding | None:
    """No personal identifiable information over internet e-mail without a secure connection (1.1)."""
    if not f.personal:
        return None
    return finding(conditions=(Condition.SECURE_CHANNEL,))


@rule("1.2-authorised", para="1.2", stage=Stage.RESIDUAL)
def disclosure_only_as_this_policy_authorises(f: RequestFacts) -> Finding | None:
    """Nothing is divulged unless this policy authorises it (policy 1.2): called when no rule did."""
    return finding(Outcome.REFUSE)


@rule("1.3-commercial", para="1.3", variants=("in_doubt", "outside_remit", "approved"))
def commercial_information_only_within_remit(f: RequestFacts) -> Finding | None:
    """Commercial information only within the employee's remit; doubt goes to the manager (1.3)."""
    if Information.COMMERCIAL not in f.information or is_foi(f) or is_media(f):
        return None
    commercial = frozenset({Information.COMMERCIAL})
    approved = f.approved_by(Approval.MANAGER)
    if f.category in INTERNAL:
        if f.in_doubt and not approved:
            return finding(
                Outcome.REFER,
                routes=(Route.MANAGER,),
                conditions=(Condition.MANAGER_APPROVAL,),
                variant="in_doubt",
            )
        return finding(authorises=commercial)
    if approved:
        return finding(authorises=commercial, variant="approved")
    return finding(
        Outcome.REFER,
        routes=(Route.MANAGER,),
        conditions=(Condition.MANAGER_APPROVAL,),
        variant="outside_remit",
    )


@rule("1.4-what-is-required", para="1.4")
def request_makes_clear_what_is_required(f: RequestFacts) -> Finding | None:
    """A request must make clear what is required (policy 1.4)."""
    if f.information:
        return None
    return finding(Outcome.NEED_MORE, missing=("information",))


@rule("1.4-research", para="1.4", variants=("approved",))
def research_needs_formal_submission_and_approval(f: RequestFacts) -> Finding | None:
    """Research, audit and monitoring: internal requests need a formal submission; all need research
    governance approval; outside researchers get anonymised or aggregate data (policy 1.4, 2.2)."""
    if not is_research(f):
        return None
    internal = f.category in INTERNAL
    conditions: tuple[Condition, ...] = ()
    if not internal and not (has_written_consent(f) or f.has(Document.COURT_ORDER)):
        conditions = (Condition.ANONYMISE,)
    approved = f.approved_by(Approval.RESEARCH_GOVERNANCE) or f.has(Document.RESEARCH_APPROVAL)
    submitted = f.has(Document.RESEARCH_SUBMISSION) or not internal
    if approved and submitted:
        allowed = f.information - {Information.COMMERCIAL} if internal else f.information & NOT_PERSONAL
        return finding(conditions=conditions, authorises=allowed, variant="approved")
    if not submitted:
        return finding(
            Outcome.NEED_MORE,
            routes=(Route.RESEARCH_GOVERNANCE,),
            conditions=conditions,
            missing=("research_submission",),
        )
    return finding(Outcome.REFER, routes=(Route.RESEARCH_GOVERNANCE,), conditions=conditions)


@rule("1.4-outside-body", para="1.4")
def outside_bodies_prove_identity_and_entitlement(f: RequestFacts) -> Finding | None:
    """Reasonable steps to check the identity and entitlement of whoever asks for personal data (1.4).
    Subject access has its own checks (3-subject-access): the data subject proves who they are only."""
    if not f.personal or f.category in INTERNAL or is_foi(f) or is_subject_access(f):
        return None
    conditions = []
    if not f.requester.identity_verified:
        conditions.append(Condition.VERIFY_IDENTITY)
    if not f.requester.entitlement_verified:
        conditions.append(Condition.VERIFY_ENTITLEMENT)
    return finding(conditions=tuple(conditions)) if conditions else None


@rule("1.4-in-writing", para="1.4")
def outside_requests_are_made_in_writing(f: RequestFacts) -> Finding | None:
    """Outside requests should be in writing saying what is required (policy 1.4; FOIA s8). Not for
    urgent safeguarding, nor subject access, which may be made verbally (UK GDPR art 12, ICO)."""
    if f.in_writing or f.category in INTERNAL or f.purpose in URGENT_PURPOSES or is_subject_access(f):
        return None
    if not (f.personal or Information.COMMERCIAL in f.information):
        return None  # the paragraph is about confidential (personal or commercial) information
    return finding(conditions=(Condition.REQUEST_IN_WRITING,))


@rule("1.4-legal-right", para="1.4", variants=("checked",))
def claimed_right_is_checked_with_information_governance(f: RequestFacts) -> Finding | None:
    """A body that says it can demand personal information has its legal basis checked by IG (1.4)."""
    if (
        not f.claims_legal_right
        or f.category in INTERNAL
        or f.category in STATUTORY_DOCUMENT  # their right is proved by their document (2.4)
        or is_foi(f)
        or is_subject_access(f)
        or is_legal_proceedings(f)  # 1.5: only a court order will do
    ):
        return None
    if f.approved_by(Approval.INFORMATION_GOVERNANCE):
        return finding(authorises=f.information, variant="checked")
    missing = () if f.has(Document.LEGAL_BASIS_STATEMENT) else ("legal_basis_statement",)
    return finding(Outcome.REFER, routes=(Route.INFORMATION_GOVERNANCE,), missing=missing)


@rule("1.5-media", para="1.5", pre_empts=True)
def media_enquiries_go_to_the_press_office(f: RequestFacts) -> Finding | None:
    """All media enquiries go to the Chief Executive via the press office; staff disclose nothing (1.5)."""
    if not is_media(f):
        return None
    return finding(Outcome.REFER, routes=(Route.PRESS_OFFICE,))


@rule("1.5-police", para="1.5", variants=("approved",))
def police_have_no_automatic_right(f: RequestFacts) -> Finding | None:
    """Police have no automatic right to personal information: a manager and/or the IGO or Legal
    Services decide (policy 1.5; DPA 2018 Sch 2 para 2 permits, it does not compel)."""
    if f.category is not Category.POLICE or not f.personal:
        return None
    if f.approved_by(*POLICE_APPROVERS):
        return finding(variant="approved")
    return finding(
        Outcome.REFER,
        routes=(Route.MANAGER, Route.INFORMATION_GOVERNANCE),
        conditions=(Condition.MANAGER_APPROVAL,),
    )


@rule("1.5-legal", para="1.5", variants=("order_received", "approved"))
def legal_proceedings_go_to_legal_services(f: RequestFacts) -> Finding | None:
    """Legal proceedings: refer to Legal Services; release needs a Court Order. A lawyer's letter or
    call is not enough (policy 1.5)."""
    if not is_legal_proceedings(f):
        return None
    if not f.has(Document.COURT_ORDER):
        return finding(
            Outcome.REFER,
            routes=(Route.LEGAL_SERVICES,),
            conditions=(Condition.COURT_ORDER,),
            missing=("court_order",),
        )
    if not f.approved_by(Approval.LEGAL_SERVICES):
        return finding(Outcome.REFER, routes=(Route.LEGAL_SERVICES,), variant="order_received")
    return finding(authorises=f.information, variant="approved")


@rule("2.1-consent", para="2.1", variants=("given", "written_needed"))
def child_information_needs_consent(f: RequestFacts) -> Finding | None:
    """Personal information about a child is not disclosed without consent, except under 2.2 (2.1).
    Someone outside the professional network must show consent in writing."""
    if not consent_governs(f):
        return None
    if f.consent is Consent.WRITTEN or (f.consent is Consent.VERBAL and f.category in PROFESSIONALS):
        return finding(authorises=CHILD_OR_THIRD_PARTY, variant="given")
    if f.consent is Consent.VERBAL:
        return finding(
            Outcome.NEED_MORE,
            conditions=(Condition.OBTAIN_CONSENT,),
            missing=("written_consent",),
            variant="written_needed",
        )
    return finding(Outcome.NEED_MORE, conditions=(Condition.OBTAIN_CONSENT,), missing=("consent",))


@rule("2.1-not-personal", para="2.1")
def information_that_is_not_personal_may_be_shared(f: RequestFacts) -> Finding | None:
    """Aggregate and non-personal information carry no duty of confidence to a person (2.1); small
    numbers in aggregates are suppressed so no one can be identified (ICO anonymisation guidance)."""
    requested = f.information & NOT_PERSONAL
    if not requested or is_foi(f):
        return None
    conditions = (Condition.ANONYMISE,) if Information.AGGREGATE in requested else ()
    return finding(conditions=conditions, authorises=requested)


@rule("2.2-safeguarding", para="2.2")
def safeguarding_justifies_sharing_without_consent(f: RequestFacts) -> Finding | None:
    """Disclosure necessary to safeguard a child is permitted without consent, justified case by case
    (policy 2.2; Children Act 1989 s47; DPA 2018 Sch 8 para 4)."""
    if f.consent is not Consent.NONE or not f.information & CHILD_OR_THIRD_PARTY:
        return None
    if f.purpose not in SAFEGUARDING_PURPOSES or not has_need_to_know(f):
        return None
    return finding()


@rule("2.2-court-order", para="2.2")
def a_court_order_requires_access(f: RequestFacts) -> Finding | None:
    """Where a court order requires access it is given (policy 2.2)."""
    if not f.has(Document.COURT_ORDER) or not f.information:
        return None
    if f.category in STATUTORY_DOCUMENT or is_legal_proceedings(f) or is_foi(f) or is_subject_access(f):
        return None
    return finding(authorises=f.information - {Information.COMMERCIAL})


@rule("2.2-third-parties", para="2.2", variants=("consented",))
def advocates_solicitors_and_researchers_need_written_consent(f: RequestFacts) -> Finding | None:
    """Advocates, solicitors and external researchers only with the person's written consent or a
    Court Order (policy 2.2)."""
    if not f.personal or not needs_written_consent_or_order(f):
        return None
    if has_written_consent(f) or f.has(Document.COURT_ORDER):
        return finding(authorises=f.personal, variant="consented")
    conditions = [Condition.OBTAIN_CONSENT]
    if is_research(f):
        conditions.append(Condition.ANONYMISE)  # 1.4: anonymous data remains possible
    return finding(Outcome.NEED_MORE, conditions=tuple(conditions), missing=("written_consent",))


@rule("2.2-proportionate", para="2.2", stage=Stage.RELEASE)
def only_to_the_extent_necessary(f: RequestFacts) -> Finding | None:
    """Disclosure is appropriate to the purpose and only to the extent necessary (2.2, 2.3, 2.4;
    UK GDPR art 5(1)(c))."""
    if not f.personal:
        return None
    return finding(conditions=(Condition.MINIMISE,))


@rule("2.3-inform-child", para="2.3", stage=Stage.RELEASE, variants=("risk",))
def child_is_told_of_the_sharing(f: RequestFacts) -> Finding | None:
    """Wherever possible the child is told what is shared; not where telling them puts them or
    someone else at risk (policy 2.3; DPA 2018 Sch 3 para 7)."""
    if Information.CHILD_PERSONAL not in f.information:
        return None
    if f.risk_if_informed:
        return finding(variant="risk")
    return finding(conditions=(Condition.INFORM_SUBJECT,))


@rule("2.4-need-to-know", para="2.4", variants=("no_role",))
def share_with_those_who_have_a_role(f: RequestFacts) -> Finding | None:
    """Share promptly with colleagues and agencies who have a role in the child's care, and for the
    named purposes: Section 47 enquiries, police finding a missing child or investigating an offence,
    inquiries and reviews; but only on a need-to-know basis (policy 2.4)."""
    if not f.personal or governed_elsewhere(f):
        return None
    if has_need_to_know(f):
        return finding(authorises=f.personal)
    if f.category is Category.COLLEAGUE:
        # No role, no need to know: nothing authorises it, so 1.2 refuses (consent is no substitute).
        return finding(variant="no_role")
    return None


@rule("2.4-statutory", para="2.4", variants=("missing_document",))
def statutory_right_of_access(f: RequestFacts) -> Finding | None:
    """The court directing production, a Children's Guardian, inspectors of the regulatory authority
    have a statutory right of access, shown by their document (policy 2.2, 2.4)."""
    document = STATUTORY_DOCUMENT.get(f.category)
    if document is None or is_foi(f) or is_subject_access(f):
        return None
    if not (f.personal or Information.COMMERCIAL in f.information):
        return None
    if f.has(document) or f.has(Document.COURT_ORDER):  # a court order requires access too (2.2)
        return finding(authorises=f.information)
    conditions = (Condition.COURT_ORDER,) if document is Document.COURT_ORDER else ()
    return finding(
        Outcome.NEED_MORE, conditions=conditions, missing=(document.value,), variant="missing_document"
    )


@rule("2.4-phone", para="2.4", variants=("in_doubt",))
def telephone_or_email_requests_check_entitlement(f: RequestFacts) -> Finding | None:
    """By telephone or e-mail: make sure the recipient is entitled; where in doubt, a manager
    approves (policy 2.4)."""
    if f.channel not in INSECURE_ELECTRONIC or not f.personal or is_foi(f):
        return None
    conditions = () if f.requester.entitlement_verified else (Condition.VERIFY_ENTITLEMENT,)
    if f.in_doubt and not f.approved_by(Approval.MANAGER):
        return finding(
            Outcome.REFER,
            routes=(Route.MANAGER,),
            conditions=(*conditions, Condition.MANAGER_APPROVAL),
            variant="in_doubt",
        )
    return finding(conditions=conditions) if conditions else None


@rule("3-foi", para="3", variants=("exempt", "partly_exempt"))
def foi_requests_go_to_the_foi_team(f: RequestFacts) -> Finding | None:
    """FOI requests go to the FOI team, answered within 20 working days (FOIA s10(1)); someone else's
    personal information is exempt (FOIA s40(2)), and so is information given in confidence (s41)."""
    if not is_foi(f):
        return None
    others = frozenset() if is_subject_access(f) else f.personal
    rest = f.information - PERSONAL
    if is_subject_access(f) and not rest:
        return None  # wholly the requester's own information: 3-subject-access (FOIA s40(1))
    if others and not rest:
        return finding(Outcome.REFUSE, routes=(Route.FOI_TEAM,), variant="exempt")
    return finding(Outcome.REFER, routes=(Route.FOI_TEAM,), variant="partly_exempt" if others else "text")


@rule("3-subject-access", para="3")
def personal_information_is_handled_as_subject_access(f: RequestFacts) -> Finding | None:
    """A request for one's own (or one's child's) personal information is a subject access request
    under the Access to Records Procedure (policy 3; UK GDPR art 15; DPA 2018 Sch 2 para 16)."""
    if not is_subject_access(f):
        return None
    conditions = []
    if not f.requester.identity_verified:
        conditions.append(Condition.VERIFY_IDENTITY)
    if f.category is not Category.DATA_SUBJECT and not f.requester.entitlement_verified:
        conditions.append(Condition.VERIFY_ENTITLEMENT)  # parental responsibility, or authority to act
    if Information.THIRD_PARTY_PERSONAL in f.information:
        conditions.append(Condition.MINIMISE)  # third parties are redacted (DPA 2018 Sch 2 para 16)
    return finding(Outcome.REFER, routes=(Route.SUBJECT_ACCESS_TEAM,), conditions=tuple(conditions))


@rule("3-confidential-source", para="3", variants=("only",))
def information_given_in_confidence_is_withheld(f: RequestFacts) -> Finding | None:
    """Information given in confidence, e.g. by an anonymous child-protection referrer, is withheld
    unless a court orders otherwise (policy 3; FOIA s41; D v NSPCC [1978] AC 171)."""
    if Information.CONFIDENTIAL_SOURCE not in f.information or f.has(Document.COURT_ORDER):
        return None
    withhold = (Condition.WITHHOLD_CONFIDENTIAL_SOURCE,)
    if f.information == {Information.CONFIDENTIAL_SOURCE}:
        return finding(Outcome.REFUSE, conditions=withhold, variant="only")
    return finding(conditions=withhold)


RULE_IDS: tuple[str, ...] = tuple(r.id for r in RULES)
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
