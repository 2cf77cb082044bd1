"""Map layers, each a FeatureGroup built from GeoJSON the services return."""

from html import escape

import folium

from gi_registry.i18n import Lang, kind_label, t
from maps import styles
from maps.browser_layers import ProducerPoints
from maps.context import MapContext
from maps.data import points_of
from maps.tooltips import EscapedTooltip, LinkPopup


def context_layer(collection: dict, ctx: MapContext) -> folium.FeatureGroup:
    """Neighbouring prefectures, faint and without popups."""
    group = folium.FeatureGroup(name=t("layer_context", ctx.lang), control=True)
    if collection["features"]:
        folium.GeoJson(
            collection,
            style_function=styles.context_style,
            tooltip=EscapedTooltip(fields=["name_zh"], labels=False),
        ).add_to(group)
    return group


# A county's popup lists this many GIs at most, then links to the county's page for the rest.
POPUP_GIS = 25


def county_layer(collection: dict, ctx: MapContext, gis_by_county: dict, style=styles.county_style):  # noqa: ANN001
    """County polygons with zh/en tooltips and a popup listing the county's GIs with links.

    `gis_by_county` is indications_by_county(session, POPUP_GIS): the first products, and how many.
    """
    for feature in collection["features"]:
        props = feature["properties"]
        listed = gis_by_county.get(props["code"])
        names, total = (listed.first, listed.total) if listed else ([], 0)
        links = "".join(
            f'<li><a href="{escape(ctx.link_to_gi(n.slug))}" target="_top">'
            f"{escape(n.name_zh if ctx.lang == Lang.zh else (n.name_en or n.name_zh))}</a></li>"
            for n in names
        )
        if total > len(names):
            links += (
                f'<li><a href="{escape(ctx.link_to_county(props["code"]))}" target="_top">'
                f"… {total - len(names)} {escape(t('more_gis', ctx.lang))}</a></li>"
            )
        props["display_name"] = (
            props["name_zh"] if ctx.lang == Lang.zh else (props["name_en"] or props["name_zh"])
        )
        props["gi_count"] = total
        props["popup_html"] = (
            f'<strong><a href="{escape(ctx.link_to_county(props["code"]))}" target="_top">'
            f"{escape(props['display_name'])}</a></strong>"
            f"<ul>{links}</ul>"
        )
    group = folium.FeatureGroup(name=t("layer_counties", ctx.lang))
    if collection["features"]:
        folium.GeoJson(
            collection,
            style_function=style,
            highlight_function=lambda _f: {"weight": 3, "color": "#1f4e79"},
            tooltip=EscapedTooltip(
                fields=["name_zh", "name_en", "gi_count"],
                aliases=["县市区", "County", t("gi_products", ctx.lang)],
            ),
            popup=LinkPopup("popup_html"),
        ).add_to(group)
    return group


def county_labels(collection: dict, ctx: MapContext) -> folium.FeatureGroup:
    """County names at each polygon's label anchor."""
    group = folium.FeatureGroup(name=t("layer_labels", ctx.lang))
    for feature in collection["features"]:
        props = feature["properties"]
        if props.get("label_lat") is None:
            continue
        name = props["name_zh"] if ctx.lang == Lang.zh else (props["name_en"] or props["name_zh"])
        folium.Marker(
            [props["label_lat"], props["label_lon"]],
            icon=folium.DivIcon(
                html=f'<div class="gi-county-label" style="font:bold 12px sans-serif;color:#333;'
                f'white-space:nowrap;text-shadow:0 0 3px #fff">{escape(name)}</div>',
                icon_size=(0, 0),
            ),
            interactive=False,
        ).add_to(group)
    return group


def area_layer(collection: dict, ctx: MapContext) -> folium.FeatureGroup:
    """Production areas: declared rectangles, or the counties the source names (dashed, not a boundary)."""
    for feature in collection["features"]:
        props = feature["properties"]
        name = props["name_zh"] if ctx.lang == Lang.zh else props["name_en"]
        props["display_name"] = name
        props["kind_label"] = kind_label(props["kind"], ctx.lang)
        props["basis_label"] = t(f"basis_{props['basis']}", ctx.lang)
        props["places"] = props["places"] or "—"
        props["popup_html"] = (
            f'<strong><a href="{escape(ctx.link_to_gi(props["slug"]))}" target="_top">'
            f"{escape(name)}</a></strong>"
            f"<br>{escape(props['kind_label'])}<br>{escape(props['basis_label'])}"
        )
    group = folium.FeatureGroup(name=t("layer_areas", ctx.lang))
    if collection["features"]:
        folium.GeoJson(
            collection,
            style_function=styles.area_style,
            tooltip=EscapedTooltip(
                fields=["display_name", "kind_label", "basis_label", "places"],
                aliases=[
                    t("name", ctx.lang),
                    t("protections", ctx.lang),
                    t("production_area", ctx.lang),
                    "乡镇",
                ],
            ),
            popup=LinkPopup("popup_html"),
        ).add_to(group)
    return group


def producer_layer(collection: dict, ctx: MapContext) -> folium.FeatureGroup:
    """Producers with a known location, clustered; one compact data array, not one element per producer."""
    group = folium.FeatureGroup(name=t("layer_producers", ctx.lang))
    ProducerPoints(ctx, url=None, data=points_of(collection)).add_to(group)
    return group


def earlier_versions_layer(collection: dict, ctx: MapContext) -> folium.FeatureGroup:
    """Superseded uploaded versions of the areas, hidden until switched on in the layer control."""
    group = folium.FeatureGroup(name=t("layer_earlier_versions", ctx.lang), show=False)
    if collection["features"]:
        folium.GeoJson(
            collection,
            style_function=styles.earlier_version_style,
            tooltip=EscapedTooltip(
                fields=["valid_from", "valid_to"],
                aliases=[t("valid_from", ctx.lang), t("valid_to", ctx.lang)],
            ),
        ).add_to(group)
    return group


def township_layer(collection: dict, ctx: MapContext, *, show: bool) -> folium.FeatureGroup:
    """Uploaded township boundaries, thin lines with the township's name."""
    group = folium.FeatureGroup(name=t("layer_townships", ctx.lang), show=show)
    if collection["features"]:
        folium.GeoJson(
            collection,
            style_function=styles.township_style,
            tooltip=EscapedTooltip(
                fields=["name_zh", "valid_from"], aliases=["乡镇", t("valid_from", ctx.lang)]
            ),
        ).add_to(group)
    return group
