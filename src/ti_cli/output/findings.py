"""Findings printed as a table with source and caret, plain lines, JSON, GitHub annotations, JUnit, SARIF."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import ti_cli
from ti_cli.findings import Finding
from ti_cli.i18n import N_, _, ngettext
from ti_cli.rules.engine import Report
from ti_cli.usage import regular_file

FORMATS = ("auto", "table", "plain", "json", "github", "junit", "sarif")
EXTENSIONS = {".json": "json", ".xml": "junit", ".sarif": "sarif", ".txt": "plain"}


SEVERITY = {"error": N_("error"), "warning": N_("warning")}  # words of the table; machine formats keep codes


def summary(report: Report) -> str:
    """« 20 fichiers, 1 erreur, 2 avertissements »."""
    return ", ".join(
        (
            ngettext("{n} file", "{n} files", report.files).format(n=report.files),
            ngettext("{n} error", "{n} errors", report.errors).format(n=report.errors),
            ngettext("{n} warning", "{n} warnings", report.warnings).format(n=report.warnings),
        )
    )


@lru_cache(maxsize=256)
def _lines(path: Path) -> list[str]:
    if not regular_file(path):  # a FIFO or a device is never opened: no line to show
        return []
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return []


def plain_line(f: Finding) -> str:
    return f"{f.file}:{f.line}:{f.column}: {f.severity.value} {f.code} {f.message}"


def plain(report: Report) -> str:
    return "\n".join([*(plain_line(f) for f in report.findings), summary(report)]) + "\n"


def table(report: Report) -> str:
    """For people: every finding, the offending line with a caret under the spot, then the details."""
    out: list[str] = []
    for f in report.findings:
        colour = "red" if f.severity.value == "error" else "yellow"
        word = _(SEVERITY[f.severity.value])
        out.append(f"[bold]{_esc(str(f.file))}:{f.line}:{f.column}[/]: [{colour}]{word} {f.code}[/] {_esc(f.message)}")
        lines = _lines(Path(f.file))
        if 0 < f.line <= len(lines):
            source = lines[f.line - 1]
            out.append(f"  [dim]{f.line:>4} |[/] {_esc(source)}")
            out.append(f"  [dim]     |[/] {' ' * (f.column - 1)}[{colour}]^[/]")
        out.extend(f"         {_esc(d)}" for d in f.details)
    colour = "red" if report.errors else "yellow" if report.warnings else "green"
    out.append(f"[{colour}]{summary(report)}[/]")
    return "\n".join(out) + "\n"


def _esc(text: str) -> str:
    return text.replace("[", "\\[")


def as_json(report: Report) -> str:
    data = {
        "files": report.files,
        "errors": report.errors,
        "warnings": report.warnings,
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "file": str(f.file),
                "line": f.line,
                "column": f.column,
                "message": f.message,
            }
            for f in report.findings
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github(report: Report) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff."""
    out = [
        f"::{f.severity.value} file={_gh_escape(str(f.file), True)},line={f.line},col={f.column},"
        f"title={f.code}::{_gh_escape(f.message)}"
        for f in report.findings
    ]
    out.append(summary(report))
    return "\n".join(out) + "\n"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped: shown as ``\x0b`` instead."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def junit(report: Report) -> str:
    """JUnit as Jenkins' and Ant's schema want it: ``<testsuites>`` around one ``<testsuite>``, both with
    ``tests``, ``failures``, ``errors``, ``skipped`` and ``time``; an error is a failure, a warning a skip."""
    from xml.sax.saxutils import escape, quoteattr  # here: it pulls in urllib, 50 ms of every ti validate

    cases = []
    for f in report.findings:
        tag = "failure" if f.severity.value == "error" else "skipped"
        kind = f' type="{f.code}"' if tag == "failure" else ""
        cases.append(
            f"    <testcase classname={quoteattr(_xml_text(str(f.file)))} "
            f'name={quoteattr(f"{f.code} line {f.line}")} time="0">'
            f"<{tag}{kind} message={quoteattr(_xml_text(f.message))}>{escape(_xml_text(plain_line(f)))}</{tag}>"
            "</testcase>"
        )
    if not cases:
        cases.append('    <testcase classname="ti" name="validate" time="0"/>')
    counts = (
        f'tests="{max(len(report.findings), 1)}" failures="{report.errors}" errors="0" '
        f'skipped="{report.warnings}" time="0"'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="ti validate" {counts}>\n'
        f'  <testsuite name="ti validate" {counts}>\n' + "\n".join(cases) + "\n  </testsuite>\n</testsuites>\n"
    )


PROJECT_URL = "https://github.com/OWNER/ti"
"""The tool's repository (README, pyproject): SARIF's ``informationUri`` and the rules' ``helpUri``."""
RULES_URL = f"{PROJECT_URL}/blob/main/docs/rules.md"


def _sarif_rule(code: str) -> dict[str, Any]:
    from ti_cli.rules.codes import LOADING
    from ti_cli.rules.registry import all_rules

    known = all_rules()
    if code in known:
        name, doc, level = known[code].name, _(known[code].doc), known[code].severity.value
    elif code in LOADING:
        name, doc, level = LOADING[code][0], _(LOADING[code][1]), "error"
    else:
        name, doc, level = code, code, "error"
    short = doc.split("\n\n", 1)[0].strip()
    url = f"{RULES_URL}#{code.lower()}"  # the anchor rules/docs.py writes
    return {
        "id": code,
        "name": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": doc},
        "help": {"text": f"{doc}\n\n{url}", "markdown": f"**{code} `{name}`**\n\n{doc}\n\n[{code}]({url})"},
        "helpUri": url,
        "defaultConfiguration": {"level": level},
    }


def sarif(report: Report) -> str:
    """SARIF 2.1.0 as GitHub code scanning reads it: every rule documented, with a link to its page."""
    codes = sorted({f.code for f in report.findings})
    rules = [_sarif_rule(c) for c in codes]
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": codes.index(f.code),
            "level": f.severity.value,
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": Path(f.file).as_posix()},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        for f in report.findings
    ]
    driver = {
        "name": "ti",
        "version": ti_cli.__version__,
        "semanticVersion": ti_cli.__version__,
        "informationUri": PROJECT_URL,
        "rules": rules,
    }
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


RENDERERS: dict[str, Callable[[Report], str]] = {
    "table": table,
    "plain": plain,
    "json": as_json,
    "github": github,
    "junit": junit,
    "sarif": sarif,
}
