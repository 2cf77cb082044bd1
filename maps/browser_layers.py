"""Layers whose features the browser adds: fetched from /maps/data/ or, for the static site, inlined once.

The page carries one small script per layer, never one element per feature, so its size does not
grow with the registry: producers go into a Leaflet.markercluster group (chunked loading), production
areas into one L.geoJSON layer (on a canvas when there are many). Text from the registry is escaped
in the browser before it reaches a tooltip or popup.
"""

from branca.element import MacroElement, Template
from folium import FeatureGroup

from gi_registry.core.i18n import Lang, enum_label, kind_label, t
from gi_registry.geo.drawing import AreaBasis
from gi_registry.indications.models import ProtectionKind
from maps import styles
from maps.context import MapContext
from maps.view import POINTS_FROM_ZOOM

SLUG = "__gi_slug__"
# Above this many areas Leaflet draws them on one canvas instead of one SVG path each.
CANVAS_ABOVE = 2000
# The deepest tiles the by-view layers ask for (maps.view lists every producer from POINTS_FROM_ZOOM on;
# deeper tiles would only split the same points further).
MAX_TILE_ZOOM = POINTS_FROM_ZOOM

_COMMON_JS = """
  function giEscape(text) {
    return String(text == null ? '' : text).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }
  function giLoad(url, data, load, failed) {
    if (data !== null) { load(data); return; }
    fetch(url, {credentials: 'same-origin'})
      .then(function (response) {
        if (!response.ok) { throw new Error(url + ': ' + response.status); }
        return response.json();
      })
      .then(load)
      .catch(function (error) {
        console.warn(error);
        document.querySelectorAll('.gi-legend-notes').forEach(function (box) {
          var note = document.createElement('div');
          note.className = 'gi-note gi-load-failed';
          note.textContent = failed;
          box.appendChild(note);
        });
      });
  }
  window.giLoaded = window.giLoaded || {};
"""


class ProducerPoints(MacroElement):
    """Producers as circle markers in a marker cluster; the name shows on hover."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          """
        + _COMMON_JS
        + """
          var options = {{ this.options|tojson }};
          var cluster = L.markerClusterGroup({chunkedLoading: true, showCoverageOnHover: false});
          {{ this._parent.get_name() }}.addLayer(cluster);
          window.giProducerCluster = cluster;
          cluster.on('mouseover', function (event) {
            var marker = event.layer;
            if (!marker.getTooltip()) {
              marker.bindTooltip(giEscape(marker.options.giName));
              marker.openTooltip();
            }
          });
          giLoad(options.url, {{ this.data|tojson }}, function (data) {
            var at = {};
            data.fields.forEach(function (name, i) { at[name] = i; });
            var markers = data.rows.map(function (row) {
              var name = options.lang === 'zh' ? row[at.name_zh] : (row[at.name_en] || row[at.name_zh]);
              return L.circleMarker([row[at.lat], row[at.lon]], {
                radius: 6, color: '#08519c', weight: 1, fill: true, fillOpacity: 0.8,
                pane: 'markerPane', giName: name, giId: row[at.id]
              });
            });
            cluster.addLayers(markers);
            if (options.count_label) {
              document.querySelectorAll('.gi-legend-notes').forEach(function (box) {
                var note = document.createElement('div');
                note.className = 'gi-note gi-producer-count';
                note.textContent = markers.length + ' ' + options.count_label;
                box.appendChild(note);
              });
            }
            window.giLoaded.producers = markers.length;
          }, options.failed);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, ctx: MapContext, *, url: str | None, data: dict | None, count_in_legend: bool = False
    ) -> None:
        super().__init__()
        self._name = "ProducerPoints"
        self.options = {
            "url": url,
            "lang": ctx.lang.value,
            "failed": t("layer_not_loaded", ctx.lang),
            # Once loaded, "N producers with a known location" is added to the legend.
            "count_label": t("producers_located", ctx.lang) if count_in_legend else None,
        }
        self.data = data


BASES = [basis.value for basis in AreaBasis]


def _area_styles() -> dict[str, dict]:
    """styles.area_style for every kind and basis, keyed "kind|basis" ("|basis" for an unknown kind)."""
    return {
        f"{kind}|{basis}": styles.area_style({"properties": {"kind": kind, "basis": basis}})
        for kind in [*styles.KIND_COLOURS, ""]
        for basis in BASES
    }


def _basis_rows(lang: Lang) -> list[list]:
    """[basis, label, dashed] in the order drawings are preferred, for the legend."""
    return [
        [basis.value, enum_label(basis, lang), basis.value not in styles.SURVEYED_BASES]
        for basis in AreaBasis
    ]


class AreaShapes(MacroElement):
    """Production areas coloured by protection kind, with a tooltip and a popup linking to the GI's page.

    Once loaded, the legend gains a row for each drawing basis the areas use (dashed: not surveyed).
    The published coordinate ranges the areas carry (`range`) go into the `ranges` group as thin dashed
    outlines, one per distinct range, with a legend row.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          """
        + _COMMON_JS
        + """
          var options = {{ this.options|tojson }};
          var group = {{ this._parent.get_name() }};
          function label(props) {
            return options.lang === 'zh' ? props.name_zh : (props.name_en || props.name_zh);
          }
          giLoad(options.url, {{ this.data|tojson }}, function (collection) {
            var many = collection.features.length > options.canvas_above;
            var layer = L.geoJSON(collection, {
              renderer: many ? L.canvas({padding: 0.2}) : undefined,
              style: function (feature) {
                var p = feature.properties;
                return options.styles[p.kind + '|' + p.basis] || options.styles['|' + p.basis] || {};
              },
              onEachFeature: function (feature, shape) {
                var p = feature.properties;
                var kind = options.kinds[p.kind] || p.kind, basis = options.bases[p.basis] || p.basis;
                shape.bindTooltip(function () {
                  return '<strong>' + giEscape(label(p)) + '</strong><br>' + giEscape(kind) + '<br>'
                    + giEscape(basis) + (p.places ? '<br>' + options.places + ': ' + giEscape(p.places) : '');
                }, {sticky: true});
                shape.bindPopup(function () {
                  var href = options.link.replace(options.slug, encodeURIComponent(p.slug));
                  return '<strong><a class="gi-area-link" href="' + giEscape(href) + '" target="_top">'
                    + giEscape(label(p)) + '</a></strong><br>' + giEscape(kind) + '<br>' + giEscape(basis);
                });
              }
            });
            group.addLayer(layer);
            window.giAreas = layer;
            var ranges = {{ this.ranges_group }}, seen = {}, outlined = 0;
            collection.features.forEach(function (f) {
              var r = f.properties.range;
              if (!ranges || !r || seen[r.join(',')]) { return; }
              seen[r.join(',')] = true;
              outlined += 1;
              L.rectangle([[r[1], r[0]], [r[3], r[2]]], options.range_style)
                .bindTooltip(giEscape(options.range_label), {sticky: true})
                .addTo(ranges);
            });
            var used = {};
            collection.features.forEach(function (f) { used[f.properties.basis] = true; });
            document.querySelectorAll('.gi-legend-bases').forEach(function (box) {
              options.legend.forEach(function (row) {
                if (!used[row[0]]) { return; }
                var line = document.createElement('div'), swatch = document.createElement('span');
                swatch.className = 'gi-swatch' + (row[2] ? ' gi-swatch-dashed' : '');
                swatch.style.background = '#eeeeee';
                line.appendChild(swatch);
                line.appendChild(document.createTextNode(row[1]));
                box.appendChild(line);
              });
              if (outlined) {
                var line = document.createElement('div'), swatch = document.createElement('span');
                swatch.className = 'gi-swatch gi-swatch-outline';
                line.appendChild(swatch);
                line.appendChild(document.createTextNode(options.range_label));
                box.appendChild(line);
              }
            });
            if (window.giRefit) { window.giRefit(); }
            window.giLoaded.areas = collection.features.length;
          }, options.failed);
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        ctx: MapContext,
        *,
        url: str | None,
        data: dict | None,
        ranges: FeatureGroup | None = None,
    ) -> None:
        super().__init__()
        self._name = "AreaShapes"
        self.ranges_group = ranges.get_name() if ranges is not None else "null"
        self.options = {
            "url": url,
            "lang": ctx.lang.value,
            "failed": t("layer_not_loaded", ctx.lang),
            "canvas_above": CANVAS_ABOVE,
            "styles": _area_styles(),
            "kinds": {k.value: kind_label(k.value, ctx.lang) for k in ProtectionKind},
            "bases": {row[0]: row[1] for row in _basis_rows(ctx.lang)},
            "legend": _basis_rows(ctx.lang),
            "places": "乡镇" if ctx.lang == Lang.zh else "Townships",
            "link": ctx.link_to_gi(SLUG),
            "range_label": t("published_range", ctx.lang),
            "range_style": styles.range_style({}) | {"interactive": True},
            "slug": SLUG,
        }
        self.data = data


class ViewLayers(MacroElement):
    """Production areas and producers loaded by view (maps.view): the tiles covering the map's view at
    its zoom, fetched again as it moves, for a registry too large to send whole.

    Producers come as points or as counted clusters (a click zooms in on one); areas as simplified shapes
    on one canvas, each drawn once however many tiles it spans. When the first view is drawn the map
    container gets `data-gi-drawn` (and `window.giLoaded.view` says what was drawn), for tests and the
    benchmark.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          """
        + _COMMON_JS
        + """
          var options = {{ this.options|tojson }};
          var map = {{ this._parent.get_name() }};
          var areaGroup = {{ this.areas_group }}, producerGroup = {{ this.producers_group }};
          var ranges = {{ this.ranges_group }};
          var renderer = L.canvas({padding: 0.2});
          var rangeLayer = L.featureGroup();
          lazy(rangeLayer, function () { return giEscape(options.range_label); }, null);
          if (ranges) { ranges.addLayer(rangeLayer); }
          var zoom = null, loaded = {}, areaIds = {}, rangeSeen = {}, basesUsed = {}, failedOnce = false;
          var drawn = {producers: 0, clusters: 0, clustered: 0, areas: 0};
          var areas = null, points = null;
          function label(p) { return options.lang === 'zh' ? p.name_zh : (p.name_en || p.name_zh); }
          function styleOf(feature) {
            var p = feature.properties;
            var style = options.styles[p.kind + '|' + p.basis] || options.styles['|' + p.basis] || {};
            // Merged areas (maps.view) are clipped to their tile: an outline would draw the tile edges.
            return p.merged ? Object.assign({}, style, {stroke: false}) : style;
          }
          // Tooltips and popups are made on first use: a national view holds thousands of areas and
          // ranges, and one Leaflet tooltip object each would cost more than drawing them.
          function areaText(p, popup) {
            if (p.merged) { return giEscape(p.count + ' ' + options.areas_label); }
            var kind = options.kinds[p.kind] || p.kind, basis = options.bases[p.basis] || p.basis;
            if (popup) {
              var href = options.link.replace(options.slug, encodeURIComponent(p.slug));
              return '<strong><a class="gi-area-link" href="' + giEscape(href) + '" target="_top">'
                + giEscape(label(p)) + '</a></strong><br>' + giEscape(kind) + '<br>' + giEscape(basis);
            }
            return '<strong>' + giEscape(label(p)) + '</strong><br>' + giEscape(kind) + '<br>'
              + giEscape(basis) + (p.places ? '<br>' + options.places + ': ' + giEscape(p.places) : '');
          }
          function lazy(group, tooltip, popup) {
            group.on('mouseover', function (event) {
              if (!event.layer.getTooltip()) {
                event.layer.bindTooltip(tooltip(event.layer), {sticky: true});
                event.layer.openTooltip(event.latlng);
              }
            });
            if (popup) {
              group.on('click', function (event) {
                if (!event.layer.getPopup() && !(event.layer.feature || {properties: {}}).properties.merged) {
                  event.layer.bindPopup(popup(event.layer));
                  event.layer.openPopup(event.latlng);
                }
              });
            }
          }
          function reset(z) {
            // A new zoom: the clusters and the simplification of the old one no longer fit.
            zoom = z; loaded = {}; areaIds = {};
            drawn = {producers: 0, clusters: 0, clustered: 0, areas: 0};
            if (areas) { areaGroup.removeLayer(areas); }
            if (points) { producerGroup.removeLayer(points); }
            areas = L.geoJSON(null, {renderer: renderer, style: styleOf});
            lazy(areas, function (shape) { return areaText(shape.feature.properties, false); },
                 function (shape) { return areaText(shape.feature.properties, true); });
            areas.on('click', function (event) {
              if (event.layer.feature.properties.merged) {
                map.setView(event.latlng, Math.min(map.getZoom() + 2, map.getMaxZoom()));
              }
            });
            points = L.layerGroup();
            areaGroup.addLayer(areas);
            producerGroup.addLayer(points);
            window.giAreas = areas;
          }
          function tiles(z) {
            var n = Math.pow(2, z), b = map.getBounds(), out = [];
            function x(lon) { return Math.min(n - 1, Math.max(0, Math.floor((lon + 180) / 360 * n))); }
            function y(lat) {
              lat = Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI / 180;
              var v = (1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * n;
              return Math.min(n - 1, Math.max(0, Math.floor(v)));
            }
            for (var tx = x(b.getWest()); tx <= x(b.getEast()); tx++) {
              for (var ty = y(b.getNorth()); ty <= y(b.getSouth()); ty++) { out.push([z, tx, ty]); }
            }
            return out;
          }
          function fetchJson(url) {
            return fetch(url, {credentials: 'same-origin'}).then(function (response) {
              if (!response.ok) { throw new Error(url + ': ' + response.status); }
              return response.json();
            });
          }
          function addProducers(data, z) {
            if (z !== zoom) { return; }
            var at = {};
            data.fields.forEach(function (name, i) { at[name] = i; });
            data.rows.forEach(function (row) {
              var name = options.lang === 'zh' ? row[at.name_zh] : (row[at.name_en] || row[at.name_zh]);
              L.circleMarker([row[at.lat], row[at.lon]], {
                radius: 6, color: '#08519c', weight: 1, fill: true, fillOpacity: 0.8,
                pane: 'markerPane', giName: name, giId: row[at.id]
              }).bindTooltip(giEscape(name)).addTo(points);
            });
            data.clusters.forEach(function (c) {
              var size = c[2] < 100 ? 'small' : c[2] < 1000 ? 'medium' : 'large';
              var icon = L.divIcon({
                html: '<div><span>' + c[2] + '</span></div>', iconSize: L.point(40, 40),
                className: 'marker-cluster marker-cluster-' + size + ' gi-view-cluster'
              });
              L.marker([c[1], c[0]], {icon: icon, giCount: c[2], keyboard: true})
                .bindTooltip(giEscape(c[2] + ' ' + options.cluster_label))
                .on('click', function () {
                  map.setView([c[1], c[0]], Math.min(map.getZoom() + 2, map.getMaxZoom()));
                })
                .addTo(points);
              drawn.clustered += c[2];
            });
            drawn.producers += data.rows.length;
            drawn.clusters += data.clusters.length;
          }
          function addAreas(collection, z) {
            if (z !== zoom) { return; }
            var fresh = collection.features.filter(function (f) {
              if (areaIds[f.id]) { return false; }
              areaIds[f.id] = true;
              return true;
            });
            areas.addData(fresh);
            drawn.areas += fresh.length;
            var newBases = false;
            fresh.forEach(function (f) {
              var r = f.properties.range;
              if (!basesUsed[f.properties.basis]) { basesUsed[f.properties.basis] = true; newBases = true; }
              if (!ranges || !r || rangeSeen[r.join(',')]) { return; }
              rangeSeen[r.join(',')] = true;
              var style = Object.assign({renderer: renderer}, options.range_style);
              L.rectangle([[r[1], r[0]], [r[3], r[2]]], style).addTo(rangeLayer);
            });
            if (newBases) { legendBases(); }
          }
          function legendBases() {
            document.querySelectorAll('.gi-legend-bases').forEach(function (box) {
              box.querySelectorAll('.gi-view-basis').forEach(function (line) { line.remove(); });
              options.legend.forEach(function (row) {
                if (!basesUsed[row[0]]) { return; }
                var line = document.createElement('div'), swatch = document.createElement('span');
                line.className = 'gi-view-basis';
                swatch.className = 'gi-swatch' + (row[2] ? ' gi-swatch-dashed' : '');
                swatch.style.background = '#eeeeee';
                line.appendChild(swatch);
                line.appendChild(document.createTextNode(row[1]));
                box.appendChild(line);
              });
            });
          }
          function failed(error) {
            console.warn(error);
            if (failedOnce) { return; }
            failedOnce = true;
            document.querySelectorAll('.gi-legend-notes').forEach(function (box) {
              var note = document.createElement('div');
              note.className = 'gi-note gi-load-failed';
              note.textContent = options.failed;
              box.appendChild(note);
            });
          }
          function update() {
            // 512 px tiles (maps.view): a tile of zoom z is drawn at map zoom z + 1.
            var z = Math.max(0, Math.min(options.max_zoom, Math.round(map.getZoom()) - 1));
            if (z !== zoom) { reset(z); }
            // Every tile of the view, each fetched once per zoom (the promise is kept, so a view is
            // drawn when the tiles an earlier move already asked for have arrived too).
            var pending = tiles(z).map(function (t) {
              var key = t.join('/'), path = '/' + key + '.json' + options.query;
              if (!loaded[key]) {
                loaded[key] = Promise.all([
                  fetchJson(options.producers_url + path).then(function (d) { addProducers(d, t[0]); }),
                  fetchJson(options.areas_url + path).then(function (d) { addAreas(d, t[0]); })
                ]).catch(function (error) { delete loaded[key]; failed(error); });
              }
              return loaded[key];
            });
            Promise.all(pending).then(function () {
              if (z !== zoom) { return; }
              window.giLoaded.view = {
                zoom: z, producers: drawn.producers, clusters: drawn.clusters,
                clustered: drawn.clustered, areas: drawn.areas
              };
              map.getContainer().setAttribute('data-gi-drawn', String(z));
              if (window.giMapDrawn === undefined && window.performance) {
                window.giMapDrawn = performance.now();  // ms from navigation to the first drawn view
              }
            });
          }
          document.querySelectorAll('.gi-legend-notes').forEach(function (box) {
            [options.total + ' ' + options.count_label, options.by_view].forEach(function (text, i) {
              var note = document.createElement('div');
              note.className = 'gi-note ' + (i ? 'gi-map-by-view' : 'gi-producer-count');
              note.textContent = text;
              box.appendChild(note);
            });
          });
          map.on('moveend', update);
          // After the scripts that fit the view have run, so the first tiles are the fitted view's.
          setTimeout(update, 0);
        })();
        {% endmacro %}
        """
    )

    def __init__(  # noqa: PLR0913 - the three groups it fills and what it says
        self,
        ctx: MapContext,
        *,
        base: str,
        query: str,
        total: int,
        areas: FeatureGroup,
        producers: FeatureGroup,
        ranges: FeatureGroup,
    ) -> None:
        super().__init__()
        self._name = "ViewLayers"
        self.areas_group, self.producers_group = areas.get_name(), producers.get_name()
        self.ranges_group = ranges.get_name()
        rows = _basis_rows(ctx.lang)
        self.options = {
            "producers_url": f"{base}/producers",
            "areas_url": f"{base}/areas",
            "query": query,
            "max_zoom": MAX_TILE_ZOOM,
            "lang": ctx.lang.value,
            "failed": t("layer_not_loaded", ctx.lang),
            "total": total,
            "count_label": t("producers_located", ctx.lang),
            "cluster_label": t("cluster_zoom", ctx.lang),
            "areas_label": t("areas_zoom", ctx.lang),
            "by_view": t("map_by_view", ctx.lang),
            "styles": _area_styles(),
            "kinds": {k.value: kind_label(k.value, ctx.lang) for k in ProtectionKind},
            "bases": {row[0]: row[1] for row in rows},
            "legend": rows,
            "places": "乡镇" if ctx.lang == Lang.zh else "Townships",
            "link": ctx.link_to_gi(SLUG),
            "range_label": t("published_range", ctx.lang),
            "range_style": styles.range_style({}) | {"interactive": True},
            "slug": SLUG,
        }
