"""The usage figures as spreadsheets: a sheet of the annual supervision report, and the county's yearly
report to the city (《湖南省地理标志专用标志使用核准工作规定（试行）》: each county bureau reports its
area's use of the special mark to the city bureau every year). Cells go through the spreadsheet rule."""

import io
from datetime import UTC, date, datetime

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session

from gi_registry.core.spreadsheets import append_row
from gi_registry.labels.usage import DEMO_ZONE_RULES, DEMO_ZONE_SOURCE, GIUsage, county_year, usage_coverage

USAGE_HEADER = [
    "GI (slug)", "名称", "已知生产者 known producers", "用标生产者 users", "覆盖率 coverage",
    "状态未记录 status not recorded", "距 5 家尚差 more users for 5", "距 50% 尚差 more users for 50 %",
    "距 80% 尚差 more users for 80 %", "达到登记簿可核的门槛 meets the thresholds the registry holds",
]  # fmt: skip

DEFINITIONS = [
    "用标生产者：核准使用专用标志、当前状态为有效或须换标（有效期未满）的生产者。"
    " User: an authorized user whose status today is active or switch_required (validity not ended).",
    "已知生产者：登记簿中与该产品关联的获准用标生产者（任何状态）或公用品牌被许可人；不含持有人、申请人；"
    "仅为登记在册的生产者，并非产区全部生产者。 Known producers: producers on record linked as authorized "
    "users (any status) or public-brand licensees; holders and applicants are not counted. Only the "
    "producers on record, not all producers in the area.",
    f"门槛 thresholds: {DEMO_ZONE_RULES}: ≥ 5 家用标企业且 ≥ 50% 生产者；两年建设期内覆盖率 ≥ 80%；产值门槛"
    "（≥ 1 亿元且 ≥ 50%）登记簿无数据，未核。 ≥ 5 users and ≥ 50 % of producers; 80 % within the two-year "
    f"build-up; the output thresholds are not held by the registry and not checked. {DEMO_ZONE_SOURCE}",
]


def _share(usage: GIUsage) -> str:
    return "—" if usage.share is None else f"{usage.share:.0%}"


def _unknown(value: object) -> object:
    # No producers on record: the distance to a share is unknown, written as such, never 0.
    return "—" if value is None else value


def usage_sheet(sheet: Worksheet, session: Session, *, today: date) -> None:
    """Per GI: known producers, users, coverage and the distance to the demonstration-zone thresholds."""
    append_row(sheet, [f"专用标志使用覆盖情况（截至 {today}） — Use of the GI special mark as of {today}"])
    for line in DEFINITIONS:
        append_row(sheet, [line])
    append_row(sheet, USAGE_HEADER)
    for gi in usage_coverage(session, today=today).indications:
        meets = gi.meets_registry_thresholds
        append_row(sheet, [
            gi.slug, gi.name_zh, gi.known_producers, gi.users, _share(gi), gi.status_unknown,
            gi.more_users_for_min_users, _unknown(gi.more_users_for_min_share),
            _unknown(gi.more_users_for_build_up), "—" if meets is None else ("是 yes" if meets else "否 no"),
        ])  # fmt: skip


COUNTY_HEADER = [
    "GI (slug)", "名称", "本县已知生产者 known producers in the county", "用标生产者 users",
    "状态未记录 status not recorded", "本年核准 authorized in the year",
    "核准日期未知 authorization date unknown", "本年暂停 suspended in the year",
    "本年撤销 revoked in the year",
]  # fmt: skip


def county_workbook(
    session: Session, *, county_code: str, year: int, today: date, include_synthetic: bool = False
) -> bytes:
    """The county's yearly report on the use of the mark, as an XLSX workbook."""
    report = county_year(
        session, county_code=county_code, year=year, today=today, include_synthetic=include_synthetic
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{report.county_code} {year}"
    append_row(sheet, [
        f"{report.county_name_zh}地理标志专用标志使用情况年度报告 {year} — "
        f"Yearly report on the use of the GI special mark, county {report.county_code}, {year}",
    ])  # fmt: skip
    append_row(sheet, [f"generated {datetime.now(UTC).isoformat(timespec='seconds')} by gi-registry"])
    append_row(sheet, [
        "生产者按登记的所在县计入；用标生产者为报告生成日的状态；本年核准按核准日期；本年暂停、撤销按登记簿"
        "变更记录的日期（以暂停或撤销状态录入的无日期，不计）。 Producers count in the county on record; "
        f"users as of {report.as_of}; authorized in the year by the authorization date; suspended and "
        "revoked in the year by the date the change was recorded in the registry (authorizations recorded "
        "as already suspended or revoked carry no date and are not counted).",
    ])  # fmt: skip
    append_row(sheet, DEFINITIONS[0:2])
    append_row(sheet, COUNTY_HEADER)
    for line in report.lines:
        append_row(sheet, [
            line.slug, line.name_zh, line.known_producers, line.users, line.status_unknown,
            line.authorized_in_year, line.authorized_date_unknown, line.suspended_in_year,
            line.revoked_in_year,
        ])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
