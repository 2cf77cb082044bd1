"""The scripts and stylesheets the maps need, served by the registry itself instead of CDNs.

folium links Leaflet, jQuery, Bootstrap and Font Awesome from CDNs, which leaves a blank map
offline. The maps here use only Leaflet and Leaflet.markercluster, vendored from the npm registry
by `python -m maps.vendor` into gi_registry/web/static/vendor/ (see its MANIFEST.json and licences).
"""

from dataclasses import dataclass
from pathlib import Path

import folium

VENDOR_DIR = Path(__file__).resolve().parent.parent / "gi_registry" / "web" / "static" / "vendor"


@dataclass(frozen=True)
class Package:
    """An npm package whose files the maps use, with the licence file shipped beside them."""

    name: str
    version: str
    files: tuple[str, ...]
    licence_file: str
    licence: str

    @property
    def folder(self) -> str:
        """Folder under vendor/ holding this package's files."""
        return f"{self.name}-{self.version}"


LEAFLET = Package(
    "leaflet",
    "1.9.4",
    (
        "dist/leaflet.js",
        "dist/leaflet.css",
        "dist/images/layers.png",
        "dist/images/layers-2x.png",
        "dist/images/marker-icon.png",
        "dist/images/marker-icon-2x.png",
        "dist/images/marker-shadow.png",
    ),
    "LICENSE",
    "BSD-2-Clause",
)
MARKERCLUSTER = Package(
    "leaflet.markercluster",
    "1.5.3",
    ("dist/leaflet.markercluster.js", "dist/MarkerCluster.css", "dist/MarkerCluster.Default.css"),
    "MIT-LICENCE.txt",
    "MIT",
)
PACKAGES = (LEAFLET, MARKERCLUSTER)


def _url(base: str, package: Package, file: str) -> str:
    return f"{base.rstrip('/')}/{package.folder}/{file}"


def map_scripts(base: str) -> list[tuple[str, str]]:
    """(name, url) of every script a map page loads, under `base` (e.g. /static/vendor)."""
    return [
        ("leaflet", _url(base, LEAFLET, "dist/leaflet.js")),
        ("markercluster", _url(base, MARKERCLUSTER, "dist/leaflet.markercluster.js")),
    ]


def map_stylesheets(base: str) -> list[tuple[str, str]]:
    """(name, url) of every stylesheet a map page loads, under `base`."""
    return [
        ("leaflet_css", _url(base, LEAFLET, "dist/leaflet.css")),
        ("markercluster_css", _url(base, MARKERCLUSTER, "dist/MarkerCluster.css")),
        ("markercluster_default_css", _url(base, MARKERCLUSTER, "dist/MarkerCluster.Default.css")),
    ]


def localize(fmap: folium.Map, base: str) -> folium.Map:
    """Point the map and every element in it at the vendored assets; no CDN link is left."""
    scripts, stylesheets = map_scripts(base), map_stylesheets(base)
    for element in _walk(fmap):
        if hasattr(element, "default_js"):
            element.default_js = scripts if element is fmap else []
        if hasattr(element, "default_css"):
            element.default_css = stylesheets if element is fmap else []
    return fmap


def _walk(element):  # noqa: ANN001, ANN202 - branca elements are untyped
    yield element
    for child in element._children.values():
        yield from _walk(child)
