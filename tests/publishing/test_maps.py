"""Each map, rendered to HTML: its features, tooltips, legend, and no link to a CDN."""

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from gi_registry.core.i18n import Lang
from gi_registry.geo.models import AdminArea
from gi_registry.indications.models import Indication
from gi_registry.producers.models import LabelVersion, LinkRole, Producer, ProducerLink
from maps.builders import county_map, indication_map, label_switch_map, overview_map
from maps.context import MapContext
from tests.factories import make_uscc


def html_of(fmap) -> str:  # noqa: ANN001 - a folium.Map
    return fmap.get_root().render()


def escaped(text: str) -> str:
    """How folium writes non-ASCII text inside the embedded GeoJSON."""
    return json.dumps(text)[1:-1]


def assert_offline(html: str) -> None:
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    assert "/static/vendor/leaflet-1.9.4/dist/leaflet.js" in html


def test_overview_has_counties_context_areas_legend_and_layer_control(session: Session) -> None:
    html = html_of(overview_map(session))
    assert_offline(html)
    assert html.count('"level": "county"') == 9
    assert html.count('"level": "city"') >= 6  # neighbouring prefectures, drawn faintly
    for name in ("华容县", "平江县"):
        assert escaped(name) in html
    assert "Miluo City" in html
    assert "/indications/zhangshugang-lajiao?lang=zh" in html  # in 湘阴县's popup
    assert "L.control.layers" in html and "gi-legend" in html
    assert escaped("图例") in html or "图例" in html
    assert "L.markerClusterGroup" in html
    assert "tile.openstreetmap.org" not in html
    # The production areas and producers are fetched by the browser, from the registry's own map data.
    assert '"url": "/maps/data/areas.json"' in html and '"url": "/maps/data/producers.json"' in html
    assert '"link": "/indications/__gi_slug__?lang=zh"' in html


def test_overview_map_data_has_the_areas_and_producers(client: TestClient, session: Session) -> None:
    areas = client.get("/maps/data/areas.json")
    assert areas.status_code == 200 and areas.headers["content-type"] == "application/json"
    bases = {f["properties"]["basis"] for f in areas.json()["features"]}
    assert {"townships_in_range", "whole_city"} <= bases  # a published range clips the places named
    slugs = {f["properties"]["slug"] for f in areas.json()["features"]}
    assert "zhangshugang-lajiao" in slugs
    assert set(areas.json()["features"][0]["properties"]) <= {
        "slug",
        "name_zh",
        "name_en",
        "kind",
        "basis",
        "places",
        "range",  # only where the published range is outlined around the places named
    }
    ranged = [f for f in areas.json()["features"] if f["properties"].get("range")]
    assert {f["properties"]["slug"] for f in ranged} >= {"zhangshugang-lajiao", "huarongdao-zhoupigan"}
    again = client.get("/maps/data/areas.json", headers={"If-None-Match": areas.headers["etag"]})
    assert again.status_code == 304
    producer = Producer(key="located", name_zh="有位置的合作社", uscc=make_uscc(), county_code="430624")
    producer.lon, producer.lat = 112.9, 28.7
    session.add(producer)
    session.commit()
    points = client.get("/maps/data/producers.json", headers={"Accept-Encoding": "gzip"})
    assert points.status_code == 200 and points.headers["content-encoding"] == "gzip"
    assert points.json()["fields"] == ["id", "lon", "lat", "name_zh", "name_en"]
    assert [producer.id, 112.9, 28.7, "有位置的合作社", None] in points.json()["rows"]


def test_static_overview_inlines_the_layers_once(session: Session) -> None:
    html = html_of(overview_map(session, MapContext(data_base=None)))
    assert '"url": null' in html and "/maps/data/" not in html
    assert '"basis": "townships_in_range"' in html and '"basis": "whole_city"' in html
    assert html.count("L.circleMarker(") == 1  # the one in the script that reads the data array


def test_english_overview_uses_english_labels_and_links(session: Session) -> None:
    html = html_of(overview_map(session, MapContext(lang=Lang.en)))
    assert "Legend" in html and "GI production areas" in html
    assert "/indications/zhangshugang-lajiao?lang=en" in html


def test_indication_map_shows_only_that_gi(session: Session) -> None:
    gi = session.exec(select(Indication).where(Indication.slug == "huarong-qing-doujiao")).one()
    html = html_of(indication_map(session, gi))
    assert_offline(html)
    assert html.count('"slug": "huarong-qing-doujiao"') == 1
    assert '"slug": "zhangshugang-lajiao"' not in html


def test_county_map_highlights_the_county_and_keeps_its_areas(session: Session, client: TestClient) -> None:
    county = session.get(AdminArea, "430624")
    html = html_of(county_map(session, county))
    assert_offline(html)
    assert "#1f4e79" in html  # the highlighted outline
    # Its areas and producers are loaded like the overview's, for this county only.
    assert '"url": "/maps/data/areas.json?county=430624"' in html
    assert '"url": "/maps/data/producers.json?county=430624"' in html
    slugs = {
        f["properties"]["slug"]
        for f in client.get(f"/maps/data/areas.json?county={county.code}").json()["features"]
    }
    assert "zhangshugang-lajiao" in slugs  # 湘阴县 within its published range
    assert "huarong-qing-doujiao" not in slugs
    assert client.get("/maps/data/areas.json?county=430600").status_code == 404  # the city is no county
    assert client.get("/maps/data/producers.json?county=999999").status_code == 404
    # Inlined (static site), the same areas are in the page.
    html = html_of(county_map(session, county, MapContext(data_base=None)))
    assert '"slug": "zhangshugang-lajiao"' in html and '"slug": "huarong-qing-doujiao"' not in html


def test_label_switch_map_reads_empty_data_honestly(session: Session) -> None:
    html = html_of(label_switch_map(session, MapContext(lang=Lang.en)))
    assert_offline(html)
    assert "no special-mark authorizations on record yet" in html
    assert "Pingjiang County: 0/0" in html


def test_label_switch_map_counts_unified_labels(session: Session) -> None:
    producer = Producer(
        key="synthetic-a", name_zh="合成生产者", uscc=make_uscc(), county_code="430626", synthetic=True
    )
    session.add(producer)
    session.flush()
    for label in (LabelVersion.unified, LabelVersion.legacy):
        session.add(
            ProducerLink(
                producer_id=producer.id,
                indication_id=8 if label == LabelVersion.unified else 7,
                role=LinkRole.authorized_user,
                label_version=label,
                synthetic=True,
            )
        )
    session.commit()
    assert "Pingjiang County: 0/0" in html_of(
        label_switch_map(session, MapContext(lang=Lang.en))
    )  # demo hidden
    html = html_of(label_switch_map(session, MapContext(lang=Lang.en, demo=True)))
    assert "Pingjiang County: 1/2" in html
    assert '"share_label": "50%"' in html
    assert "no special-mark authorizations" not in html


@pytest.mark.parametrize("tiles", [None, "OpenStreetMap"])
def test_tiles_are_a_setting(session: Session, tiles: str | None) -> None:
    html = html_of(overview_map(session, MapContext(tiles=tiles)))
    assert ("tile.openstreetmap.org" in html) == (tiles is not None)


def test_registry_text_is_never_evaluated_as_a_template(session: Session) -> None:
    gi = session.exec(select(Indication).where(Indication.slug == "zhangshugang-lajiao")).one()
    gi.name_zh = "{{ 7*7 }} {% if true %}x{% endif %} pepper"
    session.add(gi)
    session.commit()
    html = html_of(overview_map(session))
    assert "{{ 7*7 }} {% if true %}x{% endif %} pepper" in html
    assert "49 x pepper" not in html


def test_a_gi_without_an_area_says_so_on_its_map_and_page(session: Session, client: TestClient) -> None:
    gi = session.exec(select(Indication).where(Indication.slug == "huarong-jiecai")).one()
    html = html_of(indication_map(session, gi, MapContext(lang=Lang.en)))
    assert "production area is not on record or cannot be placed on a map" in html
    assert "gi-note-warning" in html and "gi-inset" not in html  # the whole city is already in view
    page = client.get("/indications/huarong-jiecai?lang=en").text
    assert 'id="map-no-area"' in page
    assert page.count('class="area-not-on-record"') == 3  # each protection, in words
    assert "Production area not on record" in page
    # A GI with an area, but not for every protection, names the ones missing.
    lajiao = session.exec(select(Indication).where(Indication.slug == "zhangshugang-lajiao")).one()
    html = html_of(indication_map(session, lajiao, MapContext(lang=Lang.en)))
    assert "No production area shown: GI trademark" in html
    assert 'id="map-no-area"' not in client.get("/indications/zhangshugang-lajiao?lang=en").text


def test_a_small_area_keeps_its_county_and_the_city_in_view(session: Session) -> None:
    gi = session.exec(select(Indication).where(Indication.slug == "zhangshugang-lajiao")).one()
    html = html_of(indication_map(session, gi))
    (south, west), (north, east) = json.loads(re.search(r"var bounds = (\[\[.*?\]\]);", html).group(1))
    xiangyin = session.get(AdminArea, "430624").geometry.bounds
    assert west <= xiangyin[0] and south <= xiangyin[1] and east >= xiangyin[2] and north >= xiangyin[3]
    assert "gi-inset" in html and "L.Control.extend" in html  # the whole city as an inset
    # The published range is outlined and labelled as such, apart from the area.
    assert escaped("来源公布的坐标范围（产地的外缘，不是产地边界）") in html or "来源公布的坐标范围" in html
    assert '"dashArray": "5 4"' in html and '"fill": false' in html


def test_labels_are_ranked_for_collision_checks_and_the_legend_folds(session: Session) -> None:
    county = session.get(AdminArea, "430611")
    html = html_of(county_map(session, county))
    ranks = dict(re.findall(r'data-rank=\\"(\d+)\\" data-code=\\"(\d+)\\"', html))
    assert ranks["0"] == "430611"  # the county the map is about wins a collision
    assert len(ranks) == 9 and "giPlaceLabels" in html
    assert '<details class="gi-legend" open' in html and "box.open = false" in html


def test_a_map_document_is_built_once_per_data_version_and_each_answer_has_its_own_nonce(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The overview at national scale takes a tenth of a second to build: it is kept, and each answer is
    the kept document with that answer's CSP nonce on the maps' own scripts (and no other)."""
    from maps import builders

    built: list[Lang] = []
    original = builders.overview_map

    def counting(session: Session, ctx: MapContext) -> object:
        built.append(ctx.lang)
        return original(session, ctx)

    monkeypatch.setattr(builders, "overview_map", counting)

    def nonce_of(response) -> str:  # noqa: ANN001 - an httpx Response
        return re.search(r"'nonce-([A-Za-z0-9_-]+)'", response.headers["content-security-policy"]).group(1)

    first, again = client.get("/maps/overview.html"), client.get("/maps/overview.html")
    assert first.status_code == again.status_code == 200 and built == [Lang.zh]
    first_nonce, again_nonce = nonce_of(first), nonce_of(again)
    assert first_nonce != again_nonce and first_nonce not in again.text
    assert again.text.count(f'nonce="{again_nonce}"') == len(re.findall(r"<script\b", again.text))
    assert first.text.replace(first_nonce, "N") == again.text.replace(again_nonce, "N")

    assert client.get("/maps/overview.html?lang=en").status_code == 200 and built == [Lang.zh, Lang.en]
    name = "保存测试县"  # a write: the next answer is built from the new data
    county = session.exec(select(AdminArea).where(AdminArea.code == "430623")).one()
    county.name_zh = name
    session.add(county)
    session.commit()
    assert escaped(name) in client.get("/maps/overview.html").text and built == [Lang.zh, Lang.en, Lang.zh]
