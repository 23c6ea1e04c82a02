"""The programme Territoires d'industrie as data: its phases, their axes, dispositifs and indicators.

One place that models, rules, totals, documents, schemas and ``ti init`` read (SPEC §10). Phase 1
(``ti-2019``, contracts of 2019-2022) had four axes; phase 2 (``ti-2023``, the 183 territories labelled
in November 2023 for 2023-2027) has four new ones, in the order of the ANCT's presentation.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PROGRAMME = "ti-2019"
PHASE_2 = "ti-2023"
# The axis a carried-over action holds until the chef de projet chooses one (``ti new plan --from``).
AXIS_TO_CHOOSE = "A_CHOISIR"


@dataclass(frozen=True)
class AxisDef:
    code: str
    label: str


@dataclass(frozen=True)
class Programme:
    code: str
    label: str
    axes: tuple[AxisDef, ...]
    years: tuple[int, int]  # the phase's first and last year: a new contract's period by default

    def axis_codes(self) -> tuple[str, ...]:
        return tuple(a.code for a in self.axes)

    def axis_label(self, code: str) -> str:
        return next((a.label for a in self.axes if a.code == code), axis_label(code))


PROGRAMMES: dict[str, Programme] = {
    "ti-2019": Programme(
        "ti-2019",
        "Territoires d'industrie, phase 1 (2019-2022)",
        (
            AxisDef("ATTIRER", "Attirer"),
            AxisDef("RECRUTER", "Recruter"),
            AxisDef("INNOVER", "Innover"),
            AxisDef("SIMPLIFIER", "Simplifier"),
        ),
        (2019, 2022),
    ),
    "ti-2023": Programme(
        "ti-2023",
        "Territoires d'industrie, phase 2 (2023-2027)",
        (
            AxisDef("TRANSITION", "Accélérer la transition écologique et énergétique"),
            AxisDef("INNOVATION", "Faire des territoires des écosystèmes d'innovation"),
            AxisDef("COMPETENCES", "Lever les freins au recrutement, compétences et attractivité"),
            AxisDef("FONCIER", "Mobiliser un foncier industriel adapté"),
        ),
        (2023, 2027),
    ),
}

ALL_AXES: tuple[str, ...] = tuple(a.code for p in PROGRAMMES.values() for a in p.axes)


def axis_label(code: str) -> str:
    """The label of an axis of any programme (the code itself when unknown)."""
    if code == AXIS_TO_CHOOSE:
        return "Axe à choisir"
    return next((a.label for p in PROGRAMMES.values() for a in p.axes if a.code == code), code)


def programme(code: str | None) -> Programme:
    return PROGRAMMES[code or DEFAULT_PROGRAMME]


# Financing stages of a phase-2 line, in their order (SPEC §10); refusé counts in no sum.
STAGES: tuple[tuple[str, str], ...] = (
    ("sollicite", "Sollicité"),
    ("obtenu", "Obtenu"),
    ("engage", "Engagé"),
    ("verse", "Versé"),
    ("refuse", "Refusé"),
)
SECURED_STAGES = frozenset({"obtenu", "engage", "verse"})

# The words of the programme, once (SPEC §14), as documents, the spreadsheet and the JSON labels print
# them (French; the terminal's words in the chosen language are output/figures.WORDS, tested equal).
CATEGORY_LABELS: dict[str, str] = {"structurante": "Structurante", "amorcage": "Amorçage"}
STATUS_LABELS: dict[str, str] = {
    "a_lancer": "À lancer",
    "en_cours": "En cours",
    "termine": "Terminé",
    "suspendu": "Suspendu",
    "abandonne": "Abandonné",
}
ELIGIBILITY_LABELS: dict[str, str] = {"validee": "validée", "a_confirmer": "à confirmer"}  # phase 1 only
STAGE_LABELS: dict[str, str] = dict(STAGES)  # phase 2 only
DECISION_KIND_LABELS: dict[str, str] = {
    "ajout": "ajout au plan",
    "retrait": "retrait du plan",
    "modification": "modification",
    "validation": "validation",
    "avis-fonds-vert": "avis sur le Fonds vert",
    "autre": "autre décision",
}
BODY_LABELS: dict[str, str] = {
    "copil-local": "comité de pilotage local",
    "copil-regional": "comité de pilotage régional",
    "comite-de-projets": "comité de projets",
    "autre": "autre instance",
}

# Dispositifs known to every plan; a contract may declare its own in ``dispositifs:``.
DISPOSITIFS: dict[str, str] = {
    "fonds-vert-ti": "Fonds vert axe 3 « Territoires d'industrie en transition écologique »",
    "fnadt": "FNADT",
    "detr": "DETR",
    "dsil": "DSIL",
    "france-2030": "France 2030",
    "feder": "FEDER",
    "autre": "Autre dispositif",
}
FONDS_VERT_TI = "fonds-vert-ti"
# The volets of the dispositifs that have them, 1..n (a line's ``volet`` is checked against it, TI129):
# Fonds vert axe 3 has three (structuring industrial investment, and the two others of its 2024 notice).
VOLETS: dict[str, int] = {FONDS_VERT_TI: 3}


@dataclass(frozen=True)
class IndicatorDef:
    id: str
    title: str
    unit: str


INDICATORS: dict[str, IndicatorDef] = {
    i.id: i
    for i in (
        IndicatorDef("emplois-crees", "Emplois créés", "ETP"),
        IndicatorDef("emplois-maintenus", "Emplois maintenus", "ETP"),
        IndicatorDef("investissement-industriel", "Investissement industriel réalisé", "€"),
        IndicatorDef("foncier-mobilise", "Foncier industriel mobilisé", "ha"),
        IndicatorDef("friches-requalifiees", "Friches requalifiées", "ha"),
        IndicatorDef("artificialisation-evitee", "Artificialisation évitée", "ha"),
        IndicatorDef("personnes-formees", "Personnes formées", "personnes"),
        IndicatorDef("emissions-evitees", "Émissions de GES évitées", "tCO2e/an"),
        IndicatorDef("entreprises-accompagnees", "Entreprises accompagnées", "entreprises"),
    )
}
