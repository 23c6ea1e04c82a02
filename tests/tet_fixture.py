"""A workbook in Territoires en Transitions' import template (``modele-import-pa.xlsx``, one row per fiche),
made with openpyxl from the columns listed in SPEC §16's reference (territoires-en-transitions.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

# The template's headers in its order, spelled as a recent version writes them (hints in parentheses).
HEADERS = [
    "Axe (x)",
    "Sous-axe (x.x)",
    "Sous-sous-axe (x.x.x)",
    "Titre de la fiche action",
    "Sous-action",
    "Descriptif",
    "Instances de gouvernance",
    "Objectifs",
    "Indicateurs liés",
    "Structure pilote",
    "Moyens humains et techniques",
    "Partenaires",
    "Service-département-pôle pilote",
    "Personne pilote",
    "Élu·e référent·e",
    "Participation citoyenne",
    "Financements",
    "Financeur 1",
    "Montant € HT",
    "Financeur 2",
    "Montant € HT",
    "Financeur 3",
    "Montant € HT",
    "Budget prévisionnel total € HT",
    "Statut",
    "Niveau de priorité",
    "Date de début (JJ/MM/AAAA)",
    "Date de fin provisoire (JJ/MM/AAAA)",
    "Action en amélioration continue",
    "Calendrier",
    "Actions liées",
    "Fiches des plans liées",
    "Notes complémentaires",
    "Documents et liens",
]

# Three fiches of a plan typed into TeT, for the phase-2 sample (financers named as TeT users write them).
FICHES: list[dict[str, Any]] = [
    {
        "Axe (x)": "1 - Foncier et immobilier d'entreprise",
        "Sous-axe (x.x)": "1.1 Requalifier les zones d'activités",
        "Titre de la fiche action": "Requalification de la zone des Soeurs",
        "Descriptif": "Reprise des voiries et des réseaux de la zone.\nSignalétique commune.",
        "Objectifs": "Accueillir 5 entreprises",
        "Structure pilote": "CARO",
        "Partenaires": "CCI Charente-Maritime",
        "Financeur 1": "etat",
        "Montant € HT": 300000,
        "Financeur 2": "Region Nouvelle Aquitaine",
        "Budget prévisionnel total € HT": 1200000,
        "Statut": "En retard",
        "Niveau de priorité": "Élevé",
        "Date de début (JJ/MM/AAAA)": "01/03/2026",
        "Date de fin provisoire (JJ/MM/AAAA)": dt.datetime(2027, 6, 30),
        "Indicateurs liés": "Surface requalifiée",
    },
    {
        "Axe (x)": "2 - Compétences",
        "Titre de la fiche action": "Forum des métiers de l'industrie",
        "Structure pilote": "CARA",
        "Financeur 1": "CARA",
        "Montant € HT": 15000.5,
        "Budget prévisionnel total € HT": "40 000 €",
        "Statut": "À venir",
    },
    {
        "Axe (x)": "2 - Compétences",
        "Titre de la fiche action": "Étude des besoins en recrutement",
        "Statut": "Réalisé",
    },
]


def tet_workbook(path: str | Path, fiches: list[dict[str, Any]], headers: list[str] | None = None) -> Path:
    """``fiches`` as rows under ``headers`` (the template's by default); a value is keyed by its header,
    the n-th « Montant € HT » by ``"Montant € HT"`` after « Financeur n » (``"Montant € HT 2"``, ``… 3``)."""
    from openpyxl import Workbook

    headers = headers or HEADERS
    book = Workbook()
    ws = book.active
    ws.title = "Plan d'action"
    ws.append(headers)
    for fiche in fiches:
        row, amounts = [], 0
        for header in headers:
            if header == "Montant € HT":
                amounts += 1
                row.append(fiche.get("Montant € HT" if amounts == 1 else f"Montant € HT {amounts}"))
            else:
                row.append(fiche.get(header))
        ws.append(row)
    book.save(path)
    return Path(path)
