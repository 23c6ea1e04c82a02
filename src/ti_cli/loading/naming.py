"""How a new fiche action's file is named, ``actions/NN-slug.yaml``: one rule for ``ti new action`` and
the spreadsheet import, so the same title gives the same file name either way."""

from __future__ import annotations

import re
import unicodedata

# The small words a title's slug leaves out, like the sample's file names.
STOPWORDS = frozenset(
    (
        "a",
        "au",
        "aux",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "par",
        "pour",
        "sur",
        "un",
        "une",
    )
)
MAX_WORDS = 4
MAX_LENGTH = 40
PREFIX = re.compile(r"^(\d+)-")  # the number at the start of an action file's name


def slug(title: str) -> str:
    """``Création d'une conciergerie territoriale`` → ``creation-conciergerie-territoriale``: plain
    ASCII, small words dropped, four words at most, and never longer than 40 characters — cut after
    a whole word (``developpement-filiere`` rather than ``developpement-de-la-fil``); only a single
    word longer than that is cut inside."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    kept = "-".join([w for w in re.findall(r"[a-z0-9]+", plain) if w not in STOPWORDS][:MAX_WORDS])
    if len(kept) > MAX_LENGTH:
        cut = kept.rfind("-", 0, MAX_LENGTH + 1)
        kept = kept[:cut] if cut > 0 else kept[:MAX_LENGTH]
    return kept or "action"


def action_file(number: int, title: str) -> str:
    """``10-creation-campus-metiers-industrie.yaml``."""
    return f"{number:02d}-{slug(title)}.yaml"
