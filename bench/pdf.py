"""The PDF benchmark of issue 12: the sample contract to PDF against ``ti validate`` on it.

Run ``python bench/pdf.py`` (``make bench`` runs it too, through ``bench/run.py``). Each figure is the
best wall time of fresh processes (the least disturbed by other work on a shared machine), as a user
runs them, after one unmeasured run: Python then reads its compiled bytecode (``__pycache__``) as it does
on a user's machine, even where ``PYTHONDONTWRITEBYTECODE`` is set. The target is PDF within 3× validation.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TI = str(Path(sys.executable).with_name("ti"))
SAMPLE = "data/contracts/rochefort-royan-marennes-oleron"
RUNS = 5


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def seconds(*command: str) -> float:
    times = []
    for _ in range(RUNS + 1):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times[1:])


def pdf_facts() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as out:
        return {
            "validate": seconds(TI, "validate", "--no-cache", SAMPLE),
            "md": seconds(TI, "render", "contract", SAMPLE, "--to", "md", "-o", out),
            "pdf": seconds(TI, "render", "contract", SAMPLE, "--to", "pdf", "-o", out),
        }


def render(facts: dict[str, float]) -> str:
    v = facts["validate"]
    return "\n".join(
        [
            "## The contract to PDF (issue 12)",
            "",
            f"The sample contract (charts included), best of {RUNS} fresh processes after one unmeasured run (so that",
            "Python reads its compiled bytecode, as on a user's machine). The PDF is typeset by Typst (the `typst`",
            "wheel); the Markdown step includes the computations and the three charts (Typst too).",
            "",
            "| measure | seconds | × `ti validate` | target |",
            "|---|---:|---:|---|",
            f"| `ti validate --no-cache` on the sample | {v:.2f} | 1.00 | |",
            f"| `ti render contract --to md` | {facts['md']:.2f} | {facts['md'] / v:.2f} | |",
            f"| `ti render contract --to pdf` | {facts['pdf']:.2f} | {facts['pdf'] / v:.2f} | ≤ 3× — "
            f"{'met' if facts['pdf'] <= 3 * v else 'not met'} |",
            "",
        ]
    )


if __name__ == "__main__":
    print(render(pdf_facts()))
