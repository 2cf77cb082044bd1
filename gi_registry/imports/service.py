"""Checking and loading an officials' spreadsheet of producers or authorizations, all-or-nothing."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlmodel import Session, select

from gi_registry.core import sandbox
from gi_registry.core.dates import PartialDate
from gi_registry.core.errors import RegistryError
from gi_registry.history.service import ChangeSet
from gi_registry.imports.spreadsheet import UnreadableFile, read_rows
from gi_registry.indications.models import Indication
from gi_registry.labels import authorizations
from gi_registry.labels.models import AuthorizationCreate
from gi_registry.layers import store as layer_store
from gi_registry.producers import service as producers_service
from gi_registry.producers.models import AuthorizationStatus, LabelVersion, Producer, ProducerCreate
from gi_registry.producers.uscc import validate_uscc
from gi_registry.sources.models import Confidence, SourceIn
from gi_registry.standards import service as standards_service
from gi_registry.standards.models import StandardCreate, StandardKind, StandardStatus


class ImportKind(StrEnum):
    """What a spreadsheet holds."""

    producers = "producers"
    authorizations = "authorizations"
    standards = "standards"


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_url: str | None = None
    source_document: str | None = None
    source_publisher: str | None = None
    source_date: PartialDate | None = None
    source_confidence: Confidence

    def source(self) -> SourceIn:
        return SourceIn(
            url=self.source_url,
            document=self.source_document,
            publisher=self.source_publisher,
            published=self.source_date,
            confidence=self.source_confidence,
            fields=[],
        )


class ProducerRow(_Row):
    """One producer per row."""

    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=300)
    uscc: str | None = None
    county_code: str | None = None
    township_code: str | None = None
    address: str | None = Field(default=None, max_length=300)
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)

    _valid_uscc = field_validator("uscc")(lambda v: None if v is None else validate_uscc(v))


class AuthorizationRow(_Row):
    """One special-mark authorization per row; the producer is named by its code."""

    producer_uscc: str
    indication: str = Field(description="The GI's slug or Chinese name")
    label_version: LabelVersion
    authorized: PartialDate | None = None
    announcement_number: str | None = Field(default=None, max_length=60)
    status: AuthorizationStatus = AuthorizationStatus.active
    valid_until: date | None = None

    _valid_uscc = field_validator("producer_uscc")(validate_uscc)


class StandardRow(_Row):
    """One standard per row; `indications` lists GI slugs or Chinese names separated by commas or 、."""

    title_zh: str = Field(min_length=1, max_length=300)
    kind: StandardKind
    number: str | None = Field(default=None, max_length=60)
    title_en: str | None = Field(default=None, max_length=300)
    issuing_body: str | None = Field(default=None, max_length=300)
    issued: PartialDate | None = None
    effective: PartialDate | None = None
    status: StandardStatus | None = None
    supersedes_number: str | None = Field(default=None, max_length=60)
    indications: str | None = None
    scope_zh: str | None = Field(default=None, max_length=2000)


ROW_MODELS: dict[ImportKind, type[_Row]] = {
    ImportKind.producers: ProducerRow,
    ImportKind.authorizations: AuthorizationRow,
    ImportKind.standards: StandardRow,
}


def template_columns(kind: ImportKind) -> list[str]:
    """The template's columns: the record's own (required first), then where the facts come from."""
    source = list(_Row.model_fields)
    own = [name for name in ROW_MODELS[kind].model_fields if name not in source]
    fields = ROW_MODELS[kind].model_fields
    return (
        sorted(own, key=lambda name: not fields[name].is_required())
        + ["source_confidence"]
        + [name for name in source if name != "source_confidence"]
    )


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, in Chinese and English."""

    row: int
    column: str | None
    zh: str
    en: str


@dataclass
class ImportReport:
    """Rows read and problems found; nothing is written unless there are no problems."""

    kind: ImportKind
    rows: int = 0
    created: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    unreadable: bool = False  # the file as a whole was refused (format, a reading limit): no rows checked


ZH = {
    "missing": "缺少必填值",
    "extra_forbidden": "未知的列",
    "enum": "不是允许的取值",
    "literal_error": "不是允许的取值",
    "float_parsing": "应为数字",
    "less_than_equal": "数值超出范围",
    "greater_than_equal": "数值超出范围",
    "string_too_short": "不能为空",
    "string_too_long": "文字过长",
    "value_error": "取值无效",
}


def _validation_problems(number: int, exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors():
        column = ".".join(str(p) for p in err["loc"]) or None
        message = err["msg"].removeprefix("Value error, ")
        problems.append(Problem(number, column, ZH.get(err["type"], "取值无效"), message))
    return problems


def _indication(session: Session, value: str) -> Indication | None:
    return session.exec(
        select(Indication).where((Indication.slug == value) | (Indication.name_zh == value))
    ).first()


def _apply_row(session: Session, kind: ImportKind, row: _Row, changes: ChangeSet, reason: str) -> None:
    if kind == ImportKind.producers:
        producer_in = ProducerCreate(
            **row.model_dump(include=set(ProducerRow.model_fields) - set(_Row.model_fields)),
            reason=reason,
            sources=[row.source()],
        )
        producers_service.create_producer(
            session, producer_in=producer_in, actor=changes.actor, changes=changes
        )
        return
    if kind == ImportKind.standards:
        ids = []
        for name in filter(None, (n.strip() for n in re.split(r"[,，、]", row.indications or ""))):
            indication = _indication(session, name)
            if indication is None:
                raise _RowError(
                    "indications", "登记簿中没有该地理标志产品", f"no GI product '{name}' in the registry"
                )
            ids.append(indication.id)
        standard_in = StandardCreate(
            **row.model_dump(
                include=set(StandardRow.model_fields) - set(_Row.model_fields) - {"indications"}
            ),
            indication_ids=ids,
            reason=reason,
            sources=[row.source()],
        )
        standards_service.create_standard(
            session, standard_in=standard_in, actor=changes.actor, changes=changes
        )
        return
    producer = session.exec(select(Producer).where(Producer.uscc == row.producer_uscc)).first()
    if producer is None:
        raise _RowError(
            "producer_uscc", "登记簿中没有使用该代码的生产者", f"no producer with code {row.producer_uscc}"
        )
    indication = _indication(session, row.indication)
    if indication is None:
        raise _RowError(
            "indication", "登记簿中没有该地理标志产品", f"no GI product '{row.indication}' in the registry"
        )
    authorization_in = AuthorizationCreate(
        producer_id=producer.id,
        indication_id=indication.id,
        label_version=row.label_version,
        authorized=row.authorized,
        announcement_number=row.announcement_number,
        status=row.status,
        valid_until=row.valid_until,
        reason=reason,
        sources=[row.source()],
    )
    authorizations.create_authorization(
        session, authorization_in=authorization_in, actor=changes.actor, changes=changes
    )


UPLOAD_FILE = "upload.bin"


def _read_rows_in(folder: Path, filename: str) -> tuple[list[str], list[tuple[int, dict[str, str | None]]]]:
    """read_rows of the upload the sandbox wrote into `folder` (in the child)."""
    return read_rows(filename, (folder / UPLOAD_FILE).read_bytes())


class _RowError(Exception):
    def __init__(self, column: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.column, self.zh, self.en = column, zh, en


def import_file(
    session: Session,
    *,
    kind: ImportKind,
    filename: str,
    content: bytes,
    actor: str,
    reason: str,
    dry_run: bool,
    on_row: Callable[[int, int], None] | None = None,
    budget: sandbox.Budget | None = None,
) -> ImportReport:
    """Check every row; write them all in one transaction only if every row is good and it is no dry run.

    The file is read in a child process under `budget` (memory and time; GI_PARSE_* by default), so a
    hostile spreadsheet costs at most that and the caller carries on.
    """
    report = ImportReport(kind=kind)
    try:
        header, rows = sandbox.run_limited(
            _read_rows_in, filename, budget=budget or sandbox.Budget(), files={UPLOAD_FILE: content}
        )
    except UnreadableFile as exc:
        report.problems.append(Problem(1, None, "无法读取文件", str(exc)))
        report.unreadable = True
        return report
    except sandbox.WorkerLimit as limit:
        report.problems.append(Problem(1, None, "读取文件超出内存或时间上限", limit.message))
        report.unreadable = True
        return report
    except Exception as exc:  # a reader library failing on the file: unreadable, never a crash
        words = f"The file cannot be read ({type(exc).__name__})."
        report.problems.append(Problem(1, None, "无法读取文件", words))
        report.unreadable = True
        return report
    expected = set(ROW_MODELS[kind].model_fields)
    unknown = [c for c in header if c and c not in expected]
    missing = [
        c
        for c in template_columns(kind)
        if ROW_MODELS[kind].model_fields[c].is_required() and c not in header
    ]
    for column in unknown:
        report.problems.append(Problem(1, column, "未知的列", f"unknown column '{column}'; see the template"))
    for column in missing:
        report.problems.append(Problem(1, column, "缺少必填列", f"required column '{column}' is missing"))
    if report.problems:
        return report
    report.rows = len(rows)
    reason = f"import of {filename[:100]}: {reason}"[:1000]  # the change log keeps 1,000 characters
    changes = ChangeSet(actor=actor, reason=reason)
    try:
        for index, (number, values) in enumerate(rows, start=1):
            if on_row:
                on_row(index, len(rows))
            try:
                row = ROW_MODELS[kind].model_validate({k: v for k, v in values.items() if v is not None})
                # The create functions check everything before adding anything, so a refused row adds nothing.
                _apply_row(session, kind, row, changes, reason)
                report.created += 1
            except ValidationError as exc:
                report.problems += _validation_problems(number, exc)
            except _RowError as exc:
                report.problems.append(Problem(number, exc.column, exc.zh, exc.en))
            except RegistryError as exc:
                report.problems.append(Problem(number, None, "与登记簿数据冲突或取值无效", exc.message))
        if report.problems or dry_run:
            session.rollback()
            report.created = 0 if report.problems else report.created
            return report
        session.commit()
        report.written = True
        layer_store.redraw_all(session, ("producers",))  # producers and their authorizations
        return report
    except BaseException:
        session.rollback()
        raise
