"""Maps are built from the registry's services and need no tiles."""

import json

from sqlmodel import Session

from maps.builders import county_map


def test_county_map_draws_the_nine_counties_without_tiles(session: Session) -> None:
    html = county_map(session).get_root().render()
    for name in ("华容县", "平江县", "Miluo City"):
        assert json.dumps(name)[1:-1] in html  # folium embeds the GeoJSON with escaped non-ASCII
    assert "tile.openstreetmap.org" not in html
    assert html.count('"type": "Feature"') == 9
