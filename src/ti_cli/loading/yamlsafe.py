"""Safe YAML reading that keeps the line and column of every key and value.

PyYAML's C composer builds the node graph (fast, marks included); we construct plain Python values
from it ourselves so that nothing in a file can construct an object or run code: only YAML's core
tags are known, YAML floats become exact ``Decimal`` (money never passes through a binary float),
duplicate keys are errors, and resource limits (size, depth, expanded nodes) are checked before the
work they would blow up. The C composer recurses on nesting and crashes the process on very deep
documents, hence the cheap pre-scan that refuses them first.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from ti_cli.findings import Finding, LoadProblem, Severity
from ti_cli.french import count as grouped
from ti_cli.i18n import _
from ti_cli.loading.syntax import explain
from ti_cli.numbers import MAX_INTEGER_DIGITS, is_large_literal, out_of_bounds

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000
# Any document whose crude nesting estimate passes this cannot be within MAX_DEPTH; far below the
# depth (~50 000) at which libyaml-backed composers overflow the C stack.
PRESCAN_DEPTH = 1_000

CORE = "tag:yaml.org,2002:"
KNOWN_TAGS = {
    CORE + t
    for t in (
        "str",
        "int",
        "float",
        "bool",
        "null",
        "map",
        "seq",
        "timestamp",
        "merge",
        "value",
    )
}
MERGE = CORE + "merge"
STR, MAP, SEQ = CORE + "str", CORE + "map", CORE + "seq"
PLAIN = "ti:plain"

_INT = re.compile(r"^[-+]?[0-9][0-9_]*$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Path_ = tuple[str | int, ...]


class Mark(NamedTuple):
    """1-based line and column of a key and of its value (equal for sequence items and the root)."""

    key_line: int
    key_col: int
    line: int
    col: int


@dataclass
class Document:
    data: Any
    marks: dict[Path_, Mark]
    text: str
    problems: list[Finding] = field(default_factory=list)  # recoverable: the data is still usable

    def mark(self, path: Path_) -> Mark:
        """The mark of ``path``, or of its closest ancestor present in the file."""
        for end in range(len(path), -1, -1):
            found = self.marks.get(tuple(path[:end]))
            if found is not None:
                return found
        return Mark(1, 1, 1, 1)


def problem(file: Path, code: str, message: str, line: int = 1, col: int = 1) -> Finding:
    return Finding(code, Severity.error, message, file, line, col)


def _regular(path: Path) -> os.stat_result:
    """The file's status, checked before anything opens it: a FIFO would block the read, ``/dev/zero``
    would never end it, and neither is a file anyone wrote; each is an error at its path (TI008)."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        if not os.path.islink(path):
            raise
        target = os.readlink(path)
        raise LoadProblem(
            problem(path, "TI008", _("a broken link: its target {target} does not exist").format(target=target))
        ) from None
    if stat.S_ISDIR(status.st_mode):
        raise LoadProblem(
            problem(path, "TI008", _("a folder named like a data file: rename it, or move its files out of it"))
        )
    if not stat.S_ISREG(status.st_mode):
        raise LoadProblem(
            problem(
                path,
                "TI008",
                _("not a regular file (a FIFO, a device or a socket): ti reads only files, and did not open it"),
            )
        )
    if not _stays_home(path):
        raise LoadProblem(
            problem(path, "TI008", _("a link leading out of the contract or pacte folder: ti did not read it"))
        )
    return status


PARTS = ("actions", "progress", "decisions", "cost-sharing", "members")


def _stays_home(path: Path) -> bool:
    """Whether a data file, links resolved, is still inside its contract or pacte folder (nothing is
    read from outside the data; a whole repository that is itself a link is fine)."""
    home = path.parent.parent if path.parent.name in PARTS else path.parent
    try:
        return path.resolve().is_relative_to(home.resolve())
    except (OSError, RuntimeError):
        return False


def read_text(path: Path) -> str:
    """Bytes to text, refusing what is too big or not UTF-8 (a BOM is fine), and what is no regular file
    (a FIFO, a device, a folder, a broken link), which is never opened."""
    size = _regular(path).st_size
    if size > MAX_BYTES:
        raise LoadProblem(
            problem(
                path,
                "TI005",
                _("the file is {size} bytes; the limit is {limit} (5 MB)").format(
                    size=grouped(size), limit=grouped(MAX_BYTES)
                ),
            )
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadProblem(
            problem(
                path,
                "TI004",
                _("not UTF-8 text (byte 0x{byte}): save the file as UTF-8").format(byte=f"{raw[exc.start]:02x}"),
                line,
                col,
            )
        ) from None


_COMPACT = re.compile(r"^([ \t]*)((?:[-?:][ \t]+)*)", re.MULTILINE)
_DEPTH_EVENTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_END_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def nesting_estimate(text: str) -> int:
    """An upper bound of the nesting depth, cheap on ordinary files.

    Indentation alone cannot nest dangerously within 5 MB (depth n costs n² characters), so only
    compact block nesting (``- - - x``) and flow brackets are counted, and only when present.
    """
    deepest = 0
    if "- -" in text or "? " in text or "-\t" in text:
        deepest = max(len(m.group(1)) + len(m.group(2)) for m in _COMPACT.finditer(text))
    return max(deepest, text.count("[") + text.count("{"))


def too_deep(text: str) -> bool:
    """Whether the document nests deeper than ``PRESCAN_DEPTH``, before the recursive composer sees it.

    The cheap estimate settles ordinary files. Past it, the parser's own events are counted: libyaml's
    parser is a state machine (it does not recurse), so quotes, comments and block scalars are
    understood exactly as the composer will understand them, and no text can hide its brackets.
    """
    if nesting_estimate(text) <= PRESCAN_DEPTH:
        return False
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Parser):  # type: ignore[arg-type]  # a parser is all yaml.parse uses
            if isinstance(event, _DEPTH_EVENTS):
                depth += 1
                if depth > PRESCAN_DEPTH:
                    return True
            elif isinstance(event, _END_EVENTS):
                depth -= 1
    except yaml.YAMLError as exc:
        # libyaml ≥ 0.2.6 (bundled with PyYAML 6.0.4) refuses deep nesting itself: the same finding
        return libyaml_refused_depth(exc)
    return False


def libyaml_refused_depth(exc: yaml.YAMLError) -> bool:
    """Whether libyaml stopped on its own nesting limit (its English words are its only signal)."""
    return "nesting depth" in str(getattr(exc, "problem", "") or "")


class _FastResolve:
    """Tags only what the composer needs; plain scalars are typed by ``scalar`` with one cheap test.

    PyYAML's resolver tries a list of regexes on every scalar, in Python, from inside the C composer;
    deferring that to ``scalar`` (which looks at the first character first) halves composing time.
    """

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return STR
            return MERGE if value == "<<" else PLAIN
        return MAP if kind is yaml.MappingNode else SEQ

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]  # yaml.cyaml exports CParser at run time, its stubs do not
except ImportError:  # PyYAML built without libyaml: same results, pure-Python speed
    _Parser = yaml.SafeLoader  # type: ignore[assignment,misc]  # the pure-Python loader stands in for CParser


class _Loader(_FastResolve, _Parser):
    pass


def parse(path: Path, text: str) -> Document:
    """Text to a ``Document``; raises ``LoadProblem`` when nothing usable comes out."""
    if too_deep(text):
        raise LoadProblem(problem(path, "TI006", _too_deep()))
    try:
        root = yaml.compose(text, Loader=_Loader)  # type: ignore[arg-type]  # stubs list only PyYAML's own loaders
    except yaml.MarkedYAMLError as exc:
        if libyaml_refused_depth(exc):
            raise LoadProblem(problem(path, "TI006", _too_deep())) from None
        said = explain(exc, text)
        raise LoadProblem(
            Finding("TI001", Severity.error, said.message, path, said.line, said.column, said.details)
        ) from None
    except yaml.reader.ReaderError as exc:
        line, col = _where(text, exc)
        raise LoadProblem(
            problem(
                path,
                "TI001",
                _(
                    "forbidden character U+{code}: YAML does not accept control characters (a null "
                    "byte, etc.); delete it"
                ).format(code=f"{exc.character:04X}"),
                line,
                col,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise LoadProblem(problem(path, "TI001", _("YAML syntax: {problem}").format(problem=exc))) from None
    if root is None:
        raise LoadProblem(problem(path, "TI015", _("the file is empty")))
    builder = _Builder(path, text)
    data = builder.build(root, (), None, 0)
    return Document(data, builder.marks, text, builder.problems)


def _where(text: str, exc: yaml.reader.ReaderError) -> tuple[int, int]:
    """Line and column of the refused character (libyaml counts its position in bytes, not characters)."""
    at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
    if at < 0:
        return 1, 1
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _too_deep() -> str:
    return _("nesting deeper than {depth} levels").format(depth=MAX_DEPTH)


class _Builder:
    """Nodes to plain values, recording marks; an aliased node is built once and shared, while the
    count of values it stands for (once expanded) is added up, so an alias bomb is measured, not walked."""

    def __init__(self, path: Path, text: str | None = None) -> None:
        self.path = path
        self.text = text if text is not None and "\t" in text else None  # only files with tabs are looked at
        self.marks: dict[Path_, Mark] = {}
        self.problems: list[Finding] = []
        self._built: dict[int, tuple[Any, int]] = {}
        self.size = 0

    def _at(self, node: yaml.Node, code: str, message: str) -> Finding:
        return problem(self.path, code, message, node.start_mark.line + 1, node.start_mark.column + 1)

    def _check_tag(self, node: yaml.Node) -> None:
        if node.tag not in KNOWN_TAGS:
            self.problems.append(
                self._at(
                    node,
                    "TI003",
                    _(
                        "tag '{tag}' is not allowed: only plain YAML values (text, numbers, dates, lists, "
                        "mappings); nothing in a file is ever run or constructed"
                    ).format(tag=node.tag.replace(CORE, "!!")),
                )
            )

    def build(self, node: yaml.Node, path: Path_, key_mark: yaml.Mark | None, depth: int) -> Any:
        start = node.start_mark
        km = key_mark or start
        self.marks[path] = Mark(km.line + 1, km.column + 1, start.line + 1, start.column + 1)
        if isinstance(node, yaml.ScalarNode):
            self.size += 1  # checked at the enclosing collection
            if node.tag is not PLAIN and node.tag not in KNOWN_TAGS:
                self._check_tag(node)
            try:
                return scalar(node)
            except OutOfBounds as exc:  # located here; the value is dropped so nothing computes with it
                shown = node.value if len(node.value) <= 24 else node.value[:24] + "…"
                self.problems.append(self._at(node, "TI009", _("{value}: {problem}").format(value=shown, problem=exc)))
                return None
        known = self._built.get(id(node))
        if known is not None:  # an alias: the same node again
            self._grow(node, known[1])
            return known[0]
        if depth >= MAX_DEPTH:
            raise LoadProblem(self._at(node, "TI006", _too_deep()))
        self._check_tag(node)
        before = self.size
        if isinstance(node, yaml.MappingNode):
            value: Any = self._mapping(node, path, depth)
        else:
            value = [self.build(item, (*path, i), None, depth + 1) for i, item in enumerate(node.value)]
        self._grow(node, 1)
        self._built[id(node)] = (value, self.size - before)
        return value

    def _grow(self, node: yaml.Node, count: int) -> None:
        self.size += count
        if self.size > MAX_NODES:
            raise LoadProblem(
                self._at(
                    node,
                    "TI007",
                    _("more than {count} values once aliases are expanded (alias bomb?)").format(
                        count=grouped(MAX_NODES)
                    ),
                )
            )

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == MERGE:
                merged.update(self._merge(value_node, path, depth))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(self._at(key_node, "TI001", _("a key must be plain text, not a list or mapping")))
                continue
            if key_node.tag is not PLAIN and key_node.tag not in KNOWN_TAGS:
                self._check_tag(key_node)  # a tag on a key is refused like one on a value
            key = key_node.value
            if key in out:
                first = self.marks[(*path, key)]
                self.problems.append(
                    self._at(
                        key_node,
                        "TI002",
                        _("duplicate key '{key}' (first at line {line}): keep one").format(
                            key=key, line=first.key_line
                        ),
                    )
                )
                continue
            self.size += 1
            if self.text is not None and "\t" in self.text[key_node.end_mark.index : value_node.start_mark.index]:
                self.problems.append(
                    self._at(
                        value_node,
                        "TI001",
                        _(
                            "a tab between the key and its value: replace it with a space (ti "
                            "could not write this file back)"
                        ),
                    )
                )
            out[key] = self.build(value_node, (*path, key), key_node.start_mark, depth + 1)
        for key, value in merged.items():
            out.setdefault(key, value)
        return out

    def _merge(self, node: yaml.Node, path: Path_, depth: int) -> dict[str, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            if not isinstance(source, yaml.MappingNode):
                self.problems.append(self._at(source, "TI001", _("'<<' merges mappings only")))
                continue
            merged.update(self._source(source, path, depth))
        return merged

    def _source(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        """A mapping merged by ``<<``, built once like an alias and counted each time it is merged in:
        merging the same anchor twice per level must not double the work per level (merge-key bomb)."""
        known = self._built.get(id(node))
        if known is not None:
            self._grow(node, known[1])
            mapping: dict[str, Any] = known[0]  # a MappingNode, built as a dict the first time
            return mapping
        if depth >= MAX_DEPTH:
            raise LoadProblem(self._at(node, "TI006", _too_deep()))
        before = self.size
        value = self._mapping(node, path, depth + 1)
        self._grow(node, 1)
        self._built[id(node)] = (value, self.size - before)
        return value


def scalar(node: yaml.ScalarNode) -> Any:
    """YAML 1.2-like scalars: true/false only, decimal ints, floats as exact Decimals, ISO dates."""
    value, tag = node.value, node.tag
    if tag is PLAIN:
        return plain_scalar(value)
    if tag == CORE + "null":
        return None
    if tag == CORE + "bool":
        low = value.lower()
        return True if low == "true" else False if low == "false" else value
    if tag == CORE + "int":
        return _number(value, integer=True) if _INT.match(value) else value
    if tag == CORE + "float":
        return _number(value, integer=False) if _FLOAT.match(value) else value
    if tag == CORE + "timestamp":
        return _timestamp(value)
    return value


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def plain_scalar(value: str) -> Any:
    """An unquoted scalar typed the YAML 1.2 core way; anything else (``yes``, ``0x1F``) stays text."""
    if not value or value[0] not in "0123456789+-.~nNtTfF":
        return value
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    # The common short number is converted inline (this is the loader's hot path); long ones and
    # exponents go through the bounds first.
    if _INT.match(value):
        return int(value.replace("_", "")) if len(value) <= MAX_INTEGER_DIGITS else _number(value, integer=True)
    if _FLOAT.match(value):
        if len(value) <= MAX_INTEGER_DIGITS and "e" not in value and "E" not in value:
            return Decimal(value.replace("_", ""))
        return _number(value, integer=False)
    if value[:1].isdigit() and len(value) >= 10 and value[4] == "-":
        return _timestamp(value)
    return value


class OutOfBounds(ValueError):
    """A numeric literal beyond what ``ti`` reads (see ``ti_cli.numbers``); the message says why."""


def _number(value: str, *, integer: bool) -> int | Decimal:
    digits = value.replace("_", "")
    if is_large_literal(digits):  # before int(): Python refuses to parse more than 4 300 digits
        why = out_of_bounds(Decimal(digits))
        if why:
            raise OutOfBounds(why)
    return int(digits) if integer else Decimal(digits)


def _timestamp(value: str) -> Any:
    try:
        if _DATE.match(value):
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value.replace(" ", "T").replace("Z", "+00:00"))
    except ValueError:
        return value  # the model says what a date should be, at this value's position
