"""Research requests: submission, decision, anonymised and pseudonymised extracts in the register."""

from __future__ import annotations

import csv
import io

import pytest

from discretion import access
from discretion.disclosures.models import Channel, Disclosure
from discretion.research import services
from discretion.research.models import Extract, RequestStatus

from .conftest import submission


def test_submission_is_audited_and_needs_every_field(people, audit_actions):
    req = services.submit_request(people["worker"], submission())
    assert req.status == RequestStatus.SUBMITTED and req.k == 5
    assert audit_actions(actor_id=people["worker"].pk) == [
        "research.submitted",
        "notification.sent",
    ]  # research governance is told
    with pytest.raises(services.InvalidInput, match="Enter the purpose"):
        services.submit_request(people["worker"], submission(purpose=" "))
    with pytest.raises(services.InvalidInput, match="Select the data wanted"):
        services.submit_request(people["worker"], submission(fields=["full_name"]))
    with pytest.raises(access.NotPermitted):
        services.submit_request(people["volunteer"], submission())


def test_outside_body_needs_identity_and_entitlement_checks(people):
    with pytest.raises(services.InvalidInput, match="identity"):
        services.submit_request(
            people["worker"], submission(is_external=True, organisation="Uni of Lancaster")
        )
    req = services.submit_request(
        people["worker"],
        submission(
            is_external=True,
            organisation="Uni of Lancaster",
            identity_checked=True,
            identity_check="Called the university switchboard",
            entitlement_checked=True,
            entitlement_check="Ethics approval ref 2026/14 seen",
        ),
    )
    assert req.is_external and req.identity_checked


def test_only_research_governance_decides_and_never_their_own(people, audit_actions):
    req = services.submit_request(people["research"], submission())
    with pytest.raises(access.NotPermitted):
        services.decide_request(people["igo"], req.pk, approve=True, reasons="ok")
    with pytest.raises(access.NotPermitted):
        services.decide_request(people["research"], req.pk, approve=True, reasons="ok")
    with pytest.raises(services.InvalidInput, match="reasons"):
        services.decide_request(people["research2"], req.pk, approve=False, reasons="")
    refused = services.decide_request(people["research2"], req.pk, approve=False, reasons="Not proportionate")
    assert refused.status == RequestStatus.REFUSED
    assert audit_actions(actor_id=people["research2"].pk) == [
        "research.refused",
        "notification.sent",
    ]  # the submitter is told
    with pytest.raises(services.InvalidInput, match="already been decided"):
        services.decide_request(people["research2"], req.pk, approve=True, reasons="changed my mind")
    with pytest.raises(services.InvalidInput):
        services.make_extract(people["research2"], req.pk)


def test_anonymised_extract_is_registered_as_a_disclosure(people, children, approved, audit_actions):
    result = services.make_extract(people["research"], approved.pk)
    rows = list(csv.DictReader(io.StringIO(result.content.decode())))
    assert len(rows) == 20 and set(rows[0]) == {"district", "gender"}
    assert result.report.suppressed == 1  # the one child in LA1
    text = result.content.decode()
    assert not any(c.ref in text or c.given_names in text for c in children)
    disclosure = Disclosure.objects.get()
    assert disclosure.channel == Channel.SECURE_LINK and disclosure.source == "research"
    assert disclosure.source_id == str(approved.pk) and disclosure.approved_by == people["research"]
    assert disclosure.subjects.count() == 0  # anonymised: no one is identifiable
    assert Extract.objects.get().disclosure == disclosure
    actions = audit_actions(actor_id=people["research"].pk)
    assert actions[-3:] == ["research.extract", "disclosure.released", "research.extract_released"]
    assert result.release.link_token and result.release.link_code


def test_pseudonymised_extract_needs_its_own_approval(people, children):
    req = services.submit_request(people["worker"], submission(wants_pseudonyms=True))
    services.decide_request(people["research"], req.pk, approve=True, reasons="Anonymised only")
    with pytest.raises(access.NotPermitted, match="Pseudonymised"):
        services.make_extract(people["research"], req.pk, pseudonymised=True)
    req2 = services.submit_request(people["worker"], submission(wants_pseudonyms=True))
    services.decide_request(
        people["research"], req2.pk, approve=True, reasons="Linkage needed", approve_pseudonyms=True
    )
    result = services.make_extract(people["research"], req2.pk, pseudonymised=True)
    rows = list(csv.DictReader(io.StringIO(result.content.decode())))
    assert len({r["pseudonym"] for r in rows}) == 20
    again = services.make_extract(people["research"], req2.pk, pseudonymised=True)
    assert again.content == result.content  # stable keyed pseudonyms
    assert result.release.disclosure.subjects.count() == 20  # pseudonymised data is personal data


def test_failing_table_is_refused_and_nothing_released(people, children, audit_actions):
    req = services.submit_request(people["worker"], submission())
    services.decide_request(people["research"], req.pk, approve=True, reasons="ok", k=50)
    with pytest.raises(services.ExtractRefused) as refused:
        services.make_extract(people["research"], req.pk)
    assert not refused.value.report.passed and "fewer than 50 people" in refused.value.report.reason
    assert isinstance(refused.value.diagnosis.alternatives, tuple)  # computed, possibly none for k=50
    assert not Disclosure.objects.exists() and not Extract.objects.exists()
    assert audit_actions(actor_id=people["research"].pk)[-1] == "research.extract_refused"


def test_only_research_governance_makes_extracts(people, approved):
    with pytest.raises(access.NotPermitted):
        services.make_extract(people["igo"], approved.pk)
    with pytest.raises(access.NotPermitted):
        services.make_extract(people["worker"], approved.pk)


def test_requests_are_visible_to_the_submitter_and_governance_only(people, approved):
    assert list(services.requests_for(people["worker"])) == [approved]
    assert list(services.requests_for(people["igo"])) == [approved]
    other = people["volunteer"]
    assert list(services.requests_for(other)) == []
    with pytest.raises(access.NotFound):
        services.get_request_for(other, approved.pk)


def _approved(people, **fields):
    req = services.submit_request(people["worker"], submission(**fields))
    return services.decide_request(
        people["research2"],
        req.pk,
        approve=True,
        reasons="Proportionate",
        approve_pseudonyms=req.wants_pseudonyms,
    )


def test_each_study_gets_its_own_pseudonyms_and_none_without_the_councils_key(people, children, settings):
    one = _approved(people, wants_pseudonyms=True)
    two = _approved(people, wants_pseudonyms=True)
    first = {
        r["pseudonym"]
        for r in csv.DictReader(
            io.StringIO(
                services.make_extract(people["research"], one.pk, pseudonymised=True).content.decode()
            )
        )
    }
    second = {
        r["pseudonym"]
        for r in csv.DictReader(
            io.StringIO(
                services.make_extract(people["research"], two.pk, pseudonymised=True).content.decode()
            )
        )
    }
    assert first and second and not first & second  # two studies cannot be linked by pseudonym
    settings.RESEARCH_PSEUDONYM_KEY = ""
    extracts = Extract.objects.count()
    with pytest.raises(services.InvalidInput, match="DISCRETION_RESEARCH_KEY"):
        services.make_extract(people["research"], one.pk, pseudonymised=True)
    assert Extract.objects.count() == extracts


def test_no_extract_until_the_current_policy_is_acknowledged(people, children, world):
    """An extract is a bulk read of every child's quasi-identifiers: the same gate as any read (1.2)."""
    from discretion.staff.models import PolicyVersion

    req = _approved(people)
    PolicyVersion.objects.create(version="2027-01", title="Confidentiality Policy", text="Revised policy")
    with pytest.raises(access.PolicyNotAcknowledged):
        services.make_extract(people["research"], req.pk)
    assert not Extract.objects.filter(request=req).exists()
