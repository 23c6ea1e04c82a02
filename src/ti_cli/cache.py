"""A content-addressed cache of validation results in ``.ti-cache/`` (safe to delete at any time).

A key is a hash of everything a result depends on: the bytes of every file of a bundle and their
paths, the code of ``ti`` itself (so a new version or a changed rule never reads an old result),
the current directory (findings carry display paths) and, for date-dependent bundles, the date.
A changed file changes the key: a cached result is never trusted over a file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import ti_cli
from ti_cli.usage import regular_file

DEFAULT_DIR = ".ti-cache"


def cache_dir() -> Path:
    return Path(os.environ.get("TI_CACHE_DIR", DEFAULT_DIR))


@functools.cache
def code_fingerprint() -> str:
    """Hash of ti's own source (models, rules, loader) and of its compiled message catalogs."""
    digest = hashlib.blake2b(ti_cli.__version__.encode(), digest_size=16)
    package = Path(ti_cli.__file__).parent
    for source in sorted([*package.rglob("*.py"), *package.rglob("*.mo")]):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def key(namespace: str, files: list[Path], *extra: str) -> str:
    digest = hashlib.blake2b(digest_size=20)
    from ti_cli.i18n import language  # findings hold their messages: one entry per language

    for part in (namespace, code_fingerprint(), language(), os.getcwd(), *extra):
        digest.update(part.encode() + b"\0")
    for file in files:
        digest.update(str(file).encode() + b"\0")
        try:
            if not regular_file(file):  # a FIFO or a device is never read (the loader reports it)
                raise OSError(file)
            digest.update(file.read_bytes())
        except OSError:
            digest.update(b"\0unreadable\0")
    return digest.hexdigest()


def _checksum(name: str, value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.blake2b(f"{name}\0{text}".encode(), digest_size=16).hexdigest()


class Cache:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or cache_dir()

    def _path(self, name: str) -> Path:
        return self.folder / name[:2] / f"{name}.json"

    def get(self, name: str) -> Any | None:
        """The value stored under ``name``, or None (a miss) for anything that is not exactly an entry
        ``put`` wrote for this name: a truncated, edited or swapped file is recomputed, never trusted."""
        # JSON, not pickle: a cache folder committed into a data repo must not be able to run code.
        try:
            entry = json.loads(self._path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(entry, dict) or set(entry) != {"key", "sum", "value"} or entry["key"] != name:
            return None
        if entry["sum"] != _checksum(name, entry["value"]):
            return None
        return entry["value"]

    def put(self, name: str, value: Any) -> None:
        """Store a JSON-able value; failing to write only loses the speed-up."""
        target = self._path(name)
        try:
            if not self.folder.exists():
                self.folder.mkdir(parents=True)
                # like .pytest_cache: never committed by accident in the user's data repo
                (self.folder / ".gitignore").write_text("# created by ti\n*\n", encoding="utf-8")
            target.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # only when writing: it costs start-up time otherwise

            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=target.parent, delete=False, suffix=".tmp"
            ) as handle:
                json.dump({"key": name, "sum": _checksum(name, value), "value": value}, handle, ensure_ascii=False)
            os.replace(handle.name, target)
        except OSError:
            pass  # a read-only checkout still validates, only without the speed-up
