"""What this machine offers the suite: the system programs some tests need, and why one is missing.

`scripts/system-packages.sh test` (run by `make test`) installs them as root; without root a test that needs a
missing one skips with the reason below, and under CI=true a skip fails the run (see conftest.py).
"""

import os
from pathlib import Path

import pytest

PG_BIN = Path(os.environ.get("GI_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_SHARE = Path(os.environ.get("GI_PG_SHARE", "/usr/share/postgresql/15"))
CHROMIUM = Path(os.environ.get("GI_CHROMIUM", "/usr/bin/chromium"))
# Chromium's own background traffic (updates, sync, safe browsing) would try to leave the machine:
# the browser tests and the bench's first-map measurement start it with these.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
INSTALL_HINT = "run `make test` as root, or see scripts/system-packages.sh"


def postgis_missing() -> str | None:
    """Why a throwaway PostgreSQL + PostGIS server cannot start here, or None when it can."""
    if not (PG_BIN / "initdb").exists():
        return f"no PostgreSQL 15 server in {PG_BIN} (Debian postgresql-15; {INSTALL_HINT})"
    if not (PG_SHARE / "extension" / "postgis.control").exists():
        return (
            f"PostgreSQL has no PostGIS extension in {PG_SHARE} "
            f"(Debian postgresql-15-postgis-3; {INSTALL_HINT})"
        )
    return None


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (Debian chromium; {INSTALL_HINT})"
    return None


needs_postgis = pytest.mark.skipif(postgis_missing() is not None, reason=postgis_missing() or "")


def cjk_font_missing() -> str | None:
    """Why map images (PNG) cannot be drawn here, or None when they can (Debian fonts-noto-cjk)."""
    from maps.static import cjk_font_missing as missing

    reason = missing()
    return f"{reason} ({INSTALL_HINT})" if reason else None


needs_cjk_font = pytest.mark.skipif(cjk_font_missing() is not None, reason=cjk_font_missing() or "")
