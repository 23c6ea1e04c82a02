"""Markdown → PDF through Typst (the ``typst`` wheel: a compiler with no system library to install).

The document's Markdown, parsed by markdown-it exactly as for HTML and Word (``markdown.prepare``
decides once which tables are wide or hold signatures), becomes Typst markup placed after the
preamble ``document.typ`` (page, fonts, footer, table style: a template like the others, so
``--templates DIR`` may replace it). Every piece of text is escaped, so nothing typed in the YAML is
read as Typst code, and passes through ``french.typography``. The font is Libertinus Serif, which the
``typst`` wheel embeds (SIL Open Font License): the same on every machine, and in the charts, which
Typst draws too. No font of the system is looked at.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ti_cli import french
from ti_cli.i18n import _

if TYPE_CHECKING:
    from markdown_it.token import Token

PREAMBLE = "document.typ"
_SPECIAL = str.maketrans({c: "\\" + c for c in "\\#*_`$<>@=-+/[]~'\"{}()%&|^!?.,:;"})


class PdfUnavailable(Exception):
    """The ``typst`` package is missing (or broken): PDF cannot be made, the other formats can."""


def escape(text: str) -> str:
    """Text as Typst markup shows it, character for character (no markup, no comment, no code)."""
    return text.translate(_SPECIAL)  # one C loop: a document is some 80 000 characters


def string(text: str) -> str:
    """A Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_typst(markdown: str, images: Path, preamble: str, title: str) -> str:
    """The whole Typst source: the preamble, the document's title for the footer, then the body."""
    from ti_cli.render.markdown import parser, prepare

    body = _Writer(images).write(prepare(parser().parse(markdown)))
    return f"{preamble}\n#show: ti-document.with(title: {string(french.typography(title))})\n\n{body}\n"


# The Typst compiler is not re-entrant (two threads in one compiler: « Already borrowed »), and ti serve
# renders pages in a thread pool: every compilation, document or chart, holds this lock. A document
# takes well under a second, so requests queue briefly instead of failing.
TYPST = threading.RLock()


def to_pdf(markdown: str, images: Path, preamble: str, title: str) -> bytes:
    """The PDF of ``markdown``; images are looked up under ``images``."""
    try:
        import typst
    except ImportError as exc:
        raise PdfUnavailable(
            _("PDF output needs the Python package “typst” (pip install typst): {reason}").format(reason=exc)
        ) from exc
    source = to_typst(markdown, images, preamble, title)
    # A fixed timestamp: the same data gives the same PDF, byte for byte.
    stamp = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    try:
        with TYPST:
            compiler = typst.Compiler(root=str(images), ignore_system_fonts=True)
            pdf = compiler.compile(input=source.encode("utf-8"), format="pdf", timestamp=stamp)
    except typst.TypstError as exc:
        raise PdfUnavailable(_("the PDF could not be typeset: {reason}").format(reason=exc.message)) from exc
    if not isinstance(pdf, bytes):  # without ``output``, typst returns the PDF itself, one bytes
        raise PdfUnavailable(_("the PDF could not be typeset: {reason}").format(reason=f"typst returned {pdf!r}"))
    return pdf


def _weights(rows: list[list[str]], columns: int) -> list[int]:
    """Relative column widths: each column's longest cell (markup removed roughly), long texts capped
    (they wrap), at least 4."""
    weights = [4] * columns
    for row in rows:
        for c, cell in enumerate(row[:columns]):
            weights[c] = max(weights[c], min(len(cell.replace("\\", "")), 40))
    return weights


@dataclass
class _Writer:
    """Walks markdown-it's flat token stream and writes the matching Typst markup."""

    images: Path
    out: list[str] = field(default_factory=list)
    lists: list[bool] = field(default_factory=list)  # per open list: ordered?
    quote: int = 0

    def write(self, tokens: list[Token]) -> str:
        from ti_cli.render.markdown import kept_sections

        kept = kept_sections(tokens, self.images)
        index = 0
        landscape = False
        while index < len(tokens):
            token = tokens[index]
            if token.level == 0 and token.nesting >= 0:
                wide = "wide" in str(token.attrGet("class") or "").split()
                if wide != landscape:  # wide tables and their heading: landscape pages
                    self.out.append("#page(flipped: true)[\n" if wide else "]\n")
                    landscape = wide
            if index in kept:
                # A short section, one with a chart, a signature block (its heading, « Fait à… » and the
                # table): one unbreakable block, never split across pages.
                end = kept[index]
                # A heading with nothing under it but a sub-heading sticks to the next section's block.
                sticky = (
                    ", sticky: true"
                    if all(t.type.startswith("heading") or t.type == "inline" for t in tokens[index : end + 1])
                    else ""
                )
                self.out.append(f"#block(breakable: false, width: 100%{sticky})[\n")
                while index <= end:
                    index = self._block(tokens, index)
                self.out.append("]\n\n")
                continue
            index = self._block(tokens, index)
        if landscape:
            self.out.append("]\n")
        return "".join(self.out)

    def _indent(self) -> str:
        return "  " * max(0, len(self.lists) - 1)

    def _block(self, tokens: list[Token], index: int) -> int:
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
            self.out.append(f"\n{'=' * level} {self._inline(tokens[index + 1].children or [])}\n\n")
            return index + 3
        if kind == "paragraph_open":
            text = self._inline(tokens[index + 1].children or [])
            if self.lists and not token.hidden and tokens[index - 1].type != "list_item_open":
                self.out.append(f"{self._indent()}  {text}\n")
            elif self.lists:
                self.out.append(text + "\n")
            elif self.quote:
                self.out.append(f"#quote(block: true)[{text}]\n\n")
            else:
                self.out.append(text + "\n\n")
            return index + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append(kind == "ordered_list_open")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
            if not self.lists:
                self.out.append("\n")
        elif kind == "list_item_open":
            self.out.append(f"{self._indent()}{'+' if self.lists[-1] else '-'} ")
        elif kind == "blockquote_open":
            self.quote += 1
        elif kind == "blockquote_close":
            self.quote -= 1
        elif kind == "table_open":
            return self._table(tokens, index)
        elif kind in ("fence", "code_block"):
            self.out.append(f"#raw(block: true, {string(token.content.rstrip())})\n\n")
        elif kind == "hr":  # a thematic break (---) starts a new page, as in the Word file
            self.out.append("#pagebreak(weak: true)\n\n")
        return index + 1

    def _table(self, tokens: list[Token], index: int) -> int:
        from ti_cli.render.markdown import SMALL_TABLE

        classes = str(tokens[index].attrGet("class") or "").split()
        rows: list[list[str]] = []
        aligns: list[str] = []
        header = False
        index += 1
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                right = "right" in str(token.attrs.get("style", ""))
                if token.type == "th_open" or len(rows) == 1:  # a dropped empty header: the first row says
                    aligns.append("right" if right else "left")
                header = header or token.type == "th_open"
                rows[-1].append(self._inline(tokens[index + 1].children or []))
            index += 1
        body = rows[1:] if header else rows
        columns = len(aligns) or max(len(r) for r in rows)
        cells = [f"table.header({', '.join(f'[{c}]' for c in rows[0])})"] if header else []
        cells += [", ".join(f"[{c}]" for c in row + [""] * (columns - len(row))) for row in body]
        kind = next((k for k in ("signatures", "wide", "compact") if k in classes), "plain")
        long = len(rows) > SMALL_TABLE
        # A long table is laid out in two parts (its last two rows kept together): they need the same
        # column widths, set here in proportion to each column's longest text, as in the Word file.
        widths = f", widths: ({', '.join(f'{w}fr' for w in _weights(rows, columns))},)" if long and header else ""
        source = (
            f"#data-table(kind: {string(kind)}, columns: {columns}, "
            f"align: ({', '.join(aligns)},), breakable: {str(long).lower()}{widths},\n  "
            + ",\n  ".join(cells)
            + ")\n\n"
        )
        self.out.append(source)
        return index + 1

    def _inline(self, children: list[Token]) -> str:
        from ti_cli.render.markdown import _image_path, blanks

        parts: list[str] = []
        for child in children:
            kind = child.type
            if kind == "text":
                for piece, blank in blanks(french.typography(child.content)):
                    parts.append(f"#highlight[{escape(piece)}]" if blank else escape(piece))
            elif kind == "code_inline":
                parts.append(f"#raw({string(child.content)})")
            elif kind in ("strong_open", "strong_close"):
                parts.append("#strong[" if kind == "strong_open" else "]")
            elif kind in ("em_open", "em_close"):
                parts.append("#emph[" if kind == "em_open" else "]")
            elif kind in ("s_open", "s_close"):
                parts.append("#strike[" if kind == "s_open" else "]")
            elif kind == "softbreak":
                parts.append(" ")
            elif kind == "hardbreak":
                parts.append(" \\\n")
            elif kind == "link_open":
                parts.append(f"#link({string(str(child.attrs.get('href', '')))})[")
            elif kind == "link_close":
                parts.append("]")
            elif kind == "image":
                src = str(child.attrs.get("src", ""))
                path = _image_path(src, self.images)
                if path is not None and path.resolve().is_relative_to(self.images.resolve()):
                    relative = path.resolve().relative_to(self.images.resolve()).as_posix()
                    kind = "logo" if child.content == "Logo" else "chart"  # logos: a row on the cover
                    parts.append(f"#{kind}({string('/' + relative)}, {string(child.content)})")
                else:
                    parts.append(escape(child.content))
        return "".join(parts)
