"""Figures as tables: a rich table on a terminal, Markdown for documents, CSV and JSON for scripts.

A command builds ``Table`` objects (typed columns, raw values: ``Decimal`` euros, ints, percentages as
``Decimal``) and picks a renderer. People get French formatting from ``ti_cli.french``; CSV keeps raw
machine values (amounts ``16753500.00``, a dot, no thousands separator) so that scripts read it back
exactly. JSON shapes are the commands' own (SPEC §9); ``as_json`` only prints them the same way.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ti_cli.french import euros, json_amount, number, percent

if TYPE_CHECKING:
    from rich.console import Console

Kind = Literal["text", "euros", "count", "percent", "figures"]  # figures: preformatted amounts, never broken
TABLE_FORMATS = ("table", "json", "csv", "markdown")


@dataclass(frozen=True)
class Column:
    key: str  # CSV header, stable for scripts
    title: str  # what people read
    kind: Kind = "text"
    audience: Literal["all", "people", "machine"] = "all"  # machine: only in CSV; people: never in CSV


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    footer: list[Any] | None = None  # a totals row
    notes: list[str] = field(default_factory=list)  # sentences printed under the table


def _has_cents(values: list[Any]) -> bool:
    return any(isinstance(v, Decimal) and v != v.to_integral_value() for v in values)


def _formatter(table: Table, index: int) -> Any:
    """A cell formatter per column; euros get cents on every row when one row has some."""
    column = table.columns[index]
    values = [r[index] for r in [*table.rows, *([table.footer] if table.footer else [])]]
    if column.kind == "euros":
        decimals = 2 if _has_cents(values) else 0
        return lambda v: "" if v is None else v if isinstance(v, str) else euros(v, decimals)
    if column.kind == "count":
        return lambda v: "" if v is None else number(v)
    if column.kind == "percent":
        return lambda v: "" if v is None else percent(v, 1)
    return lambda v: "" if v is None else str(v)


def for_people(table: Table) -> tuple[list[Column], list[list[str]], list[str] | None]:
    """The columns people read, and the rows (and footer) as French-formatted strings."""
    keep = [i for i, c in enumerate(table.columns) if c.audience != "machine"]
    formats = {i: _formatter(table, i) for i in keep}

    def cells(row: list[Any]) -> list[str]:
        return [formats[i](row[i]) for i in keep]

    return (
        [table.columns[i] for i in keep],
        [cells(r) for r in table.rows],
        cells(table.footer) if table.footer else None,
    )


def to_rich(tables: list[Table]) -> None:
    """Print to the terminal; numbers right-aligned, the totals row as a footer. A table wider than the
    terminal is printed in parts, its first column repeated, so that no figure is ever cut or wrapped."""
    from rich.console import Console

    console = Console(highlight=False)
    for n, table in enumerate(tables):
        if n:
            console.print()
        print_table(console, table)


def print_table(console: Console, table: Table) -> None:
    """One table on ``console``: its title, then as many parts as the terminal's width requires."""
    from rich.console import Console
    from rich.text import Text

    columns, rows, footer = for_people(table)
    cells = [_plain([r[i] for r in rows] + ([footer[i]] if footer else [])) for i in range(len(columns))]
    least = [_least_width(c, cells[i]) for i, c in enumerate(columns)]
    natural = [max([len(c.title), *map(len, cells[i])]) for i, c in enumerate(columns)]

    def fits(keep: list[int]) -> bool:
        return sum(least[i] for i in keep) + _frame(len(keep)) <= console.width

    # the title above the table, not in it: it wraps at the terminal's width, not the table's
    console.print(Text(table.title, style="bold"))
    for part, keep in enumerate(_parts(len(columns), fits)):
        if part:
            console.print()
        widths = _shrink([natural[i] for i in keep], [least[i] for i in keep], console.width - _frame(len(keep)))
        out = _rich_table(
            [columns[i] for i in keep],
            [[r[i] for i in keep] for r in rows],
            [footer[i] for i in keep] if footer else None,
            widths,
        )
        width = sum(widths) + _frame(len(keep))
        # too narrow for even one figure beside the first column: overflow rather than break it
        (console if width <= console.width else Console(highlight=False, width=width)).print(out)
    for note in table.notes:
        console.print(note)


def _plain(cells: list[str]) -> list[str]:
    """What a cell shows: a colour (rich markup) takes no width."""
    from rich.text import Text

    return [Text.from_markup(c).plain if "[" in c else c for c in cells]


def _least_width(column: Column, cells: list[str]) -> int:
    """Figures never break across lines (their minimum width is their widest value); titles and text
    wrap between words, never inside one (« Autofinancemen / t »)."""
    widest = max((len(c) for c in cells), default=0)
    word = max((len(w) for text in [column.title, *cells] for w in text.split()), default=0)
    return max(widest if column.kind != "text" else min(widest, 10), word)


def _frame(columns: int) -> int:
    """The characters around the cells: an edge each side, then a separator and a space each side
    between two columns (``box.SIMPLE_HEAD``, padding 1, none at the edges)."""
    return 2 + 3 * (columns - 1)


def _shrink(natural: list[int], least: list[int], room: int) -> list[int]:
    """Each column at its natural width, the widest that can give way narrowed first until the whole fits
    ``room``; no column goes below its least width (the table then comes out wider than ``room``)."""
    widths = list(natural)
    while sum(widths) > room:
        give = [i for i, w in enumerate(widths) if w > least[i]]
        if not give:
            break
        widest = max(give, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def _parts(count: int, fits: Callable[[list[int]], bool]) -> list[list[int]]:
    """The columns of each part: the first column, then as many of the others as fit."""
    parts: list[list[int]] = [[0]]
    for i in range(1, count):
        if len(parts[-1]) > 1 and not fits([*parts[-1], i]):
            parts.append([0])
        parts[-1].append(i)
    return parts


def _rich_table(columns: list[Column], rows: list[list[str]], footer: list[str] | None, widths: list[int]) -> Any:
    from rich import box
    from rich.table import Table as RichTable

    out = RichTable(box=box.SIMPLE_HEAD, show_footer=footer is not None, padding=(0, 1), pad_edge=False)
    for i, column in enumerate(columns):
        out.add_column(
            column.title,
            footer=footer[i] if footer else "",
            width=widths[i],
            justify="right" if column.kind != "text" else "left",
            overflow="fold",
            footer_style="bold",
        )
    for row in rows:
        out.add_row(*row)
    return out


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(tables: list[Table], heading: str = "##") -> str:
    parts = []
    for table in tables:
        columns, rows, footer = for_people(table)
        lines = [f"{heading} {table.title}", ""]
        lines.append("| " + " | ".join(_md_cell(c.title) for c in columns) + " |")
        lines.append("|" + "|".join("---" if c.kind == "text" else "---:" for c in columns) + "|")
        lines.extend("| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows)
        if footer:
            lines.append("| " + " | ".join(f"**{_md_cell(v)}**" if v else "" for v in footer) + " |")
        if table.notes:
            lines.extend(["", *table.notes])
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def _raw(value: Any, kind: Kind, decimal_comma: bool = False) -> str:
    if value is None:
        return ""
    if kind == "euros":  # an amount not given (« non précisé » for people) is an empty cell, never 0
        text = (json_amount(value) or "") if isinstance(value, Decimal) else ""
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


CSV_DIALECTS = ("machine", "fr")
"""machine: commas, a decimal point, no BOM (scripts); fr: what French Excel and LibreOffice open as
numbers — semicolons, a decimal comma, a UTF-8 BOM (without it Excel reads the accents as Windows-1252)."""


def to_csv(table: Table, dialect: str = "machine") -> str:
    """One table, machine values, header = column keys; the footer row comes last. Percentages are
    left out: they are derived figures, and scripts compute them from the exact amounts."""
    keep = [i for i, c in enumerate(table.columns) if c.kind != "percent" and c.audience != "people"]
    french = dialect == "fr"
    out = io.StringIO()
    if french:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=";" if french else ",", lineterminator="\r\n" if french else "\n")
    writer.writerow([table.columns[i].key for i in keep])
    for row in [*table.rows, *([table.footer] if table.footer else [])]:
        writer.writerow([_raw(row[i], table.columns[i].kind, french) for i in keep])
    return out.getvalue()


def as_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def emit(
    fmt: str,
    output: Path | None,
    *,
    tables: Callable[[], list[Table]],
    data: Callable[[], Any],
    csv_table: Callable[[], Table],
    markdown: Callable[[], str] | None = None,
    force: bool = False,
    csv_dialect: str = "machine",
) -> None:
    """Print (or write to ``output``) the figures in ``fmt``: table | json | csv | markdown. A table
    asked into a file is written as Markdown. Reports are regenerated at will: an output file ti wrote
    is replaced, atomically; any other file only with ``force``."""
    if fmt == "table" and output is None:
        to_rich(tables())
        return
    if fmt == "json":
        text = as_json(data())
    elif fmt == "csv":
        text = to_csv(csv_table(), csv_dialect)
    else:
        text = markdown() if markdown else to_markdown(tables())
    if output is None:
        sys.stdout.write(text)
        return
    from ti_cli.loading.writer import write_output

    write_output(output, text, force=force)
