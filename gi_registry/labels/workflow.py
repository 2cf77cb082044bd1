"""The renewal workflow: one table of allowed steps; anything else is refused with both states named."""

from gi_registry.core.errors import InvalidTransition
from gi_registry.labels.models import Decision, RenewalStatus

RESUBMIT = "resubmit"

TRANSITIONS: dict[tuple[RenewalStatus, str], RenewalStatus] = {
    (RenewalStatus.submitted, Decision.review): RenewalStatus.under_review,
    (RenewalStatus.submitted, Decision.return_): RenewalStatus.returned,
    (RenewalStatus.under_review, Decision.approve): RenewalStatus.approved,
    (RenewalStatus.under_review, Decision.reject): RenewalStatus.rejected,
    (RenewalStatus.under_review, Decision.return_): RenewalStatus.returned,
    (RenewalStatus.returned, RESUBMIT): RenewalStatus.submitted,
}
OPEN_STATES = {RenewalStatus.submitted, RenewalStatus.under_review}
REVIEW_WORKING_DAYS = 10


def next_status(current: RenewalStatus, step: str) -> RenewalStatus:
    """The state after `step`, or InvalidTransition naming the current and the requested state."""
    if (current, step) in TRANSITIONS:
        return TRANSITIONS[(current, step)]
    target = next((new for (_state, s), new in TRANSITIONS.items() if s == step), None)
    allowed = sorted(str(getattr(s, "value", s)) for (state, s) in TRANSITIONS if state == current)
    wanted = f"to {target.value}" if target else f"by '{getattr(step, 'value', step)}'"
    options = (
        f"from {current.value} the allowed steps are: {', '.join(allowed)}"
        if allowed
        else (f"{current.value} is final")
    )
    raise InvalidTransition(f"An application cannot go from {current.value} {wanted}; {options}.")
