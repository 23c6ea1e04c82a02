"""Issue 15: one case per cause that broke ``ti`` (cause 3 belongs to issue 10). Each trigger is written
here from the issue's description; each must give a located finding or a usage error, within seconds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from conftest import CONTRACT, PACTE, edit, found, line_of, run
from ti_cli.cli import app
from ti_cli.findings import LoadProblem
from ti_cli.loading.yamlsafe import parse

ID = "rochefort-royan-marennes-oleron"
A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"
MEMBER = f"{PACTE}/members/atelier-composites-charentais.yaml"


def ti(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def codes_at(path: str, text: str) -> set[tuple[str, int]]:
    """(code, line) of the findings in ``path`` once it holds ``text``."""
    Path(path).write_text(text, encoding="utf-8")
    return {
        (code, line)
        for code, name, line in found(run(path if "pactes" not in path else PACTE))
        if name == Path(path).name
    }


# 1. A quote inside a comment hid 30 000 brackets from the pre-scan: the C composer overflowed the stack.
def test_1_brackets_behind_a_quoted_comment_are_refused_not_a_segfault(tmp_path: Path) -> None:
    bomb = tmp_path / "contract.yaml"
    bomb.write_text("# 'a\ncomment: " + "[" * 30_000 + "]" * 30_000 + "\n# b'\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "ti_cli", "validate", str(bomb)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1 and "TI006" in done.stdout, (done.returncode, done.stdout, done.stderr)


# 2. A merge-key bomb doubled the work per level.
def test_2_merge_key_bomb_is_linear() -> None:
    lines = ["m0: &m0 {}"] + [f"m{k}: &m{k} {{<<: [*m{k - 1}, *m{k - 1}]}}" for k in range(1, 60)]
    start = time.perf_counter()
    with pytest.raises(LoadProblem) as caught:  # each merge counts what it stands for: 2^K at level K
        parse(Path("bomb.yaml"), "\n".join(lines) + "\n")
    assert caught.value.finding.code == "TI007" and time.perf_counter() - start < 2
    assert caught.value.finding.line > 10


def test_2_an_ordinary_merge_still_works() -> None:
    doc = parse(Path("m.yaml"), "base: &b {a: 1, b: 2}\nx: {<<: *b, b: 3}\ny: {<<: [*b, {c: 4}]}\n")
    assert doc.data["x"] == {"a": 1, "b": 3} and doc.data["y"] == {"a": 1, "b": 2, "c": 4}


def test_2_merged_values_are_counted() -> None:
    lines = ["m0: &m0 {" + ", ".join(f"k{i}: {i}" for i in range(100)) + "}"]
    lines += [f"m{k}: &m{k} {{<<: [*m{k - 1}], x{k}: [*m{k - 1}, *m{k - 1}]}}" for k in range(1, 40)]
    with pytest.raises(LoadProblem) as caught:
        parse(Path("bomb.yaml"), "\n".join(lines) + "\n")
    assert caught.value.finding.code == "TI007"


# 4. Numbers beyond any contract: located findings, not tracebacks.
@pytest.mark.parametrize("number", ["1e400", "1" + "0" * 40, "7" * 5000, "1e999999999", "1234567890123456789012.5"])
def test_4_huge_numbers_are_located_findings(sample: Path, number: str) -> None:
    text = Path(A1).read_text(encoding="utf-8").replace("  operating: 90000\n", f"  operating: {number}\n")
    assert ("TI009", line_of(A1, "operating:")) in codes_at(A1, text)


def test_4_huge_indicator_does_not_reach_the_pacte_report(sample: Path) -> None:
    edit(MEMBER, "      collaborateurs-formes-localement: 6\n", "      collaborateurs-formes-localement: 1e400\n")
    assert ("TI009", line_of(MEMBER, "1e400")) in {(c, ln) for c, n, ln in found(run(PACTE))}
    code, output = ti("pacte", "report", ID, "--to", "md", "-o", "out/r.md")
    assert code == 1 and "TI009" in output


# 5. One bound for every amount: 10¹² €; below it sums are exact.
def test_5_amount_above_the_bound_is_a_finding(sample: Path) -> None:
    text = Path(A1).read_text(encoding="utf-8").replace("  operating: 90000\n", "  operating: 1000000000000.01\n")
    assert ("TI024", line_of(A1, "operating:")) in codes_at(A1, text)


def test_5_sums_at_the_bound_are_exact(sample: Path) -> None:
    edit(
        A1,
        "  investment: 16663500\n  operating: 90000\n  total: 16753500\n",
        "  investment: 499999999999.99\n  operating: 499999999999.99\n  total: 999999999999.98\n",
    )
    code, output = ti("totals", ID, "-f", "json")
    assert code == 0, output
    assert '"total": "1000027069999.98"' in output  # 43 823 500 − 16 753 500 + 999 999 999 999.98, exact


# 6. Dates a pacte computes from stay dates.
@pytest.mark.parametrize(
    ("old", "new", "file"),
    [
        ("joined_on: 2023-03-15", "joined_on: 9999-06-01", MEMBER),
        ("review_every_months: 12", "review_every_months: 1000000", f"{PACTE}/pacte.yaml"),
        ("membership_years: 3", "membership_years: 100000", f"{PACTE}/pacte.yaml"),
    ],
)
def test_6_date_overflow_is_a_finding(sample: Path, old: str, new: str, file: str) -> None:
    edit(file, old, new)
    assert ("TI014", line_of(file, new)) in {(c, ln) for c, n, ln in found(run(PACTE)) if n == Path(file).name}
    code, _ = ti("pacte", "status", ID)
    assert code == 1


# 7. No --output lands on a file ti did not write, without --force.
@pytest.mark.parametrize(
    "args",
    [
        ("totals", ID, "-o", f"{CONTRACT}/contract.yaml"),
        ("validate", "-o", f"{CONTRACT}/contract.yaml"),
        ("share", ID, "chef-de-projet-finistere", "-o", f"{CONTRACT}/cost-sharing/chef-de-projet-finistere.yaml"),
        ("totals", ID, "-f", "xlsx", "-o", f"{PACTE}/members/saveurs-iodees-oleron.yaml"),
        ("render", "contract", ID, "-o", f"{CONTRACT}/text/00-preambule.md"),
    ],
)
def test_7_data_files_are_never_overwritten(sample: Path, args: tuple[str, ...]) -> None:
    target = Path(args[args.index("-o") + 1])
    before = target.read_bytes()
    code, output = ti(*args)
    assert code == 2 and "--force" in output and target.read_bytes() == before
    assert not list(target.parent.glob("*-figures"))


def test_7_ti_rewrites_its_own_output_and_force_replaces_others(sample: Path) -> None:
    assert ti("totals", ID, "-o", "t.md")[0] == 0
    assert ti("totals", ID, "-o", "t.md")[0] == 0  # its own, unchanged: regenerated freely
    Path("t.md").write_text("mes notes\n", encoding="utf-8")
    assert ti("totals", ID, "-o", "t.md")[0] == 2 and Path("t.md").read_text(encoding="utf-8") == "mes notes\n"
    assert ti("totals", ID, "-o", "t.md", "--force")[0] == 0
    assert "Reste à financer" in Path("t.md").read_text(encoding="utf-8")


# 8. A device is written to, never replaced by a regular file.
@pytest.mark.skipif(not Path("/dev/null").exists(), reason="POSIX devices")
def test_8_a_device_stays_a_device(sample: Path) -> None:
    assert ti("totals", ID, "-o", "/dev/null")[0] == 0
    assert Path("/dev/null").is_char_device()
    os.mkfifo("pipe") if hasattr(os, "mkfifo") else None
    reader = subprocess.Popen(["cat", "pipe"], stdout=subprocess.PIPE)
    assert ti("totals", ID, "-f", "csv", "-o", "pipe")[0] == 0
    assert b"total" in reader.communicate(timeout=30)[0] and Path("pipe").is_fifo()


# 9. A user template is bounded in what it builds and how long it runs.
@pytest.mark.parametrize(
    "source",
    [
        "{{ (('a' * 100000) * 30000) | length }}",
        "{{ 'a' | center(2000000000) }}",
        "{{ '%999999999d' % 1 }}",
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        "{{ lipsum(n=10000000) }}",  # ran on in Jinja's own code, out of the deadline's sight
        "{{ lipsum(n=5, min=10**9, max=10**9) }}",
    ],
)
def test_9_sandbox_limits(sample: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    from ti_cli.render import environment

    monkeypatch.setattr(environment, "MAX_SECONDS", 1.0)
    Path("mine").mkdir()
    Path("mine/contract.md.j2").write_text(source, encoding="utf-8")
    start = time.perf_counter()
    code, output = ti("render", "contract", ID, "--templates", "mine", "-o", "out/c.md")
    assert code == 2 and "Traceback" not in output and time.perf_counter() - start < 30


# 10-12. Spreadsheets: huge numbers, '²', far cells, huge merged ranges, formulas without values.
def export() -> Path:
    code, output = ti("totals", ID, "--format", "xlsx", "--output", "t.xlsx")
    assert code == 0, output
    return Path("t.xlsx")


def import_findings(book: Path) -> str:
    code, output = ti("import", "xlsx", str(book), "--contract", ID)
    assert code == 1, output
    return output


def set_cell(book: Path, ref: str, value: object) -> None:
    wb = load_workbook(book)
    wb["Actions"][ref] = value
    wb.save(book)


@pytest.mark.parametrize(
    ("ref", "value", "code"),
    [
        ("I3", 10**40, "TI094"),
        ("I3", "1e400", "TI094"),
        ("C3", "²", "TI092"),
        ("I3", "=350000.5+0", "TI098"),  # openpyxl saves formulas without a cached value
    ],
)
def test_10_12_bad_cells_are_findings_at_their_cell(sample: Path, ref: str, value: object, code: str) -> None:
    book = export()
    set_cell(book, ref, value)
    before = Path(A1).read_bytes()
    output = import_findings(book)
    assert code in output and ref in output and Path(A1).read_bytes() == before


def rewrite_sheet(book: Path, change) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(book) as old:
        items = {i.filename: old.read(i.filename) for i in old.infolist()}
    name = next(n for n in items if n.startswith("xl/worksheets/sheet"))
    items[name] = change(items[name])
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as new:
        for filename, data in items.items():
            new.writestr(filename, data)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (
            lambda x: x.replace(
                b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row></sheetData>'
            ),
            "A1048576",
        ),
        (lambda x: x.replace(b"</sheetData>", b'<row r="9"><c r="XFD9" t="n"><v>1</v></c></row></sheetData>'), "XFD9"),
        (
            lambda x: re.sub(
                rb"</sheetData>(<mergeCells[^>]*>)?",
                rb'</sheetData><mergeCells count="1">'
                rb'<mergeCell ref="A20:Z200000"/>'
                if b"<mergeCells" not in x
                else rb'</sheetData>\1<mergeCell ref="A20:Z200000"/>',
                x,
                count=1,
            ),
            "A20:Z200000",
        ),
    ],
)
def test_11_far_cells_and_huge_merges_are_refused_fast(sample: Path, change, where: str) -> None:  # type: ignore[no-untyped-def]
    book = export()
    rewrite_sheet(book, change)
    start = time.perf_counter()
    output = import_findings(book)
    assert "TI090" in output and time.perf_counter() - start < 10


# 13. What validates must be writable: a tab between key and value.
def test_13_tab_after_colon(sample: Path) -> None:
    book = export()
    text = Path(A1).read_text(encoding="utf-8").replace("  operating: 90000\n", "  operating:\t90000\n")
    assert ("TI001", line_of(A1, "operating:")) in codes_at(A1, text)
    code, output = ti("import", "xlsx", str(book), "--contract", ID)
    assert code == 1 and "TI001" in output and Path(A1).read_text(encoding="utf-8") == text


# 14. ti share --per-year is bounded.
@pytest.mark.parametrize("years", ["10000000", "99999999999999999999"])
def test_14_per_year_bound(sample: Path, years: str) -> None:
    assert ti("share", ID, "chef-de-projet-finistere", "--per-year", years)[0] == 2


# 15. The cache is checked, never trusted.
@pytest.mark.parametrize("entry", ["[]", '[{"code": "TI001", "line": "NaN"}]', '{"key": 1}', "nul"])
def test_15_a_tampered_cache_is_a_miss(sample: Path, monkeypatch: pytest.MonkeyPatch, entry: str) -> None:
    monkeypatch.setenv("TI_CACHE_DIR", str(sample / "cache"))
    edit(A1, "  operating: 90000\n", "  operating: -5\n")
    assert ti("validate")[0] == 1
    for file in (sample / "cache").rglob("*.json"):
        file.write_text(entry, encoding="utf-8")
    code, output = ti("validate")
    assert code == 1 and "TI022" in output


# 16. Two ti new action at once take two numbers.
def test_16_concurrent_new_actions_get_distinct_numbers(sample: Path) -> None:
    command = [sys.executable, "-m", "ti_cli", "new", "action", ID, "--axis", "ATTIRER", "--category", "amorcage"]
    runs = [subprocess.Popen([*command, "--title", f"Essai {i}"], stdout=subprocess.PIPE, text=True) for i in range(3)]
    outputs = [p.communicate(timeout=120)[0] for p in runs]
    numbers = [re.search(r"\(action (\d+)\)", out).group(1) for out in outputs]  # type: ignore[union-attr]
    assert sorted(numbers) == ["10", "11", "12"]


def test_16_claim_is_exclusive(tmp_path: Path) -> None:
    from ti_cli.cli.new import claim

    with claim(tmp_path, 10) as first, claim(tmp_path, 10) as second:
        assert (first, second) == (True, False)
    with claim(tmp_path, 10) as again:
        assert again


# 17. Tags on keys, a NUL byte's place, junit with control characters.
@pytest.mark.parametrize("key", ["!custom comment", "!!python/name:os.system comment"])
def test_17_tags_on_keys_are_refused(sample: Path, key: str) -> None:
    text = Path(A1).read_text(encoding="utf-8").replace("comment:", f"{key}:", 1)
    codes = codes_at(A1, text)
    assert any(code == "TI003" for code, _ in codes)


def test_17_nul_byte_is_located(sample: Path) -> None:
    text = Path(A1).read_text(encoding="utf-8").replace("title: Dév", "title: D\0év")
    assert ("TI001", line_of(A1, "title:")) in codes_at(A1, text)
    report = run(A1)
    assert next(f.column for f in report.findings if f.code == "TI001") == len("title: D") + 1


def test_17_junit_is_well_formed_with_control_characters(sample: Path) -> None:
    edit(A1, "axis: ATTIRER", 'axis: "ATT\\vIRER"')
    code, output = ti("validate", "--format", "junit")
    assert code == 1
    root = ET.fromstring(output)
    assert root.tag == "testsuites" and int(root[0].get("failures", "0")) >= 1


# Round 3, 2. The cache is an accelerator, never an authority.
def test_r3_a_forged_cache_entry_is_a_miss(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Anyone could recompute the old checksum: an entry with its errors removed made ti validate say
    « 0 erreur ». Entries are signed with this machine's key now, and the cache is not in the repository."""
    import hashlib
    import json as json_module

    from ti_cli import cache

    assert not cache.cache_dir().resolve().is_relative_to(sample.resolve())  # not in the data repository
    monkeypatch.setenv("TI_CACHE_DIR", str(sample / "cache"))
    edit(A1, "  operating: 90000\n", "  operating: -5\n")
    assert ti("validate")[0] == 1
    for file in (sample / "cache").rglob("*.json"):
        entry = json_module.loads(file.read_text(encoding="utf-8"))
        entry["value"] = []  # no finding
        text = json_module.dumps(entry["value"], ensure_ascii=False, sort_keys=True)
        entry["sum"] = hashlib.blake2b(f"{entry['key']}\0{text}".encode(), digest_size=16).hexdigest()
        file.write_text(json_module.dumps(entry), encoding="utf-8")
    code, output = ti("validate")
    assert code == 1 and "TI022" in output


# Round 3, 1. Outputs never land in data.
def test_r3_an_output_inside_the_data_is_refused_without_force(sample: Path) -> None:
    text = Path(CONTRACT, "text")
    before = sorted(p.name for p in text.iterdir())
    code, output = ti("render", "contract", ID, "--to", "md", "-o", str(text) + "/")
    assert code == 2 and "est dans les données" in output.replace("\u00a0", " ")
    Path("out").symlink_to(Path(CONTRACT).resolve(), target_is_directory=True)  # out/ linked into the data
    assert ti("totals", ID, "--format", "csv", "-o", "out/t.csv")[0] == 2
    assert ti("totals", ID, "--format", "csv", "-o", "data/t.csv")[0] == 2
    assert sorted(p.name for p in text.iterdir()) == before and not Path(CONTRACT, "t.csv").exists()


# Round 3 (issue 23.7). Under actions/, progress/, decisions/ and members/, what is named like a data file
# but is no regular file is an error at its path, in validate and totals, and is never opened.
P2 = "data/contracts/rochefort-royan-marennes-oleron-2023"


def _plant_odd_file(where: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(where)
    elif kind == "dev-zero":
        where.symlink_to("/dev/zero")
    elif kind == "dangling":
        where.symlink_to(where.parent / "gone.yaml")
    else:
        where.mkdir()
        (where / "README.txt").write_text("a folder", encoding="utf-8")


ODD = ["fifo", "dev-zero", "dangling", "folder"]


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="POSIX FIFOs and devices")
@pytest.mark.parametrize("kind", ODD)
@pytest.mark.parametrize(
    "where",
    [
        f"{P2}/actions/10-x.yaml",
        f"{P2}/progress/2026-Q4.yaml",
        f"{P2}/decisions/2026-01-01-x.yaml",
        f"{PACTE}/members/x.yaml",
    ],
)
def test_23_7_a_path_that_is_no_regular_file_is_an_error_at_that_path(sample: Path, kind: str, where: str) -> None:
    _plant_odd_file(Path(where), kind)
    root = PACTE if "pactes" in where else P2
    started = time.monotonic()
    report = run(root)
    assert time.monotonic() - started < 30  # a FIFO was not opened (it would block), /dev/zero not read
    assert [(f.code, f.severity.value, str(f.file), f.line) for f in report.findings if f.code == "TI008"] == [
        ("TI008", "error", where, 1)
    ]
    assert report.errors >= 1
    if root == P2:
        code, output = ti("totals", P2)
        assert code == 1 and "TI008" in output


def test_23_7_new_action_with_a_number_out_of_range_is_a_usage_error_that_writes_nothing(sample: Path) -> None:
    before = sorted(Path(f"{P2}/actions").iterdir())
    code, _output = ti(
        "new", "action", P2, "--title", "Trop loin", "--axis", "FONCIER", "--category", "amorcage",
        "--number", "99999999999999999999",
    )  # fmt: skip
    assert code == 2
    assert sorted(Path(f"{P2}/actions").iterdir()) == before


# Round 3 (issue 23.8): phase-2 inconsistencies that validated clean, each now a finding at its line.
F1_P2 = f"{P2}/actions/01-foncier-aeroport.yaml"
F5_P2 = f"{P2}/actions/05-decarbonation-site-industriel.yaml"
C_P2 = f"{P2}/contract.yaml"
D1_P2 = f"{P2}/decisions/2024-03-14-copil-local.yaml"
REGION_DISPOSITIF = "name: Région Nouvelle-Aquitaine — soutien à l'industrie durable, financer: region}"


@pytest.mark.parametrize(
    ("file", "old", "new", "code"),
    [
        (F1_P2, "status: sollicite\n    amount: 300000", "status: sollicite\n    amount: 300000\n    paid: 1", "TI133"),
        (F1_P2, "status: sollicite\n    amount: 300000", "status: refuse\n    amount: 300000\n    paid: 1", "TI127"),
        (F1_P2, "planned_end: 2027-06-30", "planned_end: 2023-06-30", "TI128"),
        (F1_P2, "- financer: region\n    dispositif: region", "- financer: etat\n    dispositif: region", "TI132"),
        (F5_P2, "volet: 1", "volet: 99", "TI129"),
        (C_P2, "dispositifs:\n", "dispositifs:\n  - {id: region-industrie-durable, name: X}\n", "TI130"),
        (C_P2, REGION_DISPOSITIF, REGION_DISPOSITIF.replace("region}", "departement}"), "TI131"),
        (F1_P2, "{on: 2025-06-30, value: 4}", "{on: 2019-06-30, value: 4}", "TI134"),
        (F1_P2, "{on: 2025-06-30, value: 4}", "{on: 2026-06-30, value: 4}", "TI134"),
        (F1_P2, "  - id: emplois-crees\n", "  - id: foncier-mobilise\n", "TI135"),
        (D1_P2, "date: 2024-03-14", "date: 2019-01-01", "TI136"),
        (D1_P2, "decisions:\n", "decisions:\n  - {action: 4, kind: validation, summary: Validation de l'animation du "
         "pacte industrie-territoire}\n", "TI137"),
    ],
)  # fmt: skip
def test_23_8_phase2_inconsistencies_are_findings(sample: Path, file: str, old: str, new: str, code: str) -> None:
    edit(file, old, new)
    assert code in {c for c, _name, _line in found(run(P2))}


def test_23_8_the_same_meeting_in_two_files_and_a_quarter_before_the_plan(sample: Path) -> None:
    (Path(P2) / "decisions/2024-03-14-copil-local-bis.yaml").write_text(
        Path(D1_P2).read_text(encoding="utf-8"), encoding="utf-8"
    )
    progress = Path(f"{P2}/progress/2026-Q3.yaml").read_text(encoding="utf-8")
    Path(f"{P2}/progress/2022-Q3.yaml").write_text(
        progress.replace("2026-Q3", "2022-Q3").replace("2026-10-08", "2022-10-08"), encoding="utf-8"
    )
    codes = {(c, name) for c, name, _line in found(run(P2))}
    assert {("TI137", "2024-03-14-copil-local.yaml"), ("TI041", "2022-Q3.yaml")} <= codes
