"""The layers a linter keeps: `lint-imports` passes on the tree, and fails on an import that breaks a
contract (a domain importing a web page, the core importing a domain, a page importing an API routes
module, a new cycle between domains), so `make lint` and `make test` would stop it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gi_registry.core.settings import REPO_ROOT

LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    # --no-cache: the copies are fresh trees; a cache would only be written into them.
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=root, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the packages and pyproject.toml, for lint-imports to check with one import added."""
    copy = tmp_path_factory.mktemp("tree")
    for name in ("gi_registry", "maps"):
        shutil.copytree(REPO_ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(REPO_ROOT / "pyproject.toml", copy)
    return copy


def test_the_tree_keeps_its_contracts() -> None:
    kept = _lint(REPO_ROOT)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "0 broken" in kept.stdout


@pytest.mark.parametrize(
    ("module", "added_import", "broken_contract", "named"),
    [
        # A domain importing a web page.
        (
            "gi_registry/labels/workflow.py",
            "from gi_registry.web import rendering",
            "Domains never import adapters (web pages, OGC, exports, imports, CLI, maps, app assembly)",
            "gi_registry.labels.workflow -> gi_registry.web.rendering",
        ),
        # The core importing a domain: below every domain in the layers.
        (
            "gi_registry/core/db.py",
            "from gi_registry.indications import models",
            "Layers: app assembly -> adapters -> domains -> change log -> core",
            "gi_registry.core.db -> gi_registry.indications.models",
        ),
        # The change log importing a domain it records (the cycle its service no longer has).
        (
            "gi_registry/history/service.py",
            "from gi_registry.producers import models",
            "Layers: app assembly -> adapters -> domains -> change log -> core",
            "gi_registry.history.service -> gi_registry.producers.models",
        ),
        # A web page importing an API routes module (as the area upload page once did).
        (
            "gi_registry/web/area_pages.py",
            "from gi_registry.geo.boundary_routes import router",
            "Only the app assembly imports routes modules",
            "gi_registry.web.area_pages -> gi_registry.geo.boundary_routes",
        ),
        # A domain importing another domain's API routes.
        (
            "gi_registry/labels/service.py",
            "from gi_registry.producers.routes import router",
            "Only the app assembly imports routes modules",
            "gi_registry.labels.service -> gi_registry.producers.routes",
        ),
        # geo importing indications again: a cycle between two domains of one layer.
        (
            "gi_registry/geo/versions.py",
            "from gi_registry.indications.models import Protection",
            "No cycles between the domain packages",
            ".geo -> .indications",
        ),
    ],
)
def test_an_import_breaking_a_contract_fails_the_lint(
    tree: Path, module: str, added_import: str, broken_contract: str, named: str
) -> None:
    path = tree / module
    original = path.read_text()
    path.write_text(original + f"\n{added_import}  # noqa: E402, F401\n")
    try:
        broken = _lint(tree)
    finally:
        path.write_text(original)
    assert broken.returncode != 0
    # The summary wraps long contract names at 80 columns, after a space.
    assert f"{broken_contract} BROKEN" in broken.stdout.replace("\n", ""), broken.stdout
    assert named in broken.stdout.split("Broken contracts", 1)[1], broken.stdout
