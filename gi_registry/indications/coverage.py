"""How much of Yueyang's GI record the registry holds, against the official totals."""

from sqlmodel import Session, SQLModel, select

from gi_registry.geo.models import AdminArea, AreaLevel, ProductionArea
from gi_registry.indications.models import (
    Indication,
    IndicationCounty,
    OfficialTotal,
    Protection,
    ProtectionKind,
)
from gi_registry.sources import service as sources_service
from gi_registry.sources.models import Confidence, EntityType, SourcePublic

YUEYANG_CODE = "430600"

# Fields whose absence matters to officials completing the record, per protection kind.
_TRACKED_FIELDS = ("number", "registration_date", "holder_name", "authority", "production_area")


class OfficialTotalPublic(SQLModel):
    """A published total with its sources."""

    total: int
    as_of: str
    scope_code: str
    note: str | None
    sources: list[SourcePublic]


class UnknownField(SQLModel):
    """How many recorded protections lack a field (`registration_date` counts dates not known to the day)."""

    field: str
    unknown: int
    of: int


class KindCoverage(SQLModel):
    """Coverage of one protection kind."""

    kind: ProtectionKind
    official_total: OfficialTotalPublic | None
    recorded: int
    missing: int | None
    by_confidence: dict[Confidence, int]
    unknown_fields: list[UnknownField]


class CountyKindCoverage(SQLModel):
    """One kind in one county: recorded protections against a total published for that county, if any."""

    kind: ProtectionKind
    recorded: int
    official_total: int | None
    missing: int | None


class CountyCoverage(SQLModel):
    """Coverage of one county-level division, or of the whole city for products recorded city-wide."""

    code: str
    name_zh: str
    name_en: str | None
    indications: int
    kinds: list[CountyKindCoverage]


class ProtectionGaps(SQLModel):
    """The tracked fields one protection still lacks."""

    key: str
    kind: ProtectionKind
    unknown: list[str]


class IndicationGaps(SQLModel):
    """What is still unknown about one GI product, protection by protection."""

    slug: str
    name_zh: str
    protections: list[ProtectionGaps]


class Coverage(SQLModel):
    """Coverage of every protection kind, per county, and the fields still unknown for each GI product."""

    indications: int
    kinds: list[KindCoverage]
    counties: list[CountyCoverage]
    gaps: list[IndicationGaps]


def _fields_for(kind: ProtectionKind) -> tuple[str, ...]:
    return _TRACKED_FIELDS + (("mark_type",) if kind == ProtectionKind.gi_trademark else ())


def _is_unknown(protection: Protection, field: str, areas: set[int]) -> bool:
    if field == "production_area":
        return protection.id not in areas
    if field == "registration_date":
        return protection.registration_date is None or len(protection.registration_date) != 10
    if field == "mark_type":
        return protection.mark_type is None
    return getattr(protection, field) is None


def coverage(session: Session) -> Coverage:
    """Per kind: the official total and its source, recorded count, confidence split, most-missing fields."""
    protections = session.exec(
        select(Protection).join(Indication).where(Indication.synthetic == False)  # noqa: E712 - SQL expression
    ).all()
    areas = set(session.exec(select(ProductionArea.protection_id)).all())
    totals = session.exec(select(OfficialTotal).order_by(OfficialTotal.as_of.desc())).all()
    total_sources = sources_service.citations_for(session, EntityType.official_total, [t.id for t in totals])
    indications = len(session.exec(select(Indication.id).where(Indication.synthetic == False)).all())  # noqa: E712

    kinds = []
    for kind in ProtectionKind:
        of_kind = [p for p in protections if p.kind == kind]
        # Only a total for all of Yueyang compares with all recorded protections; county totals go per county.
        official = next((t for t in totals if t.kind == kind and t.scope_code == YUEYANG_CODE), None)
        fields = _fields_for(kind)
        unknown = [
            UnknownField(field=f, unknown=sum(_is_unknown(p, f, areas) for p in of_kind), of=len(of_kind))
            for f in fields
        ]
        kinds.append(
            KindCoverage(
                kind=kind,
                official_total=(
                    OfficialTotalPublic(
                        total=official.total,
                        as_of=official.as_of.isoformat(),
                        scope_code=official.scope_code,
                        note=official.note,
                        sources=total_sources[official.id],
                    )
                    if official
                    else None
                ),
                recorded=len(of_kind),
                missing=max(official.total - len(of_kind), 0) if official else None,
                by_confidence={c: sum(p.confidence == c for p in of_kind) for c in Confidence},
                unknown_fields=sorted(unknown, key=lambda u: (-u.unknown, u.field)),
            )
        )
    return Coverage(
        indications=indications,
        kinds=kinds,
        counties=_counties(session, protections, totals),
        gaps=_gaps(session, protections, areas),
    )


def _counties(
    session: Session, protections: list[Protection], totals: list[OfficialTotal]
) -> list[CountyCoverage]:
    """Per county (and the whole city), recorded protections per kind and any total published for it.

    Every county is listed, also those with nothing recorded, so a gap shows rather than hides. A product
    recorded for several counties counts in each; one recorded for the whole city (岳阳黄茶) counts only
    in the city row, because its sources do not split it by county.
    """
    # Yueyang itself and its county-level divisions; context prefectures around it are not ours to count.
    divisions = [
        a
        for a in session.exec(select(AdminArea).order_by(AdminArea.code)).all()
        if a.code == YUEYANG_CODE or (a.level == AreaLevel.county and a.parent_code == YUEYANG_CODE)
    ]
    links = session.exec(
        select(IndicationCounty)
        .join(Indication, Indication.id == IndicationCounty.indication_id)
        .where(Indication.synthetic == False)  # noqa: E712 - SQL expression; scale-test data is not counted
    ).all()
    by_county: dict[str, set[int]] = {}
    for link in links:
        by_county.setdefault(link.county_code, set()).add(link.indication_id)
    rows = []
    for division in divisions:
        ids = by_county.get(division.code, set())
        in_county = [p for p in protections if p.indication_id in ids]
        county_kinds = []
        for kind in ProtectionKind:
            recorded = sum(p.kind == kind for p in in_county)
            # A city-scope total (32 trademarks, 5 products) counts all of Yueyang, not just the products
            # recorded city-wide, so it is compared in the per-kind table only; counties compare their own.
            official = (
                next((t for t in totals if t.kind == kind and t.scope_code == division.code), None)
                if division.level == AreaLevel.county
                else None
            )
            county_kinds.append(
                CountyKindCoverage(
                    kind=kind,
                    recorded=recorded,
                    official_total=official.total if official else None,
                    missing=max(official.total - recorded, 0) if official else None,
                )
            )
        rows.append(
            CountyCoverage(
                code=division.code,
                name_zh=division.name_zh,
                name_en=division.name_en,
                indications=len(ids),
                kinds=county_kinds,
            )
        )
    return rows


def _gaps(session: Session, protections: list[Protection], areas: set[int]) -> list[IndicationGaps]:
    """For each GI product, the tracked fields its protections lack (products lacking none are left out)."""
    indications = session.exec(
        select(Indication).where(Indication.synthetic == False).order_by(Indication.id)  # noqa: E712
    ).all()
    by_indication: dict[int, list[Protection]] = {}
    for protection in sorted(protections, key=lambda p: p.id or 0):
        by_indication.setdefault(protection.indication_id, []).append(protection)
    gaps = []
    for indication in indications:
        own = by_indication.get(indication.id or 0, [])
        lacking = [
            ProtectionGaps(
                key=p.key,
                kind=p.kind,
                unknown=[f for f in _fields_for(p.kind) if _is_unknown(p, f, areas)],
            )
            for p in own
        ]
        lacking = [g for g in lacking if g.unknown]
        if lacking:
            gaps.append(IndicationGaps(slug=indication.slug, name_zh=indication.name_zh, protections=lacking))
    return gaps
