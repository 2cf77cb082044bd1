"""Domain errors, free of HTTP, and the one place that maps them to responses."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.routing import Match

from gi_registry.core.request_log import current_request_id

logger = logging.getLogger(__name__)


class RegistryError(Exception):
    """Base of every error the registry reports to a person."""

    status_code = 400
    code = "bad_request"
    headers: dict[str, str] | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(RegistryError):
    """A value no request could mean, such as a latitude of 200."""


class NotFound(RegistryError):
    """The requested record does not exist."""

    status_code = 404
    code = "not_found"


class InvalidParameter(RegistryError):
    """A query parameter is well-formed but names something that does not exist."""

    status_code = 422
    code = "invalid_parameter"


class Conflict(RegistryError):
    """The request contradicts the current state of the registry."""

    status_code = 409
    code = "conflict"


class InvalidTransition(Conflict):
    """A workflow step that the record's current state does not allow."""

    code = "invalid_transition"


class Unauthorized(RegistryError):
    """The request needs a signed-in account."""

    status_code = 401
    code = "not_authenticated"
    headers = {"WWW-Authenticate": "Bearer"}


class Forbidden(RegistryError):
    """The account is signed in but its role may not do this."""

    status_code = 403
    code = "forbidden"


class TooManyRequests(RegistryError):
    """The client sent too many requests of one kind in a short time."""

    status_code = 429
    code = "too_many_requests"


class InvalidUpload(RegistryError):
    """An uploaded file is refused; nothing was stored."""

    status_code = 422
    code = "invalid_upload"


class UnsupportedFileType(InvalidUpload):
    """An uploaded file is not of a format the endpoint reads."""

    status_code = 415
    code = "unsupported_type"


class DecisionNeeded(RegistryError):
    """The request is valid but the registry needs the caller to choose how to proceed; nothing was stored."""

    status_code = 422
    code = "decision_needed"


class PayloadTooLarge(InvalidUpload):
    """An uploaded file is larger than allowed."""

    status_code = 413
    code = "too_large"


def _error_body(message: str, code: str) -> dict:
    return {"detail": [{"msg": message, "type": code}]}


def _friendly_validation_message(error: dict) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body"))
    return f"{where}: {error.get('msg', 'invalid value')}" if where else str(error.get("msg"))


HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _methods_at(request: Request) -> list[str]:
    """Every HTTP method some route answers at the request's path (asked of the router, method by method)."""
    allowed = []
    for method in HTTP_METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed


def add_exception_handlers(app: FastAPI) -> None:
    """Register the status mapping for domain errors and a readable shape for validation errors."""

    @app.exception_handler(RegistryError)
    async def _registry_error(_request: Request, exc: RegistryError) -> JSONResponse:
        return JSONResponse(
            _error_body(exc.message, exc.code), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
        # Unknown paths and wrong methods answer in the same shape as every other error.
        message = exc.detail if isinstance(exc.detail, str) else "The request could not be served."
        headers = exc.headers
        if exc.status_code == 404 and message == "Not Found":
            message = "There is no page or API endpoint at this address; see /docs for the API."
        if exc.status_code == 405:
            # Starlette's Allow names only the first route matching the path (e.g. GET of a GET + PATCH
            # resource); list every method the address answers, so clients are not misled.
            allowed = _methods_at(request)
            headers = {**(headers or {}), "Allow": ", ".join(allowed)}
            message = f"This address answers {', '.join(allowed)}, not {request.method}."
        return JSONResponse(
            _error_body(message, f"http_{exc.status_code}"), status_code=exc.status_code, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {
                "msg": _friendly_validation_message(err),
                "type": err.get("type", "invalid"),
                "loc": list(err.get("loc", ())),
            }
            for err in exc.errors()
        ]
        return JSONResponse({"detail": details}, status_code=422)

    @app.exception_handler(DataError)
    async def _unstorable_value(_request: Request, exc: DataError) -> JSONResponse:
        # e.g. a NUL character, which PostgreSQL text cannot hold; the transaction was rolled back.
        logger.info("refused a value the database cannot store: %s", exc.orig)
        return JSONResponse(
            _error_body(
                "A value contains characters the registry cannot store (such as NUL).", "invalid_value"
            ),
            status_code=422,
        )

    @app.exception_handler(PoolTimeout)
    async def _no_connection(_request: Request, _exc: PoolTimeout) -> JSONResponse:
        # Every database connection stayed busy past the pool timeout: the registry is overloaded.
        logger.warning("no database connection free within the pool timeout")
        return JSONResponse(
            _error_body("The registry is busy; please retry in a few seconds.", "busy"),
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        request_id = current_request_id.get()
        return JSONResponse(
            _error_body(
                f"The registry failed to answer this request; the error has been logged as {request_id}.",
                "internal",
            ),
            status_code=500,
            headers={"X-Request-ID": request_id} if request_id else None,
        )
