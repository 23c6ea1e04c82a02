"""Markdown → HTML (markdown-it, tables on, raw HTML off) and Markdown → Word (python-docx).

One Markdown text is the single source of every format. Raw HTML in the Markdown is *not* passed
through: a ``<`` typed in a YAML comment shows as ``<`` instead of becoming markup. Images are looked
up relative to ``images`` (the folder the Markdown file is written to); the HTML embeds them as data
URIs so that the page stands alone.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

PAGE_WIDTH_CM = 17.0  # A4 less 2 cm margins each side
WIDE_COLUMNS = 7  # a table this wide goes on a landscape page in print (CSS class "wide")


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])


def _image_path(src: str, images: Path) -> Path | None:
    if "://" in src or src.startswith("data:"):
        return None
    path = images / src
    return path if path.is_file() else None


def to_html(markdown: str, images: Path) -> str:
    """The HTML body of ``markdown``; local images become data URIs."""
    md = parser()
    tokens = prepare(md.parse(markdown))
    for token in tokens:
        for child in token.children or []:
            if child.type == "image":
                path = _image_path(str(child.attrs.get("src", "")), images)
                if path is not None:
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    data = base64.b64encode(path.read_bytes()).decode("ascii")
                    child.attrs["src"] = f"data:{kind};base64,{data}"
    return md.renderer.render(tokens, md.options, {})


def _classes(token: Token) -> list[str]:
    return str(token.attrGet("class") or "").split()


def _add_class(token: Token, name: str) -> None:
    token.attrSet("class", " ".join([*_classes(token), name]))


def prepare(tokens: list[Token]) -> list[Token]:
    """What HTML and Word both need from a table, decided once on the tokens:

    - a table of ``WIDE_COLUMNS`` columns or more, and the heading right above it, get the class
      ``wide``: they print on a landscape page together (the heading never left alone at the foot of
      a portrait page);
    - a table whose last column is headed *Signature* gets the class ``signatures``: its rows are tall
      enough to sign in;
    - a header row with nothing in it (``| | |``, a key/value table) is dropped rather than drawn
      as an empty shaded strip.
    """
    drop: set[int] = set()
    for index, token in enumerate(tokens):
        if token.type != "table_open":
            continue
        header: list[str] = []
        end = index
        for end in range(index + 1, len(tokens)):
            kind = tokens[end].type
            if kind == "inline" and tokens[end - 1].type == "th_open":
                header.append(tokens[end].content.strip())
            elif kind == "thead_close":
                break
        if len(header) >= WIDE_COLUMNS:
            _add_class(token, "wide")
            if index >= 3 and tokens[index - 1].type == "heading_close":
                _add_class(tokens[index - 3], "wide")
        if header and header[-1].lower().startswith("signature"):
            _add_class(token, "signatures")
        if not any(header):
            drop.update(range(index + 1, end + 1))
    return [t for i, t in enumerate(tokens) if i not in drop]


def to_docx(markdown: str, images: Path, title: str) -> bytes:
    """A Word file of ``markdown``: headings, paragraphs, emphasis, lists, real tables, images."""
    from docx import Document
    from docx.shared import Cm

    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
    document.core_properties.title = title
    document.core_properties.language = "fr-FR"
    tokens = prepare(parser().parse(markdown))
    _DocxWriter(document, images).write(tokens)
    from io import BytesIO

    out = BytesIO()
    document.save(out)
    return out.getvalue()


@dataclass
class _Cell:
    children: list[Token]
    right: bool
    header: bool


@dataclass
class _DocxWriter:
    """Walks markdown-it's flat token stream and appends the matching Word blocks."""

    document: Any
    images: Path
    lists: list[list[Any]] = field(default_factory=list)  # per open list: [ordered, next number]
    quote: int = 0
    pending_item: bool = False
    table: list[list[_Cell]] | None = None
    landscape: bool = False

    def write(self, tokens: list[Token]) -> None:
        heading = 0
        right = header = signatures = False
        for token in tokens:
            kind = token.type
            if token.level == 0 and token.nesting >= 0:  # a top-level block starts
                wide = "wide" in _classes(token)
                if wide != self.landscape:
                    self._orientation(wide)
            if kind == "heading_open":
                heading = int(token.tag[1])
            elif kind == "heading_close":
                heading = 0
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.lists.append([kind == "ordered_list_open", int(token.attrs.get("start", 1) or 1)])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                self.pending_item = True
            elif kind == "blockquote_open":
                self.quote += 1
            elif kind == "blockquote_close":
                self.quote -= 1
            elif kind == "table_open":
                self.table = []
                signatures = "signatures" in _classes(token)
            elif kind == "tr_open" and self.table is not None:
                self.table.append([])
            elif kind in ("th_open", "td_open"):
                right, header = "right" in str(token.attrs.get("style", "")), kind == "th_open"
            elif kind == "table_close" and self.table is not None:
                self._table(self.table, signatures)
                self.table = None
            elif kind == "inline":
                if self.table is not None:
                    self.table[-1].append(_Cell(token.children or [], right, header))
                elif heading:
                    self._inline(self.document.add_heading("", level=min(heading, 9)), token.children or [])
                else:
                    self._inline(self._paragraph(), token.children or [])
            elif kind in ("fence", "code_block"):
                self._code(token.content)
            elif kind == "hr":
                self.document.add_paragraph("")

    def _orientation(self, landscape: bool) -> None:
        """Wide tables (and their heading) go on landscape pages, as in the PDF."""
        from docx.enum.section import WD_ORIENT, WD_SECTION
        from docx.shared import Cm

        empty = not self.document.paragraphs and not self.document.tables
        section = self.document.sections[-1] if empty else self.document.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        long, short = Cm(29.7), Cm(21)
        section.page_width, section.page_height = (long, short) if landscape else (short, long)
        self.landscape = landscape

    def _paragraph(self) -> Any:
        from docx.shared import Cm

        if self.lists and self.pending_item:
            self.pending_item = False
            current = self.lists[-1]
            depth = len(self.lists)
            if current[0]:
                paragraph = self.document.add_paragraph(f"{current[1]}. ")
                current[1] += 1
                paragraph.paragraph_format.left_indent = Cm(0.8 * depth)
                paragraph.paragraph_format.first_line_indent = Cm(-0.6)
                return paragraph
            style = "List Bullet" if depth == 1 else f"List Bullet {min(depth, 3)}"
            return self.document.add_paragraph(style=style)
        paragraph = self.document.add_paragraph(style="Quote" if self.quote else None)
        if self.lists:  # a second paragraph inside a list item: indented like the item
            paragraph.paragraph_format.left_indent = Cm(0.8 * len(self.lists))
        return paragraph

    def _inline(self, paragraph: Any, children: list[Token]) -> None:
        from docx.shared import Cm

        bold = italic = strike = code = 0
        for child in children:
            kind = child.type
            if kind == "text" or kind == "code_inline":
                run = paragraph.add_run(child.content)
                run.bold = bold > 0 or None
                run.italic = italic > 0 or None
                run.font.strike = strike > 0 or None
                if kind == "code_inline" or code:
                    run.font.name = "DejaVu Sans Mono"
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "s_open":
                strike += 1
            elif kind == "s_close":
                strike -= 1
            elif kind == "softbreak":
                paragraph.add_run(" ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind == "image":
                path = _image_path(str(child.attrs.get("src", "")), self.images)
                if path is not None:
                    paragraph.add_run().add_picture(str(path), width=Cm(PAGE_WIDTH_CM * 0.9))
                else:
                    paragraph.add_run(child.content)

    def _table(self, rows: list[list[_Cell]], signatures: bool = False) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        columns = max(len(r) for r in rows)
        table = self.document.add_table(rows=len(rows), cols=columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = _column_widths(rows, columns, self._text_width())
        for r, row in enumerate(rows):
            for c, content in enumerate(row):
                table.cell(r, c).width = widths[c]
                paragraph = table.cell(r, c).paragraphs[0]
                self._inline(paragraph, content.children)
                for run in paragraph.runs:
                    run.font.size = Pt(9)
                    if content.header:
                        run.bold = True
                if content.right:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if row and row[0].header:
                _repeat_as_header(table.rows[r])
            elif signatures:
                table.rows[r].height = Cm(1.2)  # room to sign
        self.document.add_paragraph("")

    def _text_width(self) -> int:
        section = self.document.sections[-1]
        return int(section.page_width - section.left_margin - section.right_margin)

    def _code(self, text: str) -> None:
        from docx.shared import Pt

        paragraph = self.document.add_paragraph()
        run = paragraph.add_run(text.rstrip("\n"))
        run.font.name = "DejaVu Sans Mono"
        run.font.size = Pt(9)


def _column_widths(rows: list[list[_Cell]], columns: int, available: int) -> list[Any]:
    """Column widths in proportion to their longest text (long texts capped: they wrap), so that amounts
    stay on one line and titles get the room; Word keeps widths it is given."""
    from docx.shared import Emu

    weights = [4] * columns
    filled = [False] * columns
    for row in rows:
        for c, cell in enumerate(row):
            text = "".join(child.content for child in cell.children if child.type in ("text", "code_inline"))
            # Amounts (right-aligned) must not wrap: a little more than their length.
            weights[c] = max(weights[c], len(text) + 3 if cell.right else min(len(text), 40))
            filled[c] = filled[c] or (bool(text) and not cell.header)
    weights = [w if full else 20 for w, full in zip(weights, filled, strict=True)]  # empty: room to write
    total = sum(weights)
    return [Emu(available * w // total) for w in weights]


def _repeat_as_header(row: Any) -> None:
    """Mark a table row as a header row: Word repeats it at the top of every page and shades it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    for cell in row.cells:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), "D9E2F3")
        cell._tc.get_or_add_tcPr().append(shading)
