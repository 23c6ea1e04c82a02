"""Writing files: YAML data files round-trip (comments, key order and flow style survive), and every
``--output`` through ``write_output``, which never replaces a file ``ti`` did not write.

Every command that writes a data file goes through ``dump_yaml`` and ``write_atomic``; every report,
document, spreadsheet or findings file goes through ``write_output``. The settings
are those that write the project's canonical files back byte-identical (NOTES-yaml.md): width 4096,
indent mapping 2 / sequence 4 / offset 2, quotes preserved. Amounts are ``Decimal`` in ``ti``; they
are written as plain YAML numbers (``16753500``, ``11593.50``), never through a binary float.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
import time
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

from ti_cli.i18n import _

MODELINE = "# yaml-language-server: $schema="


def _represent_decimal(representer: Any, value: Decimal) -> Any:
    if value == value.to_integral_value():
        return representer.represent_scalar("tag:yaml.org,2002:int", str(int(value)))
    return representer.represent_scalar("tag:yaml.org,2002:float", f"{value:f}")


def _represent_none(representer: Any, _: None) -> Any:
    # ruamel writes a null mapping value as nothing at all (``comment:``); files here spell it ``null``.
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def yaml_rt() -> Any:
    """A ruamel.yaml round-trip instance with the project's canonical layout."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, _represent_decimal)
    yaml.representer.add_representer(type(None), _represent_none)
    return yaml


def load_rt(text: str) -> Any:
    """Text to ruamel's commented data (for in-place edits that keep comments)."""
    return yaml_rt().load(text)


def dump_yaml(data: Any, *, schema: str | None = None) -> str:
    """``data`` as YAML text. Comments carried by ruamel data (the ``# yaml-language-server`` modeline
    among them) are kept; ``schema`` adds the modeline when the text has none (new files)."""
    out = StringIO()
    yaml_rt().dump(data, out)
    text = out.getvalue()
    if schema and not text.startswith(MODELINE):
        text = f"{MODELINE}{schema}\n{text}"
    return text


def write_output(path: Path, data: str | bytes, *, force: bool = False) -> None:
    """Write what a command produced to ``path``, which may already exist only if ``ti`` wrote it there
    and nobody changed it since (``outputs.json`` in ti's state folder holds the hash of each file
    written), so that ``-o`` can never replace a file of ``data/``, or any file of the user's, without
    ``--force``. A device, a pipe (``/dev/stdout``) is written in place, never replaced by a file."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if check_output(path, force=force) == "in place":
        _write_in_place(path, raw)
        return
    write_atomic(path, raw, force=True)
    _remember(path, raw)


def check_output(path: Path, *, force: bool = False) -> str:
    """How ``write_output`` would write ``path`` ("new", "replace", "in place"), or ``UsageProblem`` if
    it would refuse: commands call it before any work whose by-products (charts) land next to it."""
    from ti_cli.usage import UsageProblem

    if not force and (home := data_folder(path)) is not None:
        raise UsageProblem(
            _(
                "{path} is inside the data ({folder}): documents, tables and exports go elsewhere, e.g. "
                "out/ — or --force to write there anyway"
            ).format(path=path, folder=home)
        )
    try:
        mode = path.stat().st_mode
    except OSError:
        return "new"
    if stat.S_ISDIR(mode):
        raise UsageProblem(_("{path} is a folder: give --output a file name").format(path=path))
    if not stat.S_ISREG(mode) or path.stat().st_size == 0:
        # a device or pipe is written to, not replaced; an empty file (``> out.md``) has nothing to lose
        return "in place"
    if not force and not _written_by_ti(path):
        raise UsageProblem(
            _(
                "{path} already exists and ti did not write it (or it changed since): choose "
                "another file, or --force to replace it"
            ).format(path=path)
        )
    return "replace"


def data_folder(path: Path) -> Path | None:
    """The data folder ``path`` would land in — a contract or pacte folder, or a repository's ``data/`` —
    links resolved (a symlinked ``out/`` into the data counts), or None. Outputs never go there: the
    next render would read them back (a contract.md written into text/ doubled the contract)."""
    try:
        where = path.parent.resolve() if not path.is_dir() else path.resolve()
    except (OSError, RuntimeError):
        return None
    for folder in (where, *where.parents):
        if (folder / "contract.yaml").is_file() or (folder / "pacte.yaml").is_file():
            return folder
        if folder.name == "data" and ((folder / "contracts").is_dir() or (folder / "pactes").is_dir()):
            return folder
    return None


def _write_in_place(path: Path, raw: bytes) -> None:
    from ti_cli.usage import UsageProblem, os_problem

    try:
        with open(path, "wb") as handle:
            handle.write(raw)
    except OSError as exc:
        reason = os_problem(OSError(exc.errno, exc.strerror or str(exc)))
        raise UsageProblem(_("{path}: cannot write ({reason})").format(path=path, reason=reason)) from None


def state_dir() -> Path:
    """Where ``ti`` keeps what it must remember between runs (not in the data: the user's own folder)."""
    from ti_cli.places import user_dir

    return user_dir()


def _ledger() -> Path:
    return state_dir() / "outputs.json"


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _load_ledger() -> dict[str, str]:
    try:
        value = json.loads(_ledger().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return (
        {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(value, dict) else {}
    )


def _written_by_ti(path: Path) -> bool:
    try:
        return _load_ledger().get(_ledger_key(path)) == _digest(path.read_bytes())
    except OSError:
        return False


def _ledger_key(path: Path) -> str:
    # Windows and macOS names are case-insensitive: one file, one key, however it was spelt.
    return os.path.normcase(str(path.resolve()))


def _remember(path: Path, raw: bytes) -> None:
    """Record ``path`` as written by ti; failing only means the next run asks for --force."""
    ledger = _load_ledger()
    ledger[_ledger_key(path)] = _digest(raw)
    if len(ledger) > 10_000:  # keep the newest: dicts keep insertion order
        ledger = dict(list(ledger.items())[-10_000:])
    try:
        target = _ledger()
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".outputs.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(ledger, handle)
        replace(tmp, target)
    except OSError:
        pass


def write_atomic(path: Path, text: str | bytes, *, force: bool = False) -> None:
    """Write ``text`` (UTF-8, ``\n`` line ends on every OS: the file is written in binary, never through
    Windows' newline translation; or bytes as they are) to ``path`` all at once: a temporary
        file in the same folder, then a rename, so that a reader never sees half a file. An existing file
        is only replaced with ``force``."""
    from ti_cli.usage import UsageProblem, os_problem

    path = Path(path)
    if path.exists() and not force:
        raise UsageProblem(_("{path} already exists: use --force to overwrite it").format(path=path))
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):  # never replace a device, a pipe or a folder
        raise UsageProblem(_("{path} is not an ordinary file: ti does not replace it").format(path=path))
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        tmp = Path(tmp_name)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        # Keep the permissions of the file replaced (on Windows only its read-only bit exists).
        os.chmod(tmp, mode & 0o7777 if mode is not None else 0o666 & ~_umask())
        if force:
            replace(tmp, path)
        else:
            # A hard link never replaces an existing file: no window between "exists?" and the write.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise UsageProblem(_("{path} already exists: use --force to overwrite it").format(path=path)) from None
            except OSError:  # a file system without hard links (FAT, some network shares)
                replace(tmp, path)
    except OSError as exc:  # read-only folder, full disk, a file held open on Windows
        reason = os_problem(OSError(exc.errno, exc.strerror or str(exc)))
        raise UsageProblem(_("{path}: cannot write ({reason})").format(path=path, reason=reason)) from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


REPLACE_ATTEMPTS = 5


def replace(source: str | Path, target: Path) -> None:
    """``os.replace``, atomic on every OS. On Windows a file that an editor, an indexer or an antivirus
    holds open for a moment refuses to be replaced (PermissionError): tried again a few times, briefly."""
    for attempt in range(REPLACE_ATTEMPTS):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if sys.platform != "win32" or attempt == REPLACE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * 2**attempt)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
