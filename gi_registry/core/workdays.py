"""Statutory clocks count working days: China's public holidays and make-up working days (调休) apply."""

from datetime import date, timedelta

import chinese_calendar


def is_workday(day: date) -> bool:
    """Whether `day` is a working day; outside the calendar's published years, Monday to Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # The State Council publishes each year's holidays late in the previous year.
        return day.weekday() < 5


def add_workdays(start: date, workdays: int) -> date:
    """The day on which `workdays` working days after `start` have passed (start itself not counted)."""
    day = start
    remaining = workdays
    while remaining > 0:
        day += timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day
