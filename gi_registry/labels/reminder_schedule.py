"""The daily run: reminders before and after each deadline, and the officials' weekly digest.

Each message's key names (recipient, deadline, offset), so running twice on one day, or after a restart,
adds nothing. A day the scheduler did not run is caught up by the latest offset passed, not by every one.
Here, beside the deadlines it reads, rather than in `reminders`: reminders (the outbox) sits below labels,
which write to it; the outbox loop is handed this `schedule` by the app.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from gi_registry.auth.models import ReviewLevel, Role, User
from gi_registry.geo.models import AdminArea
from gi_registry.labels.deadlines import Deadline, DeadlineKind, deadlines
from gi_registry.labels.mark_models import MarkApplication, MarkApplicationStatus
from gi_registry.labels.models import Renewal, RenewalStatus
from gi_registry.reminders.models import MessageKind
from gi_registry.reminders.service import enqueue_for_user, reachable

# Days before (negative) and on the due date; after it, every WEEKLY days while it stays overdue.
BEFORE = (-30, -7, 0)
WEEKLY = 7
PRODUCER_DEADLINES = {
    DeadlineKind.usage_report: MessageKind.usage_report,
    DeadlineKind.label_switch: MessageKind.label_switch,
    DeadlineKind.rectification: MessageKind.rectification,
}


def offset_due(due: date, today: date) -> int | None:
    """The latest reminder point passed by `today` (days relative to `due`), or None before the first."""
    days = (today - due).days
    if days < BEFORE[0]:
        return None
    if days <= 0:
        return max(point for point in BEFORE if point <= days)
    return (days // WEEKLY) * WEEKLY


@dataclass
class ScheduleResult:
    """What one run queued."""

    reminders: int = 0
    digests: int = 0


def _queue(session: Session, user: User, kind: MessageKind, key: str, params: dict) -> int:
    """Queue and commit one message; 1 if it was new."""
    try:
        added = enqueue_for_user(session, user, kind, key, params)
        session.commit()
        return int(added)
    except IntegrityError:
        session.rollback()  # another scheduler run queued the same key first: that one stands
        return 0


def _deadline_params(item: Deadline, offset: int) -> dict:
    return {
        "due": item.due.isoformat(),
        "offset": offset,
        "producer": item.producer_name_zh,
        "ref": item.ref,
        **({"audit_id": item.detail["id"]} if item.kind == DeadlineKind.rectification else {}),
    }


def schedule(session: Session, *, today: date, include_synthetic: bool) -> ScheduleResult:
    """Queue today's reminders and, once per ISO week, each official's digest.

    Demo (synthetic) producers and accounts get nothing unless `include_synthetic` (GI_DEMO_MODE).
    """
    result = ScheduleResult()
    items = deadlines(session, today=today, within_days=-BEFORE[0], include_synthetic=include_synthetic)
    producer_users: dict[int, list[User]] = {}
    for user in session.exec(select(User).where(User.role == Role.producer).order_by(User.id)):
        if user.producer_id is not None and (include_synthetic or not user.synthetic):
            producer_users.setdefault(user.producer_id, []).append(user)
    for item in items:
        kind = PRODUCER_DEADLINES.get(item.kind)
        offset = offset_due(item.due, today)
        if kind is None or offset is None or item.producer_id is None:
            continue
        key = f"deadline:{item.kind.value}:{item.ref}:{item.due.isoformat()}:{offset}"
        for user in producer_users.get(item.producer_id, []):
            params = _deadline_params(item, offset)
            result.reminders += _queue(session, user, kind, key, params)
    result.reminders += _waiting_answers(session, today=today, producer_users=producer_users)
    result.digests = _digests(session, today=today, items=items, include_synthetic=include_synthetic)
    return result


@dataclass(frozen=True)
class _Waiting:
    """An application returned to its producer and not yet answered."""

    key: str  # unique per application kind and id: renewals and special-mark applications number apart
    producer_id: int
    returned_on: date
    params: dict


def _waiting(session: Session) -> list[_Waiting]:
    """Renewals returned, and special-mark applications whose bureau asked for corrections (补正)."""
    found = [
        _Waiting(
            key=str(renewal.id),
            producer_id=renewal.producer_id,
            returned_on=renewal.decided_at.date(),
            params={
                "id": renewal.id,
                "status": RenewalStatus.returned.value,
                "reason": renewal.decision_reason,
            },
        )
        for renewal in session.exec(select(Renewal).where(Renewal.status == RenewalStatus.returned))
        if renewal.decided_at is not None
    ]
    asked = (MarkApplicationStatus.initial_corrections, MarkApplicationStatus.provincial_corrections)
    for application in session.exec(select(MarkApplication).where(MarkApplication.status.in_(asked))):
        if application.last_reason_on is None:
            continue
        found.append(
            _Waiting(
                key=f"mark:{application.id}",
                producer_id=application.producer_id,
                returned_on=application.last_reason_on,
                params={
                    "id": application.id,
                    "path": f"/producer/mark-applications/{application.id}",
                    "status": application.status.value,
                    "status_enum": "MarkApplicationStatus",
                    "reason": application.last_reason,
                },
            )
        )
    return found


def _waiting_answers(session: Session, *, today: date, producer_users: dict[int, list[User]]) -> int:
    """A returned application waits for the producer's answer: a reminder every week it still waits."""
    queued = 0
    for waiting in _waiting(session):
        days = (today - waiting.returned_on).days
        if days < WEEKLY:
            continue  # the return itself was told when it happened
        offset = (days // WEEKLY) * WEEKLY
        key = f"waiting:{waiting.key}:{waiting.returned_on.isoformat()}:{offset}"
        params = {**waiting.params, "returned_on": waiting.returned_on.isoformat(), "days": offset}
        for user in producer_users.get(waiting.producer_id, []):
            queued += _queue(session, user, MessageKind.application_returned, key, params)
    return queued


def _digests(session: Session, *, today: date, items: list[Deadline], include_synthetic: bool) -> int:
    year, week, _ = today.isocalendar()
    label = f"{year}-W{week:02d}"
    overdue = [d for d in items if d.overdue]
    areas = {a.code: a for a in session.exec(select(AdminArea))}
    queued = 0
    officials = session.exec(select(User).where(User.role.in_((Role.official, Role.admin))).order_by(User.id))
    for user in officials:
        if user.synthetic and not include_synthetic:
            continue
        contact = reachable(session, user, MessageKind.weekly_digest)
        if contact is None:
            continue
        # A county bureau's official sees only its county (the accounts' scoping rule); others choose one.
        county = user.area_code if user.level == ReviewLevel.county else contact.county_code
        mine = [d for d in overdue if county is None or d.county_code == county]
        area = areas.get(county) if county else None
        params = {
            "week": label,
            "county": county,
            "county_zh": area.name_zh if area else None,
            "county_en": area.name_en if area else None,
            "items": [
                {"kind": d.kind.value, "due": d.due.isoformat(), "producer": d.producer_name_zh}
                for d in mine[:200]
            ],
        }
        key = f"digest:{label}:{county or 'all'}"
        queued += _queue(session, user, MessageKind.weekly_digest, key, params)
    return queued
