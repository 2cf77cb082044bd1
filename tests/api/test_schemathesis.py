"""R7: schemathesis over the whole OpenAPI, in-process, once per role, with every default check.

Each run goes through schemathesis' phases (examples, coverage, fuzzing, stateful) with a bounded number
of examples per operation so the four runs fit in the normal test budget.
"""

import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from tests.figures import report
from tests.workflow import PASSWORD, bearer, build_world

MAX_EXAMPLES = 4
# A schema can say a county code is a string, not that the county exists or that a USCC's check digit is
# right: the registry refuses such well-formed values with a 422 (or 400 for coordinates) naming the value.
# That is the documented answer, so "valid data accepted" also allows those statuses; every other check
# runs as schemathesis defines it.
SEMANTIC_REFUSALS = ["2xx", "3xx", "400", "401", "403", "404", "409", "422", "429"]


@dataclass
class RunResult:
    """What one schemathesis run did."""

    cases: int = 0
    failures: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def run_schemathesis(client: TestClient, headers: dict[str, str]) -> RunResult:
    config = SchemathesisConfig.from_dict(
        {
            "seed": 7,
            "generation": {"max-examples": MAX_EXAMPLES},
            "checks": {"positive_data_acceptance": {"expected-statuses": SEMANTIC_REFUSALS}},
            "headers": headers,
        }
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app, config=config)
    result = RunResult()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            result.cases += len(recorder.cases)
            for case_id, checks in recorder.checks.items():
                for check in checks:
                    if check.status.value != "failure":
                        continue
                    key = f"{recorder.label}: {check.name}"
                    result.failures[key] += 1
                    case = recorder.cases[case_id].value
                    failure = check.failure_info.failure if check.failure_info else ""
                    request = f"{case.method} {case.formatted_path} query={case.query} body={case.body!r:.99}"
                    result.examples.setdefault(key, f"{request} -> {failure}"[:500])
        elif isinstance(event, events.NonFatalError):
            result.errors.append(f"{event.label}: {event.info}"[:400])
        elif isinstance(event, events.FatalError):
            result.errors.append(f"fatal: {event.exception}"[:400])
    return result


def _role_headers(client: TestClient, session: Session, role: str) -> dict[str, str]:
    world = build_world(client, session)
    if role == "public":
        return {}
    if role == "producer":
        return world.producer_a
    if role == "official":
        return world.official
    auth_service.create_user(
        session, username="admin", password=PASSWORD, role=Role.admin, producer_id=None, actor="test"
    )
    return bearer(client, "admin")


@pytest.mark.parametrize("role", ["public", "producer", "official", "admin"])
def test_schemathesis_finds_no_failure_for_any_role(client: TestClient, session: Session, role: str) -> None:
    headers = _role_headers(client, session, role)
    started = time.monotonic()
    result = run_schemathesis(client, headers)
    seconds = time.monotonic() - started
    report(
        f"R7 ({role}): {result.cases} cases, {sum(result.failures.values())} failures, "
        f"{len(result.errors)} errors in {seconds:.0f} s"
    )
    assert result.cases > 500  # the run really exercised the API
    assert result.errors == []
    assert dict(result.failures) == {}, "\n".join(result.examples.values())
