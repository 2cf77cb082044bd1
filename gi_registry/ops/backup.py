"""Online, consistent backups and restores: SQLite through its backup API, PostgreSQL through pg_dump."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

PG_BIN = Path(os.environ.get("GI_PG_BIN", "/usr/lib/postgresql/15/bin"))


class BackupError(RuntimeError):
    """A backup or restore could not be made; nothing was changed."""


def _sqlite_path(database_url: str) -> Path:
    return Path(make_url(database_url).database or "")


def _pg_tool(name: str) -> str:
    candidate = PG_BIN / name
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client-15).")
    return found


def _pg_args(database_url: str) -> tuple[list[str], dict[str, str]]:
    url = make_url(database_url)
    args = ["-d", url.database or "postgres"]
    host = url.query.get("host") or url.host
    if host:
        args += ["-h", str(host)]
    port = url.query.get("port") or url.port
    if port:
        args += ["-p", str(port)]
    if url.username:
        args += ["-U", url.username]
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    return args, env


def integrity_ok(path: Path) -> bool:
    """SQLite's own check of a database file."""
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def backup(database_url: str, target: Path) -> Path:
    """Copy the live database to `target` while it keeps serving; the copy is one consistent snapshot."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if database_url.startswith("sqlite"):
        source = sqlite3.connect(_sqlite_path(database_url))
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
            source.close()
        if not integrity_ok(target):
            raise BackupError(f"The backup {target} failed its integrity check.")
        return target
    args, env = _pg_args(database_url)
    result = subprocess.run(
        [_pg_tool("pg_dump"), "-Fc", "-f", str(target), *args], env=env, capture_output=True
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.decode(errors='replace').strip()}")
    return target


def restore(database_url: str, source: Path) -> None:
    """Replace the database's content with the backup `source`, checked first (a bad one changes nothing)."""
    if not source.exists():
        raise BackupError(f"There is no backup at {source}.")
    if database_url.startswith("sqlite"):
        if not integrity_ok(source):
            raise BackupError(
                f"The backup {source} failed its integrity check; the database was left as it was."
            )
        backup_copy = sqlite3.connect(source)
        live = sqlite3.connect(_sqlite_path(database_url))
        try:
            backup_copy.backup(live)  # page by page, under SQLite's own locking
        finally:
            live.close()
            backup_copy.close()
        return
    args, env = _pg_args(database_url)
    command = [
        _pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        *args,
        str(source),
    ]
    result = subprocess.run(command, env=env, capture_output=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.decode(errors='replace').strip()}")
