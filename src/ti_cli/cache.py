"""A content-addressed cache of validation results, outside the data repository (safe to delete).

The cache is an accelerator, never an authority: it lives in the user's own folder (``TI_CACHE_DIR``,
else ``cache/`` under ``places.user_dir()``), so it never travels with a repository into someone
else's pre-commit, and each entry is signed with a key private to this machine (HMAC): an entry
copied from elsewhere, or edited — even with its checksum recomputed — is a miss. A ``.ti-cache/``
folder left in a repository by an earlier ``ti`` is not read.

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


def cache_dir() -> Path:
    from ti_cli.places import user_dir

    return Path(os.environ["TI_CACHE_DIR"]) if os.environ.get("TI_CACHE_DIR") else user_dir() / "cache"


@functools.cache
def machine_key() -> bytes:
    """This machine's secret for signing entries, made on first use, readable by its user only."""
    from ti_cli.places import user_dir

    path = user_dir() / "cache.key"
    try:
        found = path.read_bytes()
        if len(found) == 32:
            return found
    except OSError:
        pass
    made = os.urandom(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(made)
    except OSError:
        pass  # a read-only home: entries signed with a key of this run only, i.e. no cache across runs
    return made


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
    """The entry's signature: a keyed hash (BLAKE2b's own keyed mode, an HMAC) only this machine can make."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.blake2b(f"{name}\0{text}".encode(), digest_size=16, key=machine_key()).hexdigest()


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
                (self.folder / ".gitignore").write_text("# created by ti\n*\n", encoding="utf-8", newline="\n")
            target.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # only when writing: it costs start-up time otherwise

            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=target.parent, delete=False, suffix=".tmp"
            ) as handle:
                json.dump({"key": name, "sum": _checksum(name, value), "value": value}, handle, ensure_ascii=False)
            os.replace(handle.name, target)
        except OSError:
            pass  # a read-only checkout still validates, only without the speed-up
