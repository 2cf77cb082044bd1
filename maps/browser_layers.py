"""Layers whose features the browser adds: fetched from /maps/data/ or, for the static site, inlined once.

The page carries one small script per layer, never one element per feature, so its size does not
grow with the registry: producers go into a Leaflet.markercluster group (chunked loading), production
areas into one L.geoJSON layer (on a canvas when there are many). Text from the registry is escaped
in the browser before it reaches a tooltip or popup.
"""

from branca.element import MacroElement, Template
from folium import FeatureGroup

from gi_registry.geo.drawing import AreaBasis
from gi_registry.i18n import Lang, enum_label, kind_label, t
from gi_registry.indications.models import ProtectionKind
from maps import styles
from maps.context import MapContext

SLUG = "__gi_slug__"
# Above this many areas Leaflet draws them on one canvas instead of one SVG path each.
CANVAS_ABOVE = 2000

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
