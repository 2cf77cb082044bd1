"""Special-mark authorizations: recording them, and their computed status and deadlines."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from gi_registry.core.dates import add_years, exact_date
from gi_registry.core.errors import Conflict, InvalidParameter, NotFound
from gi_registry.history.edits import add_record, edit_record
from gi_registry.history.service import ChangeSet
from gi_registry.indications.models import Indication, Protection, ProtectionKind
from gi_registry.indications.terms import trademark_term
from gi_registry.labels.models import (
    AuthorizationChange,
    AuthorizationCreate,
    AuthorizationDeadlines,
    AuthorizationPublic,
)
from gi_registry.producers.models import AuthorizationStatus, LabelVersion, LinkRole, Producer, ProducerLink
from gi_registry.sources import service as sources_service
from gi_registry.sources.models import EntityType
from gi_registry.standards.models import Standard, StandardStatus

# CNIPA announcement No. 354 (2020-04-03): the old GI marks could be used until the end of 2020.
LEGACY_MARK_LAST_DAY = date(2020, 12, 31)


def effective_status(link: ProducerLink, today: date) -> AuthorizationStatus | None:
    """The stored status, except that an active legacy label after 2020 must be switched."""
    if (
        link.status in (None, AuthorizationStatus.active)
        and link.label_version == LabelVersion.legacy
        and today > LEGACY_MARK_LAST_DAY
    ):
        return AuthorizationStatus.switch_required
    return link.status


def usage_report_due(authorized: str | None, today: date) -> tuple[date | None, str]:
    """The next annual usage report, due on each anniversary of the authorization (when its day is known)."""
    start = exact_date(authorized)
    if start is None:
        return None, "authorization date not known to the day"
    years = max(today.year - start.year, 1)
    due = add_years(start, years)
    while due < today:
        years += 1
        due = add_years(start, years)
    return due, "each anniversary of the authorization"


def _superseded(session: Session, standard_id: int | None) -> bool:
    standard = session.get(Standard, standard_id) if standard_id else None
    return standard is not None and standard.status == StandardStatus.superseded


def get_authorization(session: Session, authorization_id: int) -> ProducerLink:
    """An authorization (a producer's authorized_user link) by id, or NotFound."""
    link = session.get(ProducerLink, authorization_id)
    if link is None or link.role != LinkRole.authorized_user:
        raise NotFound(f"No special-mark authorization with id {authorization_id}.")
    return link


@dataclass(frozen=True)
class AuthorizationNames:
    """What a list shows of an authorization: whose, and for which GI."""

    producer_id: int
    producer_name_zh: str
    indication_slug: str
    indication_name_zh: str


def names_of(session: Session, authorization_ids: set[int]) -> dict[int, AuthorizationNames]:
    """Producer and GI names of these authorizations, in one query."""
    if not authorization_ids:
        return {}
    rows = session.exec(
        select(ProducerLink.id, Producer.id, Producer.name_zh, Indication.slug, Indication.name_zh)
        .join(Producer, Producer.id == ProducerLink.producer_id)
        .join(Indication, Indication.id == ProducerLink.indication_id)
        .where(ProducerLink.id.in_(authorization_ids))
    ).all()
    return {row[0]: AuthorizationNames(*row[1:]) for row in rows}


def to_public(session: Session, link: ProducerLink, *, today: date) -> AuthorizationPublic:
    """An authorization with its producer, GI, computed status and deadlines."""
    producer = session.get(Producer, link.producer_id)
    indication = session.get(Indication, link.indication_id)
    trademarks = session.exec(
        select(Protection).where(
            Protection.indication_id == link.indication_id, Protection.kind == ProtectionKind.gi_trademark
        )
    ).all()
    due, basis = usage_report_due(link.authorized, today)
    return AuthorizationPublic(
        id=link.id,
        producer_id=link.producer_id,
        producer_name_zh=producer.name_zh,
        indication_id=indication.id,
        indication_slug=indication.slug,
        indication_name_zh=indication.name_zh,
        label_version=link.label_version,
        authorized=link.authorized,
        announcement_number=link.announcement_number,
        status=link.status,
        effective_status=effective_status(link, today),
        valid_until=link.valid_until,
        standard_id=link.standard_id,
        standard_superseded=_superseded(session, link.standard_id),
        deadlines=AuthorizationDeadlines(
            usage_report_due=due,
            usage_report_basis=basis,
            trademark_terms=[
                trademark_term(p.registration_date, today, p.renewed_through) for p in trademarks
            ],
        ),
        sources=sources_service.citations_for(session, EntityType.producer_link, [link.id])[link.id],
    )


def create_authorization(
    session: Session, *, authorization_in: AuthorizationCreate, actor: str, changes: ChangeSet | None = None
) -> ProducerLink:
    """Record an authorization with its sources and history (409 if it exists).

    Commits, unless the caller passes the `changes` of a larger transaction (an import) and commits itself.
    """
    if session.get(Producer, authorization_in.producer_id) is None:
        raise InvalidParameter(f"There is no producer with id {authorization_in.producer_id}.")
    if session.get(Indication, authorization_in.indication_id) is None:
        raise InvalidParameter(f"There is no GI product with id {authorization_in.indication_id}.")
    if (
        authorization_in.standard_id is not None
        and session.get(Standard, authorization_in.standard_id) is None
    ):
        raise InvalidParameter(f"There is no standard with id {authorization_in.standard_id}.")
    existing = session.exec(
        select(ProducerLink).where(
            ProducerLink.producer_id == authorization_in.producer_id,
            ProducerLink.indication_id == authorization_in.indication_id,
            ProducerLink.role == LinkRole.authorized_user,
        )
    ).first()
    if existing is not None:
        raise Conflict(
            f"Producer {authorization_in.producer_id} already holds authorization {existing.id} for this GI; "
            "change that one instead."
        )
    link = ProducerLink(
        role=LinkRole.authorized_user, **authorization_in.model_dump(exclude={"reason", "sources"})
    )
    own_transaction = changes is None
    changes = changes or ChangeSet(actor=actor, reason=authorization_in.reason)
    add_record(
        session,
        row=link,
        entity_type=EntityType.producer_link,
        sources=authorization_in.sources,
        changes=changes,
    )
    if own_transaction:
        session.commit()
        session.refresh(link)
    return link


def change_authorization(
    session: Session, *, authorization_id: int, change: AuthorizationChange, actor: str
) -> ProducerLink:
    """Suspend, revoke, reinstate or switch the label of an authorization, with the reason and sources.

    A revoked authorization is final: a producer whose right was withdrawn applies again.
    """
    link = get_authorization(session, authorization_id)
    if link.status == AuthorizationStatus.revoked and change.status not in (
        None,
        AuthorizationStatus.revoked,
    ):
        raise Conflict(
            "This authorization was revoked; record a new authorization instead of reinstating it."
        )
    if change.status == AuthorizationStatus.switch_required:
        raise InvalidParameter(
            "switch_required is computed from the label version; set label_version instead."
        )
    edit_record(session, row=link, entity_type=EntityType.producer_link, update=change, actor=actor)
    return link
