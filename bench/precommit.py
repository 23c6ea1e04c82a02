"""The pre-commit case of issue 10: ``ti validate`` on the 14 files of one contract, cold (a fresh process,
no cache), against ``yamllint`` on the same files — what a pre-commit hook costs at each commit.

The two are run pair by pair (ti, then yamllint, N times) so that the machine's load weighs on both
alike; the medians and their ratio are printed. Run ``python bench/precommit.py [--runs 21]``
(``make bench`` runs it); yamllint comes with the ``dev`` extra.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "data" / "contracts" / "rochefort-royan-marennes-oleron"
BIN = Path(sys.executable).parent


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    files = [str(p.relative_to(ROOT)) for p in sorted(CONTRACT.rglob("*.yaml"))]
    ti = [str(BIN / "ti"), "validate", "--no-cache", *files]
    yamllint = [str(BIN / "yamllint"), "--no-warnings", *files]
    wall(ti), wall(yamllint)  # warm the OS file cache, as a developer's machine has it
    pairs = [(wall(ti), wall(yamllint)) for _ in range(args.runs)]
    ti_ms = statistics.median(p[0] for p in pairs) * 1000
    lint_ms = statistics.median(p[1] for p in pairs) * 1000
    ratio = statistics.median(p[0] / p[1] for p in pairs)
    print(
        f"{len(files)} files, {args.runs} pairs: ti validate {ti_ms:.0f} ms, yamllint {lint_ms:.0f} ms, "
        f"ratio (median of pairs) {ratio:.2f}"
    )


if __name__ == "__main__":
    main()
