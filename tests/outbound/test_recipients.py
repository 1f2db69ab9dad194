"""Recipient prompts before sending, as Egress Prevent does it (issue 14)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from discretion.audit.models import AuditEvent
from discretion.outbound import recipients
from discretion.outbound.recipients import Kind, Known, lookalike_of

from .conftest import CASE_UPDATE, NEWSLETTER, make_token

KNOWN = Known(frozenset({"lancashire-council.gov.uk", "council.example"}), frozenset({"gov.uk", "nhs.net"}))


@pytest.mark.parametrize(
    ("domain", "imitates"),
    [
        ("lancashire-counci1.gov.uk", "lancashire-council.gov.uk"),  # a digit for a letter
        ("lancashirecouncil.gov.uk", "lancashire-council.gov.uk"),  # the hyphen dropped
        ("lancashire-counciI.gov.uk", "lancashire-council.gov.uk"),  # a capital I for the l
        ("counci1.example", "council.example"),
        ("nhs.nett", "nhs.net"),
        ("lancashire-cоuncil.gov.uk", "lancashire-council.gov.uk"),  # a Cyrillic о
        ("lancashire-council.gov.uk", None),
        ("mail.lancashire-council.gov.uk", None),  # a subdomain of a known domain is that domain
        ("lancashire.police.uk", None),
        ("gmail.com", None),
    ],
)
def test_look_alike_domains(domain: str, imitates: str | None) -> None:
    assert lookalike_of(domain.lower(), KNOWN) == imitates


def test_prompts_for_a_new_recipient_inside_and_outside_and_a_reply_to_all(scene: Any, settings: Any) -> None:
    settings.DISCRETION_COUNCIL_DOMAINS = ["council.example"]
    worker = scene.worker
    prompts = recipients.prompts_for(
        worker,
        ["gp@surgery.example", "manager@council.example"],
        contains_personal_data=True,
        thread=["manager@council.example"],
    )
    assert {(p.kind, p.address) for p in prompts} == {
        (Kind.NEW_RECIPIENT, "gp@surgery.example"),  # colleagues inside the council are not "new"
        (Kind.MIXED, ""),
        (Kind.REPLY_ALL, "gp@surgery.example"),
    }
    recipients.remember(worker, ["gp@surgery.example"])
    again = recipients.prompts_for(worker, ["gp@surgery.example"], contains_personal_data=False)
    assert again == []
    # Without personal data, inside and outside together is not a prompt.
    assert (
        recipients.prompts_for(
            worker, ["gp@surgery.example", "manager@council.example"], contains_personal_data=False
        )
        == []
    )


def test_an_unanswered_prompt_stops_the_send_and_both_asking_and_answering_are_audited(scene: Any) -> None:
    with pytest.raises(recipients.ConfirmRecipients) as asked:
        recipients.confirm(scene.worker, ["gp@surgery.example"], contains_personal_data=False)
    [prompt] = asked.value.prompts
    event = AuditEvent.objects.get(action="outbound.prompted")
    assert json.loads(event.details)["prompts"] == ["new_recipient"] and "gp@" not in event.details
    answered = recipients.confirm(
        scene.worker, ["gp@surgery.example"], contains_personal_data=False, confirmed=[prompt.key]
    )
    assert answered == [prompt]
    assert AuditEvent.objects.filter(action="outbound.prompts_confirmed").count() == 1


def test_the_check_api_returns_prompts_and_audits_the_answers(client: Client, scene: Any, world: Any) -> None:
    token = make_token(world.staff("administrator", username="mailserver"))
    headers = {"Authorization": f"Bearer {token}"}
    payload = {"from": "sarah.hughes@council.example", "to": ["head@schooI.example"], "body": NEWSLETTER}
    out = client.post("/api/outbound/check", payload, content_type="application/json", headers=headers).json()
    [prompt] = out["prompts"]
    assert prompt["kind"] == "new_recipient" and prompt["answered"] is False
    again = client.post(
        "/api/outbound/check",
        {**payload, "confirmed": [prompt["key"]]},
        content_type="application/json",
        headers=headers,
    ).json()
    assert again["prompts"][0]["answered"] is True
    event = AuditEvent.objects.get(action="outbound.prompts_confirmed")
    assert event.actor_id == scene.worker.pk  # answered by the sender, through their mail program


def test_the_check_api_says_what_was_found_in_plain_english_and_refuses_an_oversized_message(
    client: Client, scene: Any, world: Any, settings: Any
) -> None:
    token = make_token(world.staff("administrator", username="mailserver"))
    headers = {"Authorization": f"Bearer {token}"}
    payload = {
        "from": "x@council.example",
        "to": ["gp@surgery.example"],
        "subject": "Update",
        "body": CASE_UPDATE,
    }
    out = client.post("/api/outbound/check", payload, content_type="application/json", headers=headers).json()
    # A service account has no relationship to the child: told only that it is someone on the records.
    assert out["findings"][0]["what"] == "personal data of someone on the council's records"
    igo = {"Authorization": f"Bearer {make_token(world.staff('information_governance'))}"}
    out = client.post("/api/outbound/check", payload, content_type="application/json", headers=igo).json()
    assert out["findings"][0]["what"] == "a child's name" and out["findings"][0]["why"]
    settings.DISCRETION_MAX_MESSAGE_BYTES = 100
    too_big = client.post("/api/outbound/check", payload, content_type="application/json", headers=headers)
    assert too_big.status_code == 413 and "limit for one message" in too_big.json()["detail"]
