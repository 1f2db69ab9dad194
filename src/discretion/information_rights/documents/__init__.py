"""Documents in a subject-access bundle: every attachment (PDF, scan, image, Word, e-mail) becomes
pages with text and word positions; the finder proposes boxes on the page images; the released
page is the image with the boxes burned in and a fresh text layer read from the burned image.

extract.py  bytes → pages (text layer, or OCR)       ocr.py        Tesseract, word boxes and confidence
office.py   Word through LibreOffice (headless)      mail.py       .eml and .msg, with their attachments
boxes.py    proposals on a page (pure)               duplicates.py near-duplicate pages (pure)
pipeline.py the resumable compile (per page)         burn.py       true redaction of a page
services.py the reviewer's actions, audited           views.py, api.py, cli.py, tasks.py
"""
