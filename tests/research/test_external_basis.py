"""Red-team probe 18: pseudonymised data is personal data (UK GDPR recital 26; ICO anonymisation and
pseudonymisation guidance), so an outside body gets an anonymised extract only, unless the people's
written consent, a court order or a legal gateway is on file and a second person has checked it
(policy 2.2). Research governance's approval is needed as well; internal analysts are unchanged."""

from __future__ import annotations

import pytest

from discretion import access
from discretion.audit.models import AuditEvent
from discretion.disclosures.models import Disclosure
from discretion.research import basis, services

from .conftest import submission


@pytest.fixture
def external(people):
    req = services.submit_request(
        people["research"],
        submission(
            is_external=True,
            organisation="A University",
            requester_email="y@uni.example",
            identity_checked=True,
            identity_check="Called the switchboard",
            entitlement_checked=True,
            entitlement_check="Ethics approval",
            wants_pseudonyms=True,
        ),
    )
    return services.decide_request(
        people["research2"], req.pk, approve=True, reasons="ok", approve_pseudonyms=True
    )


def test_an_outside_body_gets_no_pseudonymised_data_without_a_checked_basis(people, children, external):
    with pytest.raises(access.NotPermitted, match="anonymised extract only"):
        services.make_extract(people["research"], external.pk, pseudonymised=True)
    access.flush_pending_refusals()
    assert AuditEvent.objects.filter(action="research.extract.refused", object_id=str(external.pk)).exists()
    assert not Disclosure.objects.exists()
    anonymised = services.make_extract(people["research"], external.pk)  # anonymised: as before
    assert anonymised.release.disclosure.subjects.count() == 0


def test_a_basis_counts_only_once_a_second_person_checks_it(people, children, external, world):
    consent = basis.add_basis_document(
        people["research"],
        external.pk,
        code="written_consent",
        description="Signed consent forms, 20 families",
    )
    with pytest.raises(access.NotPermitted):  # research governance cannot check its own
        basis.check_basis_document(people["research"], external.pk, consent.pk, accept=True, note="ok")
    with pytest.raises(access.NotPermitted, match="anonymised extract only"):
        services.make_extract(people["research"], external.pk, pseudonymised=True)
    basis.check_basis_document(
        people["igo"], external.pk, consent.pk, accept=True, note="Forms match the list"
    )
    result = services.make_extract(people["research"], external.pk, pseudonymised=True)
    assert result.release.disclosure.recipient_organisation == "A University"
    assert result.release.disclosure.subjects.count() == 20  # personal data, registered as such


def test_a_court_order_is_checked_by_legal_services(people, children, external, world):
    order = basis.add_basis_document(
        people["research"], external.pk, code="court_order", description="Order 12"
    )
    with pytest.raises(access.NotPermitted, match="Legal Services"):
        basis.check_basis_document(people["igo"], external.pk, order.pk, accept=True, note="ok")
    basis.check_basis_document(
        world.staff("legal_services"), external.pk, order.pk, accept=True, note="Sealed order seen"
    )
    assert basis.has_checked_basis(external)


def test_internal_analysts_still_get_approved_pseudonyms(people, children):
    req = services.submit_request(people["worker"], submission(wants_pseudonyms=True))
    services.decide_request(
        people["research"], req.pk, approve=True, reasons="Linkage", approve_pseudonyms=True
    )
    assert services.make_extract(people["research"], req.pk, pseudonymised=True).release.disclosure
