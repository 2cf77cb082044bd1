"""Running the registry: the whole schema for Alembic, migrations from code, backups and restores."""
