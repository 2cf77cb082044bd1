"""Verifying a GI special mark by the unified social credit code printed on it."""

from datetime import date

from sqlmodel import Session, select

from gi_registry.core.errors import InvalidParameter, NotFound
from gi_registry.indications.models import Indication
from gi_registry.labels import authorizations
from gi_registry.labels.models import Verification, VerifiedAuthorization, VerifiedProducer
from gi_registry.producers.models import AuthorizationStatus, LinkRole, Producer, ProducerLink
from gi_registry.producers.uscc import InvalidUSCC, validate_uscc
from gi_registry.sources import service as sources_service
from gi_registry.sources.models import EntityType


def verify_code(
    session: Session, code: str, *, include_synthetic: bool = False, today: date | None = None
) -> Verification:
    """Who uses this code, and which special marks they are authorized to print.

    A malformed code is an InvalidParameter (with the reason); a well-formed code no producer in the
    registry has is NotFound, because the label then cannot be confirmed.
    """
    today = today or date.today()
    try:
        normalised = validate_uscc(code)
    except InvalidUSCC as exc:
        raise InvalidParameter(f"This is not a valid unified social credit code: {exc}.") from None
    producer = session.exec(select(Producer).where(Producer.uscc == normalised)).first()
    if producer is not None and producer.synthetic and not include_synthetic:
        producer = None  # demo data never verifies a real label outside demo mode
    if producer is None:
        raise NotFound(
            f"No producer with the code {normalised} is in the registry: the label cannot be confirmed."
        )
    rows = session.exec(
        select(ProducerLink, Indication)
        .join(Indication, Indication.id == ProducerLink.indication_id)
        .where(ProducerLink.producer_id == producer.id, ProducerLink.role == LinkRole.authorized_user)
        .order_by(ProducerLink.id)
    ).all()
    sources = sources_service.citations_for(session, EntityType.producer_link, [link.id for link, _ in rows])
    verified = [
        VerifiedAuthorization(
            indication_slug=indication.slug,
            indication_name_zh=indication.name_zh,
            indication_name_en=indication.name_en,
            label_version=link.label_version,
            status=authorizations.effective_status(link, today),
            valid_until=link.valid_until,
            authorized=link.authorized,
            announcement_number=link.announcement_number,
            sources=sources[link.id],
        )
        for link, indication in rows
    ]
    # A label is confirmed only by an authorization in force today: active (a legacy label after 2020
    # reads switch_required) and not past its end date.
    in_force = [
        a
        for a in verified
        if a.status in (None, AuthorizationStatus.active)
        and (a.valid_until is None or a.valid_until >= today)
    ]
    return Verification(
        code=normalised,
        producer=VerifiedProducer.model_validate(producer, from_attributes=True),
        authorizations=verified,
        authorized=bool(in_force),
    )
