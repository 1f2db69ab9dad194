"""A care leaver's file at full size, built into the database: a child (now 18), the people around
them, a case over 18 years, and one record entry per document with the document attached: PDFs
with text, scans (PDF, TIFF, JPEG, PNG; some handwritten), Word (.docx, and .doc made through
LibreOffice), e-mails (.eml, and .msg) some with attachments, and letters filed more than once.

`build()` returns the generator's truth: where each third party's name is on each scanned page."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from discretion.information_rights.documents import office
from discretion.information_rights.documents.synthetic import msg, pages
from discretion.information_rights.documents.synthetic.pages import Spot
from discretion.records.models import Attachment, Case, CaseMember, Entry, Person, Relationship
from discretion.records.services import index_names
from discretion.staff.models import Staff, Team

THIRD_PARTIES = (
    ("Roxanne", "Pellow", "parent"),
    ("Darren", "Hollis", "parent"),
    ("Gary", "Whitworth", "other"),
    ("Maureen", "Pellow", "other"),
    ("Tyler", "Hollis", "sibling"),
    ("Bernadette", "Okonkwo", "carer"),
    ("Lorraine", "Ashcroft", "other"),
    ("Wayne", "Brierley", "other"),
)


@dataclass(frozen=True)
class Plan:
    pages: int = 2000
    scanned: int = 600
    word: int = 50
    emails: int = 50
    duplicated_letter_copies: int = 5


@dataclass
class Generated:
    name: str
    content: bytes
    content_type: str
    pages: int
    scanned: int = 0
    spots: list[Spot] = field(default_factory=list)


@dataclass
class CareFile:
    child_ref: str
    case_id: int
    attachments: list[int]
    pages: int
    scanned_pages: int
    truth: list[tuple[int, int, str, tuple[float, float, float, float]]]  # attachment, page, word, box
    third_parties: list[str]


def _scans(rng: random.Random, cast: pages.Cast, count: int, label: str) -> Generated:
    names = {w for full in cast.third_parties for w in full.split()}
    handwriting = rng.random() < 0.35
    images, spots = [], []
    for n in range(1, count + 1):
        image, found = pages.scan(rng, pages.lines_for(rng, cast, 9), names, handwriting=handwriting, page=n)
        images.append(image)
        spots += found
    container = (
        "pdf"
        if count > 1 and rng.random() < 0.6
        else ("tiff" if count > 1 else rng.choice(["jpeg", "png", "tiff", "pdf"]))
    )
    if container == "pdf":
        content, mime, ext = pages.scanned_pdf(images), "application/pdf", "pdf"
    else:
        content = pages.image_file(images, container)
        mime, ext = {
            "tiff": ("image/tiff", "tif"),
            "jpeg": ("image/jpeg", "jpg"),
            "png": ("image/png", "png"),
        }[container]
    return Generated(f"{label}.{ext}", content, mime, count, count, spots)


def _text_doc(rng: random.Random, cast: pages.Cast, count: int, label: str) -> Generated:
    body = [pages.lines_for(rng, cast, 14) for _ in range(count)]
    return Generated(
        f"{label}.pdf", pages.text_pdf(body, label.replace("-", " ").title()), "application/pdf", count
    )


def _word(rng: random.Random, cast: pages.Cast, n: int, as_doc: bool) -> Generated:
    content = pages.word_document(f"Assessment {n}", pages.lines_for(rng, cast, 10))
    if as_doc:
        content = office.convert(content, ".docx", "doc:MS Word 97")
        return Generated(f"assessment-{n}.doc", content, "application/msword", 1)
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return Generated(f"assessment-{n}.docx", content, mime, 1)


def _email(rng: random.Random, cast: pages.Cast, n: int, as_msg: bool, attach: bool) -> Generated:
    sender = rng.choice(cast.third_parties)
    headers = {
        "From": f"{sender} <{sender.split()[0].lower()}@example.org>",
        "To": "duty.team@council.example",
        "Subject": f"About {cast.child_given}",
        "Date": f"{rng.randint(1, 28)} May 2019 10:00:00 +0100",
    }
    body = "\n".join(pages.lines_for(rng, cast, 6))
    files = []
    if attach:
        files.append(
            (f"letter-{n}.pdf", pages.text_pdf([pages.lines_for(rng, cast, 12)], "Letter"), "application/pdf")
        )
    if as_msg:
        content = msg.outlook_message(headers, body, [(name, data) for name, data, _ in files])
        return Generated(f"email-{n}.msg", content, "application/vnd.ms-outlook", 1 + len(files))
    return Generated(f"email-{n}.eml", pages.eml(headers, body, files), "message/rfc822", 1 + len(files))


def _chunks(rng: random.Random, total: int, most: int) -> list[int]:
    sizes = []
    while total > 0:
        size = min(total, rng.randint(1, most))
        sizes.append(size)
        total -= size
    return sizes


def generate(plan: Plan, cast: pages.Cast, seed: int = 2026) -> list[Generated]:
    rng = random.Random(seed)
    files: list[Generated] = []
    for n, size in enumerate(_chunks(rng, plan.scanned, 6), start=1):
        files.append(_scans(rng, cast, size, f"scanned-note-{n}"))
    files += [_word(rng, cast, n, as_doc=n % 5 == 2) for n in range(1, plan.word + 1)]
    files += [_email(rng, cast, n, as_msg=n % 5 == 2, attach=n % 3 == 0) for n in range(1, plan.emails + 1)]
    letter = _text_doc(rng, cast, 2, "letter-to-school")
    files += [letter] * plan.duplicated_letter_copies  # the same letter, filed again and again
    remaining = plan.pages - sum(f.pages for f in files)
    for n, size in enumerate(_chunks(rng, max(0, remaining), 12), start=1):
        files.append(
            _text_doc(
                rng,
                cast,
                size,
                rng.choice(["report", "court-statement", "school-report", "letter"]) + f"-{n}",
            )
        )
    rng.shuffle(files)
    return files


def cast_of(child: str = "Kayden Walsh") -> pages.Cast:
    """The cast `build()` gives the file (the same names, without the database)."""
    return pages.Cast(child, child.split()[0], tuple(f"{g} {f}" for g, f, _ in THIRD_PARTIES), ())


def scans_only(count: int, seed: int, cast: pages.Cast | None = None) -> list[Generated]:
    """Scanned documents as `generate` makes them (one to six pages each, the same containers,
    fonts, noise and turn), `count` pages in all, from their own seed: a sample of scans to measure
    proposals on pages the matching rules were not developed on."""
    rng = random.Random(seed)
    cast = cast or cast_of()
    return [
        _scans(rng, cast, size, f"scanned-note-{n}") for n, size in enumerate(_chunks(rng, count, 6), start=1)
    ]


def _people(rng: random.Random) -> tuple[Person, list[Person]]:
    stamp = hashlib.sha256(str(rng.random()).encode()).hexdigest()[:6].upper()
    child = Person.objects.create(
        ref=f"PCF{stamp}", given_names="Kayden", family_name="Walsh", date_of_birth=dt.date(2008, 4, 3)
    )
    index_names(child, ())
    others = []
    for i, (given, family, kind) in enumerate(THIRD_PARTIES):
        person = Person.objects.create(
            ref=f"PCF{stamp}{i}",
            given_names=given,
            family_name=family,
            is_child=kind == "sibling",
            date_of_birth=dt.date(1980 + i, 1, 1),
        )
        index_names(person, ())
        Relationship.objects.create(person=person, relative=child, kind=kind)
        others.append(person)
    return child, others


def build(plan: Plan, *, team: Team, author: Staff | None = None, seed: int = 2026) -> CareFile:
    """The care file in the database (bulk where it can be). The caller gives the team."""
    rng = random.Random(seed)
    child, others = _people(rng)
    cast = pages.Cast(child.full_name, child.given_names, tuple(p.full_name for p in others), ())
    case = Case.objects.create(
        ref=f"CF{child.ref[3:]}",
        subject=child,
        team=team,
        kind="Looked-after child",
        opened_on=dt.date(2008, 5, 1),
    )
    CaseMember.objects.bulk_create([CaseMember(case=case, person=p, role="family") for p in [child, *others]])
    files = generate(plan, cast, seed)
    attachments, truth = [], []
    start = dt.date(2008, 5, 1)
    for n, item in enumerate(files):
        occurred = start + dt.timedelta(days=n * 6570 // max(1, len(files)))
        entry = Entry.objects.create(
            case=case,
            kind="correspondence",
            author=author,
            occurred_on=occurred,
            title=item.name,
            text=f"Document filed: {item.name}.",
        )
        attachment = Attachment.objects.create(
            entry=entry,
            file=ContentFile(item.content, name=item.name),
            original_name=item.name,
            content_type=item.content_type,
            size=len(item.content),
            sha256=hashlib.sha256(item.content).hexdigest(),
            uploaded_by=author,
        )
        attachments.append(attachment.pk)
        truth += [(attachment.pk, s.page, s.token, s.box) for s in item.spots]
    return CareFile(
        child.ref,
        case.pk,
        attachments,
        sum(f.pages for f in files),
        sum(f.scanned for f in files),
        truth,
        [p.full_name for p in others],
    )
