"""One function per map. Each takes its data from the same services the API uses."""

import folium
from sqlmodel import Session

from gi_registry.geo import service as geo_service


def county_map(session: Session, *, tiles: str | None = None) -> folium.Map:
    """Yueyang's county polygons with zh/en tooltips; no tiles by default, so it works offline."""
    counties = geo_service.county_feature_collection(session)
    fmap = folium.Map(tiles=tiles, control_scale=True)
    layer = folium.GeoJson(
        counties,
        name="县市区 Counties",
        style_function=lambda _feature: {
            "color": "#555",
            "weight": 1,
            "fillColor": "#9c6",
            "fillOpacity": 0.35,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["name_zh", "name_en", "area_km2"], aliases=["县市区", "County", "km²"]
        ),
    )
    layer.add_to(fmap)
    folium.LayerControl().add_to(fmap)
    if counties["features"]:
        bounds = layer.get_bounds()
        fmap.fit_bounds(bounds)
    return fmap
