"""R8 (object level) and R9 (function level) authorization matrices, enumerated from the OpenAPI.

Every write operation and every operation on one object ({id} in its path) must have an entry here:
a new endpoint without one fails `test_the_matrices_cover_every_operation`, so nobody adds an endpoint
without deciding who may call it.
"""

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from tests.figures import report
from tests.workflow import PASSWORD, PDF, bearer, build_world, submit

OFFICIALS = {"official", "admin"}
ROLES = ("public", "producer", "official", "admin")
WRITE_METHODS = {"post", "put", "patch", "delete"}

# R9: who may call each write operation. Anything else: no token → 401, a signed-in wrong role → 403.
WRITE_ROLES: dict[str, set[str]] = {
    "PATCH /api/v1/indications/{id_or_slug}": OFFICIALS,
    "PATCH /api/v1/protections/{protection_id}": OFFICIALS,
    "POST /api/v1/producers": OFFICIALS,
    "PATCH /api/v1/producers/{producer_id}": OFFICIALS,
    "PATCH /api/v1/authorizations/{authorization_id}": OFFICIALS,
    "POST /api/v1/users": {"admin"},
    "PATCH /api/v1/users/{user_id}": {"admin"},
    "POST /api/v1/standards": OFFICIALS,
    "PATCH /api/v1/standards/{standard_id}": OFFICIALS,
    "POST /api/v1/standards/{standard_id}/document": OFFICIALS,
    "POST /api/v1/authorizations": OFFICIALS,
    "POST /api/v1/renewals": {"producer"},
    "POST /api/v1/renewals/{renewal_id}/decision": OFFICIALS,
    "POST /api/v1/renewals/{renewal_id}/resubmit": {"producer"},
    "POST /api/v1/imports": OFFICIALS,
    "POST /api/v1/audits": OFFICIALS,
    "POST /api/v1/audits/{audit_id}/follow-up": OFFICIALS,
    "POST /api/v1/reports/{report_id}/triage": OFFICIALS,
    "POST /api/v1/protections/{protection_id}/area/versions": OFFICIALS,
    "POST /api/v1/townships/boundaries": OFFICIALS,
    "POST /api/v1/mark-applications": {"producer", "official", "admin"},
    "POST /api/v1/mark-applications/{application_id}/steps": OFFICIALS,
    "POST /api/v1/mark-applications/{application_id}/site-checks": OFFICIALS,
    "POST /api/v1/mark-applications/{application_id}/delegation": OFFICIALS,
    "POST /api/v1/mark-applications/{application_id}/resubmit": {"producer"},
    "POST /api/v1/account-requests/{request_id}/decision": OFFICIALS,
}
# Writes open to everyone by design: signing in, and the public's misuse reports (rate-limited).
PUBLIC_WRITES = {"POST /api/v1/auth/token", "POST /api/v1/reports", "POST /api/v1/account-requests"}

# R8: operations on one object whose answer depends on who owns it: role → (own object, other's object).
# A producer never learns that another producer's object exists: 404, not 403.
OWNED: dict[str, dict[str, tuple[int, int]]] = {
    "GET /api/v1/renewals/{renewal_id}": {
        "public": (401, 401),
        "producer": (200, 404),
        "official": (200, 200),
        "admin": (200, 200),
    },
    # The public cannot tell an application file from an id that does not exist (issue 21).
    "GET /api/v1/documents/{document_id}": {
        "public": (404, 404),
        "producer": (200, 404),
        "official": (200, 200),
        "admin": (200, 200),
    },
    "GET /api/v1/audits/{audit_id}": {
        "public": (401, 401),
        "producer": (200, 404),
        "official": (200, 200),
        "admin": (200, 200),
    },
    # Special-mark applications: a producer's own, or 404; the notice of acceptance is not there yet (409).
    "GET /api/v1/mark-applications/{application_id}": {
        "public": (401, 401),
        "producer": (200, 404),
        "official": (200, 200),
        "admin": (200, 200),
    },
    "GET /api/v1/mark-applications/{application_id}/notices/{kind}": {
        "public": (401, 401),
        "producer": (409, 404),
        "official": (409, 409),
        "admin": (409, 409),
    },
    # Resubmitting needs a returned application; a submitted one is a 409 once ownership is checked.
    "POST /api/v1/renewals/{renewal_id}/resubmit": {
        "public": (401, 401),
        "producer": (409, 404),
        "official": (403, 403),
        "admin": (403, 403),
    },
}
# Operations on one object that are public registry data (same answer for everyone) or role-only writes
# (covered by WRITE_ROLES), or reached through a secret in the address itself.
PUBLIC_OBJECTS = {
    "GET /api/v1/indications/{id_or_slug}",
    "GET /api/v1/producers/{producer_id}",
    "GET /api/v1/standards/{standard_id}",
    "GET /api/v1/verify/{code}",
    "GET /api/v1/authorizations/{authorization_id}",
    "GET /api/v1/reports/status/{reference}",
    "GET /ogc/collections/{collection_id}",
    "GET /ogc/collections/{collection_id}/items",
    "GET /ogc/collections/{collection_id}/items/{feature_id}",
    "GET /api/v1/exports/{table}",
    "GET /api/v1/indications/{id_or_slug}/areas",
    "GET /api/v1/protections/{protection_id}/area/versions",
    "GET /api/v1/boundary-versions/{version_id}",
    "GET /api/v1/announcements/{announcement_id}",
    "GET /api/v1/account-requests/status/{reference}",
}
SECRET_ADDRESS = {"GET /api/v1/calendar/{token}.ics"}
OFFICIAL_READS = {
    "GET /api/v1/supervision-report/{year}.xlsx",
    "GET /api/v1/usage-coverage/counties/{county_code}/{year}.xlsx",
}


def _operations(client: TestClient) -> list[str]:
    paths = client.get("/openapi.json").json()["paths"]
    return [f"{method.upper()} {path}" for path, ops in paths.items() for method in ops]


def test_the_matrices_cover_every_operation(client: TestClient) -> None:
    operations = _operations(client)
    writes = {op for op in operations if op.split()[0].lower() in WRITE_METHODS}
    assert writes == set(WRITE_ROLES) | PUBLIC_WRITES, "a write endpoint has no entry in WRITE_ROLES"
    one_object = {op for op in operations if "{" in op and op not in writes}
    classified = (set(OWNED) | PUBLIC_OBJECTS | SECRET_ADDRESS | OFFICIAL_READS) - set(WRITE_ROLES)
    assert one_object == classified, "an {id} endpoint has no entry in OWNED or PUBLIC_OBJECTS"


@dataclass
class Actors:
    headers: dict[str, dict[str, str]]
    own: dict[str, int | str]
    other: dict[str, int | str]


@pytest.fixture
def actors(client: TestClient, session: Session) -> Actors:
    """Producer A's objects (its own) and producer B's (another's), and a token for each role."""
    world = build_world(client, session)
    auth_service.create_user(
        session, username="admin", password=PASSWORD, role=Role.admin, producer_id=None, actor="test"
    )
    own_renewal = submit(client, world.producer_a, world.authorization_id).json()
    other_authorization = client.post(
        "/api/v1/authorizations",
        json={
            "producer_id": world.producer_b_id,
            "indication_id": 1,
            "label_version": "legacy",
            "authorized": "2019-05-10",
            "reason": "synthetic",
            "sources": [{"document": "test fixture (synthetic)", "confidence": "L", "fields": ["name_zh"]}],
        },
        headers=world.official,
    ).json()
    other_renewal = client.post(
        "/api/v1/renewals",
        data={"authorization_id": str(other_authorization["id"])},
        files=[("documents", ("b.pdf", PDF + b"b", "application/pdf"))],
        headers=world.producer_b,
    ).json()

    def mark_application(headers: dict[str, str]) -> int:
        response = client.post(
            "/api/v1/mark-applications",
            data={"kind": "first_use", "indication_id": "2", "basis": "protected_product"},
            files=[("documents", ("m.pdf", PDF + b"m", "application/pdf"))],
            headers=headers,
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def audit(producer_id: int) -> int:
        body = {
            "producer_id": producer_id,
            "indication_id": 1,
            "audit_date": "2026-03-01",
            "officials": ["审核员（合成）"],
            "result": "compliant",
        }
        response = client.post("/api/v1/audits", json=body, headers=world.official)
        assert response.status_code == 201, response.text
        return response.json()["id"]

    return Actors(
        headers={
            "public": {},
            "producer": world.producer_a,
            "official": world.official,
            "admin": bearer(client, "admin"),
        },
        own={
            "renewal_id": own_renewal["id"],
            "document_id": own_renewal["documents"][0]["id"],
            "audit_id": audit(world.producer_a_id),
            "application_id": mark_application(world.producer_a),
            "kind": "acceptance",
        },
        other={
            "renewal_id": other_renewal["id"],
            "document_id": other_renewal["documents"][0]["id"],
            "audit_id": audit(world.producer_b_id),
            "application_id": mark_application(world.producer_b),
            "kind": "acceptance",
        },
    )


def _call(client: TestClient, operation: str, ids: dict[str, int], headers: dict[str, str]) -> int:
    method, template = operation.split()
    path = template.format(**ids)
    kwargs: dict = {"headers": headers}
    if operation.endswith("/resubmit"):
        kwargs["files"] = [("documents", ("again.pdf", PDF + b"again", "application/pdf"))]
    elif method != "GET":
        kwargs["json"] = {}
    return client.request(method, path, **kwargs).status_code


def test_bola_matrix_every_cell_as_expected(client: TestClient, actors: Actors) -> None:
    deviations = []
    cells = 0
    for operation, expected_by_role in OWNED.items():
        for role in ROLES:
            for which, ids in (("own", actors.own), ("other's", actors.other)):
                expected = expected_by_role[role][0 if which == "own" else 1]
                got = _call(client, operation, ids, actors.headers[role])
                cells += 1
                if got != expected:
                    deviations.append(f"{operation} as {role} on {which}: {got}, expected {expected}")
    report(f"R8: {cells} cells (object endpoints × 4 roles × own/other's), {len(deviations)} deviations")
    assert deviations == []


def test_bfla_matrix_no_token_401_wrong_role_403(client: TestClient, actors: Actors) -> None:
    deviations = []
    for operation, allowed in WRITE_ROLES.items():
        method, template = operation.split()
        path = template.format(
            id_or_slug=1, protection_id=1, standard_id=1, report_id=1, producer_id=1, authorization_id=1,
            user_id=1, request_id=1, **actors.own,
        )  # fmt: skip
        anonymous = client.request(method, path, json={})
        if anonymous.status_code != 401 or anonymous.headers.get("www-authenticate") != "Bearer":
            deviations.append(f"{operation} without a token: {anonymous.status_code}")
        for role in ROLES[1:]:
            status = client.request(method, path, json={}, headers=actors.headers[role]).status_code
            if role in allowed and status in (401, 403):
                deviations.append(f"{operation} as {role}: {status}, but the role may call it")
            if role not in allowed and status != 403:
                deviations.append(f"{operation} as {role}: {status}, expected 403")
    report(
        f"R9: {len(WRITE_ROLES)}/{len(WRITE_ROLES)} protected write endpoints × (no token, 3 roles), "
        f"{len(deviations)} deviations"
    )
    assert deviations == []
