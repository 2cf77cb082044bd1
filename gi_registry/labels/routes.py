"""Public label verification as JSON."""

from typing import Annotated

from fastapi import APIRouter, Path

from gi_registry.db import SessionDep
from gi_registry.labels import service as labels_service
from gi_registry.labels.models import Verification

router = APIRouter(tags=["labels"])


@router.get("/verify/{code}", response_model=Verification, responses={404: {}, 422: {}})
def verify_label(session: SessionDep, code: Annotated[str, Path(max_length=40)]) -> Verification:
    """Check the unified social credit code printed on a GI special mark."""
    return labels_service.verify_code(session, code)
