"""The change log of one record: who, when, which field, old → new, and why."""

import json
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from gi_registry.auth.dependencies import OptionalUser
from gi_registry.auth.models import Role
from gi_registry.core.dates import IsoDateTime
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import InvalidParameter, NotFound, Unauthorized
from gi_registry.history import feeds
from gi_registry.history import service as history_service
from gi_registry.history.models import ChangeLog, ChangePublic

router = APIRouter(tags=["history"])

# Public registry records; the rest (applications, accounts) are shown to officials only.
PUBLIC_ENTITIES = {
    "indication": "indication",
    "protection": "protection",
    "production_area": "production_area",
    "standard": "standard",
    "producer": "producer",
    "authorization": "producer_link",
    "producer_link": "producer_link",
    "official_total": "official_total",
    "admin_area": "admin_area",
}
PRIVATE_ENTITIES = {"renewal": "renewal", "user": "user"}
# Declared in the OpenAPI, so clients (and schemathesis) know the names; an unknown one is a 422.
EntityName = Literal[
    "indication", "protection", "production_area", "standard", "producer", "authorization",
    "producer_link", "official_total", "admin_area", "renewal", "user",
]  # fmt: skip


@router.get("/history", response_model=dict[str, list[ChangePublic]], responses={401: {}, 404: {}, 422: {}})
def read_history(
    request: Request,
    session: SessionDep,
    user: OptionalUser,
    entity: Annotated[EntityName, Query(description="e.g. indication, authorization, renewal")],
    entity_id: Annotated[str, Query(alias="id", max_length=64)],
) -> dict[str, list[ChangePublic]]:
    """Every change to one record, oldest first."""
    if entity in PUBLIC_ENTITIES:
        entity_type = PUBLIC_ENTITIES[entity]
    elif entity in PRIVATE_ENTITIES:
        if user is None:
            raise Unauthorized("Sign in to read the history of applications and accounts.")
        if user.role not in (Role.official, Role.admin):
            raise NotFound(f"No history of {entity} {entity_id} that you can read.")
        entity_type = PRIVATE_ENTITIES[entity]
    else:  # pragma: no cover - EntityName lists exactly the keys of the two tables
        raise InvalidParameter(f"entity '{entity}' has no history")
    official = user is not None and user.role in (Role.official, Role.admin)
    # Demo records have no public history outside demo mode: the answer of a record with none.
    rows = history_service.record_history(
        session, entity_type, entity_id, include_synthetic=official or request.app.state.settings.demo_mode
    )
    changes = [ChangePublic.model_validate(row, from_attributes=True) for row in rows]
    if not official:
        # Officials see who did it; everyone else the role only (history_service.public_actor).
        for change in changes:
            change.actor = history_service.public_actor(change.actor)
    return {"data": changes}


SinceQuery = Annotated[IsoDateTime | None, Query(description="Only changes at or after this time (ISO 8601)")]
FeedLimit = Annotated[int, Query(ge=1, le=1000, description="Newest change-log rows to read")]


def _public_rows(
    request: Request, session: SessionDep, since: datetime | None, limit: int
) -> list[ChangeLog]:
    return history_service.recent_changes(
        session,
        set(PUBLIC_ENTITIES.values()),
        since=since,
        limit=limit,
        include_synthetic=request.app.state.settings.demo_mode,
    )


@router.get("/changes.json", responses={200: {"content": {"application/feed+json": {}}}})
def changes_json(
    request: Request, session: SessionDep, since: SinceQuery = None, limit: FeedLimit = 200
) -> Response:
    """Public changes as a JSON Feed (1.1), newest first, with stable ids."""
    body = feeds.json_feed(_public_rows(request, session, since, limit), str(request.base_url).rstrip("/"))
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/feed+json")


@router.get("/changes.atom", responses={200: {"content": {"application/atom+xml": {}}}})
def changes_atom(
    request: Request, session: SessionDep, since: SinceQuery = None, limit: FeedLimit = 200
) -> Response:
    """Public changes as an Atom feed, newest first, with stable ids."""
    body = feeds.atom_feed(_public_rows(request, session, since, limit), str(request.base_url).rstrip("/"))
    return Response(body, media_type="application/atom+xml")
