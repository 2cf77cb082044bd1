"""Loading a validated dataset in one transaction: upsert by natural key, log every change,
or write nothing at all."""

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry
from sqlmodel import Session, SQLModel, select

from gi_registry.dataset.reader import Dataset
from gi_registry.dataset.records import AreaRecord, IndicationRecord, ProducerRecord, StandardRecord
from gi_registry.geo.coordinates import parse_coordinate_range
from gi_registry.geo.models import AdminArea, AreaLevel, AreaPlace, PlaceLevel, ProductionArea
from gi_registry.history.service import ChangeSet
from gi_registry.indications.models import Indication, IndicationCounty, OfficialTotal, Protection
from gi_registry.indications.search import search_text
from gi_registry.producers.models import Producer, ProducerLink
from gi_registry.sources import service as sources_service
from gi_registry.sources.models import EntityType, SourceIn
from gi_registry.standards.models import Standard, StandardIndication

LOADER_ACTOR = "data-loader"


@dataclass
class LoadReport:
    """What a load did: records created and updated per kind, and change-log rows written."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    changes: int = 0

    @property
    def changed_anything(self) -> bool:
        """True when the load wrote at least one change."""
        return self.changes > 0


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a value, for comparison and the change log."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, BaseGeometry):
        return "wkb-sha256:" + hashlib.sha256(shapely.to_wkb(value)).hexdigest()
    return value


class _Writer:
    """Applies records to the session, comparing with what is stored and logging each difference."""

    def __init__(self, session: Session, changes: ChangeSet, report: LoadReport) -> None:
        self.session = session
        self.changes = changes
        self.report = report

    def _log(self, log: Callable, *args: Any) -> None:
        log(self.session, *args)
        self.report.changes += 1

    def upsert(self, model: type[SQLModel], entity_type: EntityType, lookup: dict, values: dict) -> SQLModel:
        """Insert or update the row found by `lookup`, logging created records and changed fields."""
        row = self.session.exec(select(model).filter_by(**lookup)).first()
        if row is None:
            row = model(**lookup, **values)
            self.session.add(row)
            self.session.flush()
            snapshot = {k: _plain(v) for k, v in {**lookup, **values}.items()}
            self._log(self.changes.created, entity_type.value, _identity(row), snapshot)
            self.report.created[entity_type.value] += 1
            return row
        touched = False
        for name, new in values.items():
            old = getattr(row, name)
            if _plain(old) != _plain(new):
                setattr(row, name, new)
                self._log(
                    self.changes.changed, entity_type.value, _identity(row), name, _plain(old), _plain(new)
                )
                touched = True
        if touched:
            self.session.add(row)
            self.session.flush()
            self.report.updated[entity_type.value] += 1
        return row

    def sync_list(
        self,
        entity_type: EntityType,
        entity_id: Any,
        name: str,
        old: list,
        new: list,
        replace: Callable[[], None],
    ) -> None:
        """Replace a child collection when it differs, logging the whole old and new lists."""
        if old != new:
            replace()
            self._log(self.changes.changed, entity_type.value, entity_id, name, old, new)
            self.session.flush()

    def sources(self, entity_type: EntityType, entity_id: int, sources: list[SourceIn]) -> None:
        """Make `sources` the citations of a record."""
        stored = sources_service.citations_for(self.session, entity_type, [entity_id])[entity_id]
        self.sync_list(
            entity_type,
            entity_id,
            "sources",
            sources_service.as_comparable(stored),
            sources_service.as_comparable(sources),
            lambda: sources_service.replace_citations(self.session, entity_type, entity_id, sources),
        )


def _identity(row: SQLModel) -> Any:
    return getattr(row, "id", None) or getattr(row, "code", None)


def _load_divisions(writer: _Writer, dataset: Dataset) -> None:
    boundaries = {c.code: c for c in dataset.counties}
    counties = [c.geometry for c in dataset.counties]
    city_outline = shapely.union_all(counties) if counties else None
    for division in dataset.divisions:
        boundary = boundaries.get(division.code)
        geometry = boundary.geometry if boundary else (city_outline if division.level == "city" else None)
        values: dict[str, Any] = {
            "name_zh": division.name_zh,
            "name_en": boundary.name_en if boundary else None,
            "level": AreaLevel(division.level),
            "parent_code": division.parent_code,
            "geometry": geometry,
            "label_lon": boundary.label_lon if boundary else None,
            "label_lat": boundary.label_lat if boundary else None,
            "area_km2": boundary.area_km2 if boundary else None,
        }
        writer.upsert(AdminArea, EntityType.admin_area, {"code": division.code}, _with_bbox(values))
    own = {division.code for division in dataset.divisions}
    for neighbour in dataset.context:
        if neighbour.code in own:
            continue  # Yueyang itself is drawn from its counties, not from the simplified context outline
        values = {
            "name_zh": neighbour.name_zh,
            "name_en": None,
            "level": AreaLevel.city,
            "parent_code": neighbour.code[:2] + "0000",
            "geometry": neighbour.geometry,
            "label_lon": None,
            "label_lat": None,
            "area_km2": None,
        }
        writer.upsert(AdminArea, EntityType.admin_area, {"code": neighbour.code}, _with_bbox(values))


def _with_bbox(values: dict[str, Any]) -> dict[str, Any]:
    geometry = values["geometry"]
    bounds = geometry.bounds if geometry is not None else (None,) * 4
    return values | dict(
        zip(("bbox_min_lon", "bbox_min_lat", "bbox_max_lon", "bbox_max_lat"), bounds, strict=True)
    )


def township_code_for(session: Session, name_zh: str, county_codes: list[str]) -> str | None:
    """The township code whose name matches exactly inside the given counties, if exactly one does."""
    query = select(AdminArea.code).where(AdminArea.level == AreaLevel.township, AdminArea.name_zh == name_zh)
    if county_codes:
        query = query.where(AdminArea.parent_code.in_(county_codes))
    matches = session.exec(query).all()
    return matches[0] if len(matches) == 1 else None


def _area_counties(session: Session, indication: IndicationRecord) -> list[str]:
    counties = [c for c in indication.counties if not c.endswith("00")]
    if counties:
        return counties
    return list(session.exec(select(AdminArea.code).where(AdminArea.level == AreaLevel.county)).all())


def _load_area(writer: _Writer, protection: Protection, area: AreaRecord | None, counties: list[str]) -> None:
    session = writer.session
    stored = session.exec(select(ProductionArea).where(ProductionArea.protection_id == protection.id)).first()
    if area is None:
        if stored is not None:
            writer._log(
                writer.changes.deleted,
                EntityType.production_area.value,
                stored.id,
                stored.model_dump(mode="json"),
            )
            session.delete(stored)
            session.flush()
        return
    bbox = parse_coordinate_range(area.coordinate_range) if area.coordinate_range else None
    values = {
        "description_zh": area.description_zh,
        "coordinate_range": area.coordinate_range,
        "area_ha": area.area_ha,
        "summary_note": area.summary_note,
        "lon_min": bbox.lon_min if bbox else None,
        "lat_min": bbox.lat_min if bbox else None,
        "lon_max": bbox.lon_max if bbox else None,
        "lat_max": bbox.lat_max if bbox else None,
    }
    row = writer.upsert(ProductionArea, EntityType.production_area, {"protection_id": protection.id}, values)
    places = []
    for place in area.places:
        code = place.code
        if code is None and place.level == PlaceLevel.township:
            code = township_code_for(session, place.name_zh, counties)
        places.append({**place.model_dump(mode="json"), "code": code})
    stored_places = session.exec(
        select(AreaPlace).where(AreaPlace.area_id == row.id).order_by(AreaPlace.position)
    )
    stored_list = [
        {k: v for k, v in p.model_dump(mode="json").items() if k not in ("id", "area_id", "position")}
        for p in stored_places
    ]

    def replace() -> None:
        for old in session.exec(select(AreaPlace).where(AreaPlace.area_id == row.id)):
            session.delete(old)
        session.flush()
        for position, place in enumerate(places):
            session.add(AreaPlace(area_id=row.id, position=position, **place))

    writer.sync_list(EntityType.production_area, row.id, "places", stored_list, places, replace)
    writer.sources(EntityType.production_area, row.id, area.sources)


def _load_indication(writer: _Writer, record: IndicationRecord) -> Indication:
    session = writer.session
    values = record.model_dump(include={"name_zh", "name_pinyin", "name_en", "category", "notes"})
    values["public_note_zh"] = record.public_note.zh if record.public_note else None
    values["public_note_en"] = record.public_note.en if record.public_note else None
    values["search_text"] = search_text(
        name_zh=record.name_zh, name_pinyin=record.name_pinyin, name_en=record.name_en, slug=record.slug
    )
    indication = writer.upsert(Indication, EntityType.indication, {"slug": record.slug}, values)
    stored_counties = sorted(
        session.exec(
            select(IndicationCounty.county_code).where(IndicationCounty.indication_id == indication.id)
        ).all()
    )

    def replace_counties() -> None:
        for old in session.exec(
            select(IndicationCounty).where(IndicationCounty.indication_id == indication.id)
        ):
            session.delete(old)
        session.flush()
        for code in sorted(set(record.counties)):
            session.add(IndicationCounty(indication_id=indication.id, county_code=code))

    writer.sync_list(
        EntityType.indication,
        indication.id,
        "counties",
        stored_counties,
        sorted(set(record.counties)),
        replace_counties,
    )
    writer.sources(EntityType.indication, indication.id, record.sources)

    counties = _area_counties(session, record)
    for protection_record in record.protections:
        # `inferred` holds reasoning, not values: it stays in the data file (the fields it names are null).
        values = protection_record.model_dump(exclude={"key", "sources", "area", "inferred"})
        protection = writer.upsert(
            Protection,
            EntityType.protection,
            {"indication_id": indication.id, "key": protection_record.key},
            values,
        )
        writer.sources(EntityType.protection, protection.id, protection_record.sources)
        _load_area(writer, protection, protection_record.area, counties)
    return indication


def _load_standard(writer: _Writer, record: StandardRecord, by_key: dict[str, Standard]) -> None:
    session = writer.session
    values = record.model_dump(exclude={"key", "supersedes", "indications", "sources"})
    values["supersedes_id"] = by_key[record.supersedes].id if record.supersedes else None
    standard = writer.upsert(Standard, EntityType.standard, {"key": record.key}, values)
    by_key[record.key] = standard
    wanted = sorted(session.exec(select(Indication.id).where(Indication.slug.in_(record.indications))).all())
    stored = sorted(
        session.exec(
            select(StandardIndication.indication_id).where(StandardIndication.standard_id == standard.id)
        ).all()
    )

    def replace() -> None:
        for old in session.exec(
            select(StandardIndication).where(StandardIndication.standard_id == standard.id)
        ):
            session.delete(old)
        session.flush()
        for indication_id in wanted:
            session.add(StandardIndication(standard_id=standard.id, indication_id=indication_id))

    writer.sync_list(EntityType.standard, standard.id, "indications", stored, wanted, replace)
    writer.sources(EntityType.standard, standard.id, record.sources)


def _load_producer(writer: _Writer, record: ProducerRecord) -> None:
    session = writer.session
    values = record.model_dump(exclude={"key", "sources", "links"})
    producer = writer.upsert(Producer, EntityType.producer, {"key": record.key}, values)
    writer.sources(EntityType.producer, producer.id, record.sources)
    for link in record.links:
        indication_id = session.exec(select(Indication.id).where(Indication.slug == link.indication)).one()
        row = writer.upsert(
            ProducerLink,
            EntityType.producer_link,
            {"producer_id": producer.id, "indication_id": indication_id, "role": link.role},
            link.model_dump(exclude={"indication", "role", "sources"}),
        )
        writer.sources(EntityType.producer_link, row.id, link.sources)


def _ordered_standards(standards: list[StandardRecord]) -> list[StandardRecord]:
    """Superseded versions first, so `supersedes` always points at a stored row."""
    by_key = {s.key: s for s in standards}
    ordered: list[StandardRecord] = []

    def visit(record: StandardRecord, trail: tuple[str, ...] = ()) -> None:
        if record in ordered:
            return
        if record.key in trail:
            raise ValueError(
                f"standards supersede each other in a loop: {' -> '.join(trail + (record.key,))}"
            )
        if record.supersedes:
            visit(by_key[record.supersedes], trail + (record.key,))
        ordered.append(record)

    for record in standards:
        visit(record)
    return ordered


STEPS = ("divisions", "indications", "standards", "producers", "official totals")


def load_dataset(
    session: Session,
    dataset: Dataset,
    *,
    actor: str = LOADER_ACTOR,
    reason: str = "load of the dataset in data/",
    on_step: Callable[[str, int], None] | None = None,
) -> LoadReport:
    """Write `dataset` in one transaction and commit; on any error roll back so nothing is written."""
    report = LoadReport()
    writer = _Writer(session, ChangeSet(actor=actor, reason=reason), report)
    step = on_step or (lambda _name, _size: None)
    try:
        step("divisions", len(dataset.divisions))
        _load_divisions(writer, dataset)
        step("indications", len(dataset.indications))
        for record in dataset.indications:
            _load_indication(writer, record)
        step("standards", len(dataset.standards))
        by_key: dict[str, Standard] = {}
        for record in _ordered_standards(dataset.standards):
            _load_standard(writer, record, by_key)
        step("producers", len(dataset.producers))
        for record in dataset.producers:
            _load_producer(writer, record)
        step("official totals", len(dataset.official_totals))
        for record in dataset.official_totals:
            total = writer.upsert(
                OfficialTotal,
                EntityType.official_total,
                {"key": record.key},
                record.model_dump(exclude={"key", "sources"}),
            )
            writer.sources(EntityType.official_total, total.id, record.sources)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return report
