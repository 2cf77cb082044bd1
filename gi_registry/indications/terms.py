"""The term of a Chinese trademark: 10 years from registration, renewable in the last 12 months,
with 6 months of grace after expiry (Trademark Law arts. 39-40); after that it lapses."""

from datetime import date, timedelta

from gi_registry.core.dates import add_months, add_years, exact_date
from gi_registry.indications.models import TrademarkTerm, TrademarkTermStatus

TERM_YEARS = 10
RENEWAL_WINDOW_MONTHS = 12
GRACE_MONTHS = 6


def trademark_term(
    registration_date: str | None, today: date, renewed_through: date | None = None
) -> TrademarkTerm:
    """The current term and where `today` falls in it; unknown unless the registration day is known."""
    registered = exact_date(registration_date)
    if registered is None:
        reason = (
            "registration date unknown"
            if registration_date is None
            else f"registration date known only as {registration_date}"
        )
        return TrademarkTerm(status=TrademarkTermStatus.unknown, reason=reason)

    # Each renewal adds 10 years counted from the day after the previous term ends (art. 40).
    term_end = renewed_through or add_years(registered, TERM_YEARS) - timedelta(days=1)
    term_start = add_years(term_end + timedelta(days=1), -TERM_YEARS)
    renewal_opens = add_months(term_end + timedelta(days=1), -RENEWAL_WINDOW_MONTHS)
    grace_ends = add_months(term_end, GRACE_MONTHS)

    if today < renewal_opens:
        status = TrademarkTermStatus.in_term
    elif today <= term_end:
        status = TrademarkTermStatus.renewal_window
    elif today <= grace_ends:
        status = TrademarkTermStatus.grace_period
    else:
        status = TrademarkTermStatus.lapsed
    return TrademarkTerm(
        status=status,
        term_start=term_start,
        term_end=term_end,
        renewal_opens=renewal_opens,
        grace_ends=grace_ends,
        reason=None if renewed_through else "computed from the registration date; no renewal on record",
    )
