"""R11: a corpus of malformed or hostile uploads (§2.10), each refused with a 4xx and nothing stored.

One test walks the whole corpus on one database so the process's memory can be measured across it.
"""

import io
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from gi_registry.core.settings import Settings
from gi_registry.documents.files import MAX_FILES_PER_REQUEST
from gi_registry.http.app import create_app
from tests.figures import report
from tests.workflow import PDF, PNG, World, build_world

MAX_UPLOAD_MB = 0.05  # small limits, so "too large" needs only a small body
MAX_REQUEST_MB = 0.5
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><script>fetch('/api/v1/auth/me')</script>"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.pdf", b"\0" * 5_000_000)  # 5 MB of zeros, a few KB packed
    return buffer.getvalue()


Sender = Callable[[TestClient, dict[str, str], int], httpx.Response]
MULTIPART_B = "multipart/form-data; boundary=B"


@dataclass(frozen=True)
class Attempt:
    """One hostile request: how to send it, and the statuses that count as a correct refusal."""

    name: str
    send: Sender
    expected: tuple[int, ...] = (422,)


def _files(
    *parts: tuple[str, bytes, str | None],
) -> Callable[[TestClient, dict[str, str], int], httpx.Response]:
    def send(client: TestClient, headers: dict[str, str], authorization_id: int) -> httpx.Response:
        return client.post(
            "/api/v1/renewals",
            data={"authorization_id": str(authorization_id)},
            files=[("documents", part) for part in parts],
            headers=headers,
        )

    return send


def _raw(body: bytes | Iterator[bytes], content_type: str, **extra: str) -> Callable:
    def send(client: TestClient, headers: dict[str, str], _authorization_id: int) -> httpx.Response:
        return client.post(
            "/api/v1/renewals", content=body, headers={**headers, "Content-Type": content_type, **extra}
        )

    return send


def _chunks(total: int) -> Iterator[bytes]:
    for _ in range(total // 65536 + 1):
        yield b"x" * 65536


def _truncated_multipart(authorization_id: int) -> bytes:
    return (
        b'--B\r\nContent-Disposition: form-data; name="authorization_id"\r\n\r\n'
        + str(authorization_id).encode()
        + b'\r\n--B\r\nContent-Disposition: form-data; name="documents"; filename="a.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.7 trunc"
    )


def _with_header(name: str, value: str) -> Callable:
    def send(client: TestClient, headers: dict[str, str], authorization_id: int) -> httpx.Response:
        return client.post(
            "/api/v1/renewals",
            data={"authorization_id": str(authorization_id)},
            files=[("documents", ("a.pdf", PDF, "application/pdf"))],
            headers={**headers, name: value},
        )

    return send


def _raw_name(raw_name: bytes) -> Callable:
    """A file whose name reaches the app byte for byte (HTTP clients would escape NUL and controls)."""

    def send(client: TestClient, headers: dict[str, str], authorization_id: int) -> httpx.Response:
        body = (
            b'--B\r\nContent-Disposition: form-data; name="authorization_id"\r\n\r\n'
            + str(authorization_id).encode()
            + b'\r\n--B\r\nContent-Disposition: form-data; name="documents"; filename="'
            + raw_name
            + b'"\r\nContent-Type: application/pdf\r\n\r\n'
            + PDF
            + b"\r\n--B--\r\n"
        )
        return client.post(
            "/api/v1/renewals",
            content=body,
            headers={**headers, "Content-Type": MULTIPART_B},
        )

    return send


def _truncated(client: TestClient, headers: dict[str, str], authorization_id: int) -> httpx.Response:
    return client.post(
        "/api/v1/renewals",
        content=_truncated_multipart(authorization_id),
        headers={**headers, "Content-Type": MULTIPART_B},
    )


def _no_documents(client: TestClient, headers: dict[str, str], authorization_id: int) -> httpx.Response:
    return client.post("/api/v1/renewals", data={"authorization_id": str(authorization_id)}, headers=headers)


def _documents_as_text(client: TestClient, headers: dict[str, str], authorization_id: int) -> httpx.Response:
    return client.post(
        "/api/v1/renewals",
        data={"authorization_id": str(authorization_id), "documents": "%PDF-1.7 not a file"},
        headers=headers,
    )


BIG = int(MAX_UPLOAD_MB * 1024 * 1024) + 1
HUGE = int(MAX_REQUEST_MB * 1024 * 1024) + 1
PDF_FILE = ("a.pdf", PDF, "application/pdf")
SIX = MAX_FILES_PER_REQUEST + 1

CORPUS = [
    Attempt("file over the per-file limit", _files(("big.pdf", PDF + b"0" * BIG, "application/pdf")), (413,)),
    Attempt("request over the limit, Content-Length", _files(("h.pdf", PDF + b"0" * HUGE, None)), (413,)),
    Attempt("request over the limit, chunked", _raw(_chunks(HUGE), MULTIPART_B), (413,)),
    Attempt(".pdf that is a PNG", _files(("scan.pdf", PNG, "application/pdf"))),
    Attempt(".pdf of random bytes", _files(("scan.pdf", os.urandom(512), "application/pdf"))),
    Attempt(".png that is a PDF", _files(("scan.png", PDF, "image/png"))),
    Attempt(".jpg that is a PNG", _files(("photo.jpg", PNG, "image/jpeg"))),
    Attempt(".pdf that is a JPEG", _files(("scan.pdf", JPEG, "application/pdf"))),
    Attempt("double extension .pdf.exe", _files(("scan.pdf.exe", PDF, "application/octet-stream"))),
    Attempt(".php with PDF bytes", _files(("shell.php", PDF, "application/x-php"))),
    Attempt(".html page", _files(("page.html", HTML, "text/html"))),
    Attempt("SVG carrying a script", _files(("logo.svg", SVG, "image/svg+xml"))),
    Attempt("SVG renamed .png", _files(("logo.png", SVG, "image/png"))),
    Attempt("PDF declared text/html", _files(("a.pdf", PDF, "text/html"))),
    Attempt("name ../../x.pdf", _files(("../../x.pdf", PDF, "application/pdf"))),
    Attempt("name ..\\x.pdf", _files(("..\\x.pdf", PDF, "application/pdf"))),
    Attempt("absolute name /etc/passwd.pdf", _files(("/etc/passwd.pdf", PDF, "application/pdf"))),
    Attempt("name with a NUL byte", _raw_name(b"a\x00.pdf")),
    Attempt("name .pdf NUL .exe", _raw_name(b"a.pdf\x00.exe")),
    Attempt("name with a line feed", _raw_name(b"a\n.pdf")),
    Attempt("name with RTL override, raw", _raw_name("fdp.\u202egnp.pdf".encode())),
    Attempt("name with a bell character, raw", _raw_name(b"a\x07.pdf")),
    Attempt("name of 300 characters", _files(("a" * 296 + ".pdf", PDF, "application/pdf"))),
    Attempt("name with RTL override", _files(("fdp.\u202egnp.pdf", PDF, "application/pdf"))),
    Attempt("name '..'", _files(("..", PDF, "application/pdf"))),
    Attempt("name of spaces", _files(("   ", PDF, "application/pdf"))),
    Attempt("empty file", _files(("empty.pdf", b"", "application/pdf"))),
    Attempt(f"{SIX} files", _files(*[(f"{i}.pdf", PDF + bytes([i]), None) for i in range(SIX)])),
    Attempt("1,001 files", _files(*[(f"{i}.pdf", PDF, None) for i in range(1001)]), (400, 413, 422)),
    Attempt("zip bomb named .pdf", _files(("bomb.pdf", _zip_bomb(), "application/pdf"))),
    Attempt("zip bomb as a .zip", _files(("bomb.zip", _zip_bomb(), "application/zip"))),
    Attempt("multipart without a boundary", _raw(b"--B\r\n\r\n", "multipart/form-data"), (400, 422)),
    Attempt("truncated multipart body", _truncated, (400, 422)),
    Attempt("JSON instead of a form", _raw(b'{"authorization_id": 1}', "application/json"), (400, 415, 422)),
    Attempt("plain text body", _raw(b"documents=a.pdf", "text/plain"), (400, 415, 422)),
    Attempt("no documents at all", _no_documents),
    Attempt("documents sent as a text field", _documents_as_text),
    Attempt("100 KB Idempotency-Key header", _with_header("Idempotency-Key", "k" * 100_000)),
    Attempt("one good file among bad ones", _files(PDF_FILE, ("b.pdf", PNG, "application/pdf"))),
]  # fmt: skip


def _rss_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _every_file(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def small_limits(settings: Settings, engine: Engine, session: Session) -> tuple[TestClient, World, Settings]:
    limited = settings.model_copy(update={"max_upload_mb": MAX_UPLOAD_MB, "max_request_mb": MAX_REQUEST_MB})
    client = TestClient(create_app(limited, engine))
    return client, build_world(client, session), limited


def test_the_hostile_upload_corpus_is_refused(
    small_limits: tuple[TestClient, World, Settings], engine: Engine, tmp_path: Path
) -> None:
    client, world, settings = small_limits
    assert len(CORPUS) >= 30
    before_files = _every_file(tmp_path)
    rss_before = _rss_bytes()
    wrong = []
    for attempt in CORPUS:
        response = attempt.send(client, world.producer_a, world.authorization_id)
        if response.status_code not in attempt.expected:
            wrong.append(f"{attempt.name}: {response.status_code} {response.text[:120]}")
        elif response.headers.get("content-type", "").startswith("application/json"):
            assert response.json()["detail"][0]["msg"], attempt.name  # a message a person can read
    rss_growth_mb = (_rss_bytes() - rss_before) / 2**20
    with engine.connect() as connection:
        renewals = connection.execute(text("SELECT count(*) FROM renewal")).scalar_one()
        documents = connection.execute(text("SELECT count(*) FROM document")).scalar_one()
    new_files = _every_file(tmp_path) - before_files
    refused = len(CORPUS) - len(wrong)
    report(
        f"R11: {refused}/{len(CORPUS)} hostile uploads refused with 4xx, {renewals} rows and "
        f"{len(new_files)} files stored, RSS {rss_growth_mb:+.0f} MB"
    )
    assert wrong == [], "\n".join(wrong)
    assert (renewals, documents) == (0, 0) and new_files == set()
    assert rss_growth_mb < 50

    # The control: a good file is stored under its hash inside the upload folder, never under its name.
    good = client.post(
        "/api/v1/renewals",
        data={"authorization_id": str(world.authorization_id)},
        files=[("documents", ("my scan.pdf", PDF, "application/pdf"))],
        headers=world.producer_a,
    )
    assert good.status_code == 201, good.text
    (stored,) = _every_file(tmp_path) - before_files
    assert stored.is_relative_to(settings.upload_dir) and "scan" not in stored.name
    assert good.json()["documents"][0]["display_name"] == "my scan.pdf"
    # A Windows path never reaches the app: the multipart parser keeps only its last part.
    windows = _raw_name(b"C:\\Windows\\y.pdf")(client, world.producer_a, world.authorization_id)
    assert windows.status_code == 201 and windows.json()["documents"][0]["display_name"] == "y.pdf"
