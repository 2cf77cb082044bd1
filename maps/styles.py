"""Colours and style functions of the maps; each is a pure function of one feature."""

from gi_registry.geo.drawing import TRACED

KIND_COLOURS = {
    "gi_trademark": "#7b3294",
    "gi_protected_product": "#d7301f",
    "agricultural_product_gi": "#1a9641",
}
COUNTY_STROKE = "#4d4d4d"
CONTEXT_FILL = "#bdbdbd"
NO_DATA_FILL = "#e0e0e0"
# Share of authorized producers on the unified mark: 0-25-50-75-100 %.
SWITCH_RAMP = ("#fee5d9", "#fcae91", "#fb6a4a", "#cb181d")


def context_style(_feature: dict) -> dict:
    """Neighbouring prefectures: faint, for orientation only."""
    return {
        "color": "#9e9e9e",
        "weight": 0.8,
        "fillColor": CONTEXT_FILL,
        "fillOpacity": 0.15,
        "dashArray": "3",
    }


def county_style(_feature: dict) -> dict:
    """Yueyang's counties: clear outlines, a light fill."""
    return {"color": COUNTY_STROKE, "weight": 1.5, "fillColor": "#f7f4e9", "fillOpacity": 0.5}


def highlighted_county_style(_feature: dict) -> dict:
    """The county a page is about."""
    return {"color": "#1f4e79", "weight": 3, "fillColor": "#deebf7", "fillOpacity": 0.5}


# Drawings that trace a stated boundary; the others (counties, ranges) are the most the area can be and
# are drawn dashed.
SURVEYED_BASES = tuple(sorted(basis.value for basis in TRACED))
RANGE_COLOUR = "#333333"
CITY_STROKE = "#1a1a1a"


def range_style(_feature: dict) -> dict:
    """A published coordinate range: a thin dashed outline, never a fill (it is an extent, not an area)."""
    return {"color": RANGE_COLOUR, "weight": 1.2, "dashArray": "5 4", "fill": False, "fillOpacity": 0.0}


def city_style(_feature: dict) -> dict:
    """Yueyang's outline, so a small area's map keeps the city's edge in view."""
    return {"color": CITY_STROKE, "weight": 2.5, "fill": False, "fillOpacity": 0.0}


def township_style(_feature: dict) -> dict:
    """An uploaded township boundary: a thin line, no fill."""
    return {"color": "#4a5568", "weight": 0.8, "fillOpacity": 0.0}


def earlier_version_style(_feature: dict) -> dict:
    """A superseded version of a production area: grey outline only."""
    return {"color": "#666666", "weight": 1.5, "fillOpacity": 0.0, "dashArray": "2 4"}


def area_style(feature: dict) -> dict:
    """A production area, coloured by protection kind; county fills (not surveyed areas) are hatched-light."""
    props = feature["properties"]
    colour = KIND_COLOURS.get(props["kind"], "#555555")
    surveyed = props["basis"] in SURVEYED_BASES
    return {
        "color": colour,
        "weight": 2,
        "fillColor": colour,
        "fillOpacity": 0.25 if surveyed else 0.12,
        "dashArray": None if surveyed else "6 4",
    }


def switch_fill(share: float | None) -> str:
    """Choropleth colour for a share in [0, 1], grey when there is no data."""
    if share is None:
        return NO_DATA_FILL
    index = min(int(share * len(SWITCH_RAMP)), len(SWITCH_RAMP) - 1)
    return SWITCH_RAMP[index]


def switch_style(feature: dict) -> dict:
    """County fill by share on the unified mark."""
    return {
        "color": COUNTY_STROKE,
        "weight": 1.5,
        "fillColor": switch_fill(feature["properties"].get("share")),
        "fillOpacity": 0.8,
    }
