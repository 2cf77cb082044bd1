"""The 10-year trademark term, the 12-month renewal window and the 6-month grace period."""

from datetime import date

import pytest

from gi_registry.core.dates import add_months, add_years, exact_date, partial_year
from gi_registry.indications.models import TrademarkTermStatus
from gi_registry.indications.terms import trademark_term


def test_term_dates_for_a_known_registration_date() -> None:
    term = trademark_term("2012-03-14", today=date(2015, 1, 1))
    assert term.status == TrademarkTermStatus.in_term
    assert term.term_start == date(2012, 3, 14)
    assert term.term_end == date(2022, 3, 13)
    assert term.renewal_opens == date(2021, 3, 14)
    assert term.grace_ends == date(2022, 9, 13)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2021, 3, 13), TrademarkTermStatus.in_term),
        (date(2021, 3, 14), TrademarkTermStatus.renewal_window),
        (date(2022, 3, 13), TrademarkTermStatus.renewal_window),
        (date(2022, 3, 14), TrademarkTermStatus.grace_period),
        (date(2022, 9, 13), TrademarkTermStatus.grace_period),
        (date(2022, 9, 14), TrademarkTermStatus.lapsed),
    ],
)
def test_status_changes_exactly_at_each_boundary(today: date, status: TrademarkTermStatus) -> None:
    assert trademark_term("2012-03-14", today=today).status == status


def test_recorded_renewal_moves_the_term_forward() -> None:
    term = trademark_term("2012-03-14", today=date(2023, 1, 1), renewed_through=date(2032, 3, 13))
    assert term.status == TrademarkTermStatus.in_term
    assert term.term_start == date(2022, 3, 14)
    assert term.renewal_opens == date(2031, 3, 14)
    assert term.grace_ends == date(2032, 9, 13)


def test_leap_day_registration() -> None:
    term = trademark_term("2008-02-29", today=date(2010, 1, 1))
    assert term.term_end == date(2018, 2, 27)
    assert term.grace_ends == date(2018, 8, 27)


@pytest.mark.parametrize("registration", [None, "2012", "2016-11"])
def test_unknown_or_partial_date_gives_unknown_never_a_guess(registration: str | None) -> None:
    term = trademark_term(registration, today=date(2026, 11, 25))
    assert term.status == TrademarkTermStatus.unknown
    assert term.term_end is None and term.renewal_opens is None and term.grace_ends is None
    assert term.reason


def test_partial_date_helpers() -> None:
    assert exact_date("2008-11-03") == date(2008, 11, 3)
    assert exact_date("2008-11") is None
    assert partial_year("2016-11") == 2016
    assert partial_year(None) is None
    assert add_months(date(2021, 1, 31), 1) == date(2021, 2, 28)
    assert add_years(date(2020, 2, 29), 1) == date(2021, 2, 28)
