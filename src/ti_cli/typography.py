"""The spaces of French typography, a leaf module: ``i18n`` applies them to every French message and
``french`` to documents, so neither needs the other for them."""

from __future__ import annotations

import re

NNBSP = "\u202f"  # narrow no-break space: between thousands, before ; ! ?
NBSP = "\u00a0"  # no-break space: before € % : and inside « »

_BEFORE = re.compile(r"[ \t]+([:»])|[ \t]+([;!?])(?=\s|$)")
_AFTER = re.compile(r"«[ \t]+")


def typography(text: str) -> str:
    """Spaces of running text made French: the space typed before ``:`` or ``»`` (and after ``«``)
    becomes a no-break space, the one before ``;`` ``!`` ``?`` a narrow no-break space. Only spaces
    already typed are changed (``10:30``, ``https://`` stay as they are)."""
    text = _BEFORE.sub(lambda m: NBSP + m.group(1) if m.group(1) else NNBSP + m.group(2), text)
    return _AFTER.sub("«" + NBSP, text)
