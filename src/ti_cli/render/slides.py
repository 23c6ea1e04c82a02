"""The COPIL deck as a PowerPoint file (python-pptx), 16:9, with native charts.

The charts are PowerPoint chart objects with their data sheet inside the file (python-pptx writes it
with XlsxWriter): a territory restyles them, or changes a figure, in PowerPoint or LibreOffice Impress.
The tables are PowerPoint tables; the text is the deck's, already French (``render.deck``).

**The territory's masters** (``--reference-pptx FILE``): the deck is built on FILE's slide masters and
layouts, its own slides left out. Two layouts are needed, found by their placeholders (their names vary
with the language PowerPoint was in):

- the *title* layout (« Diapositive de titre », *Title Slide*): a title placeholder (title or centred
  title) and a subtitle placeholder — for the first slide;
- the *content* layout: a title placeholder and nothing else to fill — « Titre seul » (*Title Only*)
  when there is one, else the layout with a title and the fewest other placeholders (« Titre et
  contenu », *Title and Content*, whose body is then removed) — for every other slide; the tables and
  charts are drawn below its title, inside the slide's margins.

A file that is not a PowerPoint presentation, or lacks one of these layouts, is refused, naming what is
missing (``ReferenceProblem``, a usage error). Without FILE, python-pptx's own default masters, made
16:9.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ti_cli.i18n import _
from ti_cli.render.deck import Chart, Deck, Slide, Table
from ti_cli.render.documents import DocumentError

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import SlideLayout

WIDTH_IN, HEIGHT_IN = 13.333, 7.5
TITLE_NAMES = ("title slide", "diapositive de titre", "titre")
CONTENT_NAMES = ("title only", "titre seul")
ACCENT = (0x1F, 0x38, 0x64)


class ReferenceProblem(DocumentError):
    """``--reference-pptx`` is no PowerPoint file, or lacks a layout the deck needs."""


@dataclass(frozen=True)
class Layouts:
    title: SlideLayout
    content: SlideLayout


GLYPH_EM = 0.55  # a generous average glyph width of a sans font (LibreOffice's fallback is wide), in em
LINE = 1.2  # a table line's height, in em


def _types(layout: Any) -> list[Any]:  # python-pptx's own types do not check under --strict
    return [p.placeholder_format.type for p in layout.placeholders]


def find_layouts(prs: Presentation, source: str) -> Layouts:
    """The two layouts of the module's docstring, or ``ReferenceProblem`` naming the one missing."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    titles = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
    others = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts]
    with_title = [layout for layout in layouts if any(t in titles for t in _types(layout))]
    title = next(
        (la for la in with_title if PP_PLACEHOLDER.SUBTITLE in _types(la) and la.name.lower() in TITLE_NAMES), None
    ) or next((la for la in with_title if PP_PLACEHOLDER.SUBTITLE in _types(la)), None)

    def fill(layout: SlideLayout) -> int:
        return sum(1 for t in _types(layout) if t not in titles and t not in others)

    candidates = [la for la in with_title if la is not title]
    content = next((la for la in candidates if la.name.lower() in CONTENT_NAMES), None) or min(
        candidates, key=fill, default=None
    )
    missing = []
    if title is None:
        missing.append(_("a title layout (a title and a subtitle placeholder, e.g. 'Title Slide')"))
    if content is None:
        missing.append(_("a content layout (a title placeholder, e.g. 'Title Only' or 'Title and Content')"))
    if missing:
        raise ReferenceProblem(
            _("--reference-pptx {file}: its masters lack {missing}: the deck cannot be built on it").format(
                file=source, missing=_(" and ").join(missing)
            )
        )
    assert title is not None and content is not None
    return Layouts(title, content)


def open_reference(path: Path | None) -> tuple[Presentation, Layouts]:
    """The presentation the deck is written into: ``path``'s masters without its slides, or the default."""
    from pptx import Presentation as open_presentation
    from pptx.util import Inches

    if path is None:
        prs = open_presentation()
        prs.slide_width, prs.slide_height = Inches(WIDTH_IN), Inches(HEIGHT_IN)
        return prs, find_layouts(prs, "")
    try:
        prs = open_presentation(str(path))
    except Exception as exc:  # python-pptx: a zip that is not a presentation, not a zip, a .potx…
        raise ReferenceProblem(
            _(
                "--reference-pptx {file}: not a PowerPoint presentation (.pptx): open it in PowerPoint or "
                "LibreOffice Impress and save it as .pptx"
            ).format(file=path)
        ) from exc
    layouts = find_layouts(prs, str(path))
    _drop_slides(prs)
    return prs, layouts


def _drop_slides(prs: Presentation) -> None:
    """The reference's own slides are not the deck's."""
    ids = prs.slides._sldIdLst
    for sld in list(ids):
        prs.part.drop_rel(sld.rId)
        ids.remove(sld)


# Writing -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """The area of a slide below its title, in EMU."""

    left: int
    top: int
    width: int
    height: int


def to_pptx(deck: Deck, reference: Path | None = None) -> bytes:
    prs, layouts = open_reference(reference)
    for slide in deck.slides:
        if slide.layout == "title":
            _title_slide(prs, layouts.title, slide, reference is None)
        else:
            _content_slide(prs, layouts.content, slide, reference is None)
    prs.core_properties.title = deck.title
    prs.core_properties.author = "ti"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _title_slide(prs: Presentation, layout: SlideLayout, slide: Slide, default: bool) -> None:
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.util import Inches, Pt

    made = prs.slides.add_slide(layout)
    width = int(prs.slide_width or Inches(WIDTH_IN))
    margin = int(Inches(0.8))
    for ph in list(made.placeholders):
        kind = ph.placeholder_format.type
        if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
            ph.text_frame.text = slide.title
            if default:  # python-pptx's default masters are 4:3: placed and sized for the 16:9 slide
                ph.left, ph.top, ph.width, ph.height = margin, int(Inches(1.2)), width - 2 * margin, int(Inches(2.4))
                ph.text_frame.paragraphs[0].runs[0].font.size = Pt(36 if len(slide.title) < 70 else 30)
        elif kind == PP_PLACEHOLDER.SUBTITLE:
            ph.text_frame.text = slide.subtitle
            for line in slide.lines:
                ph.text_frame.add_paragraph().text = line
            if default:
                ph.left, ph.top, ph.width, ph.height = margin, int(Inches(3.9)), width - 2 * margin, int(Inches(2.8))
                for i, p in enumerate(ph.text_frame.paragraphs):
                    for r in p.runs:
                        r.font.size = Pt(26 if i == 0 else 16)
        else:
            ph._element.getparent().remove(ph._element)


def _content_slide(prs: Presentation, layout: SlideLayout, slide: Slide, default: bool) -> None:
    from pptx.enum.shapes import PP_PLACEHOLDER
    from pptx.util import Emu, Inches, Pt

    made = prs.slides.add_slide(layout)
    title = None
    for ph in list(made.placeholders):
        if ph.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE) and title is None:
            title = ph
        else:  # the body of « Title and Content »: the deck draws its own shapes
            ph._element.getparent().remove(ph._element)
    width, height = int(prs.slide_width or Inches(WIDTH_IN)), int(prs.slide_height or Inches(HEIGHT_IN))
    margin = int(Inches(0.5))
    if title is not None:
        title.text_frame.text = slide.title
        if default:  # python-pptx's default masters are 4:3: the title spans the 16:9 slide
            title.left, title.top, title.width, title.height = (
                margin,
                int(Inches(0.3)),
                width - 2 * margin,
                int(Inches(1.0)),
            )
            for p in title.text_frame.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(28 if len(slide.title) < 60 else 22 if len(slide.title) < 100 else 18)
        top = int(title.top or 0) + int(title.height or Inches(1.0)) + int(Inches(0.1))
    else:
        top = int(Inches(1.4))
    frame = Frame(margin, top, width - 2 * margin, height - top - int(Inches(0.4)))
    if slide.subtitle or slide.lines:
        used = _lines(made, slide, frame)
        frame = Frame(frame.left, frame.top + used, frame.width, frame.height - used)
    note_height = int(Inches(0.4)) if slide.note else 0
    body = Frame(frame.left, frame.top, frame.width, frame.height - note_height)
    blocks: list[Table | Chart] = [*slide.tables, *(c for c in slide.charts if c.categories)]
    if blocks:
        gap = int(Inches(0.3))
        mixed = bool(slide.tables) and bool(slide.charts)  # a table beside a chart: the table gets 3/5
        weights = [3 if mixed and isinstance(b, Table) else 2 if mixed else 1 for b in blocks]
        room = body.width - gap * (len(blocks) - 1)
        left = body.left
        for block, weight in zip(blocks, weights, strict=True):
            each = room * weight // sum(weights)
            place = Frame(left, body.top, each, body.height)
            left += each + gap
            if isinstance(block, Table):
                _table(made, block, place, small=len(blocks) > 1 or len(block.rows) > 8)
            else:
                _chart(made, block, place)
    if slide.note:
        box = made.shapes.add_textbox(
            Emu(frame.left), Emu(frame.top + frame.height - note_height), Emu(frame.width), Emu(note_height)
        )
        box.text_frame.word_wrap = True
        box.text_frame.text = slide.note
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(11)
        box.text_frame.paragraphs[0].runs[0].font.italic = True


def _lines(made: Any, slide: Slide, frame: Frame) -> int:
    """The slide's subtitle and lines in a text box at the top of ``frame``; returns the height used."""
    from pptx.util import Emu, Inches, Pt

    alone = not slide.tables and not slide.charts
    size = 18 if alone and len(slide.lines) <= 8 else 14
    per_line = int(frame.width / Inches(1) * (120 / size) * 0.8)  # characters a line holds, at least
    rows = sum(1 + len(line) // max(per_line, 1) for line in [slide.subtitle, *slide.lines] if line)
    height = frame.height if alone else min(int(Inches(0.1 + rows * size / 72 * 1.45)), frame.height // 2)
    box = made.shapes.add_textbox(Emu(frame.left), Emu(frame.top), Emu(frame.width), Emu(height))
    tf = box.text_frame
    tf.word_wrap = True
    first = True
    if slide.subtitle:
        tf.text = slide.subtitle
        tf.paragraphs[0].runs[0].font.size = Pt(size)
        tf.paragraphs[0].runs[0].font.italic = True
        first = False
    for line in slide.lines:
        p = tf.paragraphs[0] if first else tf.add_paragraph()
        first = False
        _marked(p, line)
        p.space_after = Pt(4)
        for r in p.runs:
            r.font.size = Pt(size)
    return height + int(Inches(0.1))


def _table(made: Any, table: Table, place: Frame, small: bool) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Inches, Pt

    count = len(table.rows) + 1
    size = 10 if count > 10 else 11 if small else 12 if count > 7 else 14
    columns = range(len(table.header))
    rows = [table.header, *table.rows]
    longest = [max(len(r[c]) for r in rows) for c in columns]
    # Figures keep their whole width (an amount never wraps); texts share the rest, long ones wrapping.
    weights = [(longest[c] + 2) * 1.15 if c in table.numeric else min(max(longest[c], 8), 28) for c in columns]
    words = [max((len(w) for r in rows for w in r[c].split()), default=1) for c in columns]
    margins = 2 * int(Inches(0.06))
    while True:  # the largest size at which no word breaks and the rows stay on the slide (8 pt at least)
        glyph = Inches(GLYPH_EM * size / 72)
        widths = _widths([place.width * w / sum(weights) for w in weights], [n * glyph + margins for n in words])
        per_line = [max(1, int((w - margins) // glyph)) for w in widths]
        lines = [max(-(-len(r[c]) // per_line[c]) or 1 for c in columns) for r in rows]
        row_height = int(Inches(size / 72 * 1.9))
        needed = sum(max(row_height, int(Inches(n * size * LINE / 72 + 0.06))) for n in lines)
        if needed <= place.height or size <= 8:
            break
        size -= 1
    shape = made.shapes.add_table(
        count,
        len(table.header),
        Emu(place.left),
        Emu(place.top),
        Emu(place.width),
        Emu(min(row_height * count, place.height)),
    )
    grid = shape.table
    for c, w in enumerate(widths):
        grid.columns[c].width = Emu(int(w))
    for r, values in enumerate([table.header, *table.rows]):
        grid.rows[r].height = Emu(row_height)
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            _marked(cell.text_frame.paragraphs[0], value)
            cell.margin_top = cell.margin_bottom = Emu(int(Inches(0.03)))
            cell.margin_left = cell.margin_right = Emu(int(Inches(0.06)))
            for p in cell.text_frame.paragraphs:
                if c in table.numeric:
                    p.alignment = PP_ALIGN.RIGHT
                for run in p.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0 or (table.last_total and r == count - 1)


def _widths(shares: list[float], least: list[float]) -> list[float]:
    """Columns ``shares`` of the table's width, each widened to ``least`` (its longest word) at the expense
    of the columns that have room to spare, so that a word never breaks when the whole allows it."""
    widths = list(shares)
    short = sum(max(0.0, m - w) for w, m in zip(widths, least, strict=True))
    spare = sum(max(0.0, w - m) for w, m in zip(widths, least, strict=True))
    if short <= 0 or spare <= 0:
        return widths
    take = min(1.0, short / spare)
    return [m if w < m else w - (w - m) * take for w, m in zip(widths, least, strict=True)]


def _chart(made: Any, chart: Chart, place: Frame) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
    from pptx.util import Emu, Pt

    data: Any = CategoryChartData()  # type: ignore[no-untyped-call]  # python-pptx leaves it untyped
    data.categories = list(chart.categories)
    data.add_series(chart.title, [float(v) for v in chart.values])
    frame = made.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, Emu(place.left), Emu(place.top), Emu(place.width), Emu(place.height), data
    )
    c = frame.chart
    c.has_legend = False
    c.has_title = True
    c.chart_title.text_frame.text = chart.title
    c.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    c.category_axis.reverse_order = True  # the first category on top, as it reads
    c.category_axis.tick_labels.font.size = Pt(11)
    value_axis = c.value_axis
    value_axis.tick_labels.font.size = Pt(10)
    value_axis.has_major_gridlines = True
    if chart.kind in ("percent", "targets"):
        value_axis.minimum_scale = 0
        value_axis.maximum_scale = max(100.0, *(float(v) for v in chart.values))
        value_axis.major_unit = 25 if value_axis.maximum_scale <= 100 else None
        value_axis.tick_labels.number_format = '[$-40C]0" %"'
    else:
        value_axis.minimum_scale = 0
        value_axis.tick_labels.number_format = '[$-40C]#,##0.0,," M€"'  # the axis rounds, the labels do not
    value_axis.tick_labels.number_format_is_linked = False
    plot = c.plots[0]
    plot.gap_width = 60
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(11)
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.number_format = '[$-40C]0.0" %"' if chart.kind != "amounts" else '[$-40C]#,##0" €"'
    labels.number_format_is_linked = False
    series = plot.series[0]
    series.format.fill.solid()
    from pptx.dml.color import RGBColor

    series.format.fill.fore_color.rgb = RGBColor(*ACCENT)  # type: ignore[no-untyped-call]
    # Each bar's label is the deck's own text (« 2 560 000 € »: narrow no-break spaces, in full)
    for point, shown in zip(series.points, chart.texts, strict=True):
        point.data_label.text_frame.text = shown
        point.data_label.position = XL_LABEL_POSITION.OUTSIDE_END
        point.data_label.font.size = Pt(11)


def _marked(paragraph: Any, text: str) -> None:
    """The paragraph's text as runs, the blanks still to fill (« XXX », « … », « [à compléter] ») on a
    yellow highlight as in the PDF and Word — never hidden from whoever presents the deck."""
    from pptx.oxml.ns import qn

    from ti_cli.placeholders import spans

    paragraph.text = ""
    at = 0
    for start, end in [*spans(text), (len(text), len(text))]:
        for piece, blank in ((text[at:start], False), (text[start:end], True)):
            if not piece:
                continue
            run = paragraph.add_run()
            run.text = piece
            if blank:
                highlight = run._r.get_or_add_rPr().makeelement(qn("a:highlight"), {})
                highlight.append(highlight.makeelement(qn("a:srgbClr"), {"val": "FFFF00"}))
                run._r.get_or_add_rPr().append(highlight)
        at = end
