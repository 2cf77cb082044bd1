"""One function per map. Each takes its data from the same service functions the API uses."""

from datetime import date

import folium
from sqlmodel import Session

from gi_registry.geo import service as geo_service
from gi_registry.geo import versions as geo_versions
from gi_registry.geo.models import AdminArea, AreaLevel
from gi_registry.geo.service import AreaDrawing
from gi_registry.i18n import Lang, t
from gi_registry.indications import service as indications_service
from gi_registry.indications.areas import production_area_features
from gi_registry.indications.models import Indication, ProtectionKind
from gi_registry.producers import service as producers_service
from maps import data as map_data
from maps import render, styles
from maps.assets import localize
from maps.browser_layers import AreaShapes, ProducerPoints
from maps.context import MapContext
from maps.layers import (
    POPUP_GIS,
    area_layer,
    context_layer,
    county_labels,
    county_layer,
    earlier_versions_layer,
    producer_layer,
    township_layer,
)
from maps.legend import Legend
from maps.tooltips import EscapedTooltip


def _new_map(ctx: MapContext) -> folium.Map:
    # SVG rendering keeps each polygon a DOM element that assistive tools and tests can see.
    # Without tiles nothing sets a zoom range, and Leaflet.markercluster refuses to run without one.
    render.install()  # registry text is rendered as text, never compiled as a Jinja template
    return folium.Map(
        tiles=ctx.tiles,
        control_scale=True,
        prefer_canvas=False,
        zoom_start=9,
        location=[29.1, 113.2],
        # folium only forwards min_zoom/max_zoom to a tile layer; these reach the map itself.
        minZoom=6,
        maxZoom=16,
    )


def _finish(fmap: folium.Map, ctx: MapContext, bounds_of: dict, legend: Legend) -> folium.Map:
    legend.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    bounds = _bounds(bounds_of)
    if bounds:
        fmap.fit_bounds(bounds)
    return localize(fmap, ctx.assets_base)


def _bounds(collection: dict) -> list[list[float]] | None:
    coords: list[tuple[float, float]] = []

    def walk(node) -> None:  # noqa: ANN001 - nested GeoJSON coordinate lists
        if isinstance(node[0], (int, float)):
            coords.append((node[0], node[1]))
        else:
            for child in node:
                walk(child)

    for feature in collection["features"]:
        walk(feature["geometry"]["coordinates"])
    if not coords:
        return None
    lons, lats = zip(*coords, strict=True)
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _area_legend(ctx: MapContext, located: int | None, areas: dict) -> Legend:
    lang = ctx.lang
    rows = [(colour, _kind(kind, lang), False) for kind, colour in styles.KIND_COLOURS.items()]
    shown = {f["properties"]["basis"] for f in areas["features"]}
    for basis in vars(AreaDrawing).values():
        if isinstance(basis, str) and basis in shown:
            rows.append(("#ffffff", t(f"basis_{basis}", lang), basis not in styles.SURVEYED_BASES))
    notes = [f"{located} {t('producers_located', lang)}"] if located is not None else []
    return Legend(t("legend", lang), rows, notes)


def _kind(kind: str, lang: Lang) -> str:
    from gi_registry.i18n import kind_label

    return kind_label(ProtectionKind(kind).value, lang)


def _add_townships(fmap: folium.Map, session: Session, ctx: MapContext, *, county_code: str | None) -> None:
    """Uploaded township boundaries, if any: shown on a county's map, switchable on the overview."""
    names = {a.code: a.name_zh for a in geo_service.list_admin_areas(session, level=AreaLevel.township)}
    features = []
    for version in geo_versions.township_versions(session, date.today()):
        if county_code is None or version.township_code.startswith(county_code):
            feature = geo_versions.version_feature(version, {"name_zh": names.get(version.township_code)})
            features.append(feature)
    if features:
        collection = {"type": "FeatureCollection", "features": features}
        township_layer(collection, ctx, show=county_code is not None).add_to(fmap)


def overview_map(session: Session, ctx: MapContext | None = None) -> folium.Map:
    """Yueyang's counties, neighbours for context, GI production areas and producers.

    The page inlines only the context (counties, neighbours, labels, legend); the production areas and
    the producers are loaded by the browser from /maps/data/ (maps.data), the producers clustered, so
    the page stays the same size whatever the number of GIs and producers.
    """
    ctx = ctx or MapContext()
    fmap = _new_map(ctx)
    counties = geo_service.county_feature_collection(session)
    context_layer(geo_service.context_feature_collection(session), ctx).add_to(fmap)
    county_layer(counties, ctx, indications_service.indications_by_county(session, POPUP_GIS)).add_to(fmap)
    _add_townships(fmap, session, ctx, county_code=None)
    _add_loaded_layers(fmap, session, ctx, county_code=None)
    county_labels(counties, ctx).add_to(fmap)
    # The browser adds to the legend the drawing bases the areas use and the number of producers shown.
    return _finish(fmap, ctx, counties, _area_legend(ctx, None, {"features": []}))


def _add_loaded_layers(
    fmap: folium.Map, session: Session, ctx: MapContext, *, county_code: str | None
) -> None:
    """The production areas and the producers (of one county, or all), added by the browser from
    /maps/data/ (maps.data), or from the same data inlined once when there is nothing to fetch from."""
    query = f"?county={county_code}" if county_code else ""
    areas_url, producers_url = ctx.data_url("areas.json"), ctx.data_url("producers.json")
    areas = folium.FeatureGroup(name=t("layer_areas", ctx.lang))
    if areas_url:
        AreaShapes(ctx, url=areas_url + query, data=None).add_to(areas)
    else:
        AreaShapes(ctx, url=None, data=map_data.area_shapes(session, county_code=county_code)).add_to(areas)
    areas.add_to(fmap)
    producers = folium.FeatureGroup(name=t("layer_producers", ctx.lang))
    if producers_url:
        ProducerPoints(ctx, url=producers_url + query, data=None, count_in_legend=True).add_to(producers)
    else:
        points = map_data.producer_points(session, county_code=county_code, include_synthetic=ctx.demo)
        ProducerPoints(ctx, url=None, data=points, count_in_legend=True).add_to(producers)
    producers.add_to(fmap)


def indication_map(session: Session, indication: Indication, ctx: MapContext | None = None) -> folium.Map:
    """One GI: its production areas over the counties, and its producers."""
    ctx = ctx or MapContext()
    fmap = _new_map(ctx)
    counties = geo_service.county_feature_collection(session)
    areas = production_area_features(session, indication_ids=[indication.id])
    producers = producers_service.located_producers(
        session, indication_id=indication.id, include_synthetic=ctx.demo
    )
    county_layer(counties, ctx, indications_service.indications_by_county(session, POPUP_GIS)).add_to(fmap)
    earlier = geo_versions.superseded_area_versions(session, indication_id=indication.id)
    if earlier:
        earlier_versions_layer(
            {"type": "FeatureCollection", "features": [geo_versions.version_feature(v) for v in earlier]}, ctx
        ).add_to(fmap)
    area_layer(areas, ctx).add_to(fmap)
    producer_layer(producers, ctx).add_to(fmap)
    county_labels(counties, ctx).add_to(fmap)
    return _finish(
        fmap,
        ctx,
        areas if areas["features"] else counties,
        _area_legend(ctx, len(producers["features"]), areas),
    )


def county_map(session: Session, county: AdminArea, ctx: MapContext | None = None) -> folium.Map:
    """One county: its outline among the others, the production areas touching it, its producers.

    Like the overview, the areas and producers are loaded by the browser (`?county=` of /maps/data/).
    """
    ctx = ctx or MapContext()
    fmap = _new_map(ctx)
    gis = indications_service.indications_by_county(session, POPUP_GIS)
    others = geo_service.county_feature_collection(
        session, codes=[c for c in geo_service.county_geometries(session) if c != county.code]
    )
    this = geo_service.county_feature_collection(session, codes=[county.code])
    county_layer(others, ctx, gis).add_to(fmap)
    county_layer(this, ctx, gis, style=styles.highlighted_county_style).add_to(fmap)
    _add_townships(fmap, session, ctx, county_code=county.code)
    # A county holds a tenth of a national registry: its areas and producers are loaded like the overview's.
    _add_loaded_layers(fmap, session, ctx, county_code=county.code)
    county_labels(geo_service.county_feature_collection(session), ctx).add_to(fmap)
    legend = _area_legend(ctx, None, {"features": []})
    return _finish(fmap, ctx, this if this["features"] else others, legend)


def label_switch_map(session: Session, ctx: MapContext | None = None) -> folium.Map:
    """Officials' view: per county, the share of authorized producers on the unified 2020 mark."""
    ctx = ctx or MapContext()
    lang = ctx.lang
    fmap = _new_map(ctx)
    counts = producers_service.label_switch_by_county(session, include_synthetic=ctx.demo)
    counties = geo_service.county_feature_collection(session)
    rows = []
    for feature in counties["features"]:
        props = feature["properties"]
        count = counts.get(props["code"])
        props["authorized"] = count.authorized if count else 0
        props["unified"] = count.unified if count else 0
        props["share"] = count.share if count else None
        props["share_label"] = f"{props['share']:.0%}" if props["share"] is not None else t("unknown", lang)
        name = props["name_zh"] if lang == Lang.zh else (props["name_en"] or props["name_zh"])
        rows.append(
            (styles.switch_fill(props["share"]), f"{name}: {props['unified']}/{props['authorized']}", False)
        )
    group = folium.FeatureGroup(name=t("layer_switch", lang))
    if counties["features"]:
        folium.GeoJson(
            counties,
            style_function=styles.switch_style,
            tooltip=EscapedTooltip(
                fields=["name_zh", "name_en", "authorized", "unified", "share_label"],
                aliases=["县市区", "County", t("authorized_users", lang), t("on_unified", lang), "%"],
            ),
        ).add_to(group)
    group.add_to(fmap)
    county_labels(counties, ctx).add_to(fmap)
    notes = [] if counts else [t("no_authorizations", lang)]
    title = f"{t('label_switch_map', lang)} ({t('on_unified', lang)} / {t('authorized_users', lang)})"
    return _finish(fmap, ctx, counties, Legend(title, rows, notes))
