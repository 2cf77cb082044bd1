"""Reading producers and their links to GI products."""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import exists, func, or_
from sqlmodel import Session, select

from gi_registry.core.errors import Conflict, InvalidParameter, NotFound
from gi_registry.core.pagination import Page
from gi_registry.geo import service as geo_service
from gi_registry.history import service as history_service
from gi_registry.history.edits import add_record, edit_record
from gi_registry.history.service import ChangeSet
from gi_registry.indications.models import Indication
from gi_registry.producers.models import (
    AuthorizationStatus,
    LabelVersion,
    LinkRole,
    Producer,
    ProducerCreate,
    ProducerLink,
    ProducerLinkPublic,
    ProducerPublic,
    ProducerUpdate,
)
from gi_registry.sources import service as sources_service
from gi_registry.sources.models import EntityType


@dataclass(frozen=True)
class ProducerFilter:
    """Filters of the producer list."""

    county_codes: tuple[str, ...] = ()
    indication_id: int | None = None
    role: LinkRole | None = None
    modified_since: datetime | None = None
    include_synthetic: bool = False  # demo data is shown only in demo mode


def _filtered(query, filters: ProducerFilter):  # noqa: ANN001, ANN202 - SQLAlchemy select in, select out
    if not filters.include_synthetic:
        query = query.where(Producer.synthetic == False)  # noqa: E712 - SQL expression
    if filters.county_codes:
        query = query.where(Producer.county_code.in_(filters.county_codes))
    if filters.indication_id is not None or filters.role is not None:
        condition = [ProducerLink.producer_id == Producer.id]
        if filters.indication_id is not None:
            condition.append(ProducerLink.indication_id == filters.indication_id)
        if filters.role is not None:
            condition.append(ProducerLink.role == filters.role)
        query = query.where(exists().where(*condition))
    if filters.modified_since is not None:
        since = filters.modified_since
        changed_links = select(ProducerLink.producer_id).where(
            ProducerLink.id.in_(history_service.ids_changed_since("producer_link", since))
        )
        query = query.where(
            or_(
                Producer.id.in_(history_service.ids_changed_since("producer", since)),
                Producer.id.in_(changed_links),
            )
        )
    return query


def list_producers(
    session: Session, *, filters: ProducerFilter, limit: int, offset: int
) -> Page[ProducerPublic]:
    """A page of producers matching `filters`, with the total count."""
    count = session.exec(_filtered(select(func.count(Producer.id)), filters)).one()
    rows = session.exec(
        _filtered(select(Producer), filters).order_by(Producer.id).offset(offset).limit(limit)
    )
    return Page(data=to_public(session, list(rows.all())), count=count)


class ProducerName(NamedTuple):
    """What a list or a form choice shows of a producer."""

    id: int
    name_zh: str
    county_code: str | None
    uscc: str | None
    synthetic: bool


def producer_names(session: Session) -> list[ProducerName]:
    """Every producer's name, for officials' form choices, in name order (demo records marked)."""
    rows = session.exec(
        select(
            Producer.id, Producer.name_zh, Producer.county_code, Producer.uscc, Producer.synthetic
        ).order_by(Producer.name_zh)
    ).all()
    return [ProducerName(*row) for row in rows]


def get_producer(session: Session, producer_id: int, *, include_synthetic: bool = True) -> Producer:
    """A producer by id, or NotFound (demo producers too, unless `include_synthetic` is off)."""
    producer = session.get(Producer, producer_id)
    if producer is None or (producer.synthetic and not include_synthetic):
        raise NotFound(f"No producer with id {producer_id}.")
    return producer


def to_public(session: Session, producers: list[Producer]) -> list[ProducerPublic]:
    """Public views of producers with their links and sources."""
    ids = [p.id for p in producers]
    links: dict[int, list[ProducerLinkPublic]] = defaultdict(list)
    link_rows = (
        session.exec(
            select(ProducerLink, Indication)
            .join(Indication, Indication.id == ProducerLink.indication_id)
            .where(ProducerLink.producer_id.in_(ids))
            .order_by(ProducerLink.id)
        ).all()
        if ids
        else []
    )
    link_sources = sources_service.citations_for(
        session, EntityType.producer_link, [lk.id for lk, _ in link_rows]
    )
    for link, indication in link_rows:
        links[link.producer_id].append(
            ProducerLinkPublic(
                **link.model_dump(exclude={"producer_id", "synthetic"}),
                indication_slug=indication.slug,
                indication_name_zh=indication.name_zh,
                sources=link_sources[link.id],
            )
        )
    sources = sources_service.citations_for(session, EntityType.producer, ids)
    return [
        ProducerPublic(
            **p.model_dump(include=set(ProducerPublic.model_fields) - {"links", "sources"}),
            links=links[p.id],
            sources=sources[p.id],
        )
        for p in producers
    ]


def producer_features(
    session: Session,
    *,
    include_synthetic: bool = False,
    producer_ids: list[int] | None = None,
    county_code: str | None = None,
    indication_id: int | None = None,
    located_only: bool = False,
) -> list[dict]:
    """One GeoJSON feature per producer, in id order: a point where its location is known, null geometry
    otherwise; public fields only.

    The one builder of producer features: the producers layer (OGC, exports) stores what it returns and
    the maps select properties from it (`located_producers`), so they cannot disagree.
    """
    # Plain columns, not ORM objects: a national registry draws 100,000 producers at once.
    query = select(
        Producer.id,
        Producer.lon,
        Producer.lat,
        Producer.name_zh,
        Producer.name_en,
        Producer.uscc,
        Producer.county_code,
        Producer.synthetic,
    )
    if producer_ids is not None:
        query = query.where(Producer.id.in_(producer_ids))
    if not include_synthetic:
        query = query.where(Producer.synthetic == False)  # noqa: E712 - SQL expression
    if county_code is not None:
        query = query.where(Producer.county_code == county_code)
    if indication_id is not None:
        query = query.where(
            exists().where(
                ProducerLink.producer_id == Producer.id, ProducerLink.indication_id == indication_id
            )
        )
    if located_only:
        query = query.where(Producer.lon.is_not(None), Producer.lat.is_not(None))
    links = select(ProducerLink.producer_id, ProducerLink.role, ProducerLink.indication_id)
    if query.whereclause is not None:
        # The links of exactly the producers chosen (a subquery, not an id list: SQLite's parameter limit).
        links = links.where(ProducerLink.producer_id.in_(query.with_only_columns(Producer.id)))
    roles: dict[int, set[str]] = defaultdict(set)
    gis: dict[int, set[str]] = defaultdict(set)
    for producer_id, role, gi_id in session.exec(links):
        roles[producer_id].add(role.value)
        gis[producer_id].add(str(gi_id))
    features = []
    for producer_id, lon, lat, name_zh, name_en, uscc, county, synthetic in session.exec(
        query.order_by(Producer.id)
    ):
        point = {"type": "Point", "coordinates": [lon, lat]} if lon is not None and lat is not None else None
        # Public fields only: names, codes and roles; never contact details.
        features.append(
            {
                "type": "Feature",
                "id": producer_id,
                "geometry": point,
                "properties": {
                    "name_zh": name_zh,
                    "name_en": name_en,
                    "uscc": uscc,
                    "county_code": county,
                    "roles": ",".join(sorted(roles[producer_id])) or None,
                    "indication_ids": ",".join(sorted(gis[producer_id], key=int)) or None,
                    "synthetic": synthetic,
                },
            }
        )
    return features


# What the maps show of a producer: a selection of `producer_features`' properties, plus its id.
MAP_PROPERTIES = ("name_zh", "name_en")


def located_producers(
    session: Session,
    *,
    indication_id: int | None = None,
    county_code: str | None = None,
    include_synthetic: bool = False,
) -> dict:
    """Producers with a known location as GeoJSON points, with the properties the maps show: the
    producers collection's own features (`producer_features`), properties selected."""
    features = producer_features(
        session,
        include_synthetic=include_synthetic,
        county_code=county_code,
        indication_id=indication_id,
        located_only=True,
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": f["id"],
                "geometry": f["geometry"],
                "properties": {"id": f["id"], **{k: f["properties"][k] for k in MAP_PROPERTIES}},
            }
            for f in features
        ],
    }


@dataclass(frozen=True)
class LabelSwitchCount:
    """Special-mark authorizations in one county, and how many are on the unified 2020 mark."""

    county_code: str
    authorized: int
    unified: int

    @property
    def share(self) -> float | None:
        """Share on the unified mark, or None when the county has no authorization on record."""
        return self.unified / self.authorized if self.authorized else None


def label_switch_by_county(
    session: Session, *, include_synthetic: bool = False
) -> dict[str, LabelSwitchCount]:
    """Per county: authorized users of the special mark (not revoked) and those on the unified label."""
    query = (
        select(Producer.county_code, ProducerLink.label_version)
        .join(ProducerLink, ProducerLink.producer_id == Producer.id)
        .where(
            ProducerLink.role == LinkRole.authorized_user,
            or_(ProducerLink.status.is_(None), ProducerLink.status != AuthorizationStatus.revoked),
        )
    )
    if not include_synthetic:
        query = query.where(ProducerLink.synthetic == False)  # noqa: E712 - SQL expression
    rows = session.exec(query).all()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for county, label in rows:
        if county is None:
            continue
        totals[county][0] += 1
        totals[county][1] += label == LabelVersion.unified
    return {code: LabelSwitchCount(code, *counts) for code, counts in totals.items()}


def create_producer(
    session: Session, *, producer_in: ProducerCreate, actor: str, changes: ChangeSet | None = None
) -> Producer:
    """Add a producer with its sources and history (409 on a known code).

    Commits, unless the caller passes the `changes` of a larger transaction (an import) and commits itself.
    """
    _check_places(session, producer_in.county_code, producer_in.township_code)
    if producer_in.uscc and session.exec(select(Producer).where(Producer.uscc == producer_in.uscc)).first():
        raise Conflict(f"A producer with the code {producer_in.uscc} is already in the registry.")
    values = producer_in.model_dump(exclude={"reason", "sources"})
    producer = Producer(key=f"producer-{uuid.uuid4().hex[:12]}", **values)
    own_transaction = changes is None
    changes = changes or ChangeSet(actor=actor, reason=producer_in.reason)
    add_record(
        session, row=producer, entity_type=EntityType.producer, sources=producer_in.sources, changes=changes
    )
    if own_transaction:
        session.commit()
        session.refresh(producer)
    return producer


def _check_places(session: Session, county_code: str | None, township_code: str | None) -> None:
    if county_code is not None:
        try:
            geo_service.get_county(session, county_code)
        except NotFound:
            raise InvalidParameter(f"'{county_code}' is not a county code of Yueyang") from None
    if township_code is not None:
        geo_service.get_township(session, township_code)


def edit_producer(session: Session, *, producer_id: int, update: ProducerUpdate, actor: str) -> Producer:
    """Correct a producer with the reason and sources; every changed field goes to the history."""
    producer = get_producer(session, producer_id)
    values = update.model_dump(exclude_unset=True)
    _check_places(session, values.get("county_code"), values.get("township_code"))
    uscc = values.get("uscc")
    if (
        uscc
        and session.exec(select(Producer).where(Producer.uscc == uscc, Producer.id != producer.id)).first()
    ):
        raise Conflict(f"A producer with the code {uscc} is already in the registry.")
    edit_record(session, row=producer, entity_type=EntityType.producer, update=update, actor=actor)
    return producer
