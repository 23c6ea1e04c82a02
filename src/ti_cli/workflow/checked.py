"""Load and check: the first step of every command and every page, in one place.

``ti totals``, ``ti render``, ``ti report`` and ``ti pacte`` (through ``cli.common``) and every page of
``ti serve`` start here, so a contract that one of them refuses, the others refuse too, with the same
findings. Nothing is computed on a bundle whose check found errors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ti_cli.findings import Finding
from ti_cli.loading.bundle import ContractBundle, PacteBundle, load_contract, load_pacte
from ti_cli.rules import Context, check_contract, check_pacte
from ti_cli.rules.engine import Report


@dataclass(frozen=True)
class Checked(Report):
    """A bundle with every finding of ``ti validate`` on it (``errors``, ``warnings`` as a report has)."""

    bundle: Any  # ContractBundle | PacteBundle, as ``kind`` says


def checked(kind: str, root: Path, as_of: dt.date | Context) -> Checked:
    """The contract (``kind="contract"``) or pacte at ``root``, loaded, and checked as of ``as_of``."""
    context = as_of if isinstance(as_of, Context) else Context(as_of)
    bundle: ContractBundle | PacteBundle = load_contract(root) if kind == "contract" else load_pacte(root)
    found = check_contract(bundle, context) if isinstance(bundle, ContractBundle) else check_pacte(bundle, context)
    return Checked(len(bundle.sources), sorted(set(found), key=Finding.sort_key), bundle)
