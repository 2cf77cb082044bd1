"""The application factory: the only place that assembles settings, database, API and site."""

import gc
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from inspect import signature
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from gi_registry import __version__
from gi_registry.core import versioning
from gi_registry.core.cache import PublishedCache
from gi_registry.core.db import make_engine
from gi_registry.core.errors import add_exception_handlers
from gi_registry.core.limits import SlidingWindowLimit
from gi_registry.core.request_log import configure_logging
from gi_registry.core.settings import Settings, get_settings
from gi_registry.http.api import api_router
from gi_registry.http.middleware import add_middleware
from gi_registry.labels import usage_report
from gi_registry.labels.reminder_schedule import schedule as schedule_reminders
from gi_registry.layers import watch as layer_watch
from gi_registry.ogc.params import OGCError
from gi_registry.ogc.routes import router as ogc_router
from gi_registry.reminders.worker import OutboxLoop
from gi_registry.standards import service as standards_service
from gi_registry.web.account_request_pages import router as account_request_pages_router
from gi_registry.web.area_pages import router as area_pages_router
from gi_registry.web.casework import router as casework_router
from gi_registry.web.document_pages import router as document_pages_router
from gi_registry.web.maps_routes import router as maps_router
from gi_registry.web.mark_pages import router as mark_pages_router
from gi_registry.web.officials import router as officials_router
from gi_registry.web.producer_pages import router as producer_pages_router
from gi_registry.web.reminder_pages import router as reminder_pages_router
from gi_registry.web.report_pages import router as report_pages_router
from gi_registry.web.routes import router as web_router

STATIC_DIR = Path(__file__).parent.parent / "web" / "static"
logger = logging.getLogger(__name__)


class SchemaMissing(RuntimeError):
    """The database has not been migrated; serving it would answer every request with an error."""


def ensure_schema(engine: Engine) -> None:
    """Refuse to start on a database without the registry's tables, saying how to create them."""
    if "indication" not in inspect(engine).get_table_names():
        raise SchemaMissing(
            f"The database {engine.url.render_as_string(hide_password=True)} has no registry tables: "
            "run `gi-registry db upgrade` and `gi-registry data load` (or `make run`) first."
        )


def _report_map(session, slug: str) -> bytes:  # noqa: ANN001 - a Session
    """A GI's map for the annual report; matplotlib is imported on first use, not at start-up."""
    from maps import static

    return static.report_map(session, slug)


def _telemetry(settings: Settings) -> dict[str, object]:
    """FastAPI's own OpenTelemetry, off unless `GI_TELEMETRY` asks for it.

    When on (FastAPI's default), every request first checks whether tracer, meter and logger
    providers are configured, reading environment variables each time: 10-25 µs of the 50-100 µs a
    cached answer costs, spent even with no exporter anywhere. FastAPI releases without the option
    have no such check, so they are left as they are.
    """
    if settings.telemetry or "telemetry" not in signature(FastAPI.__init__).parameters:
        return {}
    return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}


def create_served_app() -> FastAPI:
    """The app as `gi-registry serve` runs it in each worker process, from the environment's settings.

    What exists once the app is built (the imported modules, routes, templates: some 350,000 objects)
    lives as long as the worker. Python's cyclic collector would scan it all again at every full
    collection, 100-300 ms with the event loop stopped, several times while the first large answers
    are built; frozen (`gc.freeze`), it is left out of every later collection. Only here, for a server
    process: tests build many apps in one process, and freezing would keep each one's garbage.
    """
    app = create_app()
    gc.collect()
    gc.freeze()
    return app


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the app for `settings` (from the environment when omitted); tests pass their own engine."""
    settings = settings or get_settings()
    configure_logging()
    # Links in e-mails are signed: a key made up for this process would void them at the next start.
    sends_mail = settings.secret_key is not None
    if settings.secret_key is None:
        # Never a published default: an unset key in development becomes a random one for this process.
        logger.warning("GI_SECRET_KEY is not set: using a random key; sign-ins end when the server restarts")
        settings = settings.model_copy(update={"secret_key": secrets.token_urlsafe(32)})

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ensure_schema(app.state.engine)
        # Sync endpoints run on AnyIO's thread pool (40 by default); no more threads than connections,
        # so under overload requests queue for a thread instead of timing out on the pool with a 500.
        anyio.to_thread.current_default_thread_limiter().total_tokens = (
            settings.db_pool_size + settings.db_max_overflow
        )
        loop = (
            OutboxLoop(app.state.engine, settings, schedule=schedule_reminders, send=sends_mail)
            if settings.outbox_in_serve
            else None
        )
        if loop is not None:
            loop.start()
        app.state.outbox_loop = loop
        yield
        if loop is not None:
            loop.stop()
        if engine is None:
            app.state.engine.dispose()

    app = FastAPI(
        title="gi-registry",
        version=__version__,
        description="The registry of Yueyang's geographical-indication (GI) products: GI trademarks, "
        "GI protected products and agricultural-product GIs, with their sources.",
        lifespan=lifespan,
        **_telemetry(settings),
    )
    app.state.settings = settings
    # The annual report's maps are drawn by the maps package; the audits domain only receives them.
    app.state.report_map_image = _report_map
    # Compositions whose provider sits above the route's own domain, handed in here so that no domain
    # imports one above it: a GI's view names the standards governing it, and the supervision report
    # (audits) has a sheet of the special mark's use (labels).
    app.state.standards_of = standards_service.refs_by_indication
    app.state.usage_sheet = usage_report.usage_sheet
    app.state.engine = engine or make_engine(settings)
    # Every write transaction moves the data version; the published answers are cached against it.
    versioning.install(app.state.engine, settings.version_signal)
    app.state.cache = PublishedCache(
        app.state.engine,
        entries=settings.cache_entries,
        megabytes=settings.cache_megabytes,
        recheck_ms=settings.cache_recheck_ms,
    )
    layer_watch.install()
    app.state.after_session = (layer_watch.refresh_after_writes,)
    app.state.report_limit = SlidingWindowLimit(settings.report_limit_per_hour, 3600)
    app.state.account_request_limit = SlidingWindowLimit(settings.account_requests_per_hour, 3600)
    app.state.report_photo_limit = SlidingWindowLimit(settings.report_photos_per_address_per_day, 24 * 3600)
    app.state.login_limit = SlidingWindowLimit(settings.login_failures_per_15_minutes, 15 * 60)
    app.state.login_address_limit = SlidingWindowLimit(
        settings.login_failures_per_address_per_15_minutes, 15 * 60
    )
    add_exception_handlers(app)
    # Routes are matched in order: the OGC API first, as the map clients' hot path (its five routes
    # cost the others nothing, while checking every other route first cost OGC requests a millisecond).
    app.include_router(ogc_router)
    app.include_router(api_router)
    app.include_router(web_router)
    app.include_router(maps_router)
    app.include_router(officials_router)
    app.include_router(area_pages_router)
    app.include_router(producer_pages_router)
    app.include_router(casework_router)
    app.include_router(mark_pages_router)
    app.include_router(account_request_pages_router)
    app.include_router(document_pages_router)
    app.include_router(report_pages_router)
    app.include_router(reminder_pages_router)

    @app.exception_handler(OGCError)
    async def _ogc_error(_request: Request, exc: OGCError) -> JSONResponse:
        return JSONResponse({"code": exc.code, "description": exc.description}, status_code=exc.status)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """Liveness check."""
        return {"status": "ok"}

    # After every route: the reads answered before routing are found among them (and a marked route
    # that takes what that would skip is refused now, not by the first request).
    add_middleware(app, settings)
    return app
