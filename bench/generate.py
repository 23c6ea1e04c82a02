"""Generate a national portfolio shaped like the programme: 183 contracts × 35 actions × 12 quarters.

Deterministic (seeded), written to SPEC so ``ti validate`` checks it for real; one action in a
hundred carries a planted ``total`` mismatch so that findings (and their lines) are part of what
the benchmark compares between runs. Usage: ``python bench/generate.py OUT [--scale N]``.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REGIONS = [
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Bretagne",
    "Grand Est",
    "Hauts-de-France",
    "Normandie",
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Centre-Val de Loire",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
    "Île-de-France",
]
AXES = ["ATTIRER", "RECRUTER", "INNOVER", "SIMPLIFIER"]
FINANCERS = [
    ("europe", "Europe", "europe", False),
    ("etat", "État", "etat", False),
    ("region", "Région", "region", False),
    ("bdt-subventions", "Banque des territoires (subventions)", "operateur", False),
    ("bdt-prets", "Banque des territoires (prêts)", "operateur", True),
    ("bpifrance", "Bpifrance", "operateur", False),
    ("ademe", "ADEME", "operateur", False),
    ("prives", "Privés / Industriels", "prive", False),
    ("epci", "EPCI", "collectivite", False),
    ("autofinancement", "Autofinancement", "autofinancement", False),
]
WORDS = [
    "développement",
    "filière",
    "industrielle",
    "formation",
    "compétences",
    "foncier",
    "économique",
    "friche",
    "requalification",
    "innovation",
    "plateforme",
    "mutualisée",
    "entreprises",
    "territoire",
    "emploi",
    "recrutement",
    "attractivité",
    "logistique",
    "décarbonation",
    "énergie",
    "transition",
    "numérique",
    "atelier",
    "pépinière",
    "zone",
    "activités",
]


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def contract_yaml(cid: str, rng: random.Random) -> str:
    parties = "\n".join(
        f"  - id: epci-{i}\n    name: Communauté de communes {i} {cid}\n    role: intercommunalite\n"
        f"    represented_by:\n      - {{name: Élu {i}, title: Président}}"
        for i in range(1, rng.randint(2, 5))
    )
    financers = "\n".join(
        f'  - {{id: {fid}, name: "{name}", kind: {kind}{", loan: true" if loan else ""}}}'
        for fid, name, kind, loan in FINANCERS
    )
    return (
        f"id: {cid}\ntitle: Contrat Territoire d'industrie {cid}\nregion: {rng.choice(REGIONS)}\n"
        "period: {start: 2020-01-01, end: 2022-12-31}\nstatus: signe\nsigned_on: 2020-03-02\n"
        f"tribunal: Tribunal administratif\nparties:\n{parties}\n"
        "  - {id: region, name: Région, role: region}\n  - {id: etat, name: État, role: etat}\n"
        f"financers:\n{financers}\n"
        "governance:\n  binomes:\n    - intercommunalite: epci-1\n      elu: {name: Élu 1, title: Président}\n"
        "      industriel: {name: Industriel 1, title: Directeur, company: Usine 1}\n"
        "  project_leads:\n    - {intercommunalite: epci-1, name: Cheffe de projet, title: chargée de mission}\n"
        "amendments: []\n"
    )


def action_yaml(number: int, rng: random.Random, planted: bool) -> tuple[str, int, int]:
    investment = rng.randrange(0, 5_000_000, 500)
    operating = rng.randrange(10_000, 400_000, 500)
    total = investment + operating + (1000 if planted else 0)
    lines = []
    for fid, *_ in rng.sample(FINANCERS, rng.randint(1, 4)):
        amount = rng.randrange(0, max(investment + operating, 1) // 5, 50)
        eligibility = rng.choice(["validee", "a_confirmer"])
        lines.append(f"  - {{financer: {fid}, eligibility: {eligibility}, amount: {amount}}}")
    body = (
        f"number: {number}\ntitle: {text(rng, 6)[:-1]}\naxis: {rng.choice(AXES)}\n"
        f"category: {rng.choice(['structurante', 'amorcage'])}\nowner: Communauté de communes 1\n"
        f"owner_parties: [epci-1]\ncost:\n  investment: {investment}\n  operating: {operating}\n  total: {total}\n"
        "financing:\n" + "\n".join(lines) + "\nderogation_l1111_10: benchmark data\n"
        f"description: |\n  {text(rng, 30)}\n\n  {text(rng, 12)}\ncomment: null\n"
    )
    return body, investment, operating


def progress_yaml(year: int, quarter: int, costs: list[tuple[int, int]], rng: random.Random) -> str:
    month = 3 * quarter + 1
    reported = f"{year + 1}-01-15" if quarter == 4 else f"{year}-{month:02d}-10"
    share = (4 * (year - 2020) + quarter) / 12
    entries = []
    for number, (investment, operating) in enumerate(costs, 1):
        if rng.random() < 0.55:
            continue
        entries.append(
            f"  - number: {number}\n    status: en_cours\n    progress: {int(share * 90)}\n"
            f"    spent: {{investment: {int(investment * share * 0.8)}, operating: {int(operating * share * 0.8)}}}\n"
            f"    milestones:\n      - {{date: {year}-{3 * quarter - 1:02d}-15, label: {text(rng, 4)[:-1]}, "
            "done: true}\n"
            f"    comment: {text(rng, 5)}"
        )
    return f"quarter: {year}-Q{quarter}\nreported_on: {reported}\nactions:\n" + "\n".join(entries) + "\n"


def generate(out: Path, scale: int = 1, contracts: int = 183, actions: int = 35, defects: bool = True) -> int:
    if out.exists():
        shutil.rmtree(out)
    rng = random.Random(2021)
    files = 0
    for c in range(contracts * scale):
        cid = f"ti-{c:04d}"
        root = out / "data" / "contracts" / cid
        (root / "actions").mkdir(parents=True)
        (root / "progress").mkdir()
        (root / "contract.yaml").write_text(contract_yaml(cid, rng), encoding="utf-8")
        costs = []
        for n in range(1, actions + 1):
            body, investment, operating = action_yaml(n, rng, planted=defects and (c * actions + n) % 100 == 0)
            (root / "actions" / f"{n:02d}-action.yaml").write_text(body, encoding="utf-8")
            costs.append((investment, operating))
        for year in (2020, 2021, 2022):
            for quarter in (1, 2, 3, 4):
                (root / "progress" / f"{year}-Q{quarter}.yaml").write_text(
                    progress_yaml(year, quarter, costs, rng), encoding="utf-8"
                )
        files += 1 + actions + 12
    return files


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--clean", action="store_true", help="no planted defects (for ti totals --all)")
    args = parser.parse_args()
    count = generate(args.out, args.scale, defects=not args.clean)
    print(f"{count} files in {args.out}")
