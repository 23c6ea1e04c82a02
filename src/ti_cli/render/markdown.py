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
WIDE_COLUMNS = 7  # a table this wide goes on a landscape page in print (CSS class "wide")…
WIDE_CHARS = 95  # …when its longest cells, column by column, would not fit a portrait line either
SMALL_TABLE = 15  # a table of at most this many rows stays on one page (PDF and Word alike)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


def _image_path(src: str, images: Path) -> Path | None:
    """The image a document may embed: a PNG or JPEG inside ``images`` (the document's own folder, where
    its charts and logos are written), links resolved. Anything else — ``../secret.txt``, a link out, a
    URL — is shown as its alt text in every format, never read."""
    if "://" in src or src.startswith("data:") or not src.lower().endswith(IMAGE_SUFFIXES):
        return None
    try:
        base = images.resolve()
        path = (images / src).resolve()
    except (OSError, RuntimeError):
        return None
    return path if path.is_relative_to(base) and path.is_file() else None


def to_html(markdown: str, images: Path) -> str:
    """The HTML body of ``markdown``; local images become data URIs."""
    md = parser()
    tokens = prepare(md.parse(markdown))
    for token in tokens:
        for child in token.children or []:
            if child.type == "text":
                child.content = _text(child.content)  # French spacing, as in Word and PDF
            if child.type == "image":
                path = _image_path(str(child.attrs.get("src", "")), images)
                if path is not None:
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    data = base64.b64encode(path.read_bytes()).decode("ascii")
                    child.attrs["src"] = f"data:{kind};base64,{data}"
    html: str = md.renderer.render(tokens, md.options, {})  # parser()'s renderer is RendererHTML: text
    return html


def _classes(token: Token) -> list[str]:
    return str(token.attrGet("class") or "").split()


def _add_class(token: Token, name: str) -> None:
    token.attrSet("class", " ".join([*_classes(token), name]))


def prepare(tokens: list[Token]) -> list[Token]:
    """What HTML and Word both need from a table, decided once on the tokens:

    - a table of ``WIDE_COLUMNS`` columns or more whose text does not fit a portrait line
      (``WIDE_CHARS``), and the heading right above it, get the class ``wide``: they print on a
      landscape page together (the heading never left alone at the foot of a portrait page); a table of
      short figures stays in the flow of its portrait page;
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
        if len(header) >= WIDE_COLUMNS and _text_width(tokens, index) > WIDE_CHARS:
            _add_class(token, "wide")
            if index >= 3 and tokens[index - 1].type == "heading_close":
                _add_class(tokens[index - 3], "wide")
        if header and header[-1].lower().startswith("signature"):
            _add_class(token, "signatures")
        if not any(header):
            drop.update(range(index + 1, end + 1))
    return [t for i, t in enumerate(tokens) if i not in drop]


def _text_width(tokens: list[Token], start: int) -> int:
    """The characters a table's line needs: the longest cell of each column, added up."""
    widest: dict[int, int] = {}
    column = 0
    for token in tokens[start + 1 :]:
        if token.type == "table_close":
            break
        if token.type == "tr_open":
            column = 0
        elif token.type in ("th_open", "td_open"):
            column += 1
        elif token.type == "inline":
            widest[column] = max(widest.get(column, 0), len(token.content))
    return sum(widest.values())


TABLE_TEXT = "Tableau"  # paragraph style of the text in a table cell (Word shows built-in names translated)
TABLE_STYLE = "Table Grid"  # « Grille du tableau » in a French Word


def to_docx(markdown: str, images: Path, title: str, reference: Path | None = None) -> bytes:
    """A Word file of ``markdown``: headings, paragraphs, emphasis, lists, real tables, images.

    Everything is set through Word styles (Titre 1…, Normal, Liste à puces, Citation, Tableau, Grille
    du tableau), not by hand on each run: given a ``reference`` .docx (a territory's charte), the
    document takes its styles, page set-up and fonts, its body left out."""
    from docx import Document
    from docx.shared import Cm

    if reference is not None:
        try:
            document = Document(str(reference))
        except Exception as exc:  # python-docx raises several kinds for a file that is not a .docx
            raise ValueError(str(exc) or type(exc).__name__) from exc
        body = document.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):  # keep the page set-up, drop the reference's text
                body.remove(child)
    else:
        document = Document()
        for section in document.sections:
            section.page_width, section.page_height = Cm(21), Cm(29.7)
            section.left_margin = section.right_margin = Cm(2)
            section.top_margin = section.bottom_margin = Cm(2)
    _styles(document)
    document.core_properties.title = title
    document.core_properties.language = "fr-FR"
    tokens = prepare(parser().parse(markdown))
    _DocxWriter(document, images).write(tokens)
    from io import BytesIO

    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _styles(document: Any) -> None:
    """The styles the writer uses, added when the document (a reference .docx) lacks them."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    styles = document.styles
    names = {s.name for s in styles}
    if TABLE_TEXT not in names:
        table_text = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = styles["Normal"]
        table_text.font.size = Pt(9)
        table_text.paragraph_format.space_after = Pt(0)
    for level in range(1, 7):
        if f"Heading {level}" not in names:  # a reference .docx may lack them: Word then shows plain text
            styles.add_style(f"Heading {level}", WD_STYLE_TYPE.PARAGRAPH).base_style = styles["Normal"]
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "Quote"):
        if name not in names:
            styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = styles["Normal"]


def _text(content: str) -> str:
    from ti_cli.french import typography

    return typography(content)


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
            elif kind == "hr":  # a thematic break (---) starts a new page, as in the PDF
                self.document.add_page_break()

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
                run = paragraph.add_run(_text(child.content) if kind == "text" else child.content)
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
                if path is not None and child.content == "Logo":  # the cover's logos: a row, one height
                    paragraph.add_run().add_picture(str(path), height=Cm(1.8))
                    paragraph.add_run("   ")
                elif path is not None:
                    paragraph.add_run().add_picture(str(path), width=Cm(PAGE_WIDTH_CM * 0.9))
                else:
                    paragraph.add_run(child.content)

    def _table(self, rows: list[list[_Cell]], signatures: bool = False) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        columns = max(len(r) for r in rows)
        table = self.document.add_table(rows=len(rows), cols=columns)
        if TABLE_STYLE in {s.name for s in self.document.styles}:
            table.style = TABLE_STYLE
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = _column_widths(rows, columns, self._text_width())
        for r, row in enumerate(rows):
            for c, content in enumerate(row):
                table.cell(r, c).width = widths[c]
                paragraph = table.cell(r, c).paragraphs[0]
                paragraph.style = TABLE_TEXT
                self._inline(paragraph, content.children)
                for run in paragraph.runs:
                    if content.header:
                        run.bold = True
                if content.right:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if row and row[0].header:
                _repeat_as_header(table.rows[r])
            elif signatures:
                table.rows[r].height = Cm(1.2)  # room to sign
            if signatures or len(rows) <= SMALL_TABLE or r >= len(rows) - 2:  # long: the last two together
                _keep_together(table.rows[r], last=r == len(rows) - 1)
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


def _keep_together(row: Any, last: bool) -> None:
    """A row that never splits, kept on the page of the next row: a small table (or a signature
    block) stays on one page, as in the PDF — never a lone last row."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = not last


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
