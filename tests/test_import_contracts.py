"""The layers a linter keeps: `lint-imports` passes on the tree, and fails on an import that breaks a
contract (a domain importing a web page), so `make lint` and `make test` would stop it."""

import shutil
import subprocess
import sys
from pathlib import Path

from gi_registry.settings import REPO_ROOT

LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LINT_IMPORTS], cwd=root, capture_output=True, text=True, timeout=600)


def test_the_tree_keeps_its_contracts_and_a_domain_importing_a_page_breaks_one(tmp_path: Path) -> None:
    kept = _lint(REPO_ROOT)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "0 broken" in kept.stdout

    copy = tmp_path / "tree"
    copy.mkdir()
    for name in ("gi_registry", "maps"):
        shutil.copytree(REPO_ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(REPO_ROOT / "pyproject.toml", copy)
    workflow = copy / "gi_registry" / "labels" / "workflow.py"
    workflow.write_text(
        workflow.read_text() + "\nfrom gi_registry.web import rendering  # noqa: E402, F401\n"
    )
    broken = _lint(copy)
    assert broken.returncode != 0
    assert "gi_registry.labels.workflow -> gi_registry.web.rendering" in broken.stdout
