"""The GOV.UK date input on the information-rights pages: day, month and year boxes; a date that
cannot be (31 February, letters, half a date) is a 400 with an error summary and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from discretion.audit.models import AuditEvent
from discretion.information_rights import services
from discretion.information_rights.dates import GovUKDateField
from discretion.information_rights.forms import ClarificationForm, LogRequestForm
from discretion.information_rights.models import InfoRequest, SarCase

pytestmark = pytest.mark.django_db

REQUEST = {
    "regime": "foi",
    "requester_name": "Alex Reporter",
    "requester_contact": "alex@example.org",
    "channel": "email",
    "wording": "How many children were in care?",
    "received_on_reason": "Found in the post room",
}


def _parts(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "", ""), None),
        (("5", "1", "2026"), dt.date(2026, 1, 5)),
        (("31", "2", "2026"), "Date received must be a real date"),
        (("3l", "1", "2026"), "Date received must be a real date"),
        (("", "1", "2026"), "Date received must include a day"),
        (("5", "", ""), "Date received must include a month and a year"),
        (("5", "1", "26"), "Year must include 4 numbers"),
    ],
)
def test_date_field_parses_or_says_what_to_fix(parts, message) -> None:
    field = GovUKDateField(label="Date received", required=False)
    if message is None or isinstance(message, dt.date):
        assert field.clean(list(parts)) == message
    else:
        with pytest.raises(Exception, match=message):
            field.clean(list(parts))
    required = GovUKDateField(label="Date received")
    with pytest.raises(Exception, match="Enter the date received"):
        required.clean(["", "", ""])


def test_date_input_renders_three_boxes_not_a_browser_date_control() -> None:
    html = str(LogRequestForm()["received_on"])
    assert 'type="date"' not in html
    for part in ("day", "month", "year"):
        assert f'name="received_on_{part}"' in html and 'inputmode="numeric"' in html
    assert 'id="id_received_on"' in html  # the error summary's link lands on the day box
    bound = ClarificationForm({"c-requested_on_day": "7", "c-requested_on_month": "1"}, prefix="c")
    assert not bound.is_valid()
    assert 'value="7"' in str(bound["requested_on"])  # what was typed is kept


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [("31", "2", "2026", "Date received must be a real date"), ("ab", "cd", "efgh", "must be a real date")],
)
def test_log_request_with_a_bad_date_is_400_and_writes_nothing(igo_client, day, month, year, message) -> None:
    before = AuditEvent.objects.count()
    response = igo_client.post(
        reverse("information_rights:request-new"), {**REQUEST, **_parts("received_on", day, month, year)}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and message in page and "<title>Error:" in page
    assert not InfoRequest.objects.exists()
    assert AuditEvent.objects.count() == before


def test_log_request_with_a_good_date(igo_client) -> None:
    response = igo_client.post(
        reverse("information_rights:request-new"), {**REQUEST, **_parts("received_on", "5", "1", "2026")}
    )
    assert response.status_code == 302
    assert InfoRequest.objects.get().received_on == dt.date(2026, 1, 5)


def test_bad_clarification_date_is_400_and_leaves_the_clock_alone(igo_client) -> None:
    req = services.log_request(
        igo_client.igo, requester_name="A", requester_contact="a", channel="email", wording="All"
    )
    response = igo_client.post(
        reverse("information_rights:request-action", args=[req.pk, "clarification"]),
        _parts("clarification-requested_on", "30", "2", "2026"),
    )
    assert response.status_code == 400
    assert "Date clarification asked for must be a real date" in response.content.decode()
    req.refresh_from_db()
    assert req.clarification_requested_on is None
    assert "ir.request.clarification" not in AuditEvent.objects.values_list("action", flat=True)


def test_bad_sar_date_is_400_and_opens_nothing(igo_client) -> None:
    response = igo_client.post(
        reverse("information_rights:sar-new"),
        {
            "requester_name": "Jo",
            "requester_contact": "jo@example.org",
            "requester_kind": "self",
            **_parts("received_on", "29", "2", "2025"),
        },
    )
    assert response.status_code == 400 and "must be a real date" in response.content.decode()
    assert not SarCase.objects.exists()
