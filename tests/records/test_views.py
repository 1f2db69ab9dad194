"""Pages through Django's test client: sign-in journey, my cases, person, case, search,
refusal with break-glass, uploads, NHS number, who-has-looked; each read audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from discretion.audit.models import AuditEvent
from discretion.records.models import Attachment


@pytest.fixture
def scene(world):
    team = world.team("Chorley Safeguarding")
    manager = world.manager_of(team)
    worker = world.staff(team=team, username="sarah.hughes")
    outsider = world.staff(team=world.team(), username="imran.khan")
    child = world.person("Kayden Lee", "Walsh")
    case = world.case(child, team, workers=(worker,))
    entry = world.entry(case, "Visited Kayden at home.")
    return locals()


def test_sign_in_is_audited_and_asks_for_the_policy_first(client, world):
    newcomer = world.staff(username="new.starter", acknowledged=False)
    response = client.post(
        reverse("web:sign-in"), {"username": "new.starter", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    home = client.get(reverse("web:home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("web:acknowledge-policy"))
    refused = client.post(reverse("web:acknowledge-policy"), {})
    assert refused.status_code == 400 and b"There is a problem" in refused.content
    client.post(reverse("web:acknowledge-policy"), {"confirm": "on"})
    assert client.get(reverse("web:home")).status_code == 200
    actions = list(AuditEvent.objects.filter(actor_id=newcomer.pk).values_list("action", flat=True))
    assert actions[:2] == ["auth.sign_in", "policy.acknowledged"]


def test_failed_sign_in_is_audited(client, world):
    member = world.staff(username="someone")
    response = client.post(reverse("web:sign-in"), {"username": "someone", "password": "wrong"})
    assert response.status_code == 200 and b"Enter a correct username and password" in response.content
    assert AuditEvent.objects.filter(action="auth.sign_in_failed", actor_id=member.pk).exists()


def test_sign_out_is_audited(client, scene):
    client.force_login(scene["worker"])
    client.post(reverse("web:sign-out"))
    assert AuditEvent.objects.filter(action="auth.sign_out", actor_id=scene["worker"].pk).exists()


def test_my_cases_person_and_case_pages(client, scene):
    client.force_login(scene["worker"])
    home = client.get(reverse("web:home"))
    assert scene["case"].ref.encode() in home.content
    person = client.get(reverse("web:person", args=[scene["child"].ref]))
    assert person.status_code == 200 and b"Kayden Lee Walsh" in person.content
    case = client.get(reverse("web:case", args=[scene["case"].ref]))
    assert case.status_code == 200
    entry = client.get(reverse("web:entry", args=[scene["entry"].pk]))
    assert b"Visited Kayden at home." in entry.content
    actions = list(AuditEvent.objects.filter(actor_id=scene["worker"].pk).values_list("action", flat=True))
    # The home page is the worker's work: the requests they handle, their letters, their caseload.
    assert actions == [
        "auth.sign_in",
        "requests.mine.listed",
        "disclosures.print_queue_read",
        "caseload.read",
        "person.read",
        "case.read",
        "entry.read",
    ]
    read = AuditEvent.objects.get(action="person.read")
    assert read.ip == "127.0.0.1" and read.session


def test_unallocated_worker_is_refused_then_breaks_glass(client, scene):
    client.force_login(scene["outsider"])
    refused = client.get(reverse("web:case", args=[scene["case"].ref]))
    assert refused.status_code == 403 and b"Use break-glass access" in refused.content
    assert b"Kayden" not in refused.content
    empty = client.post(reverse("web:break-glass", args=[scene["case"].ref]), {"reason": ""})
    assert empty.status_code == 400 and b"Enter why you need to open this record now" in empty.content
    client.post(
        reverse("web:break-glass", args=[scene["case"].ref]), {"reason": "Police report child missing"}
    )
    opened = client.get(reverse("web:case", args=[scene["case"].ref]))
    assert opened.status_code == 200 and b"break-glass" in opened.content
    event = AuditEvent.objects.get(action="access.break_glass")
    assert event.reason == "Police report child missing"


def test_search_never_leaks_names_of_records_the_user_cannot_open(client, scene):
    client.force_login(scene["outsider"])
    response = client.get(reverse("web:search"), {"q": "kayden walsh"})
    assert response.status_code == 200
    assert b"A record exists" in response.content and scene["child"].ref.encode() in response.content
    assert b"Kayden" not in response.content.split(b'<h2 class="govuk-heading-m">Results</h2>')[1]


def test_search_with_a_malformed_date_shows_an_error_summary(client, scene):
    client.force_login(scene["worker"])
    response = client.get(
        reverse("web:search"), {"q": "", "dob_day": "31", "dob_month": "2", "dob_year": "2015"}
    )
    assert response.status_code == 400 and b"Date of birth must be a real date" in response.content
    assert b"<title>Error:" in response.content


def test_invalid_nhs_number_is_refused_and_nothing_written(client, scene):
    client.force_login(scene["worker"])
    response = client.post(reverse("web:person", args=[scene["child"].ref]), {"nhs_number": "943 476 5918"})
    assert response.status_code == 400 and b"Enter a valid NHS number" in response.content
    scene["child"].refresh_from_db()
    assert scene["child"].nhs_number == ""
    client.post(reverse("web:person", args=[scene["child"].ref]), {"nhs_number": "943 476 5919"})
    scene["child"].refresh_from_db()
    assert scene["child"].nhs_number == "9434765919"


def test_upload_checks_type_and_size_and_serves_through_the_access_check(client, scene, settings):
    client.force_login(scene["worker"])
    url = reverse("web:entry", args=[scene["entry"].pk])
    fake_pdf = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    assert client.post(url, {"file": fake_pdf}).status_code == 400
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), content_type="application/pdf"
    )
    too_big = client.post(url, {"file": big})
    assert too_big.status_code == 400 and b"must be smaller than 1MB" in too_big.content
    assert not Attachment.objects.exists()
    good = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert client.post(url, {"file": good}).status_code == 302
    attachment = Attachment.objects.get()
    download = client.get(reverse("web:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(scene["outsider"])
    assert client.get(reverse("web:attachment", args=[attachment.pk])).status_code == 403


def test_who_has_looked_is_for_information_governance_only(client, scene, world):
    client.force_login(scene["worker"])
    client.get(reverse("web:person", args=[scene["child"].ref]))
    assert client.get(reverse("web:who-has-viewed", args=[scene["child"].ref])).status_code == 403
    igo = world.staff("information_governance")
    client.force_login(igo)
    page = client.get(reverse("web:who-has-viewed", args=[scene["child"].ref]))
    assert (
        page.status_code == 200
        and b"Opened a person&#x27;s record" in page.content
        and scene["worker"].first_name.encode() in page.content
    )


def test_api_uses_the_same_rules(client, scene):
    client.force_login(scene["worker"])
    ok = client.get(f"/api/records/people/{scene['child'].ref}")
    assert ok.status_code == 200 and ok.json()["access_basis"] == "allocated"
    client.force_login(scene["outsider"])
    refused = client.get(f"/api/records/cases/{scene['case'].ref}")
    assert refused.status_code == 403 and refused.json()["can_break_glass"] is True
    bad = client.get("/api/records/people", {"q": "x", "date_of_birth": "2015-02-30"})
    assert bad.status_code == 422 and "date_of_birth" in bad.json()["detail"]
    missing = client.get("/api/records/people/P999999999")
    assert missing.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, scene):
    response = client.get(reverse("web:person", args=[scene["child"].ref]))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert client.get(f"/api/records/people/{scene['child'].ref}").status_code == 401


def test_openapi_is_served_to_signed_in_staff(client, world):
    assert client.get("/api/openapi.json").status_code == 302  # to the sign-in page
    client.force_login(world.staff())
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200 and "/api/records/people/{ref}" in schema.json()["paths"]


def test_argon2_is_the_production_password_hasher():
    from discretion import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_a_role_that_cannot_break_glass_cannot_probe_case_references(client, scene, world):
    press = world.staff("press_office")
    client.force_login(press)
    real = client.get(reverse("web:break-glass", args=[scene["case"].ref]))
    made_up = client.get(reverse("web:break-glass", args=["C000000000"]))
    assert real.status_code == made_up.status_code == 403
    api_real = client.post(
        f"/api/records/cases/{scene['case'].ref}/break-glass",
        {"reason": "x" * 20},
        content_type="application/json",
    )
    api_made_up = client.post(
        "/api/records/cases/C000000000/break-glass", {"reason": "x" * 20}, content_type="application/json"
    )
    assert api_real.status_code == api_made_up.status_code == 403
