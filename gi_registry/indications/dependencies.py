"""Load-or-fail dependencies for GI products."""

from typing import Annotated

from fastapi import Depends, Query

from gi_registry.core.db import SessionDep
from gi_registry.core.errors import InvalidParameter, NotFound
from gi_registry.indications import service as indications_service
from gi_registry.indications.models import Indication


def indication_filter(
    session: SessionDep,
    indication: Annotated[
        str | None, Query(max_length=80, description="GI product by id or slug, e.g. yueyang-huangcha")
    ] = None,
) -> Indication | None:
    """The product a list is filtered on; an unknown one is a bad parameter, not a missing page."""
    if indication is None:
        return None
    try:
        return indications_service.get_indication(session, indication)
    except NotFound:
        raise InvalidParameter(f"indication '{indication}' is not a GI product in the registry") from None


IndicationFilterDep = Annotated[Indication | None, Depends(indication_filter)]
