"""Importing a module does nothing but define things: listeners, engines, files and logging set-up are
installed by `create_app` and the CLI, never by an import (so a script, a test or a migration can import
any module without changing how every SQLAlchemy session in the process behaves)."""

import json
import subprocess
import sys
from pathlib import Path

from gi_registry.core.settings import REPO_ROOT

# Runs in a fresh interpreter: imports the libraries first (GeoAlchemy2 installs its own DDL listeners on
# import: they are the baseline), then every module of gi_registry and maps, and reports what changed.
# Listeners counted are those on a class (Session, Engine, Mapper, a model...) or on a Session, Engine,
# pool or sessionmaker object; SQLAlchemy's own per-column and per-mapper instrumentation is not ours.
_PROBE = """
import gc, json, logging, os, pkgutil, importlib, sys
import geoalchemy2, sqlalchemy, sqlmodel
from sqlalchemy.engine import Engine
from sqlalchemy.event import registry
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import Pool

WATCHED = (type, Engine, Session, sessionmaker, Pool)

def listeners():
    targets = {id(o): o for o in gc.get_objects() if isinstance(o, WATCHED)}
    return {
        f"{targets[target]!r} {identifier}"
        for target, identifier, _fn in registry._key_to_collection
        if target in targets
    }

def engines():
    return sum(isinstance(o, Engine) for o in gc.get_objects())

before = listeners()
engines_before = engines()
handlers_before = [repr(h) for h in logging.getLogger().handlers]
level_before = logging.getLogger().level

imported = []
for root in ("gi_registry", "maps"):
    package = importlib.import_module(root)
    imported.append(root)
    for info in pkgutil.walk_packages(package.__path__, root + "."):
        # Alembic's env.py runs migrations when imported: it is a script Alembic executes, not a module.
        if info.name == "gi_registry.migrations.env":
            continue
        importlib.import_module(info.name)
        imported.append(info.name)

print(json.dumps({
    "imported": imported,
    "new_listeners": sorted(listeners() - before),
    "new_engines": engines() - engines_before,
    "new_handlers": [repr(h) for h in logging.getLogger().handlers if repr(h) not in handlers_before],
    "root_level_changed": logging.getLogger().level != level_before,
}))
"""


def test_importing_every_module_has_no_side_effects(tmp_path: Path) -> None:
    watched = tmp_path / "watched"
    cwd = watched / "cwd"
    data = watched / "data"
    for folder in (cwd, data):
        folder.mkdir(parents=True)
    # HOME is outside the watched folder: matplotlib writes its own font cache there when first imported.
    home = tmp_path / "home"
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(REPO_ROOT),
        "HOME": str(home),
        "GI_DATA_DIR": str(data),
        "GI_UPLOAD_DIR": str(watched / "uploads"),
        "GI_DATABASE_URL": f"sqlite:///{watched / 'var' / 'probe.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])

    assert "gi_registry.http.app" in report["imported"] and "maps.builders" in report["imported"]
    assert report["new_listeners"] == [], "an import registered SQLAlchemy event listeners"
    assert report["new_engines"] == 0, "an import created a database engine"
    assert report["new_handlers"] == [] and not report["root_level_changed"], "an import set up logging"
    created = sorted(str(p.relative_to(watched)) for p in watched.rglob("*") if p not in (cwd, data))
    assert created == [], f"an import created files: {created}"
