"""The blanks a text still holds before signature — « n°XXX », « Fait à …, le … », « [à compléter] » —
found once, here, for the rule that warns of them (``rules/placeholders.py``) and for the documents
that highlight them (PDF and Word). A leaf module, beside ``typography``: it imports nothing of ti.

What counts as a blank:

- ``XX``, ``XXX``… (two capital X or more) as a whole word: « n°XXX », « communauté XXX »;
- an ellipsis, ``…`` or ``...`` (and the dots that follow it), standing for a missing word:
  « n°… », « le …. », « Fait à …, le … ». An ellipsis that ends an enumeration or a sentence is prose,
  not a blank: one glued to the word before it (« restauration... »), one after a comma
  (« bureau d'études, ... »), after « etc », or closing a bracket (« (…) », « [...] », « projecteur ...) »);
- ``[à compléter]`` (any case, with or without accent, with words after it: « [À compléter : date] »).
"""

from __future__ import annotations

import re

_XXX = r"(?<!\w)X{2,}(?!\w)"
_TODO = r"\[[ \t]*[\u00e0\u00c0aA][ \t]+compl[\u00e9e\u00c9E]ter\b[^\]\n]*\]"
# An ellipsis (one « … » or three dots or more, then any further dots): a blank unless it is prose (see above).
_ELLIPSIS = r"(?<![\w,(\[.…])(?<!, )(?<!etc )(?:…|\.{3})(?![.…]*[ \t]*[)\]])[.…]*"

PATTERN = re.compile(f"{_XXX}|{_TODO}|{_ELLIPSIS}")


def spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of every blank in ``text``, in order, not overlapping:
    ``text[start:end]`` is the blank as typed (``"XXX"``, ``"…"``, ``"…."``, ``"[à compléter]"``)."""
    return [match.span() for match in PATTERN.finditer(text)]


def has_placeholder(text: str) -> bool:
    """Whether ``text`` holds at least one blank."""
    return PATTERN.search(text) is not None
