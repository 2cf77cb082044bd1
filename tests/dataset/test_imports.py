"""Spreadsheet imports: a row-level report in Chinese and English, and all-or-nothing loading."""

import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from gi_registry.cli.app import app
from gi_registry.core.settings import REPO_ROOT, get_settings
from gi_registry.history.models import ChangeLog
from gi_registry.imports.service import ImportKind, import_file, template_columns
from gi_registry.imports.spreadsheet import read_rows
from tests.factories import make_uscc

HEADER = "name_zh,uscc,county_code,source_confidence,source_document\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8-sig")


def count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def good_row(n: int) -> str:
    uscc = make_uscc(division="430626", org_body=f"KMP0000{n}")
    return f"合成合作社{n},{uscc},430626,L,test sheet"


def run(
    session: Session,
    content: bytes,
    name: str = "producers.csv",
    dry_run: bool = False,
    kind=ImportKind.producers,
):  # noqa: ANN001, ANN201
    return import_file(
        session,
        kind=kind,
        filename=name,
        content=content,
        actor="official:test",
        reason="test",
        dry_run=dry_run,
    )


def test_good_file_is_imported_in_one_logged_transaction(session: Session, engine: Engine) -> None:
    before = count(engine, "producer")
    report = run(session, csv_bytes(good_row(1), good_row(2)))
    assert report.problems == [] and report.written and report.created == 2
    assert count(engine, "producer") == before + 2
    reasons = set(session.exec(select(ChangeLog.reason).where(ChangeLog.actor == "official:test")).all())
    assert reasons == {"import of producers.csv: test"}


def test_one_bad_row_changes_nothing_and_is_reported(session: Session, engine: Engine) -> None:
    before = {t: count(engine, t) for t in ("producer", "citation", "change_log")}
    bad = "坏行,91350100M000100Y44,430626,L,test sheet"  # a mistyped check character
    report = run(session, csv_bytes(good_row(1), bad, good_row(3)))
    assert not report.written and report.created == 0
    [problem] = report.problems
    assert problem.row == 3 and problem.column == "uscc"
    assert "check character" in problem.en and problem.zh
    assert {t: count(engine, t) for t in before} == before


def test_duplicates_within_the_file_and_unknown_codes_are_reported(session: Session) -> None:
    row = good_row(1)
    report = run(session, csv_bytes(row, row, "无县,,439999,L,test sheet"))
    rows = {(p.row, p.column) for p in report.problems}
    assert (3, None) in rows  # the second copy of the same code
    assert any(p.row == 4 and "439999" in p.en for p in report.problems)


def test_dry_run_checks_and_writes_nothing(session: Session, engine: Engine) -> None:
    before = count(engine, "producer")
    report = run(session, csv_bytes(good_row(1)), dry_run=True)
    assert report.problems == [] and not report.written
    assert count(engine, "producer") == before


def test_header_problems_are_reported_before_rows(session: Session) -> None:
    content = "name_zh,colour,source_confidence\n甲,red,L\n".encode()
    report = run(session, content)
    assert [(p.row, p.column, p.zh) for p in report.problems] == [(1, "colour", "未知的列")]
    missing = run(session, b"uscc\n123\n")
    assert {p.column for p in missing.problems} == {"name_zh", "source_confidence"}


def test_xlsx_with_numeric_codes_and_authorizations(session: Session, engine: Engine) -> None:
    uscc = make_uscc(division="430626", org_body="KMP00009")
    assert run(session, csv_bytes(f"合成合作社9,{uscc},430626,L,test sheet")).written
    workbook = openpyxl.Workbook()
    workbook.active.append(template_columns(ImportKind.authorizations))
    workbook.active.append(
        [uscc, "岳阳黄茶", "legacy", "2019-05-10", None, None, None, "L", None, "test sheet"]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(session, buffer.getvalue(), "authorizations.xlsx", kind=ImportKind.authorizations)
    assert report.problems == [] and report.created == 1
    assert count(engine, "producer_link") >= 1
    again = run(session, buffer.getvalue(), "authorizations.xlsx", kind=ImportKind.authorizations)
    assert again.problems and "already holds" in again.problems[0].en


def test_unreadable_files(session: Session) -> None:
    assert run(session, b"\xff\xfe\x00bad", "x.csv").problems[0].zh == "无法读取文件"
    assert run(session, b"not a workbook", "x.xlsx").problems[0].zh == "无法读取文件"
    assert run(session, b"a,b", "x.txt").problems[0].zh == "无法读取文件"


@pytest.mark.parametrize("kind", list(ImportKind))
def test_shipped_templates_have_the_expected_columns(kind: ImportKind) -> None:
    for suffix in ("csv", "xlsx"):
        path = REPO_ROOT / "data" / "templates" / f"{kind.value}.{suffix}"
        header, rows = read_rows(path.name, path.read_bytes())
        assert header == template_columns(kind) and rows == []


def test_cli_import_dry_run_then_for_real(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("GI_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    path = tmp_path / "sheet.csv"
    path.write_bytes(csv_bytes(good_row(1)))
    runner = CliRunner()
    dry = runner.invoke(app, ["import", str(path), "--kind", "producers", "--dry-run"])
    assert dry.exit_code == 0 and "dry run" in dry.output
    real = runner.invoke(app, ["import", str(path), "--kind", "producers", "--reason", "county list 2026"])
    assert real.exit_code == 0 and "Imported 1 producers" in real.output
    again = runner.invoke(app, ["import", str(path), "--kind", "producers"], env={"COLUMNS": "200"})
    assert again.exit_code == 1 and "nothing was written" in again.output
    get_settings.cache_clear()


def test_officials_upload_a_spreadsheet_over_the_api(client, session: Session) -> None:  # noqa: ANN001
    from tests.workflow import build_world

    world = build_world(client, session)
    files = {"file": ("sheet.csv", csv_bytes(good_row(5)), "text/csv")}
    assert client.post("/api/v1/imports", data={"kind": "producers"}, files=files).status_code == 401
    denied = client.post("/api/v1/imports", data={"kind": "producers"}, files=files, headers=world.producer_a)
    assert denied.status_code == 403
    checked = client.post(
        "/api/v1/imports", data={"kind": "producers"}, files=files, headers=world.official
    ).json()
    assert checked["problems"] == [] and checked["written"] is False
    done = client.post(
        "/api/v1/imports",
        data={"kind": "producers", "dry_run": "false", "reason": "county list"},
        files=files,
        headers=world.official,
    ).json()
    assert done["written"] is True and done["created"] == 1


def test_standards_import_links_gis_and_supersedes(session: Session, client) -> None:  # noqa: ANN001
    columns = template_columns(ImportKind.standards)
    header = ",".join(columns) + "\n"
    row = {
        "title_zh": "岳阳黄茶（修订，合成测试）", "kind": "group", "number": "T/YYSCX 001-2099",
        "supersedes_number": "T/YYSCX 001-2022", "indications": "岳阳黄茶、junshan-yinzhen",
        "source_confidence": "L", "source_document": "test sheet",
    }  # fmt: skip
    line = ",".join(row.get(c, "") for c in columns)
    report = run(session, (header + line + "\n").encode(), "standards.csv", kind=ImportKind.standards)
    assert report.problems == [] and report.written
    old = client.get("/api/v1/standards", params={"kind": "group"}).json()["data"]
    by_number = {s["number"]: s for s in old}
    assert by_number["T/YYSCX 001-2022"]["status"] == "superseded"
    new = by_number["T/YYSCX 001-2099"]
    assert new["supersedes_id"] == by_number["T/YYSCX 001-2022"]["id"]
    assert {g["slug"] for g in new["indications"]} == {"yueyang-huangcha", "junshan-yinzhen"}
    bad = {**row, "number": "T/YYSCX 001-2100", "indications": "不存在的产品"}
    failed = run(
        session,
        (header + ",".join(bad.get(c, "") for c in columns) + "\n").encode(),
        "s.csv",
        kind=ImportKind.standards,
    )
    assert [(p.row, p.column) for p in failed.problems] == [(2, "indications")]
