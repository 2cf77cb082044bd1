"""Reading GI products: listing with filters and search, one product, and the public view."""

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, exists, func, or_
from sqlmodel import Session, select

from gi_registry.core.errors import NotFound
from gi_registry.core.pagination import Page
from gi_registry.geo import service as geo_service
from gi_registry.history import service as history_service
from gi_registry.history.edits import edit_record
from gi_registry.indications.models import (
    Category,
    Indication,
    IndicationCounty,
    IndicationPublic,
    IndicationUpdate,
    Protection,
    ProtectionKind,
    ProtectionPublic,
    ProtectionUpdate,
    StandardRef,
)
from gi_registry.indications.search import fold, search_text
from gi_registry.indications.terms import trademark_term
from gi_registry.sources import service as sources_service
from gi_registry.sources.models import CONFIDENCE_RANK, Confidence, EntityType

# ASCII digits only (str.isdigit also accepts '²'), and small enough for a 64-bit integer column.
_ROW_ID = re.compile(r"[0-9]{1,18}")
_RANK_TO_CONFIDENCE = {rank: conf for conf, rank in CONFIDENCE_RANK.items()}

# Reads the standards governing some products, by product id (standards.service.refs_by_indication).
StandardsOf = Callable[[Session, Sequence[int]], Mapping[int, list[StandardRef]]]


@dataclass(frozen=True)
class IndicationFilter:
    """Filters of the product list; `county_codes` already resolved (a county and the city above it)."""

    kind: ProtectionKind | None = None
    category: Category | None = None
    county_codes: tuple[str, ...] = ()
    confidence: Confidence | None = None
    q: str | None = None
    modified_since: datetime | None = None


def _confidence_rank():
    """Highest protection confidence per product, as a rank 3 (H) … 1 (L)."""
    rank = case(*((Protection.confidence == conf, r) for conf, r in CONFIDENCE_RANK.items()), else_=0)
    return (
        select(Protection.indication_id, func.max(rank).label("rank"))
        .group_by(Protection.indication_id)
        .subquery()
    )


def _filtered(query, filters: IndicationFilter):  # noqa: ANN001, ANN202 - SQLAlchemy select in, select out
    if filters.kind is not None:
        query = query.where(
            exists().where(Protection.indication_id == Indication.id, Protection.kind == filters.kind)
        )
    if filters.category is not None:
        query = query.where(Indication.category == filters.category)
    if filters.county_codes:
        query = query.where(
            exists().where(
                IndicationCounty.indication_id == Indication.id,
                IndicationCounty.county_code.in_(filters.county_codes),
            )
        )
    if filters.confidence is not None:
        ranks = _confidence_rank()
        query = query.join(ranks, ranks.c.indication_id == Indication.id).where(
            ranks.c.rank == CONFIDENCE_RANK[filters.confidence]
        )
    if filters.modified_since is not None:
        since = filters.modified_since
        changed_protections = select(Protection.indication_id).where(
            Protection.id.in_(history_service.ids_changed_since("protection", since))
        )
        query = query.where(
            or_(
                Indication.id.in_(history_service.ids_changed_since("indication", since)),
                Indication.id.in_(changed_protections),
            )
        )
    if filters.q:
        raw = filters.q.strip()
        folded = fold(raw)
        patterns = {_like(raw), _like(folded)} if folded else {_like(raw)}
        query = query.where(or_(*(Indication.search_text.like(p, escape="\\") for p in patterns)))
    return query


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_indications(
    session: Session,
    *,
    filters: IndicationFilter,
    limit: int,
    offset: int,
    today: date,
    standards_of: StandardsOf | None = None,
) -> Page[IndicationPublic]:
    """A page of products matching `filters`, in registry order, with the total count (and, given
    `standards_of`, the standards governing each; see `to_public`)."""
    count = session.exec(_filtered(select(func.count(Indication.id)), filters)).one()
    rows = session.exec(
        _filtered(select(Indication), filters).order_by(Indication.id).offset(offset).limit(limit)
    )
    return Page(
        data=to_public(session, list(rows.all()), today=today, standards_of=standards_of), count=count
    )


@dataclass(frozen=True)
class IndicationSummary:
    """The fields a GeoJSON feature of a product shows, read with narrow queries (no public models)."""

    id: int
    slug: str
    name_zh: str
    name_pinyin: str | None
    name_en: str | None
    category: Category
    protections: list[tuple[ProtectionKind, str | None, str | None, Confidence]]  # kind, number, date, conf
    county_codes: list[str]

    @property
    def confidence(self) -> Confidence | None:
        """The highest confidence among its protections."""
        ranks = [CONFIDENCE_RANK[p[3]] for p in self.protections]
        return _RANK_TO_CONFIDENCE[max(ranks)] if ranks else None


def indication_summaries(
    session: Session, filters: IndicationFilter, indication_ids: Sequence[int] | None = None
) -> list[IndicationSummary]:
    """Every product matching `filters` (and among `indication_ids` when given), in registry order.

    The OGC layer and the exports read all 10,000 products of a national registry at once; building
    full public records for that costs seconds, these three column queries a fraction of it.
    """
    query = _filtered(
        select(
            Indication.id,
            Indication.slug,
            Indication.name_zh,
            Indication.name_pinyin,
            Indication.name_en,
            Indication.category,
        ),
        filters,
    ).order_by(Indication.id)
    protection_query = select(
        Protection.indication_id,
        Protection.kind,
        Protection.number,
        Protection.registration_date,
        Protection.confidence,
    ).order_by(Protection.id)
    county_query = select(IndicationCounty.indication_id, IndicationCounty.county_code).order_by(
        IndicationCounty.county_code
    )
    if indication_ids is not None:
        ids = list(indication_ids)
        query = query.where(Indication.id.in_(ids))
        protection_query = protection_query.where(Protection.indication_id.in_(ids))
        county_query = county_query.where(IndicationCounty.indication_id.in_(ids))
    protections: dict[int, list] = defaultdict(list)
    for indication_id, *values in session.exec(protection_query):
        protections[indication_id].append(tuple(values))
    counties: dict[int, list[str]] = defaultdict(list)
    for indication_id, code in session.exec(county_query):
        counties[indication_id].append(code)
    return [
        IndicationSummary(*row, protections=protections[row[0]], county_codes=counties[row[0]])
        for row in session.exec(query)
    ]


@dataclass(frozen=True)
class IndicationName:
    """What a map, a list link or a form choice shows of a GI."""

    id: int
    slug: str
    name_zh: str
    name_en: str | None


def names_by_id(session: Session) -> dict[int, IndicationName]:
    """Every GI's names, for lists and form choices, in name order."""
    rows = session.exec(
        select(Indication.id, Indication.slug, Indication.name_zh, Indication.name_en).order_by(
            Indication.name_zh
        )
    ).all()
    return {row[0]: IndicationName(*row) for row in rows}


def get_indication(session: Session, id_or_slug: str) -> Indication:
    """A product by numeric id or slug, or NotFound."""
    by_id = _ROW_ID.fullmatch(id_or_slug) is not None
    condition = Indication.id == int(id_or_slug) if by_id else Indication.slug == id_or_slug
    indication = session.exec(select(Indication).where(condition)).first()
    if indication is None:
        raise NotFound(f"No GI product with id or slug '{id_or_slug}'.")
    return indication


def protections_of(session: Session, indication_ids: Sequence[int]) -> dict[int, list[Protection]]:
    """Protections of many products, keyed by product id, in registry order."""
    grouped: dict[int, list[Protection]] = defaultdict(list)
    if indication_ids:
        for row in session.exec(
            select(Protection).where(Protection.indication_id.in_(indication_ids)).order_by(Protection.id)
        ):
            grouped[row.indication_id].append(row)
    return grouped


def protection_public(
    protections: Sequence[Protection], session: Session, *, today: date
) -> list[ProtectionPublic]:
    """Public views of protections with area, sources and (for trademarks) the computed term."""
    ids = [p.id for p in protections]
    areas = geo_service.production_areas_for(session, ids)
    sources = sources_service.citations_for(session, EntityType.protection, ids)
    return [
        ProtectionPublic(
            **p.model_dump(exclude={"indication_id", "synthetic"}),
            area=areas.get(p.id),
            trademark_term=(
                trademark_term(p.registration_date, today, p.renewed_through)
                if p.kind == ProtectionKind.gi_trademark
                else None
            ),
            sources=sources[p.id],
        )
        for p in protections
    ]


def to_public(
    session: Session, indications: list[Indication], *, today: date, standards_of: StandardsOf | None = None
) -> list[IndicationPublic]:
    """Assemble public views for many products with a fixed number of queries.

    The standards governing each product come from `standards_of` (standards.service.refs_by_indication),
    passed in by the caller: standards sit above indications, so this module does not import them.
    Without it the views list no standards (for callers that read only the protections).
    """
    ids = [i.id for i in indications]
    protections = protections_of(session, ids)
    all_protections = [p for group in protections.values() for p in group]
    public_protections = iter(protection_public(all_protections, session, today=today))
    public_by_product: dict[int, list[ProtectionPublic]] = defaultdict(list)
    for protection in all_protections:
        public_by_product[protection.indication_id].append(next(public_protections))

    county_links = (
        session.exec(select(IndicationCounty).where(IndicationCounty.indication_id.in_(ids))).all()
        if ids
        else []
    )
    areas = geo_service.admin_areas_by_code(session, (link.county_code for link in county_links))
    counties: dict[int, list] = defaultdict(list)
    for link in sorted(county_links, key=lambda link: link.county_code):
        counties[link.indication_id].append(areas[link.county_code])

    governing = standards_of(session, ids) if standards_of is not None and ids else {}

    sources = sources_service.citations_for(session, EntityType.indication, ids)
    result = []
    for indication in indications:
        ranks = [CONFIDENCE_RANK[p.confidence] for p in protections[indication.id]]
        result.append(
            IndicationPublic(
                **indication.model_dump(include=set(IndicationPublic.model_fields)),
                confidence=_RANK_TO_CONFIDENCE[max(ranks)] if ranks else None,
                counties=counties[indication.id],
                protections=public_by_product[indication.id],
                standards=governing.get(indication.id, []),
                sources=sources[indication.id],
            )
        )
    return result


@dataclass(frozen=True)
class CountyIndications:
    """How many products `indications_by_county` lists for a county, and the first of them by id."""

    total: int
    first: list[IndicationName]


def indications_by_county(session: Session, first: int) -> dict[str, CountyIndications]:
    """Products per county code as the sources name them, city-wide products counted under every county:
    how many, and the first `first` by id.

    A map's county popup lists no more; at national scale the full lists are 10,000 names per map. Each
    query is small: a count per code, and per code the first ids along the primary key.
    """
    counts = dict(
        session.exec(
            select(IndicationCounty.county_code, func.count()).group_by(IndicationCounty.county_code)
        ).all()
    )
    city_ids = set(
        session.exec(select(IndicationCounty.indication_id).where(IndicationCounty.county_code.like("%00")))
    )
    overlap: dict[str, int] = {}
    if city_ids:  # a product named both city-wide and for a county is counted once there
        overlap = dict(
            session.exec(
                select(IndicationCounty.county_code, func.count())
                .where(
                    IndicationCounty.indication_id.in_(city_ids), IndicationCounty.county_code.not_like("%00")
                )
                .group_by(IndicationCounty.county_code)
            ).all()
        )
    first_ids = {
        code: session.exec(
            select(IndicationCounty.indication_id)
            .where(IndicationCounty.county_code == code)
            .order_by(IndicationCounty.indication_id)
            .limit(first)
        ).all()
        for code in counts
    }
    wanted = {i for ids in first_ids.values() for i in ids}
    names = {
        row[0]: IndicationName(*row)
        for row in session.exec(
            select(Indication.id, Indication.slug, Indication.name_zh, Indication.name_en).where(
                Indication.id.in_(wanted)
            )
        )
    }
    city_wide = sorted({i for code, ids in first_ids.items() if code.endswith("00") for i in ids})[:first]
    counties = set(geo_service.county_geometries(session)) | set(counts)
    return {
        code: CountyIndications(
            counts.get(code, 0) + len(city_ids) - overlap.get(code, 0),
            [names[i] for i in sorted({*first_ids.get(code, []), *city_wide})[:first]],
        )
        for code in counties
        if not code.endswith("00")
    }


def correct_indication(
    session: Session, *, id_or_slug: str, update: IndicationUpdate, actor: str
) -> Indication:
    """Correct a GI product's names, category or notes with the reason and sources (never the slug)."""
    indication = get_indication(session, id_or_slug)
    merged = {**indication.model_dump(), **update.model_dump(exclude_unset=True)}
    derived = {
        "search_text": search_text(
            name_zh=merged["name_zh"],
            name_pinyin=merged["name_pinyin"],
            name_en=merged["name_en"],
            slug=indication.slug,
        )
    }
    edit_record(
        session,
        row=indication,
        entity_type=EntityType.indication,
        update=update,
        actor=actor,
        derived=derived,
    )
    return indication


def get_protection(session: Session, protection_id: int) -> Protection:
    """A protection by id, or NotFound."""
    protection = session.get(Protection, protection_id)
    if protection is None:
        raise NotFound(f"No protection with id {protection_id}.")
    return protection


def correct_protection(
    session: Session, *, protection_id: int, update: ProtectionUpdate, actor: str
) -> Indication:
    """Correct a protection (number, dates, holder, status …) with the reason and sources; its GI."""
    protection = get_protection(session, protection_id)
    edit_record(session, row=protection, entity_type=EntityType.protection, update=update, actor=actor)
    return get_indication(session, str(protection.indication_id))
