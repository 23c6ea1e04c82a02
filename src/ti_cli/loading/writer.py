"""Writing YAML files back: round-trip (comments, key order and flow style survive) and atomic.

Every command that writes a data file goes through ``dump_yaml`` and ``write_atomic``. The settings
are those that write the project's canonical files back byte-identical (NOTES-yaml.md): width 4096,
indent mapping 2 / sequence 4 / offset 2, quotes preserved. Amounts are ``Decimal`` in ``ti``; they
are written as plain YAML numbers (``16753500``, ``11593.50``), never through a binary float.
"""

from __future__ import annotations

import os
import tempfile
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

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


def write_atomic(path: Path, text: str | bytes, *, force: bool = False) -> None:
    """Write ``text`` (UTF-8, ``\n`` line ends; or bytes as they are) to ``path`` all at once: a temporary
    file in the same folder, then a rename, so that a reader never sees half a file. An existing file
    is only replaced with ``force``."""
    from ti_cli.cli.common import UsageProblem

    path = Path(path)
    if path.exists() and not force:
        raise UsageProblem(f"{path} already exists: use --force to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        if force:
            os.replace(tmp, path)
        else:
            # A hard link never replaces an existing file: no window between "exists?" and the write.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise UsageProblem(f"{path} already exists: use --force to overwrite it") from None
            except OSError:  # a file system without hard links
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
