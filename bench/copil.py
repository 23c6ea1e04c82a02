"""The COPIL deck benchmark of issue 25: ``ti report copil`` on the sample plan against ``ti render
contract --to pdf`` on it (the target: the deck within 2× that PDF).

Run ``python bench/copil.py`` (``make bench`` runs it too). Each figure is the best wall time of fresh
processes after one unmeasured run (Python then reads its compiled bytecode, as on a user's machine),
like ``bench/pdf.py``; the deck is given ``--since HEAD`` so that the run reads the same history each
time, and ``--as-of`` so that it shows the same slides whatever the day.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdf import RUNS, TI, seconds

PLAN = "data/contracts/rochefort-royan-marennes-oleron-2023"
COPIL = ("report", "copil", PLAN, "--as-of", "2026-11-15", "--since", "HEAD", "--force")


def copil_facts() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as out:
        return {
            "contract_pdf": seconds(TI, "render", "contract", PLAN, "--to", "pdf", "-o", out),
            "pptx": seconds(TI, *COPIL, "--to", "pptx", "-o", out),
            "pdf": seconds(TI, *COPIL, "--to", "pdf", "-o", out),
            "both": seconds(TI, *COPIL, "--to", "pptx", "--to", "pdf", "-o", out),
        }


def render(facts: dict[str, float]) -> str:
    base = facts["contract_pdf"]

    def row(label: str, key: str) -> str:
        ratio = facts[key] / base
        return f"| {label} | {facts[key]:.2f} | {ratio:.2f} | ≤ 2× — {'met' if ratio <= 2 else 'not met'} |"

    return "\n".join(
        [
            "## The COPIL deck (issue 25)",
            "",
            f"The sample plan (`{PLAN}`), best of {RUNS} fresh processes after one unmeasured run.",
            "",
            "| measure | seconds | × `ti render contract --to pdf` | target |",
            "|---|---:|---:|---|",
            f"| `ti render contract --to pdf` on the plan | {base:.2f} | 1.00 | |",
            row("`ti report copil --to pptx` (14 slides, 4 native charts)", "pptx"),
            row("`ti report copil --to pdf` (the handout, 4 Typst charts)", "pdf"),
            row("`ti report copil --to pptx --to pdf`", "both"),
            "",
        ]
    )


if __name__ == "__main__":
    print(render(copil_facts()))
