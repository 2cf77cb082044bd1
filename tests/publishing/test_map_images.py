"""Static maps for reports (issue 16, item 4): each GI's and each county's map as a PNG, drawn offline with
a CJK font, downloadable from the GI page and placed in the annual supervision report."""

import io
from datetime import date

import numpy as np
import openpyxl
from fastapi.testclient import TestClient
from PIL import Image

from maps.static import HEIGHT_PX, WIDTH_PX, area_fill
from tests.machine import needs_cjk_font
from tests.workflow import build_world

pytestmark = needs_cjk_font


def _pixels(content: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG"
    assert image.size == (WIDTH_PX, HEIGHT_PX)
    return np.asarray(image.convert("RGB"))


def _share_of(pixels: np.ndarray, colour: str) -> float:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return float(np.all(pixels == rgb, axis=-1).mean())


def test_a_gi_map_image_has_the_stated_size_and_shows_its_area(client: TestClient) -> None:
    response = client.get("/maps/indications/huarongdao-zhoupigan.png?lang=zh")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    pixels = _pixels(response.content)
    kinds = {
        f["properties"]["kind"]
        for f in client.get("/api/v1/indications/huarongdao-zhoupigan/areas").json()["features"]
    }
    # 华容县 filled in its kind's colour: a large block of exactly that colour, not a blank image.
    assert max(_share_of(pixels, area_fill(kind)) for kind in kinds) > 0.05
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50  # lines, labels, legend
    again = client.get(
        "/maps/indications/huarongdao-zhoupigan.png?lang=zh",
        headers={"If-None-Match": response.headers["etag"]},
    )
    assert again.status_code == 304
    english = client.get("/maps/indications/huarongdao-zhoupigan.png?lang=en")
    assert english.status_code == 200 and english.headers["etag"] != response.headers["etag"]
    assert client.get("/maps/indications/no-such-gi.png").status_code == 404


def test_a_small_area_and_a_county_and_a_gi_without_an_area(client: TestClient) -> None:
    small = _pixels(client.get("/maps/indications/zhangshugang-lajiao.png").content)
    assert _share_of(small, area_fill("agricultural_product_gi")) > 0.002  # seen at its county's scale
    county = client.get("/maps/counties/430623.png?lang=en")
    assert county.status_code == 200
    assert _share_of(_pixels(county.content), "#ffffff") < 0.5
    nothing = _pixels(client.get("/maps/indications/huarong-jiecai.png").content)
    for kind in ("gi_trademark", "gi_protected_product", "agricultural_product_gi"):
        assert _share_of(nothing, area_fill(kind)) == 0  # no area drawn: the image says why instead
    assert client.get("/maps/counties/430600.png").status_code == 404


def test_without_a_cjk_font_the_image_is_refused_in_words(client: TestClient, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("GI_CJK_FONT", "/nonexistent/font.ttc")
    response = client.get("/maps/indications/huarongdao-zhoupigan.png")
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.json()["detail"][0]["msg"]


def test_the_gi_page_links_its_map_image(client: TestClient) -> None:
    page = client.get("/indications/zhangshugang-lajiao?lang=en").text
    assert 'id="map-image" href="/maps/indications/zhangshugang-lajiao.png?lang=en"' in page
    assert "Download the map image (PNG)" in page
    assert 'href="/maps/counties/430623.png?lang=zh"' in client.get("/counties/430623?lang=zh").text


def test_the_annual_report_holds_each_gis_map(client: TestClient, session) -> None:  # noqa: ANN001
    world = build_world(client, session)
    year = date.today().year
    response = client.get(f"/api/v1/supervision-report/{year}.xlsx", headers=world.official)
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    maps = workbook["maps"]
    names = [maps.cell(row=3 + i * 32, column=1).value for i in range(21)]
    assert names[0] == "岳阳黄茶" and all(names)
    assert len(maps._images) == 21
    first = Image.open(io.BytesIO(maps._images[0]._data()))
    assert first.size == (800, 600)
    quick = client.get(f"/api/v1/supervision-report/{year}.xlsx?maps=false", headers=world.official)
    assert "maps" not in openpyxl.load_workbook(io.BytesIO(quick.content)).sheetnames
