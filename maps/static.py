"""Static maps as PNG images, for reports and documents: each GI's map and each county's map.

Drawn with geopandas and matplotlib's Agg backend (no display, no GUI toolkit) from the same services as
the web maps (`production_area_features`, the county polygons), with a CJK font found on the machine by
path (Debian `fonts-noto-cjk`), and nothing fetched: no base-map tiles, no network. Only matplotlib's
object API is used (no pyplot state, no global rcParams), so images can be drawn in several threads.

Like the web maps, an image says what it shows: the legend lists the kinds and drawing bases in use and the
published coordinate range (a dashed outline, never the area); a product without a mapped area says so
in the image. A small area keeps its counties in view, with the whole city as an inset. County names are
placed without overlap: a label that would collide with one ranked before it is left out.
"""

import io
import math
import os
import textwrap
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before geopandas imports pyplot: an image, never a window

import geopandas as gpd  # noqa: E402 - after the backend is chosen
import shapely  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import to_hex, to_rgb  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties, fontManager  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402
from shapely.geometry.base import BaseGeometry  # noqa: E402
from sqlmodel import Session  # noqa: E402

from gi_registry.core.errors import RegistryError  # noqa: E402
from gi_registry.core.i18n import Lang, enum_label, kind_label, t  # noqa: E402
from gi_registry.geo import service as geo_service  # noqa: E402
from gi_registry.geo.drawing import TRACED, AreaBasis  # noqa: E402
from gi_registry.geo.models import YUEYANG_CODE, AdminArea, AreaLevel  # noqa: E402
from gi_registry.indications import service as indications_service  # noqa: E402
from gi_registry.indications.areas import production_area_features  # noqa: E402
from gi_registry.indications.models import Indication, ProtectionKind  # noqa: E402
from gi_registry.producers import service as producers_service  # noqa: E402
from maps import styles  # noqa: E402
from maps.builders import missing_area_notes, protection_kinds  # noqa: E402 - the web map's words

# The image's stated size: 8 × 6 inches at 150 dpi.
WIDTH_PX, HEIGHT_PX, DPI = 1200, 900, 150
FONT_ENV = "GI_CJK_FONT"
FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.otc"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
)
FONT_FACE = "Noto Sans CJK SC"  # the Simplified-Chinese face of the collection
AREA_TINT = 0.4  # share of the kind's colour in an area's fill, over white
INSET_BELOW = 0.5  # a view covering less than this share of the city's bounds gets the city as an inset
MAP_BOX = (0.02, 0.22, 0.96, 0.66)  # left, bottom, width, height of the map in the figure


class _Canvas(FigureCanvasAgg):
    """Agg, drawn once when saved: geopandas asks for a redraw after every layer (`draw_idle`), which on
    Agg is a full draw each time."""

    def draw_idle(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - matplotlib's signature
        """Nothing: the image is drawn by savefig."""


class StaticMapUnavailable(RegistryError):
    """A static map cannot be drawn on this machine (no CJK font)."""

    status_code = 503
    code = "map_image_unavailable"


def cjk_font_path() -> Path | None:
    """The CJK font file: `GI_CJK_FONT` when set, else Debian fonts-noto-cjk's; None when missing."""
    configured = os.environ.get(FONT_ENV)
    candidates = (Path(configured),) if configured else FONT_CANDIDATES
    return next((path for path in candidates if path.is_file()), None)


def cjk_font_missing() -> str | None:
    """Why no static map can be drawn here, or None when it can."""
    if cjk_font_path() is not None:
        return None
    looked = os.environ.get(FONT_ENV) or ", ".join(str(p) for p in FONT_CANDIDATES)
    return (
        f"no CJK font for map images (looked for {looked}); install the Debian package fonts-noto-cjk "
        f"or set {FONT_ENV} to a .ttc/.otf/.ttf file with Chinese glyphs"
    )


@lru_cache(maxsize=4)
def _font_for(path: str) -> FontProperties:
    fontManager.addfont(path)  # registers every face of a collection (matplotlib >= 3.10)
    faces = {entry.name for entry in fontManager.ttflist if entry.fname == path}
    return FontProperties(family=FONT_FACE) if FONT_FACE in faces else FontProperties(fname=path)


def _font() -> FontProperties:
    path = cjk_font_path()
    if path is None:
        raise StaticMapUnavailable(cjk_font_missing() or "no CJK font")
    return _font_for(str(path))


def area_fill(kind: str) -> str:
    """The flat fill of an area of this protection kind: its colour tinted over white (exact pixels)."""
    red, green, blue = to_rgb(styles.KIND_COLOURS.get(kind, "#555555"))
    return to_hex(tuple(AREA_TINT * c + (1 - AREA_TINT) for c in (red, green, blue)))


@dataclass
class _Plan:
    """Everything one image shows."""

    title: str
    subtitle: str
    lang: Lang
    counties: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    areas: list[dict]
    view: tuple[float, float, float, float]
    highlighted: list[str] = field(default_factory=list)
    label_first: list[str] = field(default_factory=list)
    ranges: list[tuple[float, float, float, float]] = field(default_factory=list)
    producers: list[tuple[float, float]] = field(default_factory=list)
    subject: list[BaseGeometry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _empty() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs="EPSG:4326")


def _view(geometries: list[BaseGeometry], aspect: float) -> tuple[float, float, float, float]:
    """Bounds around `geometries`, padded, widened to the map's shape (width/height on the ground)."""
    west, south, east, north = shapely.union_all(geometries).bounds
    pad_x, pad_y = (east - west) * 0.06 + 0.01, (north - south) * 0.06 + 0.01
    west, east, south, north = west - pad_x, east + pad_x, south - pad_y, north + pad_y
    squash = math.cos(math.radians((south + north) / 2))
    width, height = (east - west) * squash, north - south
    if width / height < aspect:
        grow = (height * aspect / squash - (east - west)) / 2
        west, east = west - grow, east + grow
    else:
        grow = (width / aspect - height) / 2
        south, north = south - grow, north + grow
    return west, south, east, north


def _map_aspect() -> float:
    return (MAP_BOX[2] * WIDTH_PX) / (MAP_BOX[3] * HEIGHT_PX)


def _lang_name(props: dict, lang: Lang) -> str:
    return props["name_zh"] if lang == Lang.zh else (props.get("name_en") or props["name_zh"])


def _place_labels(ax, plan: _Plan, font: FontProperties) -> None:  # noqa: ANN001 - matplotlib Axes
    """County names in rank order (the plan's first ones, then largest first), each left out when it
    would overlap one already placed or leave the map."""
    west, south, east, north = plan.view
    counties = plan.counties.copy()
    counties["rank"] = [
        (plan.label_first.index(code) if code in plan.label_first else len(plan.label_first), -area)
        for code, area in zip(counties["code"], counties["area_km2"].fillna(0), strict=True)
    ]
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    kept = []
    for _, row in counties.sort_values("rank").iterrows():
        lon, lat = row["label_lon"], row["label_lat"]
        if lon is None or not (west < lon < east and south < lat < north):
            continue
        text = ax.text(
            lon, lat, _lang_name(row, plan.lang), fontproperties=font, fontsize=9, fontweight="bold",
            color="#333333", ha="center", va="center", zorder=8,
        )  # fmt: skip
        text.set_path_effects([_halo()])
        extent = text.get_window_extent(renderer).expanded(1.15, 1.3)
        inside = frame.contains(extent.x0, extent.y0) and frame.contains(extent.x1, extent.y1)
        if not inside or any(extent.overlaps(other) for other in kept):
            text.remove()
            continue
        kept.append(extent)


def _halo():  # noqa: ANN202 - a matplotlib path effect
    from matplotlib import patheffects

    return patheffects.withStroke(linewidth=2.5, foreground="white")


def _scale_bar(ax, plan: _Plan, font: FontProperties) -> None:  # noqa: ANN001 - matplotlib Axes
    west, south, east, north = plan.view
    km_per_degree = 111.32 * math.cos(math.radians((south + north) / 2))
    span_km = (east - west) * km_per_degree
    length = next(n for n in (100, 50, 20, 10, 5, 2, 1, 0.5) if n <= span_km / 4)
    x0, y0 = west + (east - west) * 0.03, south + (north - south) * 0.04
    x1 = x0 + length / km_per_degree
    ax.plot([x0, x1], [y0, y0], color="#222222", linewidth=2.5, solid_capstyle="butt", zorder=9)
    ax.text(
        (x0 + x1) / 2, y0 + (north - south) * 0.012, f"{length:g} km", fontproperties=font, fontsize=7,
        ha="center", va="bottom", zorder=9,
    )  # fmt: skip


def _inset(fig: Figure, plan: _Plan, font: FontProperties) -> None:
    """The whole city in the upper right corner: the subject filled, the main view outlined."""
    city_bounds = plan.counties.total_bounds
    west, south, east, north = plan.view
    view_area = (east - west) * (north - south)
    city_area = (city_bounds[2] - city_bounds[0]) * (city_bounds[3] - city_bounds[1])
    if not plan.subject or view_area >= INSET_BELOW * city_area:
        return
    left, bottom, width, height = MAP_BOX
    inset = fig.add_axes(
        (left + width * 0.765, bottom + height * 0.665, width * 0.225, height * 0.29), xticks=[], yticks=[]
    )
    inset.set_facecolor("white")
    plan.counties.plot(ax=inset, facecolor="#f7f4e9", edgecolor="#777777", linewidth=0.4)
    gpd.GeoSeries(plan.subject, crs="EPSG:4326").plot(
        ax=inset, facecolor="#d6604d", edgecolor="#b2182b", linewidth=0.6
    )
    inset.add_patch(
        Rectangle((west, south), east - west, north - south, fill=False, edgecolor="#1a1a1a", linewidth=0.8)
    )
    c_west, c_south, c_east, c_north = city_bounds
    pad = 0.03
    inset.set_xlim(c_west - pad, c_east + pad)
    inset.set_ylim(c_south - pad, c_north + pad)
    inset.set_aspect(1 / math.cos(math.radians((c_south + c_north) / 2)))
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    inset.set_title(t("inset_title", plan.lang), fontproperties=font, fontsize=7, pad=2)
    for spine in inset.spines.values():
        spine.set_edgecolor("#555555")


def _legend(fig: Figure, plan: _Plan, font: FontProperties) -> None:
    lang = plan.lang
    handles = []
    drawn = [a for a in plan.areas if a["geometry"] is not None]
    for kind in dict.fromkeys(a["kind"] for a in drawn):
        handles.append(
            Patch(
                facecolor=area_fill(kind),
                edgecolor=styles.KIND_COLOURS.get(kind, "#555555"),
                label=kind_label(ProtectionKind(kind).value, lang),
            )
        )
    for basis in AreaBasis:
        if any(a["basis"] == basis.value for a in drawn):
            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor="#444444",
                    linestyle="-" if basis in TRACED else "--",
                    label=enum_label(basis, lang),
                )
            )
    if plan.ranges:
        handles.append(
            Line2D(
                [],
                [],
                color=styles.RANGE_COLOUR,
                linestyle="--",
                linewidth=1,
                label=t("published_range", lang),
            )
        )
    if plan.producers:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color="#08519c",
                markersize=4,
                label=t("layer_producers", lang),
            )
        )
    if not drawn and plan.warnings:  # nothing on the map: say why first, in large type
        fig.text(
            0.02, MAP_BOX[1] - 0.015,
            "\n".join(textwrap.fill(w, 50 if lang == Lang.zh else 100) for w in plan.warnings),
            fontproperties=_sized(font, 10), fontweight="bold", color="#8a2c0d", va="top", ha="left",
        )  # fmt: skip
        return
    columns = 2 if len(handles) > 4 or plan.warnings else 1
    width = (26 if lang == Lang.zh else 52) if columns == 2 else (60 if lang == Lang.zh else 110)
    for handle in handles:
        handle.set_label(textwrap.fill(handle.get_label(), width))
    if plan.warnings:  # what is not shown and why: the second column
        notes = "\n".join(textwrap.fill(w, width) for w in plan.warnings)
        fig.text(
            0.51, MAP_BOX[1] - 0.012, notes, fontproperties=_sized(font, 7.5), color="#8a2c0d", va="top",
            ha="left",
        )  # fmt: skip
        columns = 1
    if handles:
        fig.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(0.015, MAP_BOX[1] - 0.005), ncols=columns,
            prop=_sized(font, 7.5), frameon=False, handlelength=2.2, labelspacing=0.35, columnspacing=1.2,
        )  # fmt: skip


def _sized(font: FontProperties, size: float) -> FontProperties:
    sized = font.copy()
    sized.set_size(size)
    return sized


def _render(plan: _Plan, dpi: int = DPI) -> bytes:
    font = _font()
    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=dpi, facecolor="white")
    _Canvas(fig)
    ax = fig.add_axes(MAP_BOX, xticks=[], yticks=[])
    west, south, east, north = plan.view
    ax.set_facecolor("#eeeeee")
    if not plan.context.empty:
        plan.context.plot(ax=ax, facecolor="#e0e0e0", edgecolor="#9e9e9e", linewidth=0.6, linestyle="--")
    plan.counties.plot(ax=ax, facecolor="#f7f4e9", edgecolor="none")
    # Largest first: a small area stays visible over a larger one (flat fills, so colours stay exact).
    for area in sorted(
        (a for a in plan.areas if a["geometry"] is not None), key=lambda a: -a["geometry"].area
    ):
        colour = styles.KIND_COLOURS.get(area["kind"], "#555555")
        traced = AreaBasis(area["basis"]) in TRACED
        gpd.GeoSeries([area["geometry"]], crs="EPSG:4326").plot(
            ax=ax, facecolor=area_fill(area["kind"]), edgecolor=colour, linewidth=1.4,
            linestyle="-" if traced else "--", zorder=3,
        )  # fmt: skip
    # County boundaries over the areas, so the counties stay legible under a fill.
    plan.counties.boundary.plot(ax=ax, color=styles.COUNTY_STROKE, linewidth=0.7, zorder=4)
    if plan.highlighted:
        chosen = plan.counties[plan.counties["code"].isin(plan.highlighted)]
        chosen.boundary.plot(ax=ax, color="#1f4e79", linewidth=2.2, zorder=5)
    for lon_min, lat_min, lon_max, lat_max in plan.ranges:
        ax.add_patch(
            Rectangle(
                (lon_min, lat_min), lon_max - lon_min, lat_max - lat_min, fill=False,
                edgecolor=styles.RANGE_COLOUR, linewidth=1, linestyle="--", zorder=6,
            )
        )  # fmt: skip
    if plan.producers:
        lons, lats = zip(*plan.producers, strict=True)
        ax.scatter(lons, lats, s=10, color="#08519c", edgecolors="white", linewidths=0.4, zorder=7)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)), adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    _place_labels(ax, plan, font)
    _scale_bar(ax, plan, font)
    fig.text(0.02, 0.975, plan.title, fontproperties=_sized(font, 14), fontweight="bold", va="top")
    fig.text(0.02, 0.925, plan.subtitle, fontproperties=_sized(font, 8.5), color="#444444", va="top")
    _inset(fig, plan, font)
    _legend(fig, plan, font)
    footer = f"{t('map_counties_source', plan.lang)} · {date.today().isoformat()} · gi-registry"
    fig.text(0.98, 0.012, footer, fontproperties=_sized(font, 6), color="#666666", ha="right", va="bottom")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, pil_kwargs={"compress_level": 4})
    return buffer.getvalue()


def _base(session: Session) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The counties and the neighbouring prefectures as frames (their polygons as stored)."""
    columns = ("code", "name_zh", "name_en", "label_lon", "label_lat", "area_km2", "geometry")

    def frame(areas: list[AdminArea]) -> gpd.GeoDataFrame:
        rows = [{c: getattr(a, c) for c in columns} for a in areas if a.geometry is not None]
        return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326") if rows else _empty()

    context = [
        a for a in geo_service.list_admin_areas(session, level=AreaLevel.city) if a.code != YUEYANG_CODE
    ]
    return frame(geo_service.yueyang_counties(session)), frame(context)


def _ranges(areas: dict) -> list[tuple[float, float, float, float]]:
    found = {
        tuple(f["properties"]["declared_range"])
        for f in areas["features"]
        if f["properties"]["declared_range"]
    }
    return sorted(found)


def indication_png(
    session: Session, indication: Indication, lang: Lang, *, demo: bool = False, dpi: int = DPI
) -> bytes:
    """One GI's map as a PNG of WIDTH_PX × HEIGHT_PX (at the default `dpi`; 8 × 6 inches at any): its
    areas, published ranges and producers."""
    _font()  # fail before any work when the machine has no CJK font
    county_frame, context = _base(session)
    areas = production_area_features(session, indication_ids=[indication.id], shapes=True)
    area_rows = [
        {
            "geometry": f["geometry"],
            "kind": f["properties"]["kind"],
            "basis": f["properties"]["basis"],
            "counties": f["properties"]["county_codes"],
        }
        for f in areas["features"]
    ]
    drawn = [a for a in area_rows if a["geometry"] is not None]
    area_counties = sorted({c for a in drawn for c in a["counties"]})
    around = [a["geometry"] for a in drawn] + list(
        county_frame[county_frame["code"].isin(area_counties)].geometry
    )
    view = _view(around or list(county_frame.geometry), _map_aspect())
    producers = producers_service.located_producers(
        session, indication_id=indication.id, include_synthetic=demo
    )
    kinds = list(dict.fromkeys(kind for _, kind in protection_kinds(session, indication)))
    warnings = missing_area_notes(session, indication, areas, lang)
    name = (
        indication.name_zh
        if lang == Lang.zh
        else (indication.name_en or indication.name_pinyin or indication.name_zh)
    )
    plan = _Plan(
        title=f"{name} · {t('production_area', lang)}",
        subtitle=("、" if lang == Lang.zh else ", ").join(kind_label(k, lang) for k in kinds),
        lang=lang,
        counties=county_frame,
        context=context,
        areas=area_rows,
        view=view,
        label_first=area_counties,
        ranges=_ranges(areas),
        producers=[tuple(f["geometry"]["coordinates"]) for f in producers["features"]],
        subject=[a["geometry"] for a in drawn],
        warnings=warnings,
    )
    return _render(plan, dpi)


def county_png(
    session: Session, county: AdminArea, lang: Lang, *, demo: bool = False, dpi: int = DPI
) -> bytes:
    """One county's map as a PNG of WIDTH_PX × HEIGHT_PX: the county among the others, the production
    areas touching it, the published ranges, its producers."""
    _font()
    county_frame, context = _base(session)
    areas = production_area_features(session, county_code=county.code, shapes=True)
    area_rows = [
        {"geometry": f["geometry"], "kind": f["properties"]["kind"], "basis": f["properties"]["basis"]}
        for f in areas["features"]
    ]
    own = list(county_frame[county_frame["code"] == county.code].geometry)
    view = _view(own or list(county_frame.geometry), _map_aspect())
    producers = producers_service.located_producers(session, county_code=county.code, include_synthetic=demo)
    name = county.name_zh if lang == Lang.zh else (county.name_en or county.name_zh)
    outlined = [f for f in areas["features"] if f["properties"]["basis"] != AreaBasis.declared_range.value]
    plan = _Plan(
        title=f"{name} · {t('layer_areas', lang)}",
        subtitle=f"{len({f['properties']['slug'] for f in areas['features']})} {t('gi_products', lang)}",
        lang=lang,
        counties=county_frame,
        context=context,
        areas=area_rows,
        view=view,
        highlighted=[county.code],
        label_first=[county.code],
        ranges=_ranges({"features": outlined}),
        producers=[tuple(f["geometry"]["coordinates"]) for f in producers["features"]],
        subject=own,
    )
    return _render(plan, dpi)


REPORT_DPI = 100  # 800 × 600 in the annual report: legible on a page, a tenth of a megabyte each


def report_map(session: Session, slug: str) -> bytes:
    """A GI's map for the annual supervision report (Chinese, 800 × 600); StaticMapUnavailable without a
    CJK font. The report's adapters hand this to `gi_registry.audits.supervision`."""
    indication = indications_service.get_indication(session, slug)
    return indication_png(session, indication, Lang.zh, dpi=REPORT_DPI)
