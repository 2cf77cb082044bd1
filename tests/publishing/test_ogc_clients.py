"""Real GIS clients read the live registry: GDAL's OGC API – Features driver and OWSLib."""

import pyogrio
import pytest
from owslib.ogcapi.features import Features

pytestmark = pytest.mark.slow

# producers: 20 real + 1 synthetic test producer; production_areas: the 10 areas drawable from the sources
TOTALS = {"indications": 21, "producers": 21, "production_areas": 10, "counties": 9}


@pytest.mark.parametrize("collection", sorted(TOTALS))
def test_gdal_oapif_driver_reads_every_collection_across_pages(live_server: str, collection: str) -> None:
    frame = pyogrio.read_dataframe(f"OAPIF:{live_server}/ogc", layer=collection, use_arrow=False)
    assert len(frame) == TOTALS[collection]
    if collection == "counties":
        assert frame.crs.to_epsg() == 4326
        assert set(frame["name_zh"]) >= {"华容县", "平江县"}


def test_gdal_follows_next_links_with_a_small_page_size(live_server: str) -> None:
    # PAGE_SIZE=4 makes GDAL fetch 6 pages for 21 GIs, following the server's next links.
    frame = pyogrio.read_dataframe(
        f"OAPIF:{live_server}/ogc", layer="indications", use_arrow=False, PAGE_SIZE=4
    )
    assert len(frame) == TOTALS["indications"]
    assert frame["slug"].is_unique and "华容芥菜" in set(frame["name_zh"])


@pytest.mark.parametrize("collection", sorted(TOTALS))
def test_owslib_reads_every_collection_page_by_page(live_server: str, collection: str) -> None:
    service = Features(f"{live_server}/ogc")
    assert collection in [c["id"] for c in service.collections()["collections"]]
    seen: list = []
    offset = 0
    while True:
        page = service.collection_items(collection, limit=5, offset=offset)
        assert page["numberMatched"] == TOTALS[collection]
        seen += [f["id"] for f in page["features"]]
        if not any(link["rel"] == "next" for link in page["links"]):
            break
        offset += 5
    assert len(seen) == len(set(seen)) == TOTALS[collection]
