"""The stored layers: spatial queries in the database, incremental refresh from the change log, races."""

import dataclasses
import json
import random
from datetime import timedelta

import shapely
from fastapi.testclient import TestClient
from shapely.geometry import box, shape
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from gi_registry.history.service import ChangeSet, apply_changes
from gi_registry.indications.models import Indication
from gi_registry.layers import store
from gi_registry.layers.collections import LAYERS
from gi_registry.layers.definitions import Drawn, Layer
from gi_registry.layers.models import SPATIAL_INDEX, SQLITE_RTREE, LayerFeature, LayerState

YUEYANG = (112.31, 28.42, 114.16, 29.86)


def _stored(session: Session, layer_id: str) -> dict[str, str]:
    rows = session.exec(
        select(LayerFeature.feature_id, LayerFeature.body).where(LayerFeature.layer == layer_id)
    )
    return dict(rows.all())


def _spy(layer: Layer, calls: list) -> Layer:
    def draw(session: Session, owners: list[int] | None) -> list[Drawn]:
        calls.append(owners)
        return layer.draw(session, owners)

    return dataclasses.replace(layer, draw=draw)


def _rename(session: Session, slug: str, name_en: str) -> Indication:
    indication = session.exec(select(Indication).where(Indication.slug == slug)).one()
    apply_changes(
        session, ChangeSet(actor="test", reason="layer test"), "indication", indication, {"name_en": name_en}
    )
    session.commit()
    return indication


def test_bbox_answers_match_an_exact_test_of_every_feature(client: TestClient) -> None:
    for collection in ("indications", "producers", "production_areas", "counties"):
        url = f"/ogc/collections/{collection}/items"
        everything = client.get(url, params={"limit": 1000}).json()["features"]
        assert everything, collection
        generator = random.Random(collection)
        for _ in range(8):
            x, y = generator.uniform(YUEYANG[0], YUEYANG[2]), generator.uniform(YUEYANG[1], YUEYANG[3])
            bbox = (x, y, x + generator.uniform(0.01, 0.6), y + generator.uniform(0.01, 0.6))
            expected = [
                f["id"]
                for f in everything
                if f["geometry"] is None or shape(f["geometry"]).intersects(box(*bbox))
            ]
            answer = client.get(url, params={"limit": 1000, "bbox": ",".join(map(str, bbox))}).json()
            assert [f["id"] for f in answer["features"]] == expected, (collection, bbox)
            assert answer["numberMatched"] == len(expected)


def test_the_geometry_lives_in_the_backends_spatial_column(client: TestClient, session: Session) -> None:
    client.get("/ogc/collections/counties/items")  # draws the layer
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        kind = connection.execute(
            text(
                "SELECT udt_name FROM information_schema.columns"
                " WHERE table_name = 'layer_feature' AND column_name = 'geometry'"
            )
        ).scalar_one()
        assert kind == "geometry"
        method = connection.execute(
            text(
                "SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname = :name"
            ),
            {"name": SPATIAL_INDEX},
        ).scalar_one()
        assert method == "gist"
        srid = (
            connection.execute(text("SELECT DISTINCT ST_SRID(geometry) FROM layer_feature")).scalars().all()
        )
        assert srid == [4326]
    else:
        blobs = session.exec(select(LayerFeature.geometry).where(LayerFeature.layer == "counties")).all()
        assert blobs and all(shapely.from_wkb(b).is_valid for b in blobs)
        boxes = connection.execute(text(f"SELECT count(*) FROM {SQLITE_RTREE}")).scalar_one()
        located = connection.execute(text("SELECT count(*) FROM layer_feature WHERE min_x IS NOT NULL"))
        assert boxes == located.scalar_one() > 0


def test_an_edit_redraws_only_the_product_it_touches(
    session: Session,
    monkeypatch,  # noqa: ANN001 - pytest fixture
) -> None:
    # On PostgreSQL a refresh also rechecks changes written just before the last one (the dataset
    # load, here, a few seconds ago, whose code-keyed divisions redraw everything): not this test.
    monkeypatch.setattr(store, "IN_FLIGHT", timedelta(0))
    store.refresh(session, LAYERS["indications"])
    store.refresh(session, LAYERS["producers"])
    before = _stored(session, "indications")
    indication = _rename(session, next(iter(before)), "Renamed for the layer test")
    calls: list = []
    assert store.refresh(session, _spy(LAYERS["indications"], calls))
    assert calls == [[indication.id]]
    after = _stored(session, "indications")
    assert after.keys() == before.keys()
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {indication.slug}
    assert json.loads(after[indication.slug])["properties"]["name_en"] == "Renamed for the layer test"
    # Producers do not show a product's name: their layer moves its version without drawing anything.
    producer_calls: list = []
    assert store.refresh(session, _spy(LAYERS["producers"], producer_calls))
    assert producer_calls == []
    assert session.get(LayerState, "producers").version == store.data_version(session)


def test_a_write_committed_behind_a_higher_id_is_caught_on_postgresql(session: Session) -> None:
    store.refresh(session, LAYERS["indications"])
    slug = next(iter(_stored(session, "indications")))
    # As if the rename committed late: a refresh already recorded its id without seeing its effect.
    _rename(session, slug, "Committed late")
    state = session.get(LayerState, "indications")
    state.version = store.data_version(session)
    session.commit()
    store.refresh(session, LAYERS["indications"], recheck=True)
    name = json.loads(_stored(session, "indications")[slug])["properties"]["name_en"]
    if session.get_bind().dialect.name == "postgresql":
        assert name == "Committed late"
    else:  # SQLite commits one writer at a time, in id order: nothing can arrive late
        assert name != "Committed late"


def test_a_change_it_cannot_place_redraws_the_whole_layer(session: Session) -> None:
    store.refresh(session, LAYERS["producers"])
    changes = ChangeSet(actor="test", reason="a bulk load")
    changes.created(session, "producer", "seed-7", {"rows": 3})
    session.commit()
    calls: list = []
    assert store.refresh(session, _spy(LAYERS["producers"], calls))
    assert calls == [None]
    state = session.get(LayerState, "producers")
    assert state.version == store.data_version(session)


def test_two_processes_refreshing_at_once_leave_the_winners_rows(session: Session, engine: Engine) -> None:
    layer = LAYERS["indications"]
    store.refresh(session, layer)
    slug = _rename(session, next(iter(_stored(session, "indications"))), "Raced").slug
    session.close()
    winner_rows: dict[str, str] = {}

    def racing_draw(draw_session: Session, owners: list[int] | None) -> list[Drawn]:
        drawn = layer.draw(draw_session, owners)
        if not winner_rows:  # another process finishes its refresh while this one is drawing
            with Session(engine) as other:
                assert store.refresh(other, layer)
                winner_rows.update(_stored(other, "indications"))
        return drawn

    with Session(engine) as loser:
        assert not store.refresh(loser, dataclasses.replace(layer, draw=racing_draw))
    with Session(engine) as check:
        assert _stored(check, "indications") == winner_rows
        assert json.loads(winner_rows[slug])["properties"]["name_en"] == "Raced"
        assert check.get(LayerState, "indications").version == store.data_version(check)


def test_the_whole_layer_export_is_the_stored_bytes_with_an_etag(
    client: TestClient, session: Session
) -> None:
    answer = client.get("/api/v1/exports/indications", params={"f": "geojson"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/geo+json")
    collection = answer.json()
    ogc = client.get("/ogc/collections/indications/items", params={"limit": 1000}).json()
    assert collection["features"] == ogc["features"]
    etag = answer.headers["etag"]
    again = client.get(
        "/api/v1/exports/indications", params={"f": "geojson"}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b""
    _rename(session, collection["features"][0]["id"], "Renamed for the export test")
    changed = client.get(
        "/api/v1/exports/indications", params={"f": "geojson"}, headers={"If-None-Match": etag}
    )
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["features"][0]["properties"]["name_en"] == "Renamed for the export test"


def test_a_write_over_the_api_brings_the_layers_up_to_date_before_any_read(
    client: TestClient, session: Session
) -> None:
    from tests.workflow import SOURCE, build_world

    world = build_world(client, session)
    client.get("/ogc/collections/indications/items")  # the layers are current
    body = {"name_en": "Renamed on the primary", "reason": "replica test", "sources": SOURCE}
    answer = client.patch("/api/v1/indications/linxiang-heicha", json=body, headers=world.official)
    assert answer.status_code == 200, answer.text
    session.expire_all()
    # No read has happened since: the write itself refreshed the rows a read replica would replicate.
    assert session.get(LayerState, "indications").version == store.data_version(session)
    stored = json.loads(_stored(session, "indications")["linxiang-heicha"])
    assert stored["properties"]["name_en"] == "Renamed on the primary"
