"""The change log of one record: who, when, which field, old → new, and why."""

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import select

from gi_registry.auth.dependencies import OptionalUser
from gi_registry.auth.models import Role
from gi_registry.db import SessionDep
from gi_registry.errors import InvalidParameter, NotFound, Unauthorized
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


@router.get("/history", response_model=dict[str, list[ChangePublic]], responses={401: {}, 404: {}, 422: {}})
def read_history(
    session: SessionDep,
    user: OptionalUser,
    entity: Annotated[str, Query(max_length=30, description="e.g. indication, authorization, renewal")],
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
    else:
        known = ", ".join(sorted(PUBLIC_ENTITIES | PRIVATE_ENTITIES))
        raise InvalidParameter(f"entity '{entity}' is not one of: {known}")
    rows = session.exec(
        select(ChangeLog)
        .where(ChangeLog.entity_type == entity_type, ChangeLog.entity_id == entity_id)
        .order_by(ChangeLog.id)
    ).all()
    return {"data": [ChangePublic.model_validate(row, from_attributes=True) for row in rows]}
