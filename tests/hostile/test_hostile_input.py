"""Hostile or odd input to every read endpoint gets a 4xx (or an honest 200), never a 500."""

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

VALUES = [
    "99999999999999999999999", "9223372036854775808", "²", "١٢", "１２", "-1", "0", "1e3", "NaN", "null",
    "%00", "\x00", "' OR 1=1 --", "a" * 5000, "岳阳" * 300, "../../etc/passwd", "<script>", "\\", "%", "_",
]  # fmt: skip

TEMPLATES = [
    "/api/v1/indications/{v}", "/api/v1/producers/{v}", "/api/v1/standards/{v}",
    "/api/v1/indications?limit={v}", "/api/v1/indications?offset={v}", "/api/v1/indications?q={v}",
    "/api/v1/indications?county={v}", "/api/v1/indications?kind={v}", "/api/v1/indications?category={v}",
    "/api/v1/producers?indication={v}", "/api/v1/producers?county={v}", "/api/v1/standards?status={v}",
    "/api/v1/divisions?level={v}",
]  # fmt: skip


@pytest.mark.parametrize("template", TEMPLATES)
def test_no_value_makes_the_api_fail(client: TestClient, template: str) -> None:
    failures = []
    for value in VALUES:
        response = client.get(template.format(v=quote(value, safe="")))
        if response.status_code >= 500 or response.status_code not in (200, 404, 422):
            failures.append((value[:20], response.status_code))
        elif response.status_code != 200:
            assert response.json()["detail"][0]["msg"]
    assert failures == []
