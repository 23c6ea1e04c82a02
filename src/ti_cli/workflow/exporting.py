"""``ti export projets``: every action as a row of the « schéma commun des projets de collectivités »
(SPEC §16), the Table Schema Territoires en Transitions and Mon Espace Collectivité exchange projects in.

The schema ships with ti (``templates/interop/schema_projets/``, Licence Ouverte 2.0). Each row is built
from the mapping of SPEC §16, then checked against the schema's own constraints (required, type, format,
pattern, enum) and the SIRET's Luhn key: a row that would be rejected is not written but named with its
field and the reason, so that what is written is what the receiving tool will read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ti_cli.compute.progress import late_at
from ti_cli.compute.totals import latest_statuses
from ti_cli.i18n import _
from ti_cli.loading.bundle import ContractBundle
from ti_cli.model.progress import Status
from ti_cli.resources import builtin
from ti_cli.vcs.dates import commit_dates, iso_utc

SCHEMA = "interop/schema_projets/schema.json"
PROGRAMME = "Territoires d'industrie"
# SPEC §16: the latest progress status → (phase, phaseStatut) of the schema.
PHASES = {
    Status.a_lancer: ("Étude", "En cours"),
    Status.en_cours: ("Opération", "En cours"),
    Status.suspendu: ("Opération", "En pause"),
    Status.termine: ("Opération", "Terminé"),
    Status.abandonne: ("Opération", "Abandonné"),
}
LATE = "En retard"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)


@cache
def schema() -> dict[str, Any]:
    """The schéma commun as published (v0.1.0)."""
    data: dict[str, Any] = json.loads(builtin(SCHEMA).read_text(encoding="utf-8"))
    return data


def columns() -> list[str]:
    return [f["name"] for f in schema()["fields"]]


def project_id(contract: str, number: int) -> str:
    """Stable across exports and machines: a UUID 5 of the contract id and the action number."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ti:{contract}:{number}"))


def whole_euros(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Problem:
    """A row the schema would reject: which action, which field, why."""

    contract: str
    number: int
    file: Path
    field: str
    reason: str


@dataclass
class Export:
    rows: list[dict[str, Any]] = field(default_factory=list)  # values as the schema types them (arrays as lists)
    problems: list[Problem] = field(default_factory=list)


def export_projects(bundles: Iterable[ContractBundle], day: dt.date) -> Export:
    """One row per action of every contract, the rows the schema would reject set apart."""
    done = Export()
    for bundle in bundles:
        contract = bundle.contract.model
        if contract is None:
            continue
        sources = bundle.valid_actions()
        reports = [p for _source, p in bundle.valid_progress()]
        statuses = latest_statuses(r for r in reports if r.reported_on <= day)  # as known on ``day``
        late = late_at([a for _s, a in sources], reports, day)
        dates = commit_dates(bundle.root / "actions", [s.path for s, _a in sources])
        sirens = {p.id: p.siren for p in contract.parties if p.siren}
        for src, action in sources:
            created, updated = dates[src.path]
            phase, phase_status = PHASES[statuses.get(action.number, Status.a_lancer)]
            if action.number in late:
                phase_status = LATE
            row: dict[str, Any] = dict.fromkeys(columns())
            row.update(
                id=project_id(contract.id, action.number),
                createdAt=iso_utc(created),
                updatedAt=iso_utc(updated),
                nom=action.title,
                description=(action.description or "").strip() or None,
                budgetPrevisionnel=whole_euros(action.total) if action.cost is not None else None,
                dateDebutPrevisionnelle=action.planned_start.isoformat() if action.planned_start else None,
                phase=phase,
                phaseStatut=phase_status,
                programme=PROGRAMME,
                porteurCodeSiret=action.owner_siret,
                collectiviteIds=[sirens[p] for p in action.owner_parties if p in sirens] or None,
            )
            wrong = check_row(row)
            if wrong:
                done.problems += [Problem(contract.id, action.number, src.path, f, reason) for f, reason in wrong]
            else:
                done.rows.append(row)
    return done


def check_row(row: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, reason) for every value the schema's constraints refuse, plus a SIRET's Luhn key."""
    from ti_cli.rules.pacte import luhn_ok

    wrong: list[tuple[str, str]] = []
    for spec in schema()["fields"]:
        name, value = spec["name"], row.get(spec["name"])
        constraints = spec.get("constraints", {})
        if value is None or value == "" or value == []:
            if constraints.get("required"):
                wrong.append((name, _("required, and empty")))
            continue
        values = value if spec["type"] == "array" else [value]
        for item in values:
            text = str(item)
            if spec["type"] == "integer" and not isinstance(item, int):
                wrong.append((name, _("'{value}' is not a whole number").format(value=text)))
            if spec.get("format") == "uuid" and not UUID.match(text):
                wrong.append((name, _("'{value}' is not a UUID").format(value=text)))
            if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
                wrong.append(
                    (name, _("'{value}' does not match {pattern}").format(value=text, pattern=constraints["pattern"]))
                )
            if "enum" in constraints and item not in constraints["enum"]:
                wrong.append(
                    (
                        name,
                        _("'{value}' is not one of: {choices}").format(
                            value=text, choices=", ".join(constraints["enum"])
                        ),
                    )
                )
        if name == "porteurCodeSiret" and re.fullmatch(r"\d{14}", str(value)) and not luhn_ok(str(value)):
            wrong.append((name, _("SIRET {siret} fails its Luhn key (a digit is wrong)").format(siret=value)))
    return wrong


def cell(value: Any) -> str:
    """A CSV cell as the schema's valid example writes it: arrays as JSON lists, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def as_csv(rows: list[dict[str, Any]]) -> str:
    """UTF-8, comma-separated, the schema's columns in its order, a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns())
    for row in rows:
        writer.writerow([cell(row[c]) for c in columns()])
    return out.getvalue()


def as_json(rows: list[dict[str, Any]]) -> str:
    """A JSON list of objects, absent values left out, arrays as lists."""
    items = [{k: v for k, v in row.items() if v is not None} for row in rows]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
