"""Charts drawn with matplotlib (Agg backend, no display needed) as PNG files the Markdown references.

Amounts are Decimals everywhere else; here they become floats only to place bars on a figure. Every
figure printed on a chart is formatted from the Decimal with ``ti_cli.french``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ti_cli import french
from ti_cli.compute.totals import share

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


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False,
                         "axes.spines.right": False, "svg.hashsalt": "ti"})
    return plt


def _save(fig: Any, path: Path) -> None:
    fig.tight_layout()
    # No timestamp or software tag in the file: the same data gives the same bytes.
    fig.savefig(path, dpi=DPI, metadata={"Software": None})
    _pyplot().close(fig)


def horizontal_bars(labels: Sequence[str], values: Sequence[Decimal], path: Path, title: str,
                    texts: Sequence[str] | None = None, limit: float | None = None) -> None:
    """One bar per label, top to bottom, the value written at the end of each bar."""
    plt = _pyplot()
    height = 0.7 + 0.3 * len(labels)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
    positions = list(range(len(labels)))[::-1]
    numbers = [float(v) for v in values]
    ax.barh(positions, numbers, color=ACCENT, height=0.6)
    ax.set_yticks(positions, labels=list(labels))
    top = limit if limit is not None else max([*numbers, 1.0])
    ax.set_xlim(0, top * 1.22)
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)
    for y, x, text in zip(positions, numbers, texts or [french.euros(v) for v in values], strict=True):
        ax.text(x + top * 0.01, y, text, va="center", fontsize=8)
    _title(fig, title)
    _save(fig, path)


def _title(fig: Any, title: str) -> None:
    fig.suptitle(title, x=0.01, ha="left", fontsize=10, color=ACCENT)


def split_bar(parts: Sequence[tuple[str, Decimal]], path: Path, title: str) -> None:
    """One stacked bar of 100 %: how a whole divides (investment / operating, secured / to find)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 1.1 + 0.25 * ((len(parts) + 1) // 2)))
    whole = sum((v for _, v in parts), Decimal(0))
    left = 0.0
    colours = [ACCENT, SECOND, WARN, "#a9d18e"]
    for (label, value), colour in zip(parts, colours, strict=False):
        percent = share(value, whole)  # rounded once, in compute: the chart says what the tables say
        ax.barh([0], [float(percent)], left=left, color=colour, height=0.5,
                label=f"{label}{french.NBSP}: {french.euros(value)} ({french.percent(percent, 1)})")
        left += float(percent)
    ax.set_xlim(0, 100)
    ax.set_axis_off()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.05), ncol=min(len(parts), 2), frameon=False,
              fontsize=8)
    _title(fig, title)
    _save(fig, path)


def progress_bars(labels: Sequence[str], progress: Sequence[int], path: Path, title: str) -> None:
    horizontal_bars(labels, [Decimal(p) for p in progress], path, title,
                    texts=[french.percent(p) for p in progress], limit=100.0)


def short(label: str, width: int = 48) -> str:
    """A long action title cut for a chart's axis."""
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"
