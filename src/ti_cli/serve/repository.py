"""The data repository as ``ti serve`` reads it: every request looks at the files again, nothing is held
over a changed byte.

Each contract or pacte is keyed by ``cache.key`` — the hash of its files' bytes, ti's own code and the
date — so an edit shows on the next page load without a restart, while an unchanged bundle costs one
listing of its folder (``stamp``: sizes, times, inodes; the files are read and hashed again when one
changed): its loaded models and findings stay in memory (a few bundles), its one-line
summary for the home page in memory and in the validation cache (so the national portfolio's home page is
quick from the second start on). Loading and checking are ``load_contract`` / ``check_contract``, the
same functions as ``ti validate``; the figures are ``compute.totals``, the same as ``ti totals``.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from decimal import Decimal
from pathlib import Path
from typing import Any

from ti_cli.cache import Cache, key
from ti_cli.loading.bundle import ContractBundle, PacteBundle, bundle_files
from ti_cli.rules import Context
from ti_cli.workflow.checked import Checked, checked

KEPT = 8  # loaded bundles kept in memory: the ones being clicked through


Loaded = Checked  # what a page is given: the bundle and its findings (workflow.checked)


def find_root(path: Path) -> Path | None:
    """The folder holding ``contracts/`` and ``pactes/``: PATH itself, or PATH/data (a repository's root)."""
    for candidate in (path, path / "data"):
        if (candidate / "contracts").is_dir() or (candidate / "pactes").is_dir():
            return candidate
    return None


class Repository:
    def __init__(self, root: Path, as_of: dt.date | None = None, cache: Cache | None = None) -> None:
        self.root = root
        self.fixed_day = as_of
        self.cache = cache if cache is not None else Cache()
        self._loaded: OrderedDict[str, Loaded] = OrderedDict()
        self._summaries: dict[str, dict[str, Any]] = {}
        self._keys: dict[tuple[str, Path], tuple[Any, str]] = {}
        self._lock = threading.Lock()

    @property
    def today(self) -> dt.date:
        return self.fixed_day or dt.date.today()

    def context(self) -> Context:
        return Context(self.today)

    # -- what is there --------------------------------------------------------------------------------

    def contract_ids(self) -> list[str]:
        return self._ids("contracts", "contract.yaml")

    def pacte_ids(self) -> list[str]:
        return self._ids("pactes", "pacte.yaml")

    def _ids(self, folder: str, main: str) -> list[str]:
        """The bundles under ``folder``; a folder or file linked from outside the data is not one of them
        (nothing outside the data repository is ever served)."""
        base = self.root.resolve()
        found = (self.root / folder).glob(f"*/{main}")
        return sorted(p.parent.name for p in found if p.resolve().is_relative_to(base))

    def contract_root(self, contract_id: str) -> Path | None:
        """The folder of a contract named in a URL; only a listed one (no path ever built from the URL)."""
        return self.root / "contracts" / contract_id if contract_id in self.contract_ids() else None

    def pacte_root(self, pacte_id: str) -> Path | None:
        return self.root / "pactes" / pacte_id if pacte_id in self.pacte_ids() else None

    # -- loaded and checked, by content ---------------------------------------------------------------

    def _key(self, kind: str, root: Path) -> str:
        """The bundle's content key. Reading and hashing every file of the national portfolio at each
        page (8 800 files) is most of a home page's time: when no file of the folder changed its size,
        time or inode since the last key — and none was written in the last seconds, where a clock tick
        could hide a second write (git's « racy » case) — the last key stands."""
        from ti_cli.i18n import language

        signature = (stamp(root), self.today, language())
        with self._lock:
            known = self._keys.get((kind, root))
        if known is not None and signature[0] is not None and known[0] == signature:
            return known[1]
        made = key(f"serve:{kind}", bundle_files(kind, root), str(root), self.today.isoformat())
        with self._lock:
            self._keys[(kind, root)] = (signature, made)
        return made

    def contract(self, contract_id: str) -> Loaded | None:
        root = self.contract_root(contract_id)
        return None if root is None else self._load("contract", root)

    def pacte(self, pacte_id: str) -> Loaded | None:
        root = self.pacte_root(pacte_id)
        return None if root is None else self._load("pacte", root)

    def _load(self, kind: str, root: Path) -> Loaded:
        name = self._key(kind, root)
        with self._lock:
            if name in self._loaded:
                self._loaded.move_to_end(name)
                return self._loaded[name]
        loaded = load_and_check(kind, root, self.context())
        with self._lock:
            self._loaded[name] = loaded
            while len(self._loaded) > KEPT:
                self._loaded.popitem(last=False)
        return loaded

    # -- one line per bundle for the home page --------------------------------------------------------

    def summaries(self, kind: str) -> list[dict[str, Any]]:
        """The home page's line of every contract (``kind="contract"``) or pacte, cached by content;
        what is not cached is computed over the machine's cores (the national portfolio at first start)."""
        from ti_cli.rules.engine import parallel_map

        ids = self.contract_ids() if kind == "contract" else self.pacte_ids()
        folder = self.root / ("contracts" if kind == "contract" else "pactes")
        keys = {i: self._key(kind, folder / i) for i in ids}
        found: dict[str, dict[str, Any]] = {}
        for i, name in keys.items():
            stored = self._summaries.get(name) or self.cache.get(name)
            if isinstance(stored, dict):
                found[i] = stored
        todo = [i for i in ids if i not in found]
        for i, made in zip(
            todo, parallel_map(summarise, [(kind, folder / i, self.context()) for i in todo]), strict=True
        ):
            found[i] = made
            self.cache.put(keys[i], made)
        for i, name in keys.items():
            self._summaries[name] = found[i]
        return [found[i] for i in ids]


RACY_NS = 3_000_000_000  # a file written this recently is read again whatever its stamp says


def stamp(root: Path) -> tuple[tuple[str, int, int, int], ...] | None:
    """(name, size, mtime, inode) of every entry of the bundle's folder and its subfolders (one level:
    where its data files are); None when one was written in the last seconds, or cannot be read."""
    import os
    import time

    entries: list[tuple[str, int, int, int]] = []
    recent = time.time_ns() - RACY_NS
    try:
        folders = [root]
        while folders:
            folder = folders.pop()
            with os.scandir(folder) as listing:
                for entry in listing:
                    try:
                        info = entry.stat()
                    except OSError:
                        entries.append((entry.path, -1, -1, -1))
                        continue
                    if info.st_mtime_ns > recent or info.st_ctime_ns > recent:
                        return None
                    entries.append((entry.path, info.st_size, info.st_mtime_ns, info.st_ino))
                    if folder == root and entry.is_dir() and not entry.name.startswith("."):
                        folders.append(Path(entry.path))
    except OSError:
        return None
    return tuple(sorted(entries))


def load_and_check(kind: str, root: Path, context: Context) -> Loaded:
    return checked(kind, root, context)


CONTRACT_KEYS = ("region", "programme", "search", "actions", "total", "secured", "to_find", "last_quarter")
PACTE_KEYS = ("members", "overdue")


def summarise(task: tuple[str, Path, Context]) -> dict[str, Any]:
    """One bundle's home-page line, JSON-able (amounts as strings: it is cached as JSON)."""
    kind, root, context = task
    loaded = load_and_check(kind, root, context)
    line: dict[str, Any] = {"id": root.name, "title": root.name, "errors": loaded.errors, "warnings": loaded.warnings}
    # Every key present (None when the bundle has errors): the page shows a dash, not a crash.
    line.update(dict.fromkeys(CONTRACT_KEYS if kind == "contract" else PACTE_KEYS))
    if kind == "contract":
        line.update(contract_line(loaded))
    else:
        line.update(pacte_line(loaded, context.as_of))
    return line


def contract_line(loaded: Loaded) -> dict[str, Any]:
    from ti_cli.compute.progress import latest_quarter
    from ti_cli.compute.totals import contract_totals

    bundle: ContractBundle = loaded.bundle
    contract = bundle.contract.model
    if contract is None:
        return {}
    if loaded.errors:  # no figure on broken data, but the row still says which territory it is
        return {
            "title": contract.title,
            "region": contract.region,
            "programme": contract.programme.value,
            "search": search_text(contract, bundle.action_models()),
        }
    totals = contract_totals(contract, bundle.action_models())
    return {
        "title": contract.title,
        "region": contract.region,
        "programme": contract.programme.value,
        # what the home page's search looks through: the territory, its EPCI (parties) and its actions
        "search": search_text(contract, bundle.action_models()),
        "actions": totals.actions,
        "total": str(totals.total),
        "secured": str(totals.secured),
        "to_find": str(totals.to_find),
        "last_quarter": latest_quarter([p for _, p in bundle.valid_progress()]),
    }


def pacte_line(loaded: Loaded, day: dt.date) -> dict[str, Any]:
    from ti_cli.compute.pacte import pacte_status

    bundle: PacteBundle = loaded.bundle
    pacte = bundle.pacte.model
    if pacte is None:
        return {}
    if loaded.errors:
        return {"title": pacte.title}
    status = pacte_status(pacte, bundle.loaded_members(), day)
    return {"title": pacte.title, "members": len(status.current), "overdue": len(status.overdue)}


def search_text(contract: Any, actions: list[Any]) -> str:
    """The words a search of the home page matches, folded (case and accents)."""
    words = [contract.id, contract.title, contract.region or "", *(p.name for p in contract.parties)]
    words += [a.title for a in actions]
    return fold(" ".join(words))


def fold(text: str) -> str:
    """``Île-d'Oléron`` → ``ile-d'oleron``: what a search compares, so that accents and case never miss."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def amount(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)
