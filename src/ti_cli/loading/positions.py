"""Where a value is in a file, said as a person counts: « 4e ligne de financement, amount » rather than
``financing[3].amount``. Field names stay as they are written in YAML (SPEC §12); list items are
counted from 1 and named by what they are."""

from __future__ import annotations

from typing import Any

from ti_cli.french import ordinal
from ti_cli.i18n import N_, _

# A list field: how one of its items is called, and whether that word is feminine in French.
ITEMS: dict[str, tuple[str, bool]] = {
    "financing": (N_("{nth} financing line"), True),
    "milestones": (N_("{nth} milestone"), False),
    "actions": (N_("{nth} action"), True),
    "parties": (N_("{nth} party"), True),
    "financers": (N_("{nth} financer"), False),
    "decisions": (N_("{nth} decision"), True),
    "indicators": (N_("{nth} indicator"), False),
    "commitments": (N_("{nth} commitment"), False),
    "members": (N_("{nth} member"), False),
    "shares": (N_("{nth} share"), True),
    "signatories": (N_("{nth} signatory"), False),
    "reviews": (N_("{nth} review"), True),
    "dispositifs": (N_("{nth} dispositif"), False),
}


def position(loc: tuple[Any, ...]) -> str:
    """``("financing", 3, "amount")`` → « 4e ligne de financement, amount »."""
    words: list[str] = []
    fields: list[str] = []
    for index, part in enumerate(loc):
        if isinstance(part, int):
            field = str(loc[index - 1]) if index else ""
            if fields and fields[-1] == field:
                fields.pop()
            if fields:
                words.append(".".join(fields))
                fields = []
            words.append(item(field, part))
        else:
            fields.append(str(part))
    if fields:
        words.append(".".join(fields))
    return ", ".join(words)


def item(field: str, index: int) -> str:
    """The ``index``-th (from 0) item of the list ``field``, counted from 1."""
    phrase, feminine = ITEMS.get(field, (None, False))
    if phrase is None:
        return _("{nth} item of {field}").format(nth=ordinal(index + 1), field=field)
    return _(phrase).format(nth=ordinal(index + 1, feminine))
