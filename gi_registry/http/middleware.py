"""Protections every response gets: security headers, a request size limit, CORS for the open APIs."""

import re
import secrets

from fastapi import FastAPI, params
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import iter_route_contexts
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from gi_registry.auth.security import read_access_token, signed_here
from gi_registry.core.request_log import RequestId
from gi_registry.core.settings import Settings
from gi_registry.http.hot_reads import CachedReads, hot_routes
from gi_registry.web.session import SESSION_COOKIE, web_user

# Maps are single documents with inline scripts (folium): those carry this response's nonce (see
# maps.render.document), so no other inline script runs, even one a missed escape let into a page.
# Everything else they load comes from this site. Styles stay inline (folium writes style attributes).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:{tiles}; frame-ancestors 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)
# FastAPI's interactive docs load Swagger UI from a CDN; they are for developers, not the offline site.
DOCS_PATHS = ("/docs", "/redoc", "/docs/oauth2-redirect")


def add_middleware(app: FastAPI, settings: Settings) -> None:
    """Install the middleware in the order requests meet it (once every route is registered)."""
    # {nonce} stays a placeholder here and is filled in per response.
    policy = CONTENT_SECURITY_POLICY.format(tiles=" https:" if settings.tiles else "", nonce="{nonce}")
    limit = int(settings.max_request_mb * 1024 * 1024)

    # Pure ASGI, not @app.middleware("http"): that wrapper streams every body through a task group and
    # costs more per request than serving a cached OGC page does.
    # Innermost: a cached read answered here still gets every header and log line of the others.
    app.add_middleware(CachedReads, hot=hot_routes(app.router.routes))
    app.add_middleware(UploadsNeedAToken)
    app.add_middleware(SecurityHeaders, policy=policy)
    app.add_middleware(BodySizeLimit, max_bytes=limit, label=f"{settings.max_request_mb:g} MB")
    # Outermost of ours: even a refused (413) request gets an id and a log line.
    app.add_middleware(RequestId)
    if settings.trusted_proxies:
        # Outside RequestId, so the log line names the real client. Only these peers may name the
        # client (X-Forwarded-For) and the scheme (X-Forwarded-Proto); anyone else is taken as is.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)

    if settings.cors_origins:
        # Read-only open data: GIS web clients elsewhere may read; credentials are never shared.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "OPTIONS"],
            allow_credentials=False,
            allow_headers=["Accept", "Content-Type"],
        )


class SecurityHeaders:
    """Headers every response gets (unless the route set them itself); CSP except on the API docs.

    Each request gets a fresh script nonce in `request.state.csp_nonce`, named by its CSP.
    """

    def __init__(self, app: ASGIApp, policy: str) -> None:
        self.app = app
        self.fixed = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"SAMEORIGIN"),
            (b"referrer-policy", b"same-origin"),
        ]
        self.policy = policy
        self.hsts = (b"strict-transport-security", b"max-age=31536000")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(self.fixed)
        if not scope["path"].startswith(DOCS_PATHS):
            nonce = secrets.token_urlsafe(18)
            scope.setdefault("state", {})["csp_nonce"] = nonce
            extra.append((b"content-security-policy", self.policy.replace("{nonce}", nonce).encode()))
        if scope.get("scheme") == "https":
            extra.append(self.hsts)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class BodySizeLimit:
    """Refuse bodies over the limit, whether declared by Content-Length or sent in chunks (counted)."""

    def __init__(self, app: ASGIApp, max_bytes: int, label: str) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.message = f"The request is larger than {label}."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            response = JSONResponse({"detail": [{"msg": self.message, "type": "too_large"}]}, status_code=413)
            await response(scope, receive, send)
            return
        received = 0
        exceeded = False
        answered = False

        async def refuse() -> None:
            nonlocal answered
            if not answered:
                answered = True
                response = JSONResponse(
                    {"detail": [{"msg": self.message, "type": "too_large"}]}, status_code=413
                )
                await response(scope, receive, send)

        async def counted() -> Message:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True  # stop reading: the app sees a disconnect, the client gets 413
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if exceeded:
                await refuse()  # whatever the app answers to the cut-off body is replaced
            else:
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not exceeded:
                raise
        if exceeded:
            await refuse()


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\{[^}/]+\\}", "[^/]+", re.escape(path)) + "$")


def upload_paths(app: FastAPI) -> list[tuple[str, re.Pattern[str]]]:
    """(method, path) of the operations that take multipart uploads and need a token, from the OpenAPI."""
    patterns = []
    for path, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if (
                method in ("post", "put", "patch")
                and "multipart/form-data" in content
                and operation.get("security")
            ):
                patterns.append((method.upper(), _pattern(path)))
    return patterns


def _depends_on(dependant: object, call: object) -> bool:
    return any(d.call is call or _depends_on(d, call) for d in getattr(dependant, "dependencies", []))


def signed_in_form_paths(app: FastAPI) -> list[tuple[str, re.Pattern[str]]]:
    """(method, path) of the website's forms that take files and need a sign-in: the pages' routes (not
    in the OpenAPI) with a file in their body that depend on the signed-in user (`web_user`). The
    public's report form takes a photo without an account, and does not depend on it."""
    patterns = []
    for context in iter_route_contexts(app.router.routes):
        route = context.route
        dependant = getattr(route, "dependant", None)
        if dependant is None or getattr(route, "include_in_schema", True):
            continue
        takes_files = any(isinstance(f.field_info, params.File) for f in dependant.body_params)
        if takes_files and _depends_on(dependant, web_user):
            patterns += [(method, _pattern(context.path)) for method in sorted(context.methods or ())]
    return patterns


class UploadsNeedAToken:
    """Refuse an upload to an endpoint that needs an account before its body is read.

    FastAPI reads (and spools) a multipart body before it solves the dependencies that check the token,
    so without this a caller with no token costs the server a 25 MB upload per refusal. A token that is
    missing, forged or expired is refused here from its signature alone: the API's with 401, the
    website's forms (their session cookie) with the way to the sign-in page, as the form itself would.
    The route still makes every other check (an ended session, the role) as usual.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._api: list[tuple[str, re.Pattern[str]]] | None = None
        self._forms: list[tuple[str, re.Pattern[str]]] = []

    def _matches(self, app: FastAPI, method: str, path: str) -> tuple[bool, bool]:
        if self._api is None:
            self._api, self._forms = upload_paths(app), signed_in_form_paths(app)
        found = lambda paths: any(m == method and p.match(path) for m, p in paths)  # noqa: E731
        return found(self._api), found(self._forms)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        app = scope["app"]
        # Only the upload operations themselves: another method on the same path keeps its 405.
        api, form = self._matches(app, scope["method"], scope["path"])
        if not api and not form:
            await self.app(scope, receive, send)
            return
        secret = app.state.settings.secret_key
        headers = dict(scope["headers"])
        if api:
            authorization = headers.get(b"authorization", b"").decode("latin-1")
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or read_access_token(token.strip(), secret) is None:
                message = "Sign in first: this upload needs an account (POST /api/v1/auth/token)."
                response: Response = JSONResponse(
                    {"detail": [{"msg": message, "type": "not_authenticated"}]},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
                await response(scope, receive, send)
                return
        else:
            cookies = cookie_parser(headers.get(b"cookie", b"").decode("latin-1"))
            token = cookies.get(SESSION_COOKIE)
            # Only no session or a forged one: a producer whose session lapsed while filling in a long
            # form is answered by the page after the upload, as before. A browser may show a broken
            # connection instead of an answer sent before the body it is still sending.
            if not token or not signed_here(token, secret):
                # As the page's own check answers a visitor who is not signed in (web.producer_pages).
                response = RedirectResponse(f"/login?next={scope['path']}", status_code=303)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
