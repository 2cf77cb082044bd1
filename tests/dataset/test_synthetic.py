"""`gi-registry data synth`: seeded, synthetic in every record, never into the real dataset, servable."""

import random
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from gi_registry.cli.app import app as cli_app
from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from gi_registry.dataset.reader import read_geography
from gi_registry.http.app import create_app
from gi_registry.layers.collections import LAYERS
from gi_registry.synthetic.draws import Draws, randoms
from gi_registry.synthetic.generate import TABLE_ORDER, County, Generator, _shuffle
from gi_registry.synthetic.service import SynthRefused, synthesize
from gi_registry.synthetic.shape import MARK, OFFICIAL_USERNAME, Sizes, producer_username
from tests.conftest import DATA_DIR
from tests.synthetic_reference import Generator as ReferenceGenerator
from tests.workflow import PDF

SMALL = Sizes(indications=50, producers=200, renewals=300, audits=100)
PASSWORD = "synthetic-password"
# Tables with a `synthetic` column, and what else is compared between two runs (the argon2 hash is
# salted at random, so it is the one column left out).
FLAGGED = ("indication", "protection", "producer", "producer_link", "user_account", "renewal", "audit")
COMPARED = (*FLAGGED, "production_area", "indication_county")


def _synth(url: str, settings: Settings, seed: int = 7) -> None:
    synthesize(url, SMALL, seed=seed, password=PASSWORD, settings=settings)


def _rows(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        tables = {}
        for table in COMPARED:
            rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")).mappings().all()
            tables[table] = [tuple(v for k, v in row.items() if k != "password_hash") for row in rows]
    engine.dispose()
    return tables


@pytest.fixture
def synthetic_urls(backend):  # noqa: ANN001, ANN201 - fixtures
    urls = [backend.empty_database() for _ in range(3)]
    yield urls
    for url in urls:
        backend.drop(url)


def test_same_seed_gives_the_same_rows_and_another_seed_others(
    synthetic_urls: list[str], empty_settings: Settings
) -> None:
    first, second, other = synthetic_urls
    _synth(first, empty_settings)
    _synth(second, empty_settings)
    _synth(other, empty_settings, seed=8)
    rows = _rows(first)
    assert rows == _rows(second)
    assert len(rows["indication"]) == 50 and len(rows["producer"]) == 200
    assert len(rows["renewal"]) == 300 and len(rows["audit"]) == 100
    assert _rows(other)["producer"] != rows["producer"]


def test_every_record_is_marked_synthetic(synthetic_urls: list[str], empty_settings: Settings) -> None:
    url = synthetic_urls[0]
    _synth(url, empty_settings)
    engine = create_engine(url)
    with engine.connect() as connection:
        for table in FLAGGED:
            flags = connection.execute(text(f"SELECT synthetic, count(*) FROM {table} GROUP BY 1")).all()
            assert [(bool(flag), n > 0) for flag, n in flags] == [(True, True)], table
        # Tables without the column carry the mark in a text a person reads.
        notes = connection.execute(text("SELECT DISTINCT summary_note FROM production_area")).scalars().all()
        assert notes == [MARK]
        logged = connection.execute(
            text("SELECT reason FROM change_log WHERE actor = 'synthetic-generator' AND field IS NULL")
        ).scalars()
        assert all("synthetic" in reason for reason in logged)
        states = set(connection.execute(text("SELECT DISTINCT status FROM renewal")).scalars())
        assert {"submitted", "under_review", "approved", "rejected", "returned"} <= states
    engine.dispose()


def test_refuses_the_real_dataset_and_a_second_run(settings: Settings, synthetic_urls: list[str]) -> None:
    engine = make_engine(settings)
    with engine.connect() as connection:
        before = connection.execute(text("SELECT count(*) FROM indication")).scalar_one()
    with pytest.raises(SynthRefused, match="holds the real dataset"):
        _synth(settings.database_url, settings)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM indication")).scalar_one() == before
        assert connection.execute(text("SELECT count(*) FROM indication WHERE synthetic")).scalar_one() == 0
    engine.dispose()
    url = synthetic_urls[0]
    _synth(url, settings)
    with pytest.raises(SynthRefused, match="already holds a synthetic dataset"):
        _synth(url, settings)


def test_refuses_a_file_inside_data(tmp_path: Path, empty_settings: Settings) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    target = data_dir / "synthetic.db"
    with pytest.raises(SynthRefused, match="never written into"):
        _synth(f"sqlite:///{target}", empty_settings.model_copy(update={"data_dir": data_dir}))
    assert not target.exists()


def test_cli_refuses_the_real_database_with_a_message(settings: Settings, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("GI_DATA_DIR", str(settings.data_dir))
    result = CliRunner().invoke(
        cli_app,
        ["data", "synth", "--database-url", settings.database_url, "--indications", "5", "--producers", "5"],
    )
    assert result.exit_code == 1
    assert "holds the real dataset" in " ".join(result.output.split())


def test_cli_prints_the_bulk_rate(synthetic_urls: list[str]) -> None:
    args = ["--indications", "20", "--producers", "50", "--renewals", "60", "--audits", "10"]
    result = CliRunner().invoke(cli_app, ["data", "synth", "--database-url", synthetic_urls[0], *args])
    assert result.exit_code == 0, result.output
    assert "rows/s" in result.output
    engine = create_engine(synthetic_urls[0])
    with engine.connect() as connection:
        # Every layer drawn by the command, not by the first map or OGC request.
        drawn = connection.exec_driver_sql("SELECT layer FROM layer_state WHERE version > 0").scalars().all()
        assert sorted(drawn) == sorted(LAYERS)
        features = connection.exec_driver_sql("SELECT count(*) FROM layer_feature").scalar_one()
        assert features >= 20 + 50
    if engine.dialect.name == "postgresql":
        # Vacuumed and analyzed by the command, not left to autovacuum under the first requests.
        with engine.connect() as connection:
            left = connection.exec_driver_sql(
                "SELECT relname FROM pg_stat_user_tables WHERE relname IN ('producer', 'renewal', "
                "'layer_feature') AND (last_vacuum IS NULL OR last_analyze IS NULL)"
            )
            assert left.all() == []
    engine.dispose()


def test_a_registry_already_serving_the_empty_database_answers_with_the_set_at_once(
    synthetic_urls: list[str], empty_settings: Settings
) -> None:
    from gi_registry.ops import migrate

    url = synthetic_urls[2]
    migrate.upgrade(url)
    settings = empty_settings.model_copy(update={"database_url": url, "demo_mode": True})
    items = "/ogc/collections/indications/items"
    with TestClient(create_app(settings)) as client:
        before = client.get(items)
        assert before.json()["numberMatched"] == 0
        assert client.get(items, headers={"If-None-Match": before.headers["etag"]}).status_code == 304
        # The bulk load needs the file to itself on SQLite: the registry holds no connection meanwhile.
        client.app.state.engine.dispose()
        _synth(url, empty_settings)
        after = client.get(items, headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200 and after.json()["numberMatched"] == SMALL.indications


def test_the_api_ogc_and_maps_serve_the_synthetic_database(
    synthetic_urls: list[str], empty_settings: Settings
) -> None:
    url = synthetic_urls[0]
    _synth(url, empty_settings)
    settings = empty_settings.model_copy(update={"database_url": url, "demo_mode": True})
    with TestClient(create_app(settings)) as client:
        gi = client.get("/api/v1/indications/synthetic-00001")
        assert gi.status_code == 200, gi.text
        assert gi.json()["protections"][0]["area"]["bbox"] is not None
        page = client.get("/ogc/collections/indications/items", params={"limit": 100})
        assert page.status_code == 200
        body = page.json()
        assert body["numberMatched"] == 50 and body["numberReturned"] == 50
        # Each synthetic range names no place: drawn within Yueyang (a polygon, or parts where the city's
        # edge cuts it).
        assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in body["features"])
        bbox = client.get("/ogc/collections/indications/items", params={"bbox": "112.9,28.9,113.3,29.3"})
        assert bbox.status_code == 200 and bbox.json()["numberMatched"] < 50
        producers = client.get("/ogc/collections/producers/items", params={"limit": 5}).json()
        assert producers["numberMatched"] == 200
        assert all(f["properties"]["synthetic"] for f in producers["features"])
        overview = client.get("/maps/overview.html")
        assert overview.status_code == 200 and "synthetic" in overview.text.lower()

        # A synthetic producer signs in and files a renewal: the new row's id follows the generated ones.
        authorization, producer_id = _an_active_authorization(url)
        token = client.post(
            "/api/v1/auth/token", data={"username": producer_username(producer_id), "password": PASSWORD}
        ).json()["access_token"]
        filed = client.post(
            "/api/v1/renewals",
            data={"authorization_id": str(authorization)},
            files=[("documents", ("application.pdf", PDF, "application/pdf"))],
            headers={"Authorization": f"Bearer {token}"},
        )
        assert filed.status_code == 201, filed.text
        assert filed.json()["id"] == SMALL.renewals + 1
        official = client.post(
            "/api/v1/auth/token", data={"username": OFFICIAL_USERNAME, "password": PASSWORD}
        )
        assert official.status_code == 200


def _an_active_authorization(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(
            text(
                "SELECT id, producer_id FROM producer_link WHERE role = 'authorized_user' "
                "AND status IN ('active', 'switch_required') ORDER BY id LIMIT 1"
            )
        ).one()
    engine.dispose()
    return found.id, found.producer_id


def _counties() -> list[County]:
    """The counties with a boundary, from data/ (the order does not matter: both generators get it)."""
    geography = read_geography(DATA_DIR)
    townships: dict[str, list[str]] = {}
    for division in geography.divisions:
        if division.level == "township":
            townships.setdefault(division.parent_code or "", []).append(division.code)
    return [
        County(c.code, c.name_zh, c.geometry, tuple(townships.get(c.code, ()))) for c in geography.counties
    ]


def _neutral(value: object) -> object:
    # What the bulk generator gives for a value: dates ISO, timestamps UTC text.
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.mark.parametrize(
    ("seed", "sizes"), [(1, Sizes(120, 1_500, 4_000, 1_500)), (7, SMALL), (8, Sizes(3, 40, 0, 5))]
)
def test_the_bulk_generator_gives_the_row_by_row_generators_rows(seed: int, sizes: Sizes) -> None:
    counties = _counties()
    bulk = Generator(sizes, seed, counties, "hash")
    reference = ReferenceGenerator(sizes, seed, counties, "hash")
    assert bulk.table_sizes() == reference.table_sizes()
    for table in TABLE_ORDER:
        names, columns = bulk.columns(table)
        rows = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
        expected = [{name: _neutral(value) for name, value in row.items()} for row in reference.rows(table)]
        assert rows == expected, table


def test_bulk_draws_are_random_randoms_own() -> None:
    twin = random.Random("twin")
    rng = random.Random("twin")
    assert randoms(rng, 500).tolist() == [twin.random() for _ in range(500)]
    assert rng.random() == twin.random()  # and the stream goes on where it should
    for bound in (1, 2, 3, 20, 1_000, 2**20 + 1, 3 * 365 * 24 * 60 + 1):
        draws, twin = Draws(random.Random(bound), 4_000), random.Random(bound)
        at, values, expected = np.array([0]), [], []
        for step in range(300):  # alternate integers and floats, as a row recipe does
            if step % 3 == 2:
                value, at = draws.random(at)
                expected.append(twin.random())
            else:
                value, at = draws.below(bound, at)
                expected.append(twin.randrange(bound))
            values.append(value.item())
        assert values == expected, bound
    items, twin_items = list(range(1_000)), list(range(1_000))
    _shuffle(random.Random(3), items)
    random.Random(3).shuffle(twin_items)
    assert items == twin_items


def test_the_file_is_left_in_wal_mode(synthetic_urls: list[str], empty_settings: Settings) -> None:
    url = synthetic_urls[0]
    _synth(url, empty_settings)
    if not url.startswith("sqlite"):
        return
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
