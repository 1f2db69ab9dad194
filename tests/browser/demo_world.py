"""A demo council with casework in every state a role meets, and the pages each role opens on it.

Shared by the accessibility walk (axe-core in Chromium) and the plain-words walk (every page's
visible text): the same world, so both look at the same pages. Built only through the service
functions, as people would build it."""

from __future__ import annotations

import datetime as dt
from typing import Any

PASSWORD = "correct-horse-battery"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build() -> dict[str, Any]:
    """The small demo council, signed-in-able, and the casework that fills each role's pages."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from discretion import access, seed
    from discretion.information_rights import services as ir
    from discretion.records.models import Case, Entry
    from discretion.requests import documents
    from discretion.requests import services as requests
    from discretion.research import services as research
    from discretion.research.models import CommercialRecord
    from discretion.staff.models import Acknowledgement, Alert, Staff

    seed.build("small", 1)
    staff = {s.username: s for s in Staff.objects.all()}
    policy = seed.ensure_policy()
    for member in staff.values():
        member.set_password(PASSWORD)
        member.save(update_fields=["password"])
        Acknowledgement.objects.get_or_create(staff=member, policy=policy)
    sarah, igo, priya = staff["sarah.hughes"], staff["gareth.morgan"], staff["priya.patel"]
    grants = [c for c in Case.objects.order_by("id") if access.case_grant(sarah, c.pk)]
    case = next(c for c in grants if Entry.objects.filter(case=c).count() >= 3)
    second = next((c for c in grants if c.subject_id != case.subject_id), case)
    other = Case.objects.exclude(team=case.team).order_by("id").first()
    assert other is not None
    entries = list(Entry.objects.filter(case=case).order_by("id"))
    entry = entries[0]
    access.break_glass(staff["imran.khan"], case.pk, "Police called: the child is missing tonight")
    alert = Alert.objects.filter(recipient=priya).order_by("-id").first()

    police = requests.log_request(
        sarah,
        requester=requests.RequesterDetails(
            name="DC Rao",
            category="police",
            organisation="Lancashire Police",
            contact="dc.rao@police.example",
        ),
        channel="phone",
        person_ids=[case.subject_id],
        information=["child_personal"],
        purpose="missing_child",
        summary="The child has been missing since 6pm. Where might they go?",
    )
    requests.complete_task(
        sarah, police.pk, "verify_entitlement", note="Rang the force control room back.",
        callback_number="01632 960000", number_source="Force switchboard, from the police website",
    )  # fmt: skip
    # A section 47 enquiry released by secure link: the sender's "sent" view and the recipient's page.
    enquiry = requests.log_request(
        sarah,
        requester=requests.RequesterDetails(
            name="Dr Khan", category="other_agency", organisation="Preston GP surgery",
            contact="dr.khan@nhs.example", works_with_child=True,
        ),
        channel="secure_email",
        person_ids=[second.subject_id],
        information=["child_personal"],
        purpose="section_47_enquiry",
        summary="What contact has the family had with children's services this year?",
    )  # fmt: skip
    for kind in requests.open_tasks(enquiry):
        requests.complete_task(sarah, enquiry.pk, kind, note="Checked with the practice.", outcome="told")
    second_entry = Entry.objects.filter(case=second).order_by("id").first()
    assert second_entry is not None
    requests.select_entries(sarah, enquiry.pk, {second_entry.pk: "Needed for the enquiry"})
    released = requests.release_request(
        sarah, enquiry.pk, channel="secure_link", address="dr.khan@nhs.example"
    )
    # A solicitor's request with a court order that waits for Legal Services' check.
    court = requests.log_request(
        sarah,
        requester=requests.RequesterDetails(
            name="M Patel", category="solicitor", organisation="Patel & Co", contact="1 Court Street, Preston"
        ),
        channel="letter",
        person_ids=[case.subject_id],
        information=["child_personal"],
        purpose="legal_proceedings",
        summary="Copies of the case notes for the family court hearing.",
    )
    documents.add_document(
        sarah, court.pk, "court_order", SimpleUploadedFile("order.pdf", PDF), name="order.pdf",
        content_type="application/pdf", size=len(PDF),
    )  # fmt: skip
    media = requests.log_request(
        sarah,
        requester=requests.RequesterDetails(name="J Reporter", category="media", organisation="Evening Post"),
        channel="phone",
        purpose="media_story",
        summary="Will the council comment on the foster carer shortage?",
    )

    foi = ir.log_request(
        igo,
        requester_name="Alex Reporter",
        requester_contact="alex@example.org",
        channel="email",
        wording="How many children were in care on 31 March 2026?",
    )
    answered = ir.log_request(
        igo,
        requester_name="B Smith",
        requester_contact="1 High Street, Preston",
        channel="letter",
        wording="Budget",
    )
    ir.record_outcome(
        igo, answered.pk, outcome="provided", response_text="The budget was £12m.", publish=True
    )
    sar = ir.open_sar(
        igo,
        requester_name=case.subject.full_name,
        requester_contact="young.person@example.org",
        requester_kind="self",
        received_on=dt.date.today(),
    )
    ir.verify_identity(igo, sar.pk, evidence="Passport", subject_ref=case.subject.ref)
    ir.compile_records(igo, sar.pk)
    study = research.submit_request(
        sarah,
        research.Submission(
            title="Placement stability",
            purpose="Service evaluation of placement moves",
            lawful_basis="UK GDPR Art 6(1)(e)",
            fields=["age_band", "district"],
            retention="One year",
            audience="Performance team",
            requester_name="Sarah Hughes",
        ),
    )
    approved_study = research.submit_request(
        sarah,
        research.Submission(
            title="Return home interviews",
            purpose="Audit of return home interviews after a child goes missing",
            lawful_basis="UK GDPR Art 6(1)(e)",
            fields=["age_band"],
            retention="Six months",
            audience="Missing from care group",
            requester_name="Sarah Hughes",
        ),
    )
    research.decide_request(
        staff["ruth.clarke"],
        approved_study.pk,
        approve=True,
        reasons="A clear audit purpose; age bands only.",
    )
    other_entry = Entry.objects.filter(case=other).order_by("id").first()
    commercial = CommercialRecord.objects.order_by("id").first()
    return {
        "staff": staff,
        "case": case,
        "second": second,
        "other": other,
        "entry": entry,
        "entries": entries,
        "police": police,
        "enquiry": enquiry,
        "released": released,
        "media": media,
        "court": court,
        "foi": foi,
        "answered": answered,
        "sar": sar,
        "study": study,
        "approved_study": approved_study,
        "other_entry": other_entry,
        "alert": alert,
        "commercial": commercial,
    }


def pages(s: dict[str, Any]) -> dict[str, list[str]]:
    """Each role's pages ("" is nobody signed in): its queue, its casework, its forms."""
    case, other, person = s["case"], s["other"], s["case"].subject
    sar, foi, study = s["sar"].pk, s["foi"].pk, s["study"].pk
    police, enquiry, media, court = s["police"].pk, s["enquiry"].pk, s["media"].pk, s["court"].pk
    everyone = ["/", "/people/", "/requests/", "/research/commercial/", "/research/", "/staff/supervised/"]
    signed_out = ["/sign-in/", "/information-rights/disclosure-log/"]
    if s["released"].link_token:
        signed_out.append(f"/disclosures/download/{s['released'].link_token}/")
    alert = [f"/staff/alerts/{s['alert'].pk}/"] if s["alert"] is not None else []
    commercial = [f"/research/commercial/{s['commercial'].pk}/"] if s["commercial"] is not None else []
    return {
        "": signed_out,
        "sarah.hughes": [
            *everyone,
            f"/people/?q={person.family_name}",
            f"/people/{person.ref}/",
            f"/people/{s['second'].subject.ref}/",
            f"/cases/{case.ref}/",
            *[f"/entries/{e.pk}/" for e in s["entries"][:3]],
            f"/outbound/cases/{case.ref}/compose/",
            f"/disclosures/people/{person.ref}/",
            f"/requests/{police}/",
            f"/requests/{police}/documents/",
            f"/requests/{enquiry}/",
            f"/requests/{enquiry}/released/",
            f"/requests/{media}/",
            f"/requests/{court}/",
            f"/people/?q={s['second'].subject.family_name}",
            "/requests/new/who/",
            "/disclosures/print-queue/",
            "/disclosures/links/",
            "/notifications/",
            "/research/new/",
            f"/research/{study}/",
            f"/cases/{s['second'].ref}/",
            f"/outbound/cases/{s['second'].ref}/compose/",
            f"/research/{s['approved_study'].pk}/",
            f"/cases/{other.ref}/",
            f"/cases/{other.ref}/break-glass/",
        ],
        "priya.patel": [
            *everyone,
            "/disclosures/",
            "/staff/alerts/",
            *alert,
            "/staff/compliance/",
            "/staff/inductions/new/",
            "/notifications/",
            f"/people/{person.ref}/",
            f"/cases/{case.ref}/",
            f"/requests/{police}/",
            *commercial,
        ],
        "gareth.morgan": [
            *everyone,
            "/information-rights/",
            "/information-rights/requests/",
            "/information-rights/requests/new/",
            f"/information-rights/requests/{foi}/",
            f"/information-rights/requests/{s['answered'].pk}/",
            "/information-rights/sar/",
            "/information-rights/sar/new/",
            f"/information-rights/sar/{sar}/",
            f"/information-rights/sar/{sar}/documents/",
            f"/information-rights/sar/{sar}/review/",
            f"/information-rights/sar/{sar}/release/",
            "/disclosures/",
            "/disclosures/links/",
            "/staff/alerts/",
            "/staff/compliance/",
            f"/audit/people/{person.ref}/",
            f"/audit/people/{s['second'].subject.ref}/",
            "/notifications/",
            "/disclosures/?released_from_day=1&released_from_month=1&released_from_year=2026",
            f"/research/{study}/",
            "/staff/policy/publish/",
            f"/staff/{s['staff']['sarah.hughes'].pk}/reset-authenticator/",
            f"/people/{other.subject.ref}/",
            f"/cases/{other.ref}/",
            *([f"/entries/{s['other_entry'].pk}/"] if s["other_entry"] is not None else []),
            f"/disclosures/people/{s['second'].subject.ref}/",
            f"/research/{s['approved_study'].pk}/",
        ],
        "helen.evans": [*everyone, f"/requests/{court}/", "/notifications/"],
        "tom.taylor": ["/", "/requests/", f"/requests/{media}/", "/notifications/"],
        "ruth.clarke": [*everyone, f"/research/{study}/", "/research/new/"],
        "amy.wright": ["/", "/people/", "/requests/"],
        "zainab.ali": ["/", "/people/"],
        "dan.brown": ["/", "/people/", "/requests/"],
        "admin.jones": ["/", "/staff/compliance/", "/staff/alerts/", "/staff/policy/publish/"],
    }
