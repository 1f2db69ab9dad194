"""The need-to-know hook a request gives its handler (for access.case_grant / _person_grant)."""

from __future__ import annotations

import pytest

from discretion.requests import services
from discretion.requests.grants import request_case_ids, request_grants
from discretion.requests.models import Request, State

from .helpers import council, log

pytestmark = pytest.mark.django_db


def request_grants_case(actor_id: int, case_id: int) -> bool:
    return request_case_ids(actor_id).filter(case_id=case_id).exists()


def test_only_the_handler_of_an_approved_request_is_granted(world) -> None:
    c = council(world)
    other_case = world.case(world.person("Other", "Child"), c.team)
    req = log(c, "other_agency", channel="secure_email", purpose="section_47_enquiry", works_with_child=True)
    assert req.state == State.APPROVED
    assert request_grants(c.worker.pk, c.child.pk) and request_grants_case(c.worker.pk, c.case.pk)
    assert not request_grants(c.stranger.pk, c.child.pk)
    assert not request_grants_case(c.worker.pk, other_case.pk)
    Request.objects.filter(pk=req.pk).update(state=State.RELEASED)
    assert not request_grants(c.worker.pk, c.child.pk) and not request_grants_case(c.worker.pk, c.case.pk)
    referred = log(c, "police", channel="phone", purpose="missing_child")
    assert referred.state == State.REFERRED and not request_grants(c.worker.pk, c.child.pk)
    assert services.may_see(c.manager, referred) and not services.may_see(c.stranger, referred)
