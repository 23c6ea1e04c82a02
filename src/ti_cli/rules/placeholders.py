"""Blanks left in the text to sign — « n°XXX », « Fait à …, le … », « [à compléter] » — caught by
``ti validate`` before signature rather than on the printed page: in the contract's text chapters
(``text/*.md``), in its title, in its parties and their representatives (the signature block), and in the
actions' titles, owners, descriptions and financing references (the annex, the fiche), each at its own line
and column.

What counts as a blank is ``ti_cli.placeholders``'s, the same module the documents use to highlight them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ti_cli.findings import Finding, Severity
from ti_cli.i18n import N_, _
from ti_cli.loading.bundle import ContractBundle
from ti_cli.loading.source import Source, display_path
from ti_cli.placeholders import spans
from ti_cli.rules.registry import Context, rule

W = Severity.warning
CODE = "TI039"
MAX_TEXT_BYTES = 5 * 1024 * 1024  # like the loader's limit on a YAML file: a chapter is never that large

MESSAGE = N_(
    "blank to fill in before signature: '{blank}' stands for a word still missing (a number, a date, a name); "
    "write it in — until then the documents show it highlighted"
)


def text_files(root: Path) -> list[Path]:
    """The contract's text chapters, ``text/*.md`` in name order (regular files only), for this rule and
    for the validation cache's key: a chapter edited changes the result."""
    try:
        entries = list(os.scandir(root / "text"))
    except OSError:
        return []
    return sorted(Path(e.path) for e in entries if e.name.endswith(".md") and e.is_file())


def _message(blank: str) -> str:
    return _(MESSAGE).format(blank=blank)


def _in_text(path: Path) -> Iterator[Finding]:
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            return
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return  # the documents report a chapter they cannot read; nothing to say here about blanks
    shown = display_path(path)
    for number, line in enumerate(text.splitlines(), 1):
        for start, end in spans(line):
            yield Finding(CODE, W, _message(line[start:end]), shown, number, start + 1)


def _in_value(source: Source[Any], at: tuple[str | int, ...], value: str) -> Iterator[Finding]:
    """Each blank of a YAML string value, at its own line and column in the file when it can be found
    there as typed (a plain or quoted one-line scalar), else at the value."""
    found = spans(value)
    if not found:
        return
    doc = source.doc
    mark = doc.mark(at) if doc else None
    if doc is None or mark is None:
        for start, end in found:
            yield source.finding(CODE, W, _message(value[start:end]), at)
        return
    lines = doc.text.splitlines()
    # a one-line scalar sits on the mark's line; a block one (``description: |``) on the lines below it
    last = min(len(lines), mark.line + value.count("\n") + 1)
    number, where = mark.line, mark.col - 1
    for start, end in found:
        blank = value[start:end]
        typed = value[value.rfind("\n", 0, start) + 1 : start]  # the value's line up to the blank
        while number <= last:
            row = lines[number - 1] if number > 0 else ""
            column = row.find(typed.lstrip() + blank, where)
            if column >= 0:
                column += len(typed.lstrip())
                break
            number, where = number + 1, 0
        if number > last:
            yield source.finding(CODE, W, _message(blank), at)
            number, where = mark.line, mark.col - 1
            continue
        where = column + len(blank)
        yield Finding(CODE, W, _message(blank), source.display, number, column + 1)


@rule(
    CODE,
    "placeholder",
    W,
    "contract",
    doc=N_(
        "No blank left in the text to sign: ``XXX`` (two capital X or more, as a word), an ellipsis standing for "
        "a missing word (``n°…``, ``le ….``, ``Fait à …, le …``) or ``[à compléter]``, in the text chapters "
        "(``text/*.md``), the contract's ``title``, its parties' names and representatives (the signature block), "
        "and the actions' ``title``, ``owner``, ``description`` and financing ``reference``. "
        "A signed contract that reads "
        "« délibération n°XXX » is refused by the préfecture; the finding sits on the blank itself. An ellipsis "
        "that ends an enumeration (« restauration... », « bureau d'études, ... », « (…) ») is prose, not a "
        "blank. The documents print each blank highlighted until it is filled in.\n\n"
        "Bad: ``*Vu la délibération du conseil de la communauté XXX n°XXX en date du XXX ;*``. Fix: write the "
        "name, the number and the date of the deliberation: ``*Vu la délibération du conseil de la Communauté "
        "d'Agglomération Rochefort Océan n°2019-145 en date du 12 décembre 2019 ;*``."
    ),
)
def placeholder(bundle: ContractBundle, _context: Context) -> Iterator[Finding]:
    contract = bundle.contract.model
    if contract is not None:
        yield from _in_value(bundle.contract, ("title",), contract.title)
        for p, party in enumerate(contract.parties):  # what the signature block prints
            yield from _in_value(bundle.contract, ("parties", p, "name"), party.name)
            for r, person in enumerate(party.represented_by):
                yield from _in_value(bundle.contract, ("parties", p, "represented_by", r, "name"), person.name)
                if person.title:
                    yield from _in_value(bundle.contract, ("parties", p, "represented_by", r, "title"), person.title)
    for source, action in bundle.valid_actions():  # what the annex and the fiche a partner reads print
        yield from _in_value(source, ("title",), action.title)
        if action.owner:
            yield from _in_value(source, ("owner",), action.owner)
        if action.description:
            yield from _in_value(source, ("description",), action.description)
        for n, line in enumerate(action.financing):
            if line.reference:
                yield from _in_value(source, ("financing", n, "reference"), line.reference)
    if bundle.root.is_dir():  # a past revision (``REV:path``) has no text chapters on disk
        for path in text_files(bundle.root):
            yield from _in_text(path)
