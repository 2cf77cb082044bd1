"""Map layers, each a FeatureGroup built from GeoJSON the services return."""

from html import escape

import folium
from branca.element import MacroElement, Template

from gi_registry.core.i18n import Lang, enum_label, kind_label, t
from gi_registry.geo.drawing import AreaBasis
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


def county_labels(
    collection: dict, ctx: MapContext, *, first: list[str] | None = None
) -> folium.FeatureGroup:
    """County names centred on each polygon's label anchor, ranked for collision checks: the counties
    in `first`, then the others largest first. `LabelPlacement` hides a label that would overlap one
    ranked before it, at every zoom."""
    group = folium.FeatureGroup(name=t("layer_labels", ctx.lang))
    wanted = first or []
    features = sorted(
        (f for f in collection["features"] if f["properties"].get("label_lat") is not None),
        key=lambda f: (
            wanted.index(f["properties"]["code"]) if f["properties"]["code"] in wanted else len(wanted),
            -(f["properties"].get("area_km2") or 0),
        ),
    )
    for rank, feature in enumerate(features):
        props = feature["properties"]
        name = props["name_zh"] if ctx.lang == Lang.zh else (props["name_en"] or props["name_zh"])
        folium.Marker(
            [props["label_lat"], props["label_lon"]],
            icon=folium.DivIcon(
                html=f'<div class="gi-county-label" data-rank="{rank}" data-code="{escape(props["code"])}" '
                'style="position:absolute;transform:translate(-50%,-50%);font:bold 12px sans-serif;'
                f'color:#333;white-space:nowrap;text-shadow:0 0 3px #fff,0 0 2px #fff">{escape(name)}</div>',
                icon_size=(0, 0),
                class_name="gi-label-icon",
            ),
            interactive=False,
        ).add_to(group)
    LabelPlacement().add_to(group)
    return group


class LabelPlacement(MacroElement):
    """Hides each county label that would overlap a label ranked before it, measured in the page after
    every zoom, move or resize, so labels never collide at any size (and come back when there is room)."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <style>
          /* Leaflet.markercluster animates every marker icon while it regroups; labels jump at once, so
             they are measured where they end up. */
          .leaflet-cluster-anim .gi-label-icon, .gi-label-icon { transition: none !important; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
          var group = {{ this._parent.get_name() }};
          function place() {
            var map = group._map;
            if (!map) { return; }
            var labels = Array.prototype.slice.call(
              map.getContainer().querySelectorAll('.gi-county-label'));
            labels.sort(function (a, b) { return a.dataset.rank - b.dataset.rank; });
            var kept = [];
            labels.forEach(function (label) {
              var r = label.getBoundingClientRect();
              var clash = kept.some(function (k) {
                return r.left < k.right + 5 && r.right + 5 > k.left
                  && r.top < k.bottom + 2 && r.bottom + 2 > k.top;
              });
              label.style.visibility = clash ? 'hidden' : 'visible';
              label.classList.toggle('gi-label-hidden', clash);
              if (!clash) { kept.push(r); }
            });
          }
          window.giPlaceLabels = place;
          // After the events of a move have all run (markers are placed by some of them), once.
          var timer = null;
          function later() { clearTimeout(timer); timer = setTimeout(place, 0); }
          var watched = null;
          function watch() {
            var map = group._map;
            if (map && map !== watched) {
              watched = map;
              map.on('zoomend moveend resize viewreset', later);
            }
            later();
          }
          group.on('add', watch);  // shown again from the layer control
          watch();  // the group is usually on the map already when this runs
          window.addEventListener('load', later);
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "LabelPlacement"


def area_layer(collection: dict, ctx: MapContext) -> folium.FeatureGroup:
    """Production areas as the sources define them (dashed where they are the most the area can be, not
    a traced boundary); areas the sources leave undrawn (no geometry) are left out."""
    collection = {**collection, "features": [f for f in collection["features"] if f["geometry"]]}
    for feature in collection["features"]:
        props = feature["properties"]
        name = props["name_zh"] if ctx.lang == Lang.zh else props["name_en"]
        props["display_name"] = name
        props["kind_label"] = kind_label(props["kind"], ctx.lang)
        props["basis_label"] = enum_label(AreaBasis(props["basis"]), ctx.lang)
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


def range_collection(areas: dict, lang: Lang) -> dict:
    """The published coordinate ranges of `areas` as rectangles (one per distinct range), each with the
    range as printed and the products that print it."""
    ranges: dict[tuple, dict] = {}
    for feature in areas["features"]:
        props = feature["properties"]
        bounds = props.get("declared_range")
        if not bounds:
            continue
        name = props["name_zh"] if lang == Lang.zh else props["name_en"]
        found = ranges.setdefault(
            tuple(bounds), {"printed": props.get("coordinate_range") or "", "names": []}
        )
        if name not in found["names"]:
            found["names"].append(name)
    features = []
    for (lon_min, lat_min, lon_max, lat_max), found in ranges.items():
        ring = [
            [lon_min, lat_min],
            [lon_max, lat_min],
            [lon_max, lat_max],
            [lon_min, lat_max],
            [lon_min, lat_min],
        ]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "range_label": t("published_range", lang),
                    "printed": found["printed"],
                    "products": ("、" if lang == Lang.zh else ", ").join(found["names"]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def range_layer(collection: dict, ctx: MapContext, *, show: bool = True) -> folium.FeatureGroup:
    """Published coordinate ranges: thin dashed outlines, labelled as the published range, never filled."""
    group = folium.FeatureGroup(name=t("layer_ranges", ctx.lang), show=show)
    if collection["features"]:
        folium.GeoJson(
            collection,
            style_function=styles.range_style,
            tooltip=EscapedTooltip(
                fields=["range_label", "printed", "products"],
                aliases=[t("layer_ranges", ctx.lang), "", t("gi_products", ctx.lang)],
                labels=False,
            ),
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
