"""The parts of the document pipeline on their own: near-duplicates, name proposals on OCR words,
burning a page, and the .msg reader on a file the care-file writer made."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from discretion.information_rights.documents import boxes, burn, duplicates, mail
from discretion.information_rights.documents.ocr import Word
from discretion.information_rights.documents.synthetic import msg, pages

LETTER = (
    "dear sir we write about the contact plan for the children agreed at the review meeting last week " * 3
)


def _words(text: str, line: int = 0) -> list[Word]:
    return [Word(i * 0.05, 0.1, i * 0.05 + 0.04, 0.12, t, line) for i, t in enumerate(text.split())]


def test_the_same_letter_filed_again_is_a_duplicate_and_another_is_not():
    one = duplicates.signature(LETTER.split())
    again = duplicates.signature((LETTER + " yours faithfully").split())
    other = duplicates.signature(
        ("the school reports good attendance and reading progress this term " * 4).split()
    )
    assert duplicates.group([(1, one), (2, again), (3, other), (4, duplicates.signature(["short"]))]) == {
        2: 1
    }
    assert duplicates.signature(["too", "few", "words"]) == []


def test_ocr_misreadings_of_a_third_partys_name_are_proposed_and_the_subject_is_not():
    keys = boxes.NameKeys.build(["Roxanne Pellow", "Tyler Hollis"], ["Kayden Walsh"])
    found = boxes.fuzzy_names(_words("Visited Kayden Walsh; Roxarme Pellow and Tyler Mowis were in"), keys)
    texts = {p.text for p in found}
    assert "Roxarme Pellow" in texts and "Tyler Mowis" in texts
    assert not any("Kayden" in t or "Walsh" in t for t in texts)
    exact = boxes.fuzzy_names(_words("Roxarme said hello"), keys, fuzzy=False)
    assert exact == []  # a text layer is read exactly: no guessing on it
    assert boxes.find_phrase(_words("then Roxanne Pelow came"), "Roxanne Pellow", fuzzy=True) == [[1, 2]]
    assert boxes.find_phrase(_words("then Roxanne Pelow came"), "Roxanne Pellow", fuzzy=False) == []


def test_a_burned_page_keeps_nothing_under_its_box_in_pixels_or_text():
    image = Image.new("L", (1275, 1650), 255)
    font = ImageFont.truetype(str(pages.TYPED), 40)
    ImageDraw.Draw(image).text((100, 200), "Contact with Roxanne Pellow went well", font=font, fill=0)
    width = ImageDraw.Draw(image).textlength("Contact with ", font=font)
    name = ImageDraw.Draw(image).textlength("Roxanne Pellow", font=font)
    box = ((100 + width - 4) / 1275, 190 / 1650, (100 + width + name + 4) / 1275, 260 / 1650)
    burned = burn.burn(image, [box])
    x0, y0, x1, y1 = (
        int(box[0] * 1275) + 2,
        int(box[1] * 1650) + 2,
        int(box[2] * 1275) - 2,
        int(box[3] * 1650) - 2,
    )
    assert burned.crop((x0, y0, x1, y1)).getextrema() == (0, 0)
    released = burn.release_page(image, [box])
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(released)).pages)
    assert "Contact" in text and "Roxanne" not in text and "Pellow" not in text
    reader = PdfReader(io.BytesIO(released))
    assert not reader.metadata or not any(reader.metadata.get(k) for k in ("/Title", "/Author", "/Subject"))
    assert "/Annots" not in reader.pages[0] and "/EmbeddedFiles" not in str(reader.trailer["/Root"])


def test_an_outlook_message_reads_back_with_its_attachments():
    content = msg.outlook_message(
        {"From": "Roxanne Pellow", "Subject": "Contact on Saturday"},
        "Body text " * 600,
        [("letter.pdf", b"%PDF-1.4 " + b"x" * 6000), ("note.txt", b"short")],
    )
    message = mail.read_msg(content)
    assert dict(message.headers)["Subject"] == "Contact on Saturday"
    assert message.body.startswith("Body text") and len(message.body) == len("Body text " * 600)
    assert [(a.name, len(a.content)) for a in message.attachments] == [("letter.pdf", 6009), ("note.txt", 5)]
