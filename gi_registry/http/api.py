"""The JSON API under /api/v1: each domain contributes its router."""

from fastapi import APIRouter

from gi_registry.audits.routes import router as audits_router
from gi_registry.auth.account_request_routes import router as account_requests_router
from gi_registry.auth.account_routes import router as accounts_router
from gi_registry.auth.routes import router as auth_router
from gi_registry.documents.routes import router as documents_router
from gi_registry.exports.routes import router as exports_router
from gi_registry.geo.boundary_routes import router as boundary_router
from gi_registry.geo.routes import router as geo_router
from gi_registry.history.routes import router as history_router
from gi_registry.imports.routes import router as imports_router
from gi_registry.indications.area_routes import router as area_router
from gi_registry.indications.routes import router as indications_router
from gi_registry.labels.mark_routes import router as mark_router
from gi_registry.labels.routes import router as labels_router
from gi_registry.labels.usage_routes import router as usage_router
from gi_registry.producers.routes import router as producers_router
from gi_registry.reports.routes import router as reports_router
from gi_registry.standards.routes import router as standards_router

ERROR_RESPONSE = {
    "description": "A message a person can read",
    "content": {
        "application/json": {
            "example": {"detail": [{"msg": "No GI product with id or slug 'x'.", "type": "not_found"}]}
        }
    },
}

api_router = APIRouter(
    prefix="/api/v1", responses={400: ERROR_RESPONSE, 404: ERROR_RESPONSE, 422: ERROR_RESPONSE}
)
for domain_router in (
    indications_router,
    producers_router,
    standards_router,
    geo_router,
    area_router,
    boundary_router,
    labels_router,
    mark_router,
    usage_router,
    auth_router,
    accounts_router,
    account_requests_router,
    documents_router,
    history_router,
    exports_router,
    imports_router,
    audits_router,
    reports_router,
):
    api_router.include_router(domain_router)
