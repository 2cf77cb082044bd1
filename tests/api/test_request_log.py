"""Request ids: echoed or made, carried by every JSON log line of the request, quoted in a 500's message."""

import json

import pytest
from fastapi.testclient import TestClient

from gi_registry.http.app import create_app


def _log_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_every_answer_has_a_request_id_and_a_json_log_line(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    made = client.get("/api/v1/indications", params={"limit": 1})
    echoed = client.get("/api/v1/indications/1", headers={"X-Request-ID": "proxy-42.a:b"})
    refused = client.get("/api/v1/indications/1", headers={"X-Request-ID": 'two words" <script>'})
    assert len(made.headers["x-request-id"]) == 32
    assert echoed.headers["x-request-id"] == "proxy-42.a:b"
    assert (
        refused.headers["x-request-id"] != 'two words" <script>'
        and len(refused.headers["x-request-id"]) == 32
    )
    lines = [line for line in _log_lines(capsys.readouterr().err) if line["msg"] == "request"]
    by_id = {line["request_id"]: line for line in lines}
    assert by_id["proxy-42.a:b"]["path"] == "/api/v1/indications/1"
    assert by_id["proxy-42.a:b"]["status"] == 200 and by_id["proxy-42.a:b"]["method"] == "GET"
    assert by_id[made.headers["x-request-id"]]["level"] == "info"


def test_a_refused_request_gets_an_id_too(client: TestClient) -> None:
    response = client.post("/api/v1/auth/token", content=b"x", headers={"Content-Length": "999999999999"})
    assert response.status_code == 413 and len(response.headers["x-request-id"]) == 32


def test_an_unexpected_error_quotes_the_id_that_its_log_lines_carry(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(client.app.state.settings, client.app.state.engine)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    capsys.readouterr()
    response = TestClient(app, raise_server_exceptions=False).get("/boom", headers={"X-Request-ID": "case-7"})
    assert response.status_code == 500
    assert "case-7" in response.json()["detail"][0]["msg"]
    lines = _log_lines(capsys.readouterr().err)
    error = next(line for line in lines if line["level"] == "error")
    assert error["request_id"] == "case-7" and "RuntimeError: a bug" in error["exception"]
