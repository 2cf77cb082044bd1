"""The special-mark application's steps in one table: (kind, state, step) → next state, and who takes it.

A first application goes through the initial review of the city or county bureau with authority for the
GI and then the provincial review, which approves and announces. A change application is decided by the
initial-review bureau alone. Either level may ask for corrections (补正), which stops its clock; the
producer's resubmission brings the file back to the level that asked, whose clock starts again.
"""

from gi_registry.core.errors import InvalidTransition
from gi_registry.labels.mark_models import ApplicationKind, MarkApplicationStatus, MarkStep

S = MarkApplicationStatus
FIRST, CHANGE = ApplicationKind.first_use, ApplicationKind.change

# Who takes a step: the bureau with authority for the initial review, the provincial bureau, the producer.
INITIAL, PROVINCE, PRODUCER = "initial", "province", "producer"

TRANSITIONS: dict[
    tuple[ApplicationKind, MarkApplicationStatus, MarkStep], tuple[MarkApplicationStatus, str]
] = {}
for kind in (FIRST, CHANGE):
    TRANSITIONS |= {
        (kind, S.submitted, MarkStep.accept): (S.initial_review, INITIAL),
        (kind, S.submitted, MarkStep.not_accept): (S.not_accepted, INITIAL),
        (kind, S.initial_review, MarkStep.request_corrections): (S.initial_corrections, INITIAL),
        (kind, S.initial_review, MarkStep.refuse): (S.refused, INITIAL),
        (kind, S.initial_corrections, MarkStep.resubmit): (S.initial_review, PRODUCER),
    }
TRANSITIONS |= {
    (FIRST, S.initial_review, MarkStep.forward): (S.provincial_review, INITIAL),
    (FIRST, S.provincial_review, MarkStep.approve): (S.approved, PROVINCE),
    (FIRST, S.provincial_review, MarkStep.refuse): (S.refused, PROVINCE),
    (FIRST, S.provincial_review, MarkStep.request_corrections): (S.provincial_corrections, PROVINCE),
    (FIRST, S.provincial_corrections, MarkStep.resubmit): (S.provincial_review, PRODUCER),
    (CHANGE, S.initial_review, MarkStep.approve): (S.approved, INITIAL),
}

OPEN_STATES = {
    S.submitted,
    S.initial_review,
    S.initial_corrections,
    S.provincial_review,
    S.provincial_corrections,
}
INITIAL_STATES = {S.submitted, S.initial_review, S.initial_corrections}
WAITING_FOR_PRODUCER = {S.initial_corrections, S.provincial_corrections}
# Steps that need an on-site check on file that found the producer conforming.
NEEDS_SITE_CHECK = {(FIRST, MarkStep.forward), (CHANGE, MarkStep.approve)}
INITIAL_WORKING_DAYS = 10


def steps_from(
    kind: ApplicationKind, state: MarkApplicationStatus, actor: str | None = None
) -> list[MarkStep]:
    """The steps the table allows from this state, for one kind of actor or for all."""
    return [
        step
        for (k, s, step), (_target, who) in TRANSITIONS.items()
        if k == kind and s == state and (actor is None or who == actor)
    ]


def next_state(
    kind: ApplicationKind, state: MarkApplicationStatus, step: MarkStep
) -> tuple[MarkApplicationStatus, str]:
    """The state after `step` and who takes it, or InvalidTransition naming both states."""
    if (kind, state, step) in TRANSITIONS:
        return TRANSITIONS[(kind, state, step)]
    target = next((new for (k, _s, s), (new, _who) in TRANSITIONS.items() if k == kind and s == step), None)
    wanted = f"to {target.value}" if target else f"by '{step.value}'"
    allowed = [s.value for s in steps_from(kind, state)]
    options = (
        f"from {state.value} the allowed steps are: {', '.join(allowed)}"
        if allowed
        else f"{state.value} is final"
    )
    raise InvalidTransition(f"An application cannot go from {state.value} {wanted}; {options}.")
