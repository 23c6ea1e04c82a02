"""Charts drawn with Typst (the PDF engine) as PNG files the Markdown references.

Every figure printed on a chart is formatted from the Decimal with ``ti_cli.french``; every share is
rounded once in ``compute``; labels are escaped (nothing typed in the YAML is read as Typst code).
The same data gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ti_cli import french
from ti_cli.compute.totals import share
from ti_cli.render.typeset import TYPST, escape

ACCENT = "#1f3864"
SECOND = "#8faadc"
WARN = "#c55a11"
WIDTH_IN = 7.0
DPI = 150


@dataclass(frozen=True)
class Figures:
    """Where charts are written (``folder``) and how the Markdown refers to it (``href``, relative to
    the document)."""

    folder: Path
    href: str

    def path(self, name: str) -> tuple[Path, str]:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f"{name}.png", f"{self.href}/{name}.png"


def _colour(name: str) -> str:
    return f'rgb("{name}")'


@lru_cache(maxsize=1)
def _compiler() -> Any:
    """One Typst compiler for every chart of a command (its fonts are loaded once)."""
    import typst

    return typst.Compiler(ignore_system_fonts=True)


def _save(body: str, path: Path) -> None:
    """Typeset ``body`` on a page as wide as the document's text and write it as a PNG. Typst draws
    the charts in the document's own font (Libertinus Serif, embedded in the ``typst`` wheel)."""
    source = (
        f"#set page(width: {WIDTH_IN}in, height: auto, margin: (x: 8pt, y: 6pt), fill: white)\n"
        f'#set text(font: "Libertinus Serif", size: 9pt, lang: "fr")\n{body}'
    )
    with TYPST:  # the compiler is shared and not re-entrant (typeset.TYPST)
        png = _compiler().compile(input=source.encode("utf-8"), format="png", ppi=DPI)
    path.write_bytes(png if isinstance(png, bytes) else png[0])


def _title(title: str) -> str:
    return f"#block(below: 8pt, text(size: 10pt, fill: {_colour(ACCENT)}, [{escape(title)}]))\n"


def horizontal_bars(
    labels: Sequence[str],
    values: Sequence[Decimal],
    path: Path,
    title: str,
    texts: Sequence[str] | None = None,
    limit: float | None = None,
) -> None:
    """One bar per label, top to bottom, the value written at the end of each bar."""
    top = Decimal(str(limit)) if limit is not None else max([*values, Decimal(1)])
    cells = []
    for label, value, text in zip(labels, values, texts or [french.euros(v) for v in values], strict=True):
        ratio = max(Decimal(0), min(Decimal(1), value / top)) if top else Decimal(0)
        width = f"{ratio * 78:.2f}%"  # room left at the end of the longest bar for its figure
        cells.append(
            f"[{escape(label)}], box(width: 100%, stack(dir: ltr, spacing: 4pt, "
            f"rect(width: {width}, height: 9pt, fill: {_colour(ACCENT)}, stroke: none), "
            f"align(horizon, [{escape(text)}])))"
        )
    grid = (
        f"#grid(columns: ({_label_column(labels)}, 1fr), column-gutter: 6pt, row-gutter: 7pt, "
        "align: (right + horizon, left + horizon),\n  " + ",\n  ".join(cells) + ")\n"
    )
    _save(_title(title) + grid, path)


def split_bar(parts: Sequence[tuple[str, Decimal]], path: Path, title: str) -> None:
    """One stacked bar of 100 %: how a whole divides (investment / operating, secured / to find)."""
    whole = sum((v for _, v in parts), Decimal(0))
    colours = [ACCENT, SECOND, WARN, "#a9d18e"]
    pieces, legend = [], []
    for (label, value), colour in zip(parts, colours, strict=False):
        percent = share(value, whole)  # rounded once, in compute: the chart says what the tables say
        if percent:
            pieces.append(f"rect(width: {percent}%, height: 14pt, fill: {_colour(colour)}, stroke: none)")
        text = f"{label}{french.NBSP}: {french.euros(value)} ({french.percent(percent, 1)})"
        legend.append(
            f"box(rect(width: 8pt, height: 8pt, fill: {_colour(colour)}, stroke: none)) + h(4pt) + [{escape(text)}]"
        )
    body = (
        f"#box(width: 100%, stack(dir: ltr, {', '.join(pieces)}))\n"
        f"#v(4pt)\n#grid(columns: 2, column-gutter: 14pt, row-gutter: 4pt, {', '.join(legend)})\n"
    )
    _save(_title(title) + body, path)


def progress_bars(labels: Sequence[str], progress: Sequence[int], path: Path, title: str) -> None:
    horizontal_bars(
        labels, [Decimal(p) for p in progress], path, title, texts=[french.percent(p) for p in progress], limit=100.0
    )


LABEL_CHARS = 42  # labels longer than this wrap in a column of LABEL_WIDTH, never cut with « … »
LABEL_WIDTH = "40%"


def _label_column(labels: Sequence[str]) -> str:
    """The labels' column: as wide as the longest label, or ``LABEL_WIDTH`` with long labels wrapped."""
    return LABEL_WIDTH if any(len(label) > LABEL_CHARS for label in labels) else "auto"


def target_bars(
    labels: Sequence[str], targets: Sequence[Decimal], values: Sequence[Decimal | None], path: Path, title: str
) -> None:
    """Each indicator's value against its target, both as a share of the target (units differ): a light bar
    for the target, a dark one for the latest value, and the share written after it."""
    shares = [share(value or Decimal(0), target) for value, target in zip(values, targets, strict=True)]
    top = max([*shares, Decimal(100)])
    cells = []
    for label, percent, value in zip(labels, shares, values, strict=True):
        text = "non mesuré" if value is None else f"{french.percent(percent, 1)} de la cible"
        target_width, value_width = f"{100 / top * 78:.2f}%", f"{percent / top * 78:.2f}%"
        cells.append(
            f"[{escape(label)}], box(width: 100%, stack(dir: ttb, spacing: 1pt, "
            f"rect(width: {target_width}, height: 4pt, fill: {_colour(SECOND)}, stroke: none), "
            f"stack(dir: ltr, spacing: 4pt, rect(width: {value_width}, height: 8pt, "
            f"fill: {_colour(ACCENT)}, stroke: none), align(horizon, [{escape(text)}]))))"
        )
    grid = (
        f"#grid(columns: ({_label_column(labels)}, 1fr), column-gutter: 6pt, row-gutter: 8pt, "
        "align: (right + horizon, left + horizon),\n  " + ",\n  ".join(cells) + ")\n"
    )
    _save(_title(title) + grid, path)
