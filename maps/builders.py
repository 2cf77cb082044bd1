"""One function per map. Each takes its data from the same service functions the API uses."""

from datetime import date

import folium
from shapely.geometry import shape
from sqlmodel import Session, select

from gi_registry.core.i18n import Lang, enum_label, kind_label, t
from gi_registry.geo import service as geo_service
from gi_registry.geo import versions as geo_versions
from gi_registry.geo.drawing import AreaBasis
from gi_registry.geo.models import AdminArea, AreaLevel
from gi_registry.indications import service as indications_service
from gi_registry.indications.areas import production_area_features, superseded_area_versions
from gi_registry.indications.models import Indication, Protection, ProtectionKind
from gi_registry.producers import service as producers_service
from maps import data as map_data
from maps import render, styles, view
from maps.assets import localize
from maps.browser_layers import AreaShapes, ProducerPoints, ViewLayers
from maps.context import MapContext
from maps.inset import FitView, Inset, inset_data
from maps.layers import (
    POPUP_GIS,
    area_layer,
    context_layer,
    county_labels,
    county_layer,
    earlier_versions_layer,
    producer_layer,
    range_collection,
    range_layer,
    township_layer,
)
from maps.legend import OUTLINE, Legend
from maps.tooltips import EscapedTooltip

BASIS_SWATCH = "#eeeeee"  # a drawing basis in the legend: grey, dashed when not a traced boundary
# A map whose view covers less than this share of the city's bounding box gets the city as an inset.
INSET_BELOW = 0.5


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
        # Quarter zoom steps: without tiles nothing needs whole levels, and a fitted view (beside the
        # legend) is then as large as the frame allows instead of a whole level smaller.
        zoomSnap=0.25,
    )


def _finish(
    fmap: folium.Map,
    ctx: MapContext,
    bounds_of: dict,
    legend: Legend,
    *,
    inset: tuple[dict, list] | None = None,
) -> folium.Map:
    """Legend, layer control and view; with `inset` (counties, subject geometries), the city in a corner
    when the view covers only a small part of it."""
    legend.add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    bounds = _bounds(bounds_of)
    if bounds:
        FitView(bounds).add_to(fmap)
    if inset is not None and bounds:
        counties, subject = inset
        city = _bounds(counties)
        if city and _box_area(bounds) < INSET_BELOW * _box_area(city):
            Inset(inset_data(counties, subject), t("inset_title", ctx.lang)).add_to(fmap)
    return localize(fmap, ctx.assets_base)


def _box_area(bounds: list[list[float]]) -> float:
    (south, west), (north, east) = bounds
    return max(north - south, 0) * max(east - west, 0)


def _bounds(collection: dict) -> list[list[float]] | None:
    boxes = [shape(f["geometry"]).bounds for f in collection["features"] if f.get("geometry")]
    if not boxes:
        return None
    west, south, east, north = zip(*boxes, strict=True)
    return [[min(south), min(west)], [max(north), max(east)]]


def _area_legend(
    ctx: MapContext,
    located: int | None,
    areas: dict,
    *,
    kinds: set[str] | None = None,
    ranges: bool = False,
    warnings: list[str] | None = None,
) -> Legend:
    """The kinds' colours (those in `kinds`, default all), each drawing basis in use, the published range
    when drawn, and notes (producers located; what is not shown and why, in `warnings`)."""
    lang = ctx.lang
    rows: list[tuple[str, str, bool | str]] = [
        (colour, kind_label(ProtectionKind(kind).value, lang), False)
        for kind, colour in styles.KIND_COLOURS.items()
        if kinds is None or kind in kinds
    ]
    shown = {f["properties"]["basis"] for f in areas["features"] if f.get("geometry")}
    for basis in AreaBasis:
        if basis.value in shown:
            rows.append((BASIS_SWATCH, enum_label(basis, lang), basis.value not in styles.SURVEYED_BASES))
    if ranges:
        rows.append((styles.RANGE_COLOUR, t("published_range", lang), OUTLINE))
    notes = [f"{located} {t('producers_located', lang)}"] if located is not None else []
    return Legend(t("legend", lang), rows, notes, warnings)


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
    ranges = folium.FeatureGroup(name=t("layer_ranges", ctx.lang))  # filled by AreaShapes
    ranges.add_to(fmap)  # before the areas: inlined data is drawn at once, into an existing group
    if ctx.data_base and ctx.view_above is not None:
        located, area_count = view.layer_sizes(session, include_synthetic=ctx.demo, county_code=county_code)
        if located + area_count > ctx.view_above:
            # Too large to send whole (national scale): the tiles of the view, fetched as it moves.
            areas.add_to(fmap)
            producers = folium.FeatureGroup(name=t("layer_producers", ctx.lang))
            producers.add_to(fmap)
            base = ctx.data_base.rstrip("/")
            layers = ViewLayers(
                ctx, base=base, query=query, total=located, areas=areas, producers=producers, ranges=ranges
            )
            layers.add_to(fmap)
            return
    if areas_url:
        AreaShapes(ctx, url=areas_url + query, data=None, ranges=ranges).add_to(areas)
    else:
        data = map_data.area_shapes(session, county_code=county_code)
        AreaShapes(ctx, url=None, data=data, ranges=ranges).add_to(areas)
    areas.add_to(fmap)
    producers = folium.FeatureGroup(name=t("layer_producers", ctx.lang))
    if producers_url:
        ProducerPoints(ctx, url=producers_url + query, data=None, count_in_legend=True).add_to(producers)
    else:
        points = map_data.producer_points(session, county_code=county_code, include_synthetic=ctx.demo)
        ProducerPoints(ctx, url=None, data=points, count_in_legend=True).add_to(producers)
    producers.add_to(fmap)


def indication_map(session: Session, indication: Indication, ctx: MapContext | None = None) -> folium.Map:
    """One GI: its production areas over the counties, the published ranges as outlines, its producers.

    The map says what it shows: the legend lists the kinds and drawing bases in use, and names the
    protections whose area is not on record or not drawn (the sources disagree). The view keeps the
    area's counties around a small area, with the whole city as an inset.
    """
    ctx = ctx or MapContext()
    lang = ctx.lang
    fmap = _new_map(ctx)
    counties = geo_service.county_feature_collection(session)
    areas = production_area_features(session, indication_ids=[indication.id])
    drawn = [f for f in areas["features"] if f["geometry"]]
    producers = producers_service.located_producers(
        session, indication_id=indication.id, include_synthetic=ctx.demo
    )
    context_layer(geo_service.context_feature_collection(session), ctx).add_to(fmap)
    county_layer(counties, ctx, indications_service.indications_by_county(session, POPUP_GIS)).add_to(fmap)
    earlier = superseded_area_versions(session, indication_id=indication.id)
    if earlier:
        earlier_versions_layer(
            {"type": "FeatureCollection", "features": [geo_versions.version_feature(v) for v in earlier]}, ctx
        ).add_to(fmap)
    area_layer(areas, ctx).add_to(fmap)
    ranges = range_collection(areas, lang)
    if ranges["features"]:
        range_layer(ranges, ctx).add_to(fmap)
    producer_layer(producers, ctx).add_to(fmap)
    area_counties = sorted({c for f in drawn for c in f["properties"]["county_codes"]})
    county_labels(counties, ctx, first=area_counties).add_to(fmap)
    legend = _area_legend(
        ctx,
        len(producers["features"]),
        areas,
        kinds={f["properties"]["kind"] for f in drawn},
        ranges=bool(ranges["features"]),
        warnings=missing_area_notes(session, indication, areas, lang),
    )
    # The view: the areas with the counties they lie in, so a small area keeps its place.
    around = {
        "features": drawn + [f for f in counties["features"] if f["properties"]["code"] in area_counties]
    }
    subject = [shape(f["geometry"]) for f in drawn]
    return _finish(fmap, ctx, around if drawn else counties, legend, inset=(counties, subject))


def protection_kinds(session: Session, indication: Indication) -> list[tuple[int, str]]:
    """(id, kind) of the GI's protections, in order."""
    query = select(Protection.id, Protection.kind).where(Protection.indication_id == indication.id)
    return [(pid, ProtectionKind(kind).value) for pid, kind in session.exec(query.order_by(Protection.id))]


def missing_area_notes(session: Session, indication: Indication, areas: dict, lang: Lang) -> list[str]:
    """What the GI's map cannot show, in words: that no area is drawn at all, the protections without
    one, and the findings of areas the sources leave undrawn. The web map's legend and the PNG say the
    same."""
    kinds = protection_kinds(session, indication)
    drawn = {f["properties"]["protection_id"] for f in areas["features"] if f["geometry"]}
    warnings = []
    if not drawn:
        warnings.append(t("map_no_area", lang))
    missing = [kind_label(kind, lang) for pid, kind in kinds if pid not in drawn]
    if missing and drawn:
        warnings.append(t("legend_no_area", lang, kinds=("、" if lang == Lang.zh else ", ").join(missing)))
    for feature in areas["features"]:
        for finding in feature["properties"]["findings"]:
            warnings.append(finding["message_zh"] if lang == Lang.zh else finding["message"])
    return warnings


def county_map(session: Session, county: AdminArea, ctx: MapContext | None = None) -> folium.Map:
    """One county: its outline among the others, the production areas touching it, its producers.

    Like the overview, the areas and producers are loaded by the browser (`?county=` of /maps/data/).
    """
    ctx = ctx or MapContext()
    fmap = _new_map(ctx)
    gis = indications_service.indications_by_county(session, POPUP_GIS)
    all_counties = geo_service.county_feature_collection(session)
    others = geo_service.county_feature_collection(
        session, codes=[c for c in geo_service.county_geometries(session) if c != county.code]
    )
    this = geo_service.county_feature_collection(session, codes=[county.code])
    context_layer(geo_service.context_feature_collection(session), ctx).add_to(fmap)
    county_layer(others, ctx, gis).add_to(fmap)
    county_layer(this, ctx, gis, style=styles.highlighted_county_style).add_to(fmap)
    _add_townships(fmap, session, ctx, county_code=county.code)
    # A county holds a tenth of a national registry: its areas and producers are loaded like the overview's.
    _add_loaded_layers(fmap, session, ctx, county_code=county.code)
    county_labels(all_counties, ctx, first=[county.code]).add_to(fmap)
    legend = _area_legend(ctx, None, {"features": []})
    subject = [shape(f["geometry"]) for f in this["features"]]
    return _finish(fmap, ctx, this if this["features"] else others, legend, inset=(all_counties, subject))


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
