"""The rows of the collections published as tables only (no geometry, no stored layer), and the row
an export writes for a production-area feature. Each row is a GeoJSON feature with null geometry, so
every writer takes tables and layers alike."""

from datetime import date, timedelta

from sqlmodel import Session, select

from gi_registry.indications import service as indications_service
from gi_registry.labels import authorizations
from gi_registry.producers.models import LinkRole, ProducerLink
from gi_registry.standards import service as standards_service


def _rows_as_features(rows: list[dict]) -> list[dict]:
    return [{"type": "Feature", "id": row["id"], "geometry": None, "properties": row} for row in rows]


def protection_rows(session: Session) -> list[dict]:
    page = indications_service.list_indications(
        session, filters=indications_service.IndicationFilter(), limit=10**6, offset=0, today=date.today()
    )
    rows = []
    for gi in page.data:
        for p in gi.protections:
            rows.append(
                {
                    "id": p.id,
                    "indication_slug": gi.slug,
                    "indication_name_zh": gi.name_zh,
                    "kind": p.kind.value,
                    "mark_type": p.mark_type.value if p.mark_type else None,
                    "authority": p.authority.value if p.authority else None,
                    "number": p.number,
                    "number_kind": p.number_kind.value if p.number_kind else None,
                    "status": p.status.value,
                    "application_date": p.application_date,
                    "registration_date": p.registration_date,
                    "date_note": p.date_note,
                    "holder_name": p.holder_name,
                    "applicant_name": p.applicant_name,
                    "confidence": p.confidence.value,
                    "trademark_term_status": p.trademark_term.status.value if p.trademark_term else None,
                    "sources": " ; ".join(s.url or s.document or "" for s in p.sources),
                }
            )
    return _rows_as_features(rows)


def authorization_rows(session: Session) -> list[dict]:
    today = date.today()
    rows = []
    for link in session.exec(
        select(ProducerLink)
        .where(ProducerLink.role == LinkRole.authorized_user, ProducerLink.synthetic.is_(False))
        .order_by(ProducerLink.id)
    ):
        public = authorizations.to_public(session, link, today=today)
        rows.append(
            {
                "id": public.id,
                "producer_id": public.producer_id,
                "producer_name_zh": public.producer_name_zh,
                "indication_slug": public.indication_slug,
                "indication_name_zh": public.indication_name_zh,
                "label_version": public.label_version.value if public.label_version else None,
                "authorized": public.authorized,
                "announcement_number": public.announcement_number,
                "status": public.status.value if public.status else None,
                "effective_status": public.effective_status.value if public.effective_status else None,
                "valid_until": public.valid_until.isoformat() if public.valid_until else None,
            }
        )
    return _rows_as_features(rows)


def standard_rows(session: Session) -> list[dict]:
    page = standards_service.list_standards(
        session, filters=standards_service.StandardFilter(), limit=10**6, offset=0
    )
    return _rows_as_features(
        [
            {
                "id": s.id,
                "number": s.number,
                "title_zh": s.title_zh,
                "title_en": s.title_en,
                "kind": s.kind.value,
                "issuing_body": s.issuing_body,
                "issued": s.issued,
                "effective": s.effective,
                "status": s.status.value if s.status else None,
                "supersedes_id": s.supersedes_id,
                "indications": ",".join(g.slug for g in s.indications),
                "sources": " ; ".join(src.url or src.document or "" for src in s.sources),
            }
            for s in page.data
        ]
    )


def production_area_row(feature: dict, spans: tuple[tuple[date, date], ...]) -> dict:
    """A production-area feature (as the production_areas layer stores it) flattened to one export row:
    lists joined, and the closed span of days it applies to as valid_from/valid_to (end exclusive)."""
    props = feature["properties"]
    ((start, end),) = spans  # an area's drawing applies over one span
    row = {
        "id": feature["id"],
        "indication_slug": props["slug"],
        "name_zh": props["name_zh"],
        "protection_id": props["protection_id"],
        "kind": props["kind"],
        "basis": props["basis"],
        "county_codes": ",".join(props["county_codes"]),
        "places": props["places"] or None,
        "coordinate_range": props["coordinate_range"],
        "findings": " ; ".join(f["code"] for f in props["findings"]) or None,
        "version_id": props["version_id"],
        "valid_from": None if start == date.min else start.isoformat(),
        "valid_to": None if end == date.max else (end + timedelta(days=1)).isoformat(),
    }
    return {"type": "Feature", "id": feature["id"], "geometry": feature["geometry"], "properties": row}
