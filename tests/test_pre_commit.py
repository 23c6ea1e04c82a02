"""The real ``pre-commit`` framework on a fresh ``ti init`` repository: both hooks — the one ``ti init``
writes and the tool's published ``.pre-commit-hooks.yaml`` — see only the data (issue 22).

No network: each hook is run as ``repo: local`` with ``language: system`` and the installed ``ti``,
keeping the hook's own ``files``, ``entry`` and ``pass_filenames`` (what decides what ti is given)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TI = Path(sys.executable).with_name("ti")

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git not installed"),
    pytest.mark.skipif(shutil.which("pre-commit", path=str(TI.parent)) is None, reason="pre-commit not installed"),
]


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("which", ["init", "published"])
def test_pre_commit_run_all_files_passes_on_a_fresh_repository(tmp_path: Path, which: str):
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
        "PATH": f"{TI.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_ACTIONS": "",
    }
    (tmp_path / "gitconfig").write_text(
        "[init]\n\tdefaultBranch = master\n[user]\n\tname = T\n\temail = t@example.org\n"
    )
    repo = tmp_path / "territoire"
    done = run(str(TI), "init", str(repo), "--contract", "pays-de-test", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    config = repo / ".pre-commit-config.yaml"
    if which == "init":
        [hook] = yaml.safe_load(config.read_text(encoding="utf-8"))["repos"][0]["hooks"]
        assert hook["additional_dependencies"]  # what CI installs: left out here, ti is already installed
    else:
        [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = {k: hook[k] for k in ("id", "name", "entry", "files", "pass_filenames")}
    config.write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [{**local, "language": "system"}]}]}))
    assert run("git", "add", "-A", cwd=repo, env=env).returncode == 0
    done = run(str(TI.parent / "pre-commit"), "run", "--all-files", "--verbose", cwd=repo, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ti validate" in done.stdout and "Passed" in done.stdout
    # ti saw the data only: the workflow and the configuration never reached it.
    assert "ignoré" not in done.stdout and "fichiers, 0 erreur, 0 avertissement" in done.stdout
