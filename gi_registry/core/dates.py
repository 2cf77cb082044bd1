"""Partial dates as sources state them ("2011", "2016-11", "2008-11-03") and calendar arithmetic."""

import calendar
import re
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _validate_partial_date(value: str) -> str:
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise ValueError(f"'{value}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12:
        raise ValueError(f"'{value}' has no month {month}")
    if day:
        try:
            date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(f"'{value}' is not a day of the calendar") from None
    return value


PartialDate = Annotated[str, AfterValidator(_validate_partial_date)]
"""A date known to the year, the month or the day, as the source gives it."""


def exact_date(partial: str | None) -> date | None:
    """The calendar date when `partial` is known to the day, else None (never a guessed day)."""
    if partial is None or len(partial) != 10:
        return None
    return date.fromisoformat(partial)


def partial_year(partial: str | None) -> int | None:
    """The year of a partial date, or None."""
    return int(partial[:4]) if partial else None


def add_months(day: date, months: int) -> date:
    """Move `day` by whole months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """Move `day` by whole years (Feb 29 becomes Feb 28 in a common year)."""
    return add_months(day, 12 * years)


def date_span(partial: str | None) -> tuple[date, date] | None:
    """The days a partial date can mean: '2011' is 2011-01-01..2011-12-31."""
    if not partial:
        return None
    year = int(partial[:4])
    if len(partial) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(partial[5:7])
    if len(partial) == 7:
        last = date(year + month // 12, month % 12 + 1, 1) - date.resolution
        return date(year, month, 1), last
    day = date.fromisoformat(partial)
    return day, day


def _iso_text_only(value: object) -> object:
    """Refuse bare numbers: pydantic would read 0 or '0.5' as a Unix time, which no client means by it."""
    numeric_text = isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit()
    if numeric_text or isinstance(value, int | float):
        raise ValueError("use an ISO 8601 date and time, such as 2026-01-31 or 2026-01-31T08:00:00Z")
    return value


def _within_the_calendar(value: datetime) -> datetime:
    """Refuse a time whose UTC equivalent leaves years 1–9999 (0001-01-01T00:00:00+00:01 is year 0).

    Every query compares in UTC; converting such a value raised OverflowError deep in a query (a 500).
    """
    if value.tzinfo is not None:
        try:
            value.astimezone(UTC)
        except OverflowError:
            raise ValueError("this date and time falls outside the years 1 to 9999 in UTC") from None
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_text_only), AfterValidator(_within_the_calendar)]
IsoDate = Annotated[date, BeforeValidator(_iso_text_only)]
"""A date-time written in ISO 8601, as the OpenAPI `date-time` format says (not a Unix time)."""
