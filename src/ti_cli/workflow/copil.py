"""``ti report copil``: the deck of the next comité de pilotage (SPEC §15), made the same way for the
command and for ``ti serve``.

Here the deck gets what ``render.deck`` cannot reach from its layer: the changes since the last meeting
(git, through ``vcs``) and the decisions to take — exactly what ``ti decisions draft`` proposes
(``output.decisions.proposals`` on the same ``compute.diff``), or, for a phase-1 contract, the articles of
the next avenant (``ti avenant``'s own change list and COPIL reasons) — and the programme's indicators and
calendar (``compute.indicators``, ``compute.calendar``).

Which version the changes are counted from (``--since``, a git revision), by default:

- phase 2: the last commit that recorded a meeting held in the contract's ``decisions/`` (a relevé added
  or adopted — a draft relevé, ``draft: true``, is a meeting still to hold);
- phase 1: the last commit that added an avenant to ``contract.yaml`` (its ``amendments:`` grew);
- failing that, the commit that first recorded the contract.

Outside git, or when that version does not load cleanly, the deck is still made: its « évolutions »
slide says why it shows none. A ``--since`` given by the user that git does not know is a usage error.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from ti_cli import french
from ti_cli.i18n import in_french
from ti_cli.loading.bundle import ContractBundle
from ti_cli.model.programme import DECISION_KIND_LABELS
from ti_cli.render import deck as d
from ti_cli.vcs.git import GitProblem, Repo

PHASE1_KINDS = {"ajout": "ajout au contrat", "retrait": "retrait du contrat", "modification": "modification"}
HISTORY = 200  # commits of contract.yaml looked through for the last avenant


def _log(repo: Repo, *args: str) -> list[str]:
    return repo.run("log", "--format=%H", *args).decode("ascii").split()


def default_since(bundle: ContractBundle) -> str | None:
    """The commit the changes are counted from (the module's docstring); None when git has no commit
    of the contract."""
    from ti_cli.loading.source import load
    from ti_cli.model import Contract

    repo = Repo.containing(bundle.root)
    folder = repo.relative(bundle.root)
    contract = bundle.contract.model
    assert contract is not None
    if contract.phase2:
        decisions = folder / "decisions"
        commits = _log(repo, f"-{HISTORY}", "--", str(decisions))
        held = [_held(repo, c, decisions, load) for c in commits]
        for i, commit in enumerate(commits):
            if held[i] > (held[i + 1] if i + 1 < len(held) else 0):
                return commit
    else:
        name = folder / "contract.yaml"
        commits = _log(repo, f"-{HISTORY}", "--", str(name))
        counts = [_amendments(repo, c, name, load, Contract) for c in commits]
        for i, commit in enumerate(commits):
            older = counts[i + 1] if i + 1 < len(counts) else 0
            if counts[i] > older:
                return commit
    first = _log(repo, "--diff-filter=A", "--", f"{folder}/contract.yaml")
    return first[-1] if first else None


def _held(repo: Repo, commit: str, folder: PurePosixPath, load: Any) -> int:
    """How many relevés of meetings held (not drafts) ``folder`` holds at ``commit``."""
    from ti_cli.loading.bundle import YAML_SUFFIXES
    from ti_cli.model.decision import Decisions

    try:
        names = repo.run("ls-tree", "-z", "--name-only", commit, f"{folder}/").decode("utf-8").split("\0")
    except GitProblem:
        return 0
    count = 0
    for name in names:
        if not name or PurePosixPath(name).suffix not in YAML_SUFFIXES:
            continue
        try:
            text = repo.show(commit, PurePosixPath(name)).decode("utf-8-sig")
        except (GitProblem, UnicodeDecodeError):
            continue
        source = load(Path(name), Decisions, text=text)
        count += source.model is not None and not source.model.draft
    return count


def _amendments(repo: Repo, commit: str, name: PurePosixPath, load: Any, model: Any) -> int:
    try:
        text = repo.show(commit, name).decode("utf-8-sig")
    except (GitProblem, UnicodeDecodeError):
        return 0
    source = load(Path(str(name)), model, text=text)
    return len(source.model.amendments) if source.model is not None else 0


def changes(bundle: ContractBundle, day: dt.date, since: str | None) -> d.Changes:
    """The changes since ``since`` (default: ``default_since``) and the decisions they call for."""
    from ti_cli.compute.diff import Side, diff
    from ti_cli.output.diff import version_title
    from ti_cli.rules import Context, check_contract
    from ti_cli.vcs.revision import WORKTREE, committed_at, load_contract_at

    contract = bundle.contract.model
    assert contract is not None
    try:
        ref = since or default_since(bundle)
        if ref is None:
            return d.Changes(note="Aucune version antérieure du plan dans l'historique git : rien à comparer.")
        base = load_contract_at(bundle.root, ref)
        when = committed_at(bundle.root, ref)
    except GitProblem:
        if since is not None:
            raise
        return d.Changes(
            note="Le plan n'est pas suivi dans un dépôt git : les évolutions depuis le dernier comité ne peuvent "
            "pas être établies."
        )
    errors = [f for f in check_contract(base, Context(day)) if f.severity.value == "error"]
    if errors or base.contract.model is None:
        title = f"la version du {french.date_long(when.date())}"
        return d.Changes(
            since=title,
            note=f"{title[0].upper()}{title[1:]} comporte des erreurs ({len(errors)}) : les évolutions ne "
            "peuvent pas être établies (ti validate sur cette version).",
        )
    # meetings held only: a pending draft relevé's proposals are the decisions this COPIL is to take
    before = [decision for _source, decision in base.held_decisions()]
    now = [decision for _source, decision in bundle.held_decisions()]
    title = version_title(when, day, base.contract.model, before)
    found = diff(
        Side(ref, base.contract.model, base.action_models(), title, before),
        Side(WORKTREE, contract, bundle.action_models(), version_title(None, day, contract, now), now),
    )
    return _changes(found, title)


@in_french()  # the deck is a French document, whatever the terminal's language
def _changes(found: Any, title: str) -> d.Changes:
    from ti_cli.compute.diff import Kind
    from ti_cli.output.decisions import proposals
    from ti_cli.output.diff import action_cost, copil_reasons, field_label

    contract = found.head.contract
    rows = []
    for change in found.actions:
        if change.kind is Kind.added:
            what = "ajout"
        elif change.kind is Kind.removed:
            what = "retrait"
        else:
            labels = list(dict.fromkeys(field_label(c, contract) for c in change.changes))
            what = "modification : " + ", ".join(labels[:6]) + (" …" if len(labels) > 6 else "")
        before, after = action_cost(change)
        delta = (after or 0) - (before or 0)
        rows.append(d.Change(change.number, change.action.title, what, french.signed(delta) if delta else ""))
    kinds = DECISION_KIND_LABELS if contract.phase2 else PHASE1_KINDS
    return d.Changes(
        since=title,
        changes=tuple(rows),
        proposals=tuple(d.Proposal(p.action, kinds[p.kind], p.summary) for p in proposals(found)),
        before=found.before,
        after=found.after,
        copil=() if contract.phase2 else tuple(copil_reasons(found)),
        amendment=None if contract.phase2 else found.base.contract.next_amendment,
    )


def indicators(bundle: ContractBundle, day: dt.date) -> list[d.Indicator]:
    """The programme's indicators summed across actions (``compute.indicators``: the same rows as ``ti
    totals --indicators`` and the evaluation), then the actions' own indicators, each with its action,
    never summed."""
    from ti_cli.compute.indicators import programme_indicators

    found = programme_indicators(bundle, day)
    rows = [d.Indicator(t.title, t.unit, t.target, t.value, t.actions, t.measured, t.reached) for t in found.indicators]
    rows += [
        d.Indicator(f"{i.title} (action {i.action})", i.unit, i.target, i.value, 1, int(i.value is not None), i.reached)
        for i in found.own
    ]
    return rows


def events(bundle: ContractBundle, day: dt.date) -> list[d.Event]:
    """The events of the deck's three months (``compute.calendar``: the same as ``ti calendar``)."""
    from ti_cli.compute.calendar import events as calendar_events

    start, end = d.window(day)
    return [d.Event(e.date, e.summary, e.done) for e in calendar_events(bundle, start, end)]


def deck(bundle: ContractBundle, day: dt.date, since: str | None = None) -> d.Deck:
    """The whole deck as of ``day``."""
    inputs = d.Inputs(changes(bundle, day, since), indicators(bundle, day), events(bundle, day))
    return d.build(bundle, day, inputs)


def context(made: d.Deck, figures: Any) -> dict[str, Any]:
    """What ``templates/copil.md.j2`` sees: the deck, and its charts drawn as images (Typst) for the
    handout when ``figures`` is given."""
    charts: dict[str, str] = {}
    if figures is not None:
        from ti_cli.render import charts as draw

        for slide in made.slides:
            for chart in slide.charts:
                path, charts[chart.name] = figures.path(chart.name)
                if chart.kind == "amounts":
                    draw.horizontal_bars(
                        list(chart.categories), list(chart.values), path, chart.title, list(chart.texts)
                    )
                else:
                    draw.horizontal_bars(
                        list(chart.categories),
                        list(chart.values),
                        path,
                        chart.title,
                        list(chart.texts),
                        limit=float(max([Decimal(100), *chart.values])),
                    )
    return {"deck": made, "charts": charts}
