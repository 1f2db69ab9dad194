"""Tagged, accessible PDF (PDF/UA-style) from reportlab, which draws untagged content by itself.

While reportlab draws, each tagged flowable (`TaggedParagraph`, `TaggedImage`, the contents list)
wraps what it draws in a marked-content sequence (`/H1 <</MCID n>> BDC … EMC`) and notes its page,
number and role; running heads and page numbers are drawn as artifacts. `finish` then writes the
structure tree those notes describe (pikepdf): a Document of headings, paragraphs, a table of
contents, lists and figures with alternative text, in reading order, with its parent tree, the
document language, the title shown in the window, the "marked" flag and XMP metadata. A page that
carries no tagged content of ours (a page of an attached PDF copied in whole) becomes one figure.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Image, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents

# The structure role of a paragraph, by the name of its reportlab style.
ROLE_BY_STYLE = {
    "Title": "H1",
    "Heading1": "H1",
    "Section": "H1",
    "Heading2": "H2",
    "Heading3": "H2",
    "AttachmentHeading": "H3",
    "Heading4": "H3",
    "TOC0": "TOCI",
    "TOC1": "TOCI",
    "ListItem": "LI",
}
ATTACHED_PAGE = "A page of a document attached to the record, reproduced as it was received."


@dataclass
class Marked:
    page: int
    mcid: int
    role: str
    alt: str = ""


@dataclass
class Tagger:
    """The marked-content sequences of one build, page by page, in the order they were drawn.
    reportlab builds a document more than once (to number the contents page); each build draws on
    a new canvas, and only the last build's notes are kept."""

    items: list[Marked] = field(default_factory=list)
    _next: dict[int, int] = field(default_factory=dict)
    _canvas: Any = None

    def begin(self, canvas: Any, role: str, alt: str = "") -> None:
        if canvas is not self._canvas:
            self._canvas, self.items, self._next = canvas, [], {}
        page = canvas.getPageNumber()
        mcid = self._next.get(page, 0)
        self._next[page] = mcid + 1
        canvas.addLiteral(f"/{role} <</MCID {mcid}>> BDC")
        self.items.append(Marked(page, mcid, role, alt))

    @staticmethod
    def end(canvas: Any) -> None:
        canvas.addLiteral("EMC")


_current: ContextVar[Tagger | None] = ContextVar("discretion_pdf_tagger", default=None)


@contextmanager
def tagging() -> Iterator[Tagger]:
    """Tag what the flowables below draw while inside this block."""
    tagger = Tagger()
    token = _current.set(tagger)
    try:
        yield tagger
    finally:
        _current.reset(token)


@contextmanager
def artifact(canvas: Any) -> Iterator[None]:
    """Running heads, footers and page numbers: not part of the content (PDF/UA 7.8)."""
    canvas.addLiteral("/Artifact BMC")
    try:
        yield
    finally:
        canvas.addLiteral("EMC")


def _draw_tagged(canvas: Any, role: str, alt: str, draw: Any) -> None:
    tagger = _current.get()
    if tagger is None:
        draw()
        return
    tagger.begin(canvas, role, alt)
    try:
        draw()
    finally:
        tagger.end(canvas)


class TaggedParagraph(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph drawn as one structure element; its role follows its style (a heading style is a
    heading). A paragraph split over two pages is two elements of the same role."""

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        role = ROLE_BY_STYLE.get(self.style.name, "P")
        _draw_tagged(canvas, role, "", lambda: super(TaggedParagraph, self).drawOn(canvas, x, y, _sW))


class TaggedImage(Image):  # type: ignore[misc]  # reportlab is untyped
    """An image drawn as a figure with its alternative text."""

    def __init__(self, *args: Any, alt: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.alt = alt

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        _draw_tagged(canvas, "Figure", self.alt, lambda: super(TaggedImage, self).drawOn(canvas, x, y, _sW))


class TaggedContents(TableOfContents):  # type: ignore[misc]  # reportlab is untyped
    """The contents page: each line a table-of-contents item (its page number with it)."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        size = super().wrap(available_width, available_height)
        for row in self._table._cellvalues:
            for cell in row:
                for flowable in cell if isinstance(cell, (list, tuple)) else (cell,):
                    if isinstance(flowable, Paragraph) and not isinstance(flowable, TaggedParagraph):
                        flowable.__class__ = TaggedParagraph
        return size  # type: ignore[no-any-return]


# --- the structure tree -------------------------------------------------------------------

# Roles gathered under a parent element when they come one after another.
GROUPS = {"TOCI": "TOC", "LI": "L"}


def finish(content: bytes, tagger: Tagger, *, title: str, lang: str = "en-GB", author: str = "") -> bytes:
    """Write the structure tree for what `tagger` saw into the PDF, and mark it as tagged."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    pdf = pikepdf.open(io.BytesIO(content))
    by_page: dict[int, list[Marked]] = {}
    for item in tagger.items:
        by_page.setdefault(item.page, []).append(item)

    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array()))
    root.K = Array([document])
    parent_nums = Array()
    group: Any = None
    group_role = ""

    def element(role: str, parent: Any, page: Any, mcid: int, alt: str) -> Any:
        elem = Dictionary(Type=Name.StructElem, S=Name("/" + role), P=parent, Pg=page, K=mcid)
        if alt:
            elem.Alt = String(alt)
        return pdf.make_indirect(elem)

    for number, page in enumerate(pdf.pages, start=1):
        page_obj = page.obj
        marked = by_page.get(number, [])
        if not marked:
            # A page of an attached PDF: its own content is one figure (our footer stays an artifact).
            page.contents_coalesce()
            page.contents_add(b"/Figure <</MCID 0>> BDC\n", prepend=True)
            page.contents_add(b"\nEMC\n", prepend=False)
            marked = [Marked(number, 0, "Figure", ATTACHED_PAGE)]
        parents = Array()
        for item in sorted(marked, key=lambda m: m.mcid):
            wanted = GROUPS.get(item.role, "")
            if wanted and (group is None or group_role != wanted):
                group = pdf.make_indirect(
                    Dictionary(Type=Name.StructElem, S=Name("/" + wanted), P=document, K=Array())
                )
                group_role = wanted
                document.K.append(group)
            elif not wanted:
                group, group_role = None, ""
            if item.role == "LI":
                li = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LI, P=group, K=Array()))
                body = element("LBody", li, page_obj, item.mcid, "")
                li.K.append(body)
                group.K.append(li)
                parents.append(body)
                continue
            elem = element(item.role, group if wanted else document, page_obj, item.mcid, item.alt)
            (group.K if wanted else document.K).append(elem)
            parents.append(elem)
        page_obj.StructParents = number - 1
        page_obj.Tabs = Name.S
        parent_nums.append(number - 1)
        parent_nums.append(pdf.make_indirect(parents))

    root.ParentTree = pdf.make_indirect(Dictionary(Nums=parent_nums))
    root.ParentTreeNextKey = len(pdf.pages)
    root.RoleMap = Dictionary()
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String(lang)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title
        meta["dc:language"] = [lang]
        if author:
            meta["dc:creator"] = [author]
        meta["pdfuaid:part"] = "1"
    pdf.docinfo.Title = String(title)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()
