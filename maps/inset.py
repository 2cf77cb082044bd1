"""A locator inset: the whole of Yueyang in a corner, with what the map is about and the main view marked.

A map zoomed to a small area or one county keeps the city in view this way. The inset is a second,
still Leaflet map inside a control of the first (vendored Leaflet only, nothing fetched); it follows the
main map's view as it moves.
"""

import numpy as np
import shapely
from branca.element import MacroElement, Template
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from maps import styles

# Drawing only: about 500 m, far below a pixel of a 140 px inset of the city.
INSET_SIMPLIFY = 0.005


def _light(geometry: BaseGeometry) -> dict:
    simplified = shapely.simplify(geometry, INSET_SIMPLIFY, preserve_topology=True)
    return shapely.transform(simplified, lambda xy: np.round(xy, 4)).__geo_interface__


def inset_data(counties: dict, subject: list[BaseGeometry]) -> dict:
    """The inset's GeoJSON: the counties (light) and the map's subject (the area or the county)."""
    features = [
        {"type": "Feature", "geometry": _light(shape(f["geometry"])), "properties": {"role": "county"}}
        for f in counties["features"]
    ]
    if subject:
        features.append(
            {
                "type": "Feature",
                "geometry": _light(shapely.union_all(subject)),
                "properties": {"role": "subject"},
            }
        )
    return {"type": "FeatureCollection", "features": features}


class FitView(MacroElement):
    """Fits the map to `bounds` leaving room for the legend (beside it on a wide map, above it on a narrow
    one), and again when the frame is resized until the person moves the map themselves."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          var bounds = {{ this.bounds|tojson }};
          var touched = false;
          function fit() {
            var size = map.getSize(), legend = document.querySelector('.gi-legend');
            var right = 8, bottom = 8;
            if (legend && legend.offsetWidth) {
              var w = legend.offsetWidth + 16, h = legend.offsetHeight + 30;
              // Give up the side that costs the map less: beside the legend, or above it.
              if ((size.x - w) * size.y >= size.x * (size.y - h)) { right = w; } else { bottom = h; }
            }
            map._giFitting = true;
            map.fitBounds(bounds, {
              paddingTopLeft: [8, 8], paddingBottomRight: [right, bottom], animate: false
            });
            map._giFitting = false;
          }
          fit();
          map.on('dragstart zoomstart', function (event) { if (!map._giFitting) { touched = true; } });
          function refit() { if (!touched) { fit(); } }
          map.on('resize', refit);
          window.giFit = fit;
          window.giRefit = refit;  // when the legend grows (rows added once the areas are loaded)
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitView"
        self.bounds = bounds


class Inset(MacroElement):
    """The city in a small box in the lower left corner, the subject filled, the main view outlined."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <style>
          .gi-inset { width: 150px; height: 120px; background: #fff; border: 1px solid #777;
                      border-radius: 3px; box-shadow: 0 1px 4px rgba(0, 0, 0, .3); }
          @media (max-width: 600px) { .gi-inset { width: 96px; height: 78px; } }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
          var map = {{ this._parent.get_name() }};
          var options = {{ this.options|tojson }};
          var Box = L.Control.extend({
            options: {position: 'bottomleft'},
            onAdd: function () {
              var box = L.DomUtil.create('div', 'gi-inset');
              box.setAttribute('role', 'img');
              box.setAttribute('aria-label', options.title);
              box.title = options.title;
              L.DomEvent.disableClickPropagation(box);
              L.DomEvent.disableScrollPropagation(box);
              return box;
            }
          });
          var control = new Box();
          control.addTo(map);
          var inset = L.map(control.getContainer(), {
            attributionControl: false, zoomControl: false, dragging: false, scrollWheelZoom: false,
            doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false, tap: false,
            zoomSnap: 0, zoomAnimation: false, fadeAnimation: false
          });
          var shapes = L.geoJSON(options.data, {
            interactive: false,
            style: function (feature) {
              return feature.properties.role === 'subject' ? options.subject_style : options.county_style;
            }
          }).addTo(inset);
          inset.fitBounds(shapes.getBounds(), {padding: [3, 3]});
          var view = L.rectangle(map.getBounds(), options.view_style).addTo(inset);
          map.on('moveend zoomend resize', function () { view.setBounds(map.getBounds()); });
          window.giInset = inset;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, data: dict, title: str) -> None:
        super().__init__()
        self._name = "Inset"
        self.options = {
            "data": data,
            "title": title,
            "county_style": {"color": "#777777", "weight": 0.6, "fillColor": "#f7f4e9", "fillOpacity": 1},
            "subject_style": {"color": "#b2182b", "weight": 1, "fillColor": "#d6604d", "fillOpacity": 0.8},
            "view_style": {
                "color": styles.CITY_STROKE,
                "weight": 1,
                "fill": False,
                "dashArray": "3 2",
                "interactive": False,
            },
        }
