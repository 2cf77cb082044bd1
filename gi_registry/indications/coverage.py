"""How much of Yueyang's GI record the registry holds, against the official totals."""

from sqlmodel import Session, SQLModel, select

from gi_registry.geo.models import ProductionArea
from gi_registry.indications.models import Indication, OfficialTotal, Protection, ProtectionKind
from gi_registry.sources import service as sources_service
from gi_registry.sources.models import Confidence, EntityType, SourcePublic

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


class Coverage(SQLModel):
    """Coverage of every protection kind, and how many GI products are recorded."""

    indications: int
    kinds: list[KindCoverage]


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
        official = next((t for t in totals if t.kind == kind), None)
        fields = _TRACKED_FIELDS + (("mark_type",) if kind == ProtectionKind.gi_trademark else ())
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
    return Coverage(indications=indications, kinds=kinds)
