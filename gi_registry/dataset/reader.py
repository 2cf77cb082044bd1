"""Reading data/ into validated records; every problem names its file, record, line and field."""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from gi_registry.dataset.records import (
    IndicationRecord,
    NotIndicationRecord,
    OfficialTotalRecord,
    ProducerRecord,
    StandardRecord,
)

R = TypeVar("R", bound=BaseModel)

INDICATIONS = "indications.yaml"
STANDARDS = "standards.yaml"
PRODUCERS = "producers.yaml"
OFFICIAL_TOTALS = "official_totals.yaml"
NOT_INDICATIONS = "not_indications.yaml"
COUNTIES = "boundaries/yueyang_counties.geojson"
CONTEXT = "boundaries/context_prefectures.geojson"
DIVISIONS = "boundaries/yueyang_divisions.csv"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file."""

    file: str
    record: int | None
    line: int | None
    field: str | None
    message: str
    key: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.record is not None:
            where.append(f"record {self.record}" + (f" ({self.key})" if self.key else ""))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.message}"


class DataFileError(Exception):
    """The dataset is malformed; nothing was written. `problems` lists every finding."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Division:
    """A row of the divisions table (city, county or township)."""

    code: str
    name_zh: str
    level: str
    parent_code: str | None


@dataclass(frozen=True)
class CountyBoundary:
    """A county polygon with its label anchor and measured area."""

    code: str
    name_zh: str
    name_en: str | None
    geometry: BaseGeometry
    label_lon: float
    label_lat: float
    area_km2: float


@dataclass(frozen=True)
class ContextBoundary:
    """A neighbouring prefecture, drawn faintly around Yueyang on the maps."""

    code: str
    name_zh: str
    province_zh: str
    geometry: BaseGeometry


@dataclass
class Dataset:
    """Everything in data/, validated record by record."""

    divisions: list[Division] = field(default_factory=list)
    counties: list[CountyBoundary] = field(default_factory=list)
    context: list[ContextBoundary] = field(default_factory=list)
    indications: list[IndicationRecord] = field(default_factory=list)
    standards: list[StandardRecord] = field(default_factory=list)
    producers: list[ProducerRecord] = field(default_factory=list)
    official_totals: list[OfficialTotalRecord] = field(default_factory=list)
    not_indications: list[NotIndicationRecord] = field(default_factory=list)
    lines: dict[tuple[str, int], int] = field(default_factory=dict)


def _field_path(loc: tuple) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _read_yaml_list(path: Path, name: str, model: type[R], problems: list[Problem], lines: dict) -> list[R]:
    if not path.exists():
        problems.append(Problem(name, None, None, None, "file is missing"))
        return []
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(name, None, mark.line + 1 if mark else None, None, f"not valid YAML: {exc}"))
        return []
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(Problem(name, None, 1, None, "the file must be a YAML list of records"))
        return []
    records = []
    for index, item in enumerate(raw):
        line = node.value[index].start_mark.line + 1
        lines[(name, index + 1)] = line
        key = item.get("slug") or item.get("key") or item.get("name_zh") if isinstance(item, dict) else None
        try:
            records.append(model.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                message = err["msg"].removeprefix("Value error, ")
                problems.append(Problem(name, index + 1, line, _field_path(err["loc"]) or None, message, key))
    return records


def _read_divisions(path: Path, problems: list[Problem]) -> list[Division]:
    if not path.exists():
        problems.append(Problem(DIVISIONS, None, None, None, "file is missing"))
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    divisions = []
    for number, row in enumerate(rows, start=1):
        try:
            divisions.append(Division(row["code"], row["name_zh"], row["level"], row["parent_code"] or None))
        except KeyError as exc:
            problems.append(Problem(DIVISIONS, number, number + 1, str(exc), "column missing"))
    return divisions


def _read_counties(path: Path, problems: list[Problem]) -> list[CountyBoundary]:
    if not path.exists():
        problems.append(Problem(COUNTIES, None, None, None, "file is missing"))
        return []
    counties = []
    for number, feature in enumerate(json.loads(path.read_text(encoding="utf-8"))["features"], start=1):
        props = feature.get("properties", {})
        try:
            geometry = shape(feature["geometry"])
            if not geometry.is_valid:
                raise ValueError("invalid polygon")
            counties.append(
                CountyBoundary(
                    code=str(props["code"]),
                    name_zh=props["name_zh"],
                    name_en=props.get("name_en"),
                    geometry=geometry,
                    label_lon=float(props["label_lon"]),
                    label_lat=float(props["label_lat"]),
                    area_km2=float(props["area_km2"]),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(Problem(COUNTIES, number, None, None, f"bad feature: {exc}"))
    return counties


def _read_context(path: Path, problems: list[Problem]) -> list[ContextBoundary]:
    if not path.exists():
        problems.append(Problem(CONTEXT, None, None, None, "file is missing"))
        return []
    context = []
    for number, feature in enumerate(json.loads(path.read_text(encoding="utf-8"))["features"], start=1):
        props = feature.get("properties", {})
        try:
            context.append(
                ContextBoundary(
                    str(props["code"]), props["name_zh"], props["province_zh"], shape(feature["geometry"])
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(Problem(CONTEXT, number, None, None, f"bad feature: {exc}"))
    return context


def _read_geography(data_dir: Path, problems: list[Problem]) -> Dataset:
    dataset = Dataset()
    dataset.divisions = _read_divisions(data_dir / DIVISIONS, problems)
    dataset.counties = _read_counties(data_dir / COUNTIES, problems)
    dataset.context = _read_context(data_dir / CONTEXT, problems)
    return dataset


def read_geography(data_dir: Path) -> Dataset:
    """Only the divisions and boundaries of `data_dir`, validated (no GI, standard or producer record)."""
    problems: list[Problem] = []
    dataset = _read_geography(data_dir, problems)
    if problems:
        raise DataFileError(problems)
    return dataset


def read_dataset(data_dir: Path) -> Dataset:
    """Read and validate every file of `data_dir`, then check references between them."""
    problems: list[Problem] = []
    dataset = _read_geography(data_dir, problems)
    for attr, name, model in (
        ("indications", INDICATIONS, IndicationRecord),
        ("standards", STANDARDS, StandardRecord),
        ("producers", PRODUCERS, ProducerRecord),
        ("official_totals", OFFICIAL_TOTALS, OfficialTotalRecord),
        ("not_indications", NOT_INDICATIONS, NotIndicationRecord),
    ):
        setattr(dataset, attr, _read_yaml_list(data_dir / name, name, model, problems, dataset.lines))
    if not problems:
        problems += check_references(dataset)
    if problems:
        raise DataFileError(problems)
    return dataset


def _duplicates(values: list[str]) -> set[str]:
    seen: set[str] = set()
    return {v for v in values if v in seen or seen.add(v)}


def check_references(dataset: Dataset) -> list[Problem]:
    """Problems between records: duplicate keys, unknown codes or slugs, names that are not GIs."""
    problems: list[Problem] = []

    def problem(file: str, index: int, field_name: str, message: str, key: str) -> None:
        problems.append(Problem(file, index, dataset.lines.get((file, index)), field_name, message, key))

    codes = {d.code: d for d in dataset.divisions}
    county_level = {c for c, d in codes.items() if d.level in ("city", "county")}
    slugs = {i.slug for i in dataset.indications}
    not_gis = {n.name_zh: n for n in dataset.not_indications}
    repeated_slugs = _duplicates([i.slug for i in dataset.indications])
    repeated_names = _duplicates([i.name_zh for i in dataset.indications])
    for index, ind in enumerate(dataset.indications, start=1):
        if ind.slug in repeated_slugs:
            problem(
                INDICATIONS, index, "slug", f"slug '{ind.slug}' is used by more than one product", ind.slug
            )
        if ind.name_zh in repeated_names:
            problem(INDICATIONS, index, "name_zh", f"'{ind.name_zh}' is entered more than once", ind.slug)
        if ind.name_zh in not_gis:
            problem(
                INDICATIONS,
                index,
                "name_zh",
                f"'{ind.name_zh}' is listed in {NOT_INDICATIONS} as not a GI: {not_gis[ind.name_zh].reason}",
                ind.slug,
            )
        for pos, code in enumerate(ind.counties):
            if code not in county_level:
                problem(
                    INDICATIONS, index, f"counties[{pos}]", f"'{code}' is not a city or county code", ind.slug
                )
        for p_index, protection in enumerate(ind.protections):
            for place_index, place in enumerate(protection.area.places if protection.area else []):
                if place.code is not None and place.code not in codes:
                    problem(
                        INDICATIONS,
                        index,
                        f"protections[{p_index}].area.places[{place_index}].code",
                        f"'{place.code}' is not a division code of Yueyang",
                        ind.slug,
                    )

    standard_keys = [s.key for s in dataset.standards]
    for index, std in enumerate(dataset.standards, start=1):
        if std.key in _duplicates(standard_keys):
            problem(STANDARDS, index, "key", f"key '{std.key}' is used more than once", std.key)
        if std.supersedes is not None and std.supersedes not in standard_keys:
            problem(STANDARDS, index, "supersedes", f"no standard with key '{std.supersedes}'", std.key)
        for pos, slug in enumerate(std.indications):
            if slug not in slugs:
                problem(STANDARDS, index, f"indications[{pos}]", f"no GI product with slug '{slug}'", std.key)
    numbers = [s.number for s in dataset.standards if s.number]
    for index, std in enumerate(dataset.standards, start=1):
        if std.number in _duplicates(numbers):
            problem(STANDARDS, index, "number", f"standard number '{std.number}' is entered twice", std.key)

    producer_keys = [p.key for p in dataset.producers]
    for index, producer in enumerate(dataset.producers, start=1):
        if producer.key in _duplicates(producer_keys):
            problem(PRODUCERS, index, "key", f"key '{producer.key}' is used more than once", producer.key)
        for attr in ("county_code", "township_code"):
            code = getattr(producer, attr)
            if code is not None and code not in codes:
                problem(PRODUCERS, index, attr, f"'{code}' is not a division code of Yueyang", producer.key)
        for pos, link in enumerate(producer.links):
            if link.indication not in slugs:
                problem(
                    PRODUCERS,
                    index,
                    f"links[{pos}].indication",
                    f"no GI product with slug '{link.indication}'",
                    producer.key,
                )

    for index, total in enumerate(dataset.official_totals, start=1):
        if total.scope_code not in codes:
            problem(
                OFFICIAL_TOTALS,
                index,
                "scope_code",
                f"'{total.scope_code}' is not a division code",
                total.key,
            )
    return problems
