"""The renewal scenario end to end over real HTTP, against `gi-registry serve` started like `make run`."""

import os
import subprocess
import sys
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.factories import make_uscc
from tests.live import serving
from tests.workflow import PASSWORD, PDF, PNG, SOURCE

pytestmark = pytest.mark.slow


def cli(database_url: str, *args: str) -> None:
    command = [str(Path(sys.executable).parent / "gi-registry"), *args]
    env = {**os.environ, "GI_DATABASE_URL": database_url}
    subprocess.run(command, env=env, check=True, capture_output=True)


def test_renewal_scenario_over_http(settings, tmp_path: Path) -> None:  # noqa: ANN001
    url = settings.database_url
    cli(url, "users", "create", "--username", "official", "--password", PASSWORD, "--role", "official")
    with serving(url, GI_UPLOAD_DIR=str(tmp_path / "uploads")) as base, httpx.Client(base_url=base) as http:

        def token(username: str) -> dict[str, str]:
            response = http.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
            return {"Authorization": f"Bearer {response.json()['access_token']}"}

        official = token("official")
        producers = []
        for n in (1, 2):
            body = {
                "name_zh": f"场景合作社{n}（合成）",
                "uscc": make_uscc("93", "430626", f"KCN0000{n}"),
                "county_code": "430626",
                "reason": "scenario",
                "sources": SOURCE,
            }
            response = http.post("/api/v1/producers", json=body, headers=official)
            assert response.status_code == 201, response.text
            producers.append(response.json()["id"])
        authorization = http.post(
            "/api/v1/authorizations",
            json={
                "producer_id": producers[0],
                "indication_id": 1,
                "label_version": "legacy",
                "reason": "scenario",
                "sources": SOURCE,
            },
            headers=official,
        ).json()
        for n, producer_id in enumerate(producers, start=1):
            cli(
                url,
                "users",
                "create",
                "--username",
                f"p{n}",
                "--password",
                PASSWORD,
                "--role",
                "producer",
                "--producer-id",
                str(producer_id),
            )
        mine, other = token("p1"), token("p2")

        def submit(headers: dict, name: str, content: bytes):  # noqa: ANN202
            return http.post(
                "/api/v1/renewals",
                data={"authorization_id": str(authorization["id"])},
                files=[("documents", (name, content, "application/pdf"))],
                headers=headers,
            )

        renewal = submit(mine, "application.pdf", PDF)
        assert renewal.status_code == 201, renewal.text
        renewal_id = renewal.json()["id"]
        assert http.get(f"/api/v1/renewals/{renewal_id}", headers=other).status_code == 404
        assert submit(other, "application.pdf", PDF).status_code == 403
        assert submit({}, "application.pdf", PDF).status_code == 401
        assert submit(mine, "scan.pdf", PNG).status_code == 422
        assert submit(mine, "../../etc/passwd", PDF).status_code == 422
        decision = f"/api/v1/renewals/{renewal_id}/decision"
        assert (
            http.post(decision, json={"decision": "approve", "reason": "self"}, headers=mine).status_code
            == 403
        )
        assert (
            http.post(
                decision, json={"decision": "review", "reason": "file complete"}, headers=official
            ).status_code
            == 200
        )
        assert (
            http.post(
                decision, json={"decision": "approve", "reason": "on-site check"}, headers=official
            ).status_code
            == 200
        )
        assert http.get(f"/api/v1/authorizations/{authorization['id']}").json()["label_version"] == "unified"
        history = http.get(
            "/api/v1/history", params={"entity": "authorization", "id": authorization["id"]}
        ).json()
        fields = [row["field"] for row in history["data"]]
        assert fields[0] is None and "label_version" in fields
