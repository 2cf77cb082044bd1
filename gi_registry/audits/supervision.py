"""The annual GI supervision report: per GI, authorized users, label switch, audits, standards, changes."""

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session, select

from gi_registry.audits.models import Audit, AuditResult
from gi_registry.core.errors import RegistryError
from gi_registry.core.spreadsheets import append_row, set_cell
from gi_registry.history.models import ChangeLog
from gi_registry.indications.coverage import coverage
from gi_registry.indications.models import Indication, Protection
from gi_registry.producers.models import AuthorizationStatus, LabelVersion, LinkRole, ProducerLink
from gi_registry.standards.models import Standard, StandardIndication, StandardStatus


@dataclass(frozen=True)
class GIYear:
    """One GI's line in the report."""

    slug: str
    name_zh: str
    authorized_users: int
    unified: int
    suspended_or_revoked: int
    audits: int
    compliant: int
    minor: int
    major: int
    standards_in_force: str
    changes_in_year: int

    @property
    def switch_share(self) -> str:
        """Share of authorized users on the unified mark, as text."""
        return f"{self.unified / self.authorized_users:.0%}" if self.authorized_users else "—"


def gi_year_lines(session: Session, year: int, *, include_synthetic: bool = False) -> list[GIYear]:
    """The report's lines for `year`, one per GI product, in registry order."""
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    links = [
        link
        for link in session.exec(select(ProducerLink).where(ProducerLink.role == LinkRole.authorized_user))
        if include_synthetic or not link.synthetic
    ]
    audits = [
        a
        for a in session.exec(
            select(Audit).where(Audit.audit_date >= date(year, 1, 1), Audit.audit_date <= date(year, 12, 31))
        )
        if include_synthetic or not a.synthetic
    ]
    protections: dict[int, set[str]] = {}
    for protection in session.exec(select(Protection)):
        protections.setdefault(protection.indication_id, set()).add(str(protection.id))
    changes = session.exec(select(ChangeLog).where(ChangeLog.at >= start, ChangeLog.at < end)).all()
    lines = []
    for gi in session.exec(select(Indication).where(Indication.synthetic.is_(False)).order_by(Indication.id)):
        own_links = [link for link in links if link.indication_id == gi.id]
        results = Counter(a.result for a in audits if a.indication_id == gi.id)
        standards = session.exec(
            select(Standard)
            .join(StandardIndication, StandardIndication.standard_id == Standard.id)
            .where(StandardIndication.indication_id == gi.id)
        ).all()
        in_force = [s.number or s.title_zh for s in standards if s.status != StandardStatus.superseded]
        link_ids = {str(link.id) for link in own_links}
        touched = sum(
            1
            for c in changes
            if (c.entity_type == "indication" and c.entity_id == str(gi.id))
            or (c.entity_type == "protection" and c.entity_id in protections.get(gi.id, set()))
            or (c.entity_type == "producer_link" and c.entity_id in link_ids)
        )
        lines.append(
            GIYear(
                slug=gi.slug,
                name_zh=gi.name_zh,
                authorized_users=len(own_links),
                unified=sum(link.label_version == LabelVersion.unified for link in own_links),
                suspended_or_revoked=sum(
                    link.status in (AuthorizationStatus.suspended, AuthorizationStatus.revoked)
                    for link in own_links
                ),
                audits=sum(results.values()),
                compliant=results[AuditResult.compliant],
                minor=results[AuditResult.minor_nonconformity],
                major=results[AuditResult.major_nonconformity],
                standards_in_force="; ".join(in_force),
                changes_in_year=touched,
            )
        )
    return lines


HEADER = [
    "GI (slug)", "名称", "获准用标生产者 authorized users", "统一标志 unified", "换标进度 switch",
    "暂停/撤销 suspended/revoked", "检查 audits", "合格 compliant", "一般不符合 minor", "严重不符合 major",
    "现行标准 standards in force", "本年变更 changes in year",
]  # fmt: skip


COVERAGE_HEADER = [
    "保护类型 kind", "截至 as of", "官方公布 reported", "有可靠来源 well supported (H/M)",
    "来源较弱 weak (L)", "尚未查明 not identified", "日期未知 unknown date", "日期在后 dated later",
]  # fmt: skip


def _coverage_sheet(sheet: Worksheet, session: Session) -> None:
    """The registry against each official total as of its date, the same figures as /about and the API."""
    append_row(sheet, ["地理标志覆盖情况（截至官方总数日期） — Coverage as of each official total's date"])
    append_row(sheet, COVERAGE_HEADER)
    kinds = [k for k in coverage(session).kinds if k.as_of]
    for kind in kinds:
        a = kind.as_of
        assert a is not None  # filtered above; narrows the type
        append_row(sheet, [
            kind.kind.value, a.as_of, a.reported, a.well_supported, a.weak, a.not_identified,
            len(a.unknown_date), len(a.later),
        ])  # fmt: skip
    append_row(sheet, [])
    append_row(
        sheet,
        ["未计入 not counted", "GI (slug)", "名称", "保护 protection", "可信度 confidence", "原因 reason"],
    )
    for kind in kinds:
        a = kind.as_of
        assert a is not None
        for row in a.unknown_date + a.later:
            append_row(sheet, [
                kind.kind.value, row.slug, row.name_zh, row.key, row.confidence.value, row.reason.value,
            ])  # fmt: skip


# A GI's map as PNG bytes, by slug; handed in by the adapters that serve the report (the maps package
# draws it), so this domain module needs no drawing code. It raises a RegistryError when it cannot draw.
MapImage = Callable[[str], bytes]
# Writes the sheet of the special mark's use on a day: usage_sheet(sheet, session, today=...).
UsageSheet = Callable[..., None]
MAP_ROWS = 32  # rows per map on the maps sheet (a 600 px image at the default 20 px row height, and a gap)
MAP_SHOWN = (640, 480)  # px: the size each map is shown at in the sheet


def _maps_sheet(sheet: Worksheet, lines: list[GIYear], map_image: MapImage) -> None:
    """Each GI's production-area map, one below the other, its name beside it (as text, never a formula)."""
    append_row(sheet, ["地理标志产地范围图 — Production-area maps (岳阳市地理标志登记簿 gi-registry)"])
    for position, line in enumerate(lines):
        row = 3 + position * MAP_ROWS
        set_cell(sheet, row, 1, line.name_zh)
        set_cell(sheet, row + 1, 1, line.slug)
        try:
            picture = Image(io.BytesIO(map_image(line.slug)))
        except RegistryError as exc:  # no font on this machine: the sheet says so instead of failing
            set_cell(sheet, row + 2, 1, f"地图未能生成 map not drawn: {exc.message}")
            return
        picture.width, picture.height = MAP_SHOWN
        sheet.add_image(picture, f"C{row}")
    sheet.column_dimensions["A"].width = 24


def supervision_workbook(
    session: Session, year: int, map_image: MapImage | None = None, *, usage_sheet: UsageSheet
) -> bytes:
    """The report as an XLSX workbook, generated from the registry instead of compiled by hand; with
    `map_image`, a sheet of each GI's production-area map (PNG).

    `usage_sheet` (labels.usage_report.usage_sheet) writes the special mark's use: handed in by the caller
    because labels sit above audits (they read audit deadlines), so audits does not import them."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"GI {year}"
    append_row(sheet, [f"岳阳市地理标志监管年度报告 {year} — Yueyang GI supervision report {year}"])
    append_row(sheet, [f"generated {datetime.now(UTC).isoformat(timespec='seconds')} by gi-registry"])
    append_row(sheet, HEADER)
    lines = gi_year_lines(session, year)
    for line in lines:
        append_row(sheet, [
            line.slug, line.name_zh, line.authorized_users, line.unified, line.switch_share,
            line.suspended_or_revoked, line.audits, line.compliant, line.minor, line.major,
            line.standards_in_force, line.changes_in_year,
        ])  # fmt: skip
    _coverage_sheet(workbook.create_sheet("coverage"), session)
    # Figures of the day the report is made: the registry keeps statuses, not their history by date.
    usage_sheet(workbook.create_sheet("usage"), session, today=date.today())
    if map_image is not None:
        _maps_sheet(workbook.create_sheet("maps"), lines, map_image)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
