"""OGC API – Features Part 1 at /ogc: landing page, conformance, collections and items."""

from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from sqlmodel import Session

from gi_registry.core import cache
from gi_registry.core.cache import dumps, etag_of
from gi_registry.core.db import in_session
from gi_registry.core.etags import not_modified
from gi_registry.layers.collections import PUBLISHED, Collection
from gi_registry.ogc.cache import Snapshot, build_snapshot
from gi_registry.ogc.params import (
    CRS84,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    ItemsQuery,
    OGCError,
    check_format,
    check_known,
    parse_items_query,
)

router = APIRouter(prefix="/ogc", tags=["OGC API - Features"])

JSON = "application/json"
GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.1"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
YUEYANG_BBOX = [112.31, 28.42, 114.16, 29.86]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/ogc"


def _simple(request: Request) -> None:
    check_known(request.query_params, {"f"})
    check_format(request.query_params)


def _collection(collection_id: str) -> Collection:
    try:
        return PUBLISHED[collection_id]
    except KeyError:
        raise OGCError(f"No collection '{collection_id}'; see /ogc/collections.", 404, "NotFound") from None


def _describe(request: Request, collection: Collection) -> dict:
    base = _base(request)
    return {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {"spatial": {"bbox": [YUEYANG_BBOX], "crs": CRS84}},
        "links": [
            {
                "rel": "self",
                "type": JSON,
                "href": f"{base}/collections/{collection.id}",
                "title": collection.title,
            },
            {
                "rel": "items",
                "type": GEOJSON,
                "href": f"{base}/collections/{collection.id}/items",
                "title": f"{collection.title} (GeoJSON)",
            },
        ],
    }


@router.get("", summary="Landing page")
def landing(request: Request) -> JSONResponse:
    """Links to everything the service offers."""
    _simple(request)
    base = _base(request)
    root = str(request.base_url).rstrip("/")
    return JSONResponse(
        {
            "title": "gi-registry — Yueyang GI registry",
            "description": "Geographical-indication products of Yueyang (岳阳市), their producers "
            "and counties, as OGC API – Features.",
            "links": [
                {"rel": "self", "type": JSON, "href": base, "title": "This document"},
                {"rel": "alternate", "type": "text/html", "href": f"{root}/", "title": "The public website"},
                {"rel": "service-desc", "type": OPENAPI, "href": f"{root}/openapi.json", "title": "OpenAPI"},
                {
                    "rel": "service-doc",
                    "type": "text/html",
                    "href": f"{root}/docs",
                    "title": "API documentation",
                },
                {"rel": "conformance", "type": JSON, "href": f"{base}/conformance", "title": "Conformance"},
                {"rel": "data", "type": JSON, "href": f"{base}/collections", "title": "Collections"},
            ],
        }
    )


@router.get("/conformance", summary="Conformance classes")
def conformance(request: Request) -> JSONResponse:
    """The parts of OGC API – Features this service implements."""
    _simple(request)
    return JSONResponse({"conformsTo": CONFORMANCE})


@router.get("/collections", summary="Collections")
def collections(request: Request) -> JSONResponse:
    """Every collection with its extent and links."""
    _simple(request)
    base = _base(request)
    return JSONResponse(
        {
            "links": [{"rel": "self", "type": JSON, "href": f"{base}/collections", "title": "Collections"}],
            "collections": [_describe(request, c) for c in PUBLISHED.values()],
        }
    )


@router.get("/collections/{collection_id}", summary="One collection", responses={404: {}})
def collection(request: Request, collection_id: str) -> JSONResponse:
    """A collection's description."""
    _simple(request)
    return JSONResponse(_describe(request, _collection(collection_id)))


def _key(collection: Collection, filters: dict[str, str], demo: bool) -> tuple:
    return ("ogc", collection.layer.id, tuple(sorted(filters.items())), demo)


def _snapshot(
    session: Session, request: Request, collection: Collection, filters: dict[str, str]
) -> Snapshot:
    demo = request.app.state.settings.demo_mode
    entry = cache.of(request).get(
        session,
        _key(collection, filters, demo),
        lambda version: build_snapshot(session, collection.layer, version, filters, demo),
        size=lambda snapshot: snapshot.size,
    )
    return entry.value  # type: ignore[return-value] - what build_snapshot made


def _peek(request: Request, collection: Collection, filters: dict[str, str]) -> Snapshot | None:
    """The current snapshot when that is known without the database (a hit served on the event loop)."""
    entry = cache.of(request).peek(_key(collection, filters, request.app.state.settings.demo_mode))
    return None if entry is None else entry.value  # type: ignore[return-value]


def _etag(snapshot: Snapshot, request: Request, collection_id: str) -> str:
    # Weak: a 304 may keep an older timeStamp, everything else is byte for byte the same.
    query = "&".join(f"{k}={v}" for k, v in sorted(request.query_params.multi_items()))
    return etag_of(snapshot.version, f"{collection_id}?{query}")


def _items_parameters() -> list[dict]:
    """OpenAPI description of the items parameters, property filters included, per collection."""
    common = [
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT},
            "description": f"Items per page; values above {MAX_LIMIT} are treated as {MAX_LIMIT}.",
        },
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
        {
            "name": "bbox",
            "in": "query",
            "style": "form",
            "explode": False,
            "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
            "description": "minLon,minLat,maxLon,maxLat (CRS84); features without geometry also match.",
        },
        {"name": "bbox-crs", "in": "query", "schema": {"type": "string", "enum": [CRS84]}},
        {
            "name": "datetime",
            "in": "query",
            "schema": {"type": "string"},
            "description": "RFC 3339 instant or interval (start/end, ../end, start/..).",
        },
        {"name": "f", "in": "query", "schema": {"type": "string", "enum": ["json", "geojson"]}},
    ]
    # One route serves every collection, so each property filter says which collections accept it.
    accepted: dict[str, list[str]] = {}
    values: dict[str, set[str] | None] = {}
    for collection in PUBLISHED.values():
        for name, allowed in collection.filters.items():
            accepted.setdefault(name, []).append(collection.id)
            values[name] = (values.get(name) or set()) | (allowed or set()) or None
    filters = [
        {
            "name": name,
            "in": "query",
            "schema": {"type": "string", **({"enum": sorted(values[name])} if values[name] else {})},
            "description": f"Property filter, accepted by: {', '.join(ids)}; elsewhere it answers 400.",
        }
        for name, ids in accepted.items()
    ]
    return common + filters


def _cached_items(request: Request, collection_id: str) -> Response | None:
    found = _collection(collection_id)
    query = parse_items_query(request.query_params, found.filters)
    snapshot = _peek(request, found, query.filters)
    if snapshot is None:
        return None
    try:
        return _page(None, request, found, query, snapshot)
    except LookupError:
        return None  # a bbox not asked at this version yet: the database answers it


@router.get(
    "/collections/{collection_id}/items",
    summary="Features of a collection",
    openapi_extra={"parameters": _items_parameters()},
    responses={200: {"content": {GEOJSON: {}}}, 400: {}, 404: {}},
)
@cache.answered_from(_cached_items)
async def items(request: Request, collection_id: str) -> Response:
    """A page of features with numberMatched, numberReturned, timeStamp and a next link while more remain."""
    if (hit := _cached_items(request, collection_id)) is not None:
        return hit
    return await in_session(request, _items, request, collection_id)


def _items(session: Session, request: Request, collection_id: str) -> Response:
    found = _collection(collection_id)
    query = parse_items_query(request.query_params, found.filters)
    return _page(session, request, found, query, _snapshot(session, request, found, query.filters))


def _page(
    session: Session | None, request: Request, found: Collection, query: ItemsQuery, snapshot: Snapshot
) -> Response:
    collection_id = found.id
    etag = _etag(snapshot, request, collection_id)
    if (unchanged := not_modified(request, etag)) is not None:
        return unchanged
    matched = snapshot.matching(session, query)
    page = matched[query.offset : query.offset + query.limit]
    base = _base(request)
    links = [
        {"rel": "self", "type": GEOJSON, "href": str(request.url), "title": "This page"},
        {
            "rel": "collection",
            "type": JSON,
            "href": f"{base}/collections/{collection_id}",
            "title": found.title,
        },
    ]
    if query.offset + query.limit < len(matched):
        params = dict(request.query_params) | {
            "offset": str(query.offset + query.limit),
            "limit": str(query.limit),
        }
        links.append(
            {
                "rel": "next",
                "type": GEOJSON,
                "href": str(request.url.replace_query_params(**params)),
                "title": "Next page",
            }
        )
    if query.offset > 0:
        params = dict(request.query_params) | {"offset": str(max(query.offset - query.limit, 0))}
        links.append(
            {
                "rel": "prev",
                "type": GEOJSON,
                "href": str(request.url.replace_query_params(**params)),
                "title": "Previous page",
            }
        )
    tail = {
        "numberMatched": len(matched),
        "numberReturned": len(page),
        "timeStamp": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "links": links,
    }
    # The features are already JSON: the page is their bytes joined, never re-serialised.
    body = (
        b'{"type":"FeatureCollection","features":['
        + b",".join(f.body for f in page)
        + b"],"
        + dumps(tail)[1:]
    )
    return Response(body, media_type=GEOJSON, headers={"ETag": etag, "Cache-Control": "no-cache"})


def _cached_item(request: Request, collection_id: str, feature_id: str) -> Response | None:
    _simple(request)
    snapshot = _peek(request, _collection(collection_id), {})
    return None if snapshot is None else _feature(request, collection_id, feature_id, snapshot)


@router.get("/collections/{collection_id}/items/{feature_id}", summary="One feature", responses={404: {}})
@cache.answered_from(_cached_item)
async def item(request: Request, collection_id: str, feature_id: str) -> Response:
    """One feature by its id (a GI's slug, a producer's id, a county's code)."""
    if (hit := _cached_item(request, collection_id, feature_id)) is not None:
        return hit
    return await in_session(request, _item, request, collection_id, feature_id)


def _item(session: Session, request: Request, collection_id: str, feature_id: str) -> Response:
    found = _collection(collection_id)
    return _feature(request, collection_id, feature_id, _snapshot(session, request, found, {}))


def _feature(request: Request, collection_id: str, feature_id: str, snapshot: Snapshot) -> Response:
    found = _collection(collection_id)
    feature = snapshot.by_id.get(feature_id)
    if feature is None:
        raise OGCError(f"No feature '{feature_id}' in collection '{collection_id}'.", 404, "NotFound")
    etag = _etag(snapshot, request, f"{collection_id}/{feature_id}")
    if (unchanged := not_modified(request, etag)) is not None:
        return unchanged
    base = _base(request)
    links = [
        {"rel": "self", "type": GEOJSON, "href": str(request.url), "title": "This feature"},
        {
            "rel": "collection",
            "type": JSON,
            "href": f"{base}/collections/{collection_id}",
            "title": found.title,
        },
    ]
    body = feature.body[:-1] + b',"links":' + dumps(links) + b"}"
    return Response(body, media_type=GEOJSON, headers={"ETag": etag, "Cache-Control": "no-cache"})
