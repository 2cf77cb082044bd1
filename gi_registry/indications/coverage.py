"""How much of Yueyang's GI record the registry holds, against the official totals."""

from datetime import date
from enum import StrEnum

from sqlmodel import Session, SQLModel, select

from gi_registry.core.dates import date_span
from gi_registry.geo.models import AdminArea, AreaLevel, ProductionArea
from gi_registry.indications.models import (
    Indication,
    IndicationCounty,
    OfficialTotal,
    Protection,
    ProtectionKind,
    ProtectionStatus,
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


class NotCountedReason(StrEnum):
    """Why a recorded protection is not counted against a total of a given date."""

    no_source_by_date = "no_source_by_date"  # no date of its own, and no source of that date or earlier
    date_spans_as_of = "date_spans_as_of"  # e.g. registered "2020" against a total as of 2020-06-30
    not_granted = "not_granted"  # its sources show only an application or an expert review
    dated_after = "dated_after"  # registered after the total's date: it belongs to a later total


class NotCounted(SQLModel):
    """A recorded protection left out of a dated total, with the reason and the latest date known for it."""

    slug: str
    name_zh: str
    key: str
    confidence: Confidence
    reason: NotCountedReason
    date: str | None


class AsOfCoverage(SQLModel):
    """Recorded protections against a total of a date: only those whose sources show them by that date count.

    `reported` = `well_supported` + `weak` + `not_identified`. A protection of unknown date may be one of
    the not identified, or a later one: it is listed in `unknown_date`, never counted. One dated after the
    total is no error; it is listed in `later`.
    """

    as_of: str
    reported: int
    known_by_date: int
    well_supported: int  # counted, graded H or M
    weak: int  # counted, graded L
    not_identified: int
    unknown_date: list[NotCounted]
    later: list[NotCounted]


class KindCoverage(SQLModel):
    """Coverage of one protection kind.

    `missing` is the official total minus the protections known to exist by its date (`as_of.known_by_date`),
    not minus all recorded: a protection of unknown or later date does not fill a gap in an older total.
    """

    kind: ProtectionKind
    official_total: OfficialTotalPublic | None
    recorded: int
    missing: int | None
    by_confidence: dict[Confidence, int]
    unknown_fields: list[UnknownField]
    as_of: AsOfCoverage | None = None


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


# A citation listing one of these fields says the protection existed when the source was published.
_EXISTENCE_FIELDS = frozenset({"existence", "status", "registration_date"})
_WELL_SUPPORTED = (Confidence.high, Confidence.medium)


def _counted_by(
    protection: Protection, sources: list[SourcePublic], as_of: date
) -> tuple[NotCountedReason | None, str | None]:
    """(None, date) when the sources show `protection` existed by `as_of`; else the reason and best date.

    A registration date decides when there is one. Without it, a source published by `as_of` that
    attests the protection shows it existed by then; a later source shows nothing about `as_of`.
    """
    if protection.status in (ProtectionStatus.applied, ProtectionStatus.expert_review_passed):
        return NotCountedReason.not_granted, protection.registration_date
    if protection.registration_date:
        first, last = date_span(protection.registration_date) or (as_of, as_of)
        if last <= as_of:
            return None, protection.registration_date
        if first > as_of:
            return NotCountedReason.dated_after, protection.registration_date
        return NotCountedReason.date_spans_as_of, protection.registration_date
    attested = [s.published for s in sources if s.published and _EXISTENCE_FIELDS & set(s.fields)]
    # The attestation whose whole span lies earliest is the best evidence of existence by a date.
    attested.sort(key=lambda d: (date_span(d) or (as_of, as_of))[1])
    if attested and (date_span(attested[0]) or (as_of, as_of))[1] <= as_of:
        return None, attested[0]
    return NotCountedReason.no_source_by_date, None


def _as_of(
    official: OfficialTotal,
    of_kind: list[Protection],
    sources: dict[int, list[SourcePublic]],
    names: dict[int, tuple[str, str]],
) -> AsOfCoverage:
    counted: list[Protection] = []
    unknown: list[NotCounted] = []
    later: list[NotCounted] = []
    for protection in of_kind:
        reason, when = _counted_by(protection, sources.get(protection.id or 0, []), official.as_of)
        if reason is None:
            counted.append(protection)
            continue
        slug, name_zh = names[protection.indication_id]
        row = NotCounted(
            slug=slug,
            name_zh=name_zh,
            key=protection.key,
            confidence=protection.confidence,
            reason=reason,
            date=when,
        )
        (later if reason == NotCountedReason.dated_after else unknown).append(row)
    well = sum(p.confidence in _WELL_SUPPORTED for p in counted)
    return AsOfCoverage(
        as_of=official.as_of.isoformat(),
        reported=official.total,
        known_by_date=len(counted),
        well_supported=well,
        weak=len(counted) - well,
        not_identified=max(official.total - len(counted), 0),
        unknown_date=unknown,
        later=later,
    )


def coverage(session: Session) -> Coverage:
    """Per kind: the official total and its source, recorded count, confidence split, most-missing fields."""
    protections = session.exec(
        select(Protection).join(Indication).where(Indication.synthetic == False)  # noqa: E712 - SQL expression
    ).all()
    areas = set(session.exec(select(ProductionArea.protection_id)).all())
    totals = session.exec(select(OfficialTotal).order_by(OfficialTotal.as_of.desc())).all()
    total_sources = sources_service.citations_for(session, EntityType.official_total, [t.id for t in totals])
    names = {
        i.id or 0: (i.slug, i.name_zh)
        for i in session.exec(select(Indication).where(Indication.synthetic == False))  # noqa: E712
    }
    indications = len(names)
    protection_sources = sources_service.citations_for(
        session, EntityType.protection, [p.id for p in protections if p.id is not None]
    )

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
        as_of = _as_of(official, of_kind, protection_sources, names) if official else None
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
                missing=as_of.not_identified if as_of else None,
                by_confidence={c: sum(p.confidence == c for p in of_kind) for c in Confidence},
                unknown_fields=sorted(unknown, key=lambda u: (-u.unknown, u.field)),
                as_of=as_of,
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
