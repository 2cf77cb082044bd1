"""The gi-registry command line: migrate, load (twice), check, and a refused malformed dataset."""

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import inspect, text
from typer.testing import CliRunner

from gi_registry.cli.app import app
from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings, get_settings
from gi_registry.ops.migrate import EXTENSION_TABLES
from tests.conftest import DATA_DIR

runner = CliRunner()


@pytest.fixture
def cli_env(blank_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Point the command line at a blank database of this test."""
    url = blank_database_url
    monkeypatch.setenv("GI_DATABASE_URL", url)
    get_settings.cache_clear()
    yield Settings(database_url=url)
    get_settings.cache_clear()


def count(settings: Settings, table: str) -> int:
    engine = make_engine(settings)
    with engine.connect() as connection:
        value = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return value


def test_upgrade_load_twice_and_check(cli_env: Settings) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = make_engine(cli_env)
    assert "indication" in inspect(engine).get_table_names()
    engine.dispose()

    first = runner.invoke(app, ["data", "load"])
    assert first.exit_code == 0, first.output
    assert "Created" in first.output and "21 indication" in first.output
    rows = {t: count(cli_env, t) for t in ("indication", "protection", "citation", "change_log")}

    second = runner.invoke(app, ["data", "load"])
    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.output
    assert {t: count(cli_env, t) for t in rows} == rows

    check = runner.invoke(app, ["data", "check"], env={"COLUMNS": "200"})
    assert check.exit_code == 0, check.output
    assert "is valid" in check.output and "21 GI products" in check.output
    assert "32 (as of 2020-12-31)" in check.output
    assert "match no township code" in check.output
    assert "Recorded per county" in check.output and "华容县 430623" in check.output
    assert "Fields still unknown, by GI product" in check.output
    assert "岳阳黄茶 (yueyang-huangcha): gi_protected_product: number" in check.output
    assert "gi_trademark as of 2020-12-31: 32 reported" in check.output
    assert "gi_protected_product as of 2020-12-31: 5 reported" in check.output


@pytest.mark.usefixtures("cli_env")
def test_data_check_fails_on_an_inferred_value_stored_as_a_fact(tmp_path: Path) -> None:
    broken = tmp_path / "data"
    shutil.copytree(DATA_DIR, broken)
    path = broken / "indications.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    tea = next(r for r in records if r["slug"] == "pingjiang-gaoshancha")
    tea["protections"][0]["inferred"] = {"mark_type": "read from an ambiguous 2025 sentence (inference)"}
    tea["protections"][0]["mark_type"] = "certification"
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")

    check = runner.invoke(app, ["data", "check", "--data-dir", str(broken)], env={"COLUMNS": "300"})
    assert check.exit_code == 1
    assert "pingjiang-gaoshancha" in check.output
    assert "'mark_type' is 'certification' but its only support is an inference" in check.output


def test_malformed_dataset_is_refused_naming_file_record_and_field(cli_env: Settings, tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    broken = tmp_path / "data"
    shutil.copytree(DATA_DIR, broken)
    path = broken / "official_totals.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("total: 32", "total: -32"), encoding="utf-8")

    result = runner.invoke(app, ["data", "load", "--data-dir", str(broken)], env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    assert "official_totals.yaml, record 1 (yueyang-gi-trademarks-2020)" in result.output
    assert "field 'total'" in result.output
    assert count(cli_env, "indication") == 0

    check = runner.invoke(app, ["data", "check", "--data-dir", str(broken)], env={"COLUMNS": "300"})
    assert check.exit_code == 1 and "field 'total'" in check.output


def test_downgrade_to_base_removes_the_schema(cli_env: Settings) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["db", "downgrade", "base"]).exit_code == 0
    engine = make_engine(cli_env)
    # The PostGIS extension, which the migrations enable, stays: other schemas of the database may use it.
    assert set(inspect(engine).get_table_names()) - EXTENSION_TABLES <= {"alembic_version"}
    engine.dispose()


@pytest.mark.usefixtures("cli_env")
def test_maps_build_writes_a_static_site(tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["data", "load"]).exit_code == 0
    out = tmp_path / "site"
    result = runner.invoke(app, ["maps", "build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").exists() and (out / "index.en.html").exists()
    assert (out / "assets" / "vendor" / "leaflet-1.9.4" / "dist" / "leaflet.js").exists()
    html = (out / "counties" / "430623.html").read_text(encoding="utf-8")
    assert 'src="../assets/vendor/leaflet-1.9.4/dist/leaflet.js"' in html
    assert "https://" not in html.split("<body>")[0]


def test_users_create_for_each_role(cli_env: Settings) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["data", "load"]).exit_code == 0
    ok = runner.invoke(
        app, ["users", "create", "--username", "li", "--password", "a long password", "--role", "official"]
    )
    assert ok.exit_code == 0, ok.output
    producer = runner.invoke(
        app,
        [
            "users",
            "create",
            "--username",
            "coop",
            "--password",
            "a long password",
            "--role",
            "producer",
            "--producer-id",
            "1",
        ],
    )
    assert producer.exit_code == 0, producer.output
    missing = runner.invoke(
        app, ["users", "create", "--username", "x", "--password", "a long password", "--role", "producer"]
    )
    assert missing.exit_code == 1 and "--producer-id" in missing.output
    taken = runner.invoke(
        app, ["users", "create", "--username", "li", "--password", "a long password", "--role", "admin"]
    )
    assert taken.exit_code == 1 and "taken" in taken.output
    assert count(cli_env, "user_account") == 2
