"""Markdown → HTML (markdown-it, tables on, raw HTML off) and Markdown → Word (python-docx).

One Markdown text is the single source of every format. Raw HTML in the Markdown is *not* passed
through: a ``<`` typed in a YAML comment shows as ``<`` instead of becoming markup. Images are looked
up relative to ``images`` (the folder the Markdown file is written to); the HTML embeds them as data
URIs so that the page stands alone.
"""

from __future__ import annotations

import base64
import datetime as dt
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
FEW_ROWS = 8  # a wide table of at most this many rows stays on its portrait page, in a smaller type
FOOTER_CHARS = 80  # a footer's title longer than this is cut on a whole word
FOOTER_PT = 8.5
CORE_CHARS = 255


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
        if token.children:
            token.children = _marked(token.children)
        for child in token.children or []:
            if child.type == "image":
                path = _image_path(str(child.attrs.get("src", "")), images)
                if path is not None:
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    data = base64.b64encode(path.read_bytes()).decode("ascii")
                    child.attrs["src"] = f"data:{kind};base64,{data}"
    html: str = md.renderer.render(tokens, md.options, {})  # parser()'s renderer is RendererHTML: text
    return html


def _marked(children: list[Token]) -> list[Token]:
    """Inline tokens with French spacing, and the blanks of the text (« XXX », « … ») in ``<mark>``."""
    from markdown_it.token import Token

    out: list[Token] = []
    for child in children:
        if child.type != "text":
            out.append(child)
            continue
        for piece, blank in blanks(_text(child.content)):  # French spacing, as in Word and PDF
            if blank:
                out.append(Token("html_inline", "", 0, content="<mark>"))
            out.append(Token("text", "", 0, content=piece))
            if blank:
                out.append(Token("html_inline", "", 0, content="</mark>"))
    return out


def _classes(token: Token) -> list[str]:
    return str(token.attrGet("class") or "").split()


def _add_class(token: Token, name: str) -> None:
    token.attrSet("class", " ".join([*_classes(token), name]))


def prepare(tokens: list[Token]) -> list[Token]:
    """What HTML and Word both need from a table, decided once on the tokens:

    - a table of ``WIDE_COLUMNS`` columns or more whose text does not fit a portrait line
      (``WIDE_CHARS``), and the heading right above it, get the class ``wide``: they print on a
      landscape page together (the heading never left alone at the foot of a portrait page); a table of
      short figures stays in the flow of its portrait page, and so does a wide table of at most
      ``FEW_ROWS`` rows (class ``compact``: a smaller type) — a landscape page for four rows would cut
      the table from its section;
    - a table whose last column is headed *Signature* gets the class ``signatures``: its rows are tall
      enough to sign in;
    - a header row with nothing in it (``| | |``, a key/value table) is dropped rather than drawn
      as an empty shaded strip;
    - a heading with nothing under it (the next block is a heading of its level or higher, or the
      document ends) is dropped.
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
            if _rows(tokens, index) <= FEW_ROWS:
                _add_class(token, "compact")
            else:
                _add_class(token, "wide")
                if index >= 3 and tokens[index - 1].type == "heading_close":
                    _add_class(tokens[index - 3], "wide")
        if header and header[-1].lower().startswith("signature"):
            _add_class(token, "signatures")
        if not any(header):
            drop.update(range(index + 1, end + 1))
    drop.update(_empty_headings(tokens))
    return [t for i, t in enumerate(tokens) if i not in drop]


def _empty_headings(tokens: list[Token]) -> set[int]:
    """The tokens of headings with nothing under them — followed by a heading of the same or a higher
    level, or by the end of the document (a template's section whose data is absent): never printed."""
    empty: set[int] = set()
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.level != 0:
            continue
        following = next((t for t in tokens[index + 3 :] if t.level == 0 and t.nesting >= 0), None)
        if following is None or (following.type == "heading_open" and following.tag <= token.tag):
            empty.update(range(index, index + 3))
    return empty


def _rows(tokens: list[Token], start: int) -> int:
    """The rows of the table opening at ``start``, its header row included."""
    rows = 0
    for token in tokens[start + 1 :]:
        if token.type == "table_close":
            break
        rows += token.type == "tr_open"
    return rows


def signatures_follow(tokens: list[Token], index: int) -> bool:
    """Whether the heading at ``index`` introduces a signature table (with at most a paragraph between):
    the heading, « Fait à… » and the table are kept on one page, in the PDF as in Word."""
    blocks = 0
    for token in tokens[index + 1 :]:
        if token.level != 0 or token.nesting < 0:
            continue
        if token.type == "table_open":
            return "signatures" in _classes(token)
        if token.type == "heading_open" or blocks >= 1:
            return False
        blocks += token.type == "paragraph_open"
    return False


KEPT_MM = 50  # a section shorter than this is never split across pages…
KEPT_TABLE_MM = 110  # …nor one with a table, shorter than this (a third of a page): a heading stays with it…
KEPT_CHART_MM = 200  # …nor one with a chart, shorter than this: a chart stays with its section


def kept_sections(tokens: list[Token], images: Path) -> dict[int, int]:
    """The sections printed on one page: heading token index → index of the section's last token.

    A section runs from a heading to the next heading; it is kept together (in the PDF an unbreakable
    block, in Word paragraphs kept with the next) when it is short, or holds a table or a chart and is
    not too long for a page (prose flows: a long chapter never leaves half a page blank) — so that a
    heading never ends a page apart from its table, nor a chart from its section. A signature block
    (heading, « Fait à… », table) is always kept. A section that holds a
    landscape table or a page break is not: it is laid out in the flow."""
    kept: dict[int, int] = {}
    index = 0
    while index < len(tokens):
        if tokens[index].type != "heading_open":
            index += 1
            continue
        start = index
        end = index + 3
        while end < len(tokens) and tokens[end].type != "heading_open":
            end += 1
        section = tokens[start:end]
        if signatures_follow(tokens, start):
            kept[start] = next(i for i in range(start, end) if tokens[i].type == "table_close")
        elif not any(t.type == "hr" or "wide" in _classes(t) for t in section):
            height, chart = _height(section, images)
            table = any(t.type == "table_open" for t in section)
            if height <= (KEPT_CHART_MM if chart else KEPT_TABLE_MM if table else KEPT_MM):
                kept[start] = end - 1
        index = end
    return kept


def _height(tokens: list[Token], images: Path) -> tuple[float, bool]:
    """A rough height in millimetres of ``tokens`` printed on a portrait page, and whether they hold a
    chart (its height read from the PNG file's header)."""
    height, chart = 0.0, False
    cells: list[int] = []
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            height += {1: 16, 2: 13}.get(int(token.tag[1]), 10)
        elif kind == "inline" and index and tokens[index - 1].type == "paragraph_open":
            height += 5 * (len(token.content) // 100 + 1) + 3
            for child in token.children or []:
                if child.type == "image" and child.content != "Logo":
                    path = _image_path(str(child.attrs.get("src", "")), images)
                    size = _png_size(path) if path is not None else None
                    if size:
                        height += PAGE_WIDTH_CM * 10 * 0.92 * size[1] / size[0]
                        chart = True
        elif kind == "inline":
            cells.append(len(token.content))
        elif kind == "tr_close":
            height += 6 * (max(cells, default=0) // 45 + 1)
            cells = []
        elif kind in ("fence", "code_block"):
            height += 4.5 * (token.content.count("\n") + 1)
    return height, chart


def _png_size(path: Path) -> tuple[int, int] | None:
    """Width and height of a PNG file, from its header (no image library)."""
    try:
        with path.open("rb") as file:
            head = file.read(24)
    except OSError:
        return None
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def shorten(title: str, limit: int = FOOTER_CHARS) -> str:
    """A title cut on a whole word, with an ellipsis, when longer than ``limit`` characters (a footer
    that would run into the page number)."""
    if len(title) <= limit:
        return title
    words = title[: limit - 1].split(" ")
    kept = " ".join(words[:-1]) if len(words) > 1 else words[0]
    return kept.rstrip(" ,;:–—-") + "\u00a0…"


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
TABLE_COMPACT = "Tableau compact"  # the same, smaller: a table of few rows and many columns
TABLE_STYLE = "Table Grid"  # « Grille du tableau » in a French Word
LANGUAGE = "fr-FR"  # Word's proofing language, in the styles and the document defaults
EMU_PER_TWIP = 635


@dataclass(frozen=True)
class DocxProperties:
    """What Word shows in File > Properties: the document's title, who wrote it (the territory), when."""

    title: str
    author: str = ""
    when: dt.datetime | None = None  # the rendering time (now when not given)


def to_docx(
    markdown: str, images: Path, title: str, reference: Path | None = None, author: str = "", footer: str | None = None
) -> bytes:
    """A Word file of ``markdown``: headings, paragraphs, emphasis, lists, real tables, images, and on
    every page a footer with the title and « page N sur M » (Word fields, counted by Word).

    Everything is set through Word styles (Titre 1…, Normal, Liste à puces, Citation, Tableau, Grille
    du tableau), not by hand on each run: given a ``reference`` .docx (a territory's charte), the
    document takes its styles, page set-up and fonts, its body left out. The properties are the
    document's: its title, the territory as author, the time of rendering; French as proofing language."""
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
    _language(document)
    _properties(document, DocxProperties(title, author))
    tokens = prepare(parser().parse(markdown))
    _DocxWriter(document, images).write(tokens)
    _footers(document, title if footer is None else footer)
    from io import BytesIO

    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _properties(document: Any, properties: DocxProperties) -> None:
    """Title, author, dates: the document's own, never python-docx's (« python-docx », 2013)."""
    when = (properties.when or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    core = document.core_properties
    core.title = shorten(properties.title, CORE_CHARS)  # Word's properties hold 255 characters at most
    core.author = core.last_modified_by = shorten(properties.author, CORE_CHARS)
    core.created = core.modified = when
    core.comments = ""
    core.revision = 1
    core.language = LANGUAGE


def _language(document: Any) -> None:
    """French proofing (spelling, hyphenation, quotes) in the document defaults and in every style that
    names a language, and as the theme's font language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    if properties.find(qn("w:lang")) is None:
        properties.append(OxmlElement("w:lang"))
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        if lang.get(qn("w:eastAsia")) is not None:
            lang.set(qn("w:eastAsia"), LANGUAGE)
    theme = document.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANGUAGE)


def _footers(document: Any, title: str) -> None:
    """Each section's footer: the title (cut on a whole word when long) on the left, « page N sur M » on
    the right, N and M Word fields (PAGE, NUMPAGES) that Word and LibreOffice count."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for section in document.sections:
        for reference in section._sectPr.findall(qn("w:footerReference")):  # the reference .docx's own
            section._sectPr.remove(reference)
        footer = section.footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        for child in list(paragraph._p):
            if not child.tag.endswith("}pPr"):
                paragraph._p.remove(child)
        width = section.page_width - section.left_margin - section.right_margin
        stops = paragraph.paragraph_format.tab_stops
        stops.clear_all()
        inherited = paragraph.style.paragraph_format.tab_stops if paragraph.style is not None else []
        for stop in inherited:  # the « Footer » style's centre and right stops, for a Letter page
            stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
        stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        pieces: list[tuple[str, str | None]] = [
            (_fit(title, int(width) - int(_em("page 999 sur 999") * FOOTER_PT * EMU_PER_PT) - 360_000), None),
            ("\tpage ", None),
            ("1", "PAGE"),
            (" sur ", None),
            ("1", "NUMPAGES"),
        ]
        for text, field_code in pieces:
            run = paragraph.add_run() if field_code is None else _field(paragraph, field_code)
            if field_code is None:
                run.text = text  # python-docx writes a "\t" as Word's tab
            run.font.size = Pt(FOOTER_PT)
            run.font.color.rgb = RGBColor(0x66, 0x66, 0x66)


def _fit(title: str, room: int) -> str:
    """``title`` cut on a whole word (``shorten``) so that it fits ``room`` EMU in the footer's type."""
    limit = len(title)
    while limit > 10 and _em(shorten(title, limit)) * FOOTER_PT * EMU_PER_PT > room:
        limit -= 1
    return shorten(title, limit)


def _field(paragraph: Any, code: str) -> Any:
    """A simple Word field (``PAGE``, ``NUMPAGES``) in ``paragraph``; returns the run showing its value."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.text.run import Run

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {code} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    return Run(run, paragraph)


def _styles(document: Any) -> None:
    """The styles the writer uses, added when the document (a reference .docx) lacks them."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    styles = document.styles
    names = {s.name for s in styles}
    if TABLE_TEXT not in names:
        table_text = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = styles["Normal"]
        table_text.font.size = Pt(TABLE_PT)
        table_text.paragraph_format.space_after = Pt(0)
    if TABLE_COMPACT not in names:
        compact = styles.add_style(TABLE_COMPACT, WD_STYLE_TYPE.PARAGRAPH)
        compact.base_style = styles[TABLE_TEXT]
        compact.font.size = Pt(COMPACT_PT)
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
    keep: bool = False  # paragraphs kept with the next one: the title page, the signature block
    style_ids: dict[str, str] = field(default_factory=dict)

    def write(self, tokens: list[Token]) -> None:
        # Style ids looked up once: python-docx's by-name lookup walks every style on each paragraph.
        self.style_ids = {s.name: s.style_id for s in self.document.styles if s.name}
        # A short section, one with a chart, the signature block: every block but its last kept with the
        # next (the title page, a heading with its table, « Fait à… » with the signatures), as in the PDF.
        kept = kept_sections(tokens, self.images)
        landscape = _too_wide_for_word(tokens)
        kept = {start: end for start, end in kept.items() if not landscape & set(range(start, end + 1))}
        keep_before = -1  # blocks starting before this token index are kept with the next
        table_kept = False
        heading = 0
        right = header = signatures = compact = False
        for index, token in enumerate(tokens):
            kind = token.type
            if index in kept:
                end = kept[index]
                keep_before = max(i for i in range(index, end + 1) if tokens[i].level == 0 and tokens[i].nesting >= 0)
            self.keep = index < keep_before
            if token.level == 0 and token.nesting >= 0:  # a top-level block starts
                wide = "wide" in _classes(token) or index in landscape
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
                compact = "compact" in _classes(token) and not self.landscape
                table_kept = self.keep
            elif kind == "tr_open" and self.table is not None:
                self.table.append([])
            elif kind in ("th_open", "td_open"):
                right, header = "right" in str(token.attrs.get("style", "")), kind == "th_open"
            elif kind == "table_close" and self.table is not None:
                self._table(self.table, signatures, with_next=table_kept, compact=compact)
                self.table = None
            elif kind == "inline":
                if self.table is not None:
                    self.table[-1].append(_Cell(token.children or [], right, header))
                elif heading:
                    paragraph = self.document.add_paragraph()
                    self._style(paragraph, f"Heading {min(heading, 9)}")
                    self._inline(paragraph, token.children or [])
                else:
                    self._inline(self._paragraph(), token.children or [])
            elif kind in ("fence", "code_block"):
                self._code(token.content)
            elif kind == "hr":  # a thematic break (---) starts a new page, as in the PDF
                self.document.add_page_break()

    def _style(self, paragraph: Any, name: str) -> None:
        style_id = self.style_ids.get(name)
        if style_id is not None:
            paragraph._p.style = style_id

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
        paragraph = self._new_paragraph()
        if self.keep:
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def _new_paragraph(self) -> Any:
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
            paragraph = self.document.add_paragraph()
            self._style(paragraph, "List Bullet" if depth == 1 else f"List Bullet {min(depth, 3)}")
            return paragraph
        paragraph = self.document.add_paragraph()
        if self.quote:
            self._style(paragraph, "Quote")
        if self.lists:  # a second paragraph inside a list item: indented like the item
            paragraph.paragraph_format.left_indent = Cm(0.8 * len(self.lists))
        return paragraph

    def _inline(self, paragraph: Any, children: list[Token]) -> None:
        from docx.shared import Cm

        bold = italic = strike = code = 0
        for child in children:
            kind = child.type
            if kind == "text" or kind == "code_inline":
                text = _text(child.content) if kind == "text" else child.content
                for piece, blank in blanks(text):
                    run = paragraph.add_run(piece)
                    run.bold = bold > 0 or None
                    run.italic = italic > 0 or None
                    run.font.strike = strike > 0 or None
                    if kind == "code_inline" or code:
                        run.font.name = "DejaVu Sans Mono"
                    if blank:  # a blank of the signed text, to fill in: shown, never hidden
                        _highlight(run)
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

    def _table(
        self, rows: list[list[_Cell]], signatures: bool = False, with_next: bool = False, compact: bool = False
    ) -> None:
        """A Word table; ``with_next``: its last row too is kept with what follows (a chart, say)."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.table import _Cell as Cell

        columns = max(len(r) for r in rows)
        table = self.document.add_table(rows=len(rows), cols=columns)
        if TABLE_STYLE in self.style_ids:
            table._tbl.tblPr.style = self.style_ids[TABLE_STYLE]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        size = COMPACT_PT if compact else TABLE_PT
        widths = _column_widths(rows, columns, self._text_width(), size)
        # The grid carries the cells' widths: LibreOffice lays a table out by its grid, and a grid of equal
        # columns (python-docx's) squeezes the texts and breaks words (« Fonctionnemen/t »).
        for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            column.w = width
        text_style = self.style_ids.get(TABLE_COMPACT if compact else TABLE_TEXT)
        for r, (tr, row) in enumerate(zip(table._tbl.tr_lst, rows, strict=True)):
            for c, (tc, content) in enumerate(zip(tr.tc_lst, row, strict=False)):
                tc.width = widths[c]
                cell = Cell(tc, table)
                paragraph = cell.paragraphs[0]
                if text_style is not None:
                    paragraph._p.style = text_style
                self._inline(paragraph, content.children)
                if content.header:
                    for run in paragraph.runs:
                        run.bold = True
                if content.right:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            last = r == len(rows) - 1
            if row and row[0].header:
                _repeat_as_header(tr)
            elif signatures:
                tr.get_or_add_trPr().append(_element("w:trHeight", {qn("w:val"): "680"}))  # 1.2 cm to sign in
            if signatures or len(rows) <= SMALL_TABLE or r >= len(rows) - 2:  # long: the last two together
                _keep_together(tr, last=last and not with_next)
        spacer = self.document.add_paragraph("")
        if with_next:
            spacer.paragraph_format.keep_with_next = True

    def _text_width(self) -> int:
        section = self.document.sections[-1]
        return int(section.page_width - section.left_margin - section.right_margin)

    def _code(self, text: str) -> None:
        from docx.shared import Pt

        paragraph = self.document.add_paragraph()
        run = paragraph.add_run(text.rstrip("\n"))
        run.font.name = "DejaVu Sans Mono"
        run.font.size = Pt(9)


def blanks(text: str) -> list[tuple[str, bool]]:
    """``text`` cut around its blanks (« XXX », « … », « [à compléter] »): (piece, is a blank)."""
    from ti_cli.placeholders import spans

    found = spans(text)
    if not found:
        return [(text, False)]
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in found:
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def _highlight(run: Any) -> None:
    from docx.enum.text import WD_COLOR_INDEX

    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _element(tag: str, attributes: dict[str, str]) -> Any:
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(key, value)
    return element


TABLE_PT = 9.0  # the size of the « Tableau » style's text
COMPACT_PT = 7.5  # a compact table's (class ``compact``: few rows, many columns), to stay on a portrait page
CELL_PADDING_EMU = 170_000  # Word's cell margins, 0.19 cm each side, and a little slack
EMU_PER_PT = 12_700
# The advance widths, in em, of LibreOffice's fallback for Word's default font (DejaVu Sans, a wide
# one): small letters one by one, digits and « € » 0.64, capitals about 0.72, the no-break spaces of
# amounts narrow. Bold is some 12 % wider.
# Small letters a to z, then the accented ones of French (é è ê à â ç ô î û ù) by code point.
_LETTERS = dict(
    zip(
        range(ord("a"), ord("z") + 1),
        (
            0.61,
            0.63,
            0.55,
            0.63,
            0.62,
            0.35,
            0.63,
            0.63,
            0.28,
            0.28,
            0.58,
            0.28,
            0.97,
            0.63,
            0.61,
            0.63,
            0.63,
            0.41,
            0.52,
            0.39,
            0.63,
            0.59,
            0.82,
            0.59,
            0.59,
            0.52,
        ),
        strict=True,
    )
)
_LETTERS.update(
    {
        0xE9: 0.62,
        0xE8: 0.62,
        0xEA: 0.62,
        0xE0: 0.61,
        0xE2: 0.61,
        0xE7: 0.55,
        0xF4: 0.61,
        0xEE: 0.28,
        0xFB: 0.63,
        0xF9: 0.63,
    }
)
_NARROW = {"\u202f": 0.2, "\u00a0": 0.32, " ": 0.32, "'": 0.28, ",": 0.32, ".": 0.32, "(": 0.39, ")": 0.39}
BOLD = 1.12
# DejaVu Sans's capitals one by one (M and W are far wider than the average): a header « Montant » was
# measured short and broke as « Montan/t »
_CAPITALS = dict(
    zip(
        range(ord("A"), ord("Z") + 1),
        (
            0.68,
            0.69,
            0.70,
            0.77,
            0.63,
            0.58,
            0.78,
            0.75,
            0.30,
            0.30,
            0.66,
            0.56,
            0.86,
            0.75,
            0.79,
            0.60,
            0.79,
            0.70,
            0.63,
            0.61,
            0.73,
            0.68,
            0.99,
            0.69,
            0.61,
            0.69,
        ),
        strict=True,
    )
)
_CAPITALS.update({0xC9: 0.63, 0xC8: 0.63, 0xC0: 0.68, 0xC7: 0.70})
SAFETY = 1.08  # the least width of a word, with room for a renderer's own metrics and cell margins


def _em(text: str) -> float:
    return sum(
        _LETTERS.get(ord(ch))
        or _CAPITALS.get(ord(ch))
        or _NARROW.get(ch)
        or (0.64 if ch.isdigit() or ch == "€" else 0.72 if ch.isupper() else 0.6)
        for ch in text
    )


def _needs(rows: list[list[_Cell]], columns: int, size: float) -> tuple[list[int], list[int], list[bool]]:
    """Per column, in EMU at ``size`` points: the least it takes without breaking a word or an amount
    (cell padding included), what its texts would like (long ones capped at 40 characters: they wrap),
    and whether it has content below the header."""
    scale = size * EMU_PER_PT
    least = [int(3 * 0.6 * scale) + CELL_PADDING_EMU] * columns
    wanted = list(least)
    filled = [False] * columns
    for row in rows:
        for c, cell in enumerate(row[:columns]):
            text = "".join(child.content for child in cell.children if child.type in ("text", "code_inline"))
            bold = BOLD if cell.header or any(ch.type == "strong_open" for ch in cell.children) else 1.0
            unbroken = text if cell.right and not cell.header else max(text.split(), key=_em, default="")
            least[c] = max(least[c], int(_em(unbroken) * scale * bold * SAFETY) + CELL_PADDING_EMU)
            wanted[c] = max(wanted[c], least[c], int(_em(text[:40]) * scale * bold) + CELL_PADDING_EMU)
            filled[c] = filled[c] or (bool(text) and not cell.header)
    return least, wanted, filled


def _table_cells(tokens: list[Token], start: int) -> list[list[_Cell]]:
    """The cells of the table opening at ``start``, as the Word writer collects them."""
    rows: list[list[_Cell]] = []
    right = header = False
    for index in range(start + 1, len(tokens)):
        token = tokens[index]
        if token.type == "table_close":
            break
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open"):
            right, header = "right" in str(token.attrs.get("style", "")), token.type == "th_open"
        elif token.type == "inline" and rows:
            rows[-1].append(_Cell(token.children or [], right, header))
    return rows


def _too_wide_for_word(tokens: list[Token]) -> set[int]:
    """The ``compact`` tables (few rows, many columns) whose words and amounts cannot fit a portrait
    line even in the compact type, and the headings right above them: Word lays them out on a
    landscape page, as it does wide tables, rather than breaking amounts (« 2 460 00/0 € »)."""
    portrait = int(PAGE_WIDTH_CM * 360_000)
    out: set[int] = set()
    for index, token in enumerate(tokens):
        if token.type == "table_open" and "compact" in _classes(token):
            rows = _table_cells(tokens, index)
            least = _needs(rows, max((len(r) for r in rows), default=1), COMPACT_PT)[0]
            if sum(least) > portrait:
                out.add(index)
                if index >= 3 and tokens[index - 1].type == "heading_close":
                    out.add(index - 3)
    return out


def _column_widths(rows: list[list[_Cell]], columns: int, available: int, size: float = TABLE_PT) -> list[Any]:
    """Column widths that the content needs: each column first gets its minimum — its longest word
    (never broken: « Fonctionnement », not « Fonctionnemen/t »), or the whole of an amount (right-aligned:
    never wrapped) — then the rest of the line goes to the columns with long texts, in proportion to
    what they lack (long texts capped: they wrap). Word and LibreOffice keep widths they are given."""
    from docx.shared import Emu

    least, wanted, filled = _needs(rows, columns, size)
    room = int(20 * 0.6 * size * EMU_PER_PT)  # an empty column (to write in): some twenty characters
    wanted = [w if full else max(w, room) for w, full in zip(wanted, filled, strict=True)]
    if sum(least) >= available:  # too many columns for the line: every one shrinks alike
        return [Emu(available * n // sum(least)) for n in least]
    lack = [w - n for w, n in zip(wanted, least, strict=True)]
    spare = available - sum(least)
    if not any(lack):
        return [Emu(available * n // sum(least)) for n in least]
    return [Emu(f + spare * extra // sum(lack)) for f, extra in zip(least, lack, strict=True)]


def _keep_together(tr: Any, last: bool) -> None:
    """A row that never splits, kept on the page of the next row: a small table (or a signature
    block) stays on one page, as in the PDF — never a lone last row."""
    from docx.oxml import OxmlElement

    tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    if last:
        return
    for tc in tr.tc_lst:
        for p in tc.p_lst:
            p.get_or_add_pPr().keepNext_val = True


def _repeat_as_header(tr: Any) -> None:
    """Mark a table row as a header row: Word repeats it at the top of every page and shades it."""
    from docx.oxml.ns import qn

    tr.get_or_add_trPr().append(_element("w:tblHeader", {qn("w:val"): "true"}))
    for tc in tr.tc_lst:
        shading = _element("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): "D9E2F3"})
        tc.get_or_add_tcPr().append(shading)
