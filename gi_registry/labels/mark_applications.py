"""Applications to use the GI special mark: filing, the two levels of review, on-site checks, corrections
and the provincial announcement that makes the producer an authorized user.

Who sees what: a producer its own applications; a county official its county's (and those whose on-site
check was delegated to its county); a city or provincial official, and an administrator, all. Who acts:
the bureau with authority for the initial review (the application's `initial_level` and area), the
provincial bureau for the provincial steps, the producer to resubmit. Every rule is checked here, so the
API and the pages cannot differ.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from gi_registry.auth.models import ReviewLevel, Role, User, actor_of
from gi_registry.core.errors import Conflict, Forbidden, InvalidParameter, InvalidUpload, NotFound
from gi_registry.core.workdays import add_workdays
from gi_registry.documents import files
from gi_registry.documents.models import Document, DocumentPublic
from gi_registry.geo import service as geo_service
from gi_registry.history.models import utcnow
from gi_registry.history.service import ChangeSet, apply_changes
from gi_registry.indications.models import Indication, Protection, ProtectionKind, ReviewBureau
from gi_registry.labels import authorizations, notices, renewals
from gi_registry.labels.mark_models import (
    CITY_CODE,
    TRADEMARK_BASES,
    AnnouncedUser,
    Announcement,
    AnnouncementPublic,
    ApplicationKind,
    DelegationIn,
    MarkApplication,
    MarkApplicationPublic,
    MarkApplicationStatus,
    MarkClock,
    MarkStep,
    MarkStepIn,
    NoticeKind,
    RequestedChanges,
    SiteCheck,
    SiteCheckIn,
    SiteCheckOutcome,
    SiteCheckPublic,
    UserBasis,
)
from gi_registry.labels.mark_workflow import (
    INITIAL,
    INITIAL_STATES,
    INITIAL_WORKING_DAYS,
    NEEDS_SITE_CHECK,
    OPEN_STATES,
    PRODUCER,
    PROVINCE,
    next_state,
    steps_from,
)
from gi_registry.labels.models import AuthorizationCreate
from gi_registry.labels.renewals import Upload
from gi_registry.producers.models import AuthorizationStatus, LabelVersion, LinkRole, Producer, ProducerLink
from gi_registry.reminders import service as reminders
from gi_registry.reminders.models import MessageKind
from gi_registry.sources.models import Confidence, SourceIn

APPLICATION, SITE_CHECK, ANNOUNCEMENT = "mark_application", "site_check", "announcement"
PROVINCIAL_BUREAU = "湖南省市场监督管理局"
CITY_BUREAU = "岳阳市市场监督管理局"
S = MarkApplicationStatus


@dataclass(frozen=True)
class ApplicationIn:
    """What a producer (or an official on its behalf) files."""

    kind: ApplicationKind
    indication_id: int
    producer_id: int | None = None
    basis: UserBasis | None = None
    changes: RequestedChanges | None = None
    lang: str = "zh"


@dataclass(frozen=True)
class Budget:
    """Where files go and how large one may be."""

    upload_root: Path
    max_bytes: int


# --- who may see and act ---------------------------------------------------------------------------------


def _level(user: User) -> ReviewLevel | None:
    if user.role == Role.official:
        return user.level or ReviewLevel.city
    return None


def _area(user: User) -> str:
    return user.area_code or CITY_CODE


def can_see(user: User, application: MarkApplication) -> bool:
    """The scoping rule of the module docstring."""
    if user.role == Role.admin:
        return True
    if user.role == Role.producer:
        return application.producer_id == user.producer_id
    if _level(user) == ReviewLevel.county:
        return _area(user) in (application.county_code, application.site_check_delegated_to)
    return True


def roles_for(user: User, application: MarkApplication) -> set[str]:
    """Which of the workflow's actors this user is for this application."""
    if user.role == Role.admin:
        return {INITIAL, PROVINCE}
    if user.role == Role.producer:
        return {PRODUCER} if application.producer_id == user.producer_id else set()
    level = _level(user)
    if level == ReviewLevel.province:
        return {PROVINCE}
    if level == application.initial_level and (
        level == ReviewLevel.city or _area(user) == application.county_code
    ):
        return {INITIAL}
    return set()


def may_record_site_check(user: User, application: MarkApplication) -> bool:
    """The initial-review bureau, or the county it delegated the check to, while the file is at that level."""
    if application.status not in INITIAL_STATES - {S.submitted}:
        return False
    if INITIAL in roles_for(user, application):
        return True
    return _level(user) == ReviewLevel.county and _area(user) == application.site_check_delegated_to


def may_delegate(user: User, application: MarkApplication) -> bool:
    """Only a city bureau delegates, and only while the file is in its initial review."""
    return (
        application.initial_level == ReviewLevel.city
        and application.status in INITIAL_STATES - {S.submitted}
        and INITIAL in roles_for(user, application)
    )


def allowed_steps(user: User, application: MarkApplication) -> list[MarkStep]:
    """The steps this user may take now (without the producer's resubmission, which has its own form)."""
    roles = roles_for(user, application) - {PRODUCER}
    return [s for role in sorted(roles) for s in steps_from(application.kind, application.status, role)]


# --- reading ---------------------------------------------------------------------------------------------


def get_application(session: Session, application_id: int, user: User) -> MarkApplication:
    """An application the user may see; any other is NotFound, so ids do not reveal what exists."""
    application = session.get(MarkApplication, application_id)
    if application is None or not can_see(user, application):
        raise NotFound(f"No special-mark application with id {application_id} that you can see.")
    return application


def list_applications(
    session: Session,
    user: User,
    status: MarkApplicationStatus | None = None,
    *,
    include_synthetic: bool = True,
) -> list[MarkApplication]:
    """The applications the user may see, oldest first; demo producers' only with `include_synthetic`."""
    query = select(MarkApplication).order_by(MarkApplication.id)
    if user.role == Role.producer:
        query = query.where(MarkApplication.producer_id == user.producer_id)
    else:
        if not include_synthetic:
            query = query.where(MarkApplication.synthetic == False)  # noqa: E712 - SQL expression
        if _level(user) == ReviewLevel.county:
            area = _area(user)
            query = query.where(
                or_(MarkApplication.county_code == area, MarkApplication.site_check_delegated_to == area)
            )
    if status is not None:
        query = query.where(MarkApplication.status == status)
    return list(session.exec(query).all())


def clock(application: MarkApplication, today: date) -> MarkClock:
    """The clock of the level that has the file; the rules set no period for the provincial review."""
    status = application.status
    level = (
        application.initial_level
        if status in INITIAL_STATES
        else (ReviewLevel.province if status in OPEN_STATES else None)
    )
    running = application.review_due is not None and status in OPEN_STATES
    return MarkClock(
        level=level,
        review_due=application.review_due if running else None,
        working_days=INITIAL_WORKING_DAYS if status in INITIAL_STATES else None,
        running=running,
        overdue=running and today > application.review_due,
    )


def notices_available(application: MarkApplication) -> list[NoticeKind]:
    """The notices whose facts the application now has."""
    available = []
    if application.accepted_on is not None:
        available.append(NoticeKind.acceptance)
    if application.status == S.not_accepted:
        available.append(NoticeKind.non_acceptance)
    if application.last_reason_on is not None and application.status in (
        S.initial_corrections,
        S.provincial_corrections,
        S.refused,
    ):
        available.append(NoticeKind.review_opinions)
    return available


def _documents(session: Session, **where: int) -> list[DocumentPublic]:
    query = select(Document).order_by(Document.id)
    for name, value in where.items():
        query = query.where(getattr(Document, name) == value)
    return [DocumentPublic.model_validate(d, from_attributes=True) for d in session.exec(query).all()]


def to_public(session: Session, application: MarkApplication, today: date) -> MarkApplicationPublic:
    """An application with its names, clock, documents, on-site checks and available notices."""
    producer = session.get(Producer, application.producer_id)
    indication = session.get(Indication, application.indication_id)
    checks = session.exec(
        select(SiteCheck).where(SiteCheck.application_id == application.id).order_by(SiteCheck.id)
    ).all()
    own_documents = session.exec(
        select(Document)
        .where(Document.mark_application_id == application.id, Document.site_check_id == None)  # noqa: E711
        .order_by(Document.id)
    ).all()
    return MarkApplicationPublic(
        **application.model_dump(
            include=set(MarkApplicationPublic.model_fields)
            - {"clock", "documents", "site_checks", "notices", "producer_name_zh"}
            - {"indication_slug", "indication_name_zh"}
        ),
        producer_name_zh=producer.name_zh,
        indication_slug=indication.slug,
        indication_name_zh=indication.name_zh,
        clock=clock(application, today),
        documents=[DocumentPublic.model_validate(d, from_attributes=True) for d in own_documents],
        site_checks=[
            SiteCheckPublic(
                **check.model_dump(include=set(SiteCheckPublic.model_fields) - {"photos"}),
                photos=_documents(session, site_check_id=check.id),
            )
            for check in checks
        ],
        notices=notices_available(application),
    )


# --- filing ----------------------------------------------------------------------------------------------


def _store(
    session: Session,
    checked: list[files.CheckedFile],
    *,
    application: MarkApplication,
    user: User,
    root: Path,
    written: list[Path],
    site_check_id: int | None = None,
) -> None:
    files.attach(
        session, root, checked, owner_producer_id=application.producer_id, uploaded_by=user.id,
        written=written, mark_application_id=application.id, site_check_id=site_check_id,
    )  # fmt: skip


_commit_or_remove = files.commit_or_remove


def _protection_kinds(session: Session, indication_id: int) -> set[ProtectionKind]:
    return set(session.exec(select(Protection.kind).where(Protection.indication_id == indication_id)).all())


def _authorization(session: Session, producer_id: int, indication_id: int) -> ProducerLink | None:
    return session.exec(
        select(ProducerLink).where(
            ProducerLink.producer_id == producer_id,
            ProducerLink.indication_id == indication_id,
            ProducerLink.role == LinkRole.authorized_user,
        )
    ).first()


def _check_filing(session: Session, user: User, filing: ApplicationIn, today: date) -> Producer:
    """Every rule a filing must meet before anything is written; returns the producer it is for."""
    if user.role == Role.producer:
        if filing.producer_id not in (None, user.producer_id):
            raise Forbidden("You can apply only for your own producer.")
        producer_id = user.producer_id
    elif user.role in (Role.official, Role.admin):
        if filing.producer_id is None:
            raise InvalidParameter("Name the producer this application is filed for (producer_id).")
        producer_id = filing.producer_id
    else:
        raise Forbidden("This needs a producer's or an official's account.")
    producer = session.get(Producer, producer_id) if producer_id else None
    if producer is None:
        raise InvalidParameter(f"There is no producer with id {producer_id}.")
    if session.get(Indication, filing.indication_id) is None:
        raise InvalidParameter(f"There is no GI product with id {filing.indication_id}.")
    if filing.lang not in ("zh", "en"):
        raise InvalidParameter("The applicant's language is zh or en.")
    existing = _authorization(session, producer.id, filing.indication_id)
    kinds = _protection_kinds(session, filing.indication_id)
    if filing.kind == ApplicationKind.first_use:
        if filing.basis is None:
            raise InvalidParameter("Say on what basis the producer may use the mark (basis).")
        needed = (
            ProtectionKind.gi_trademark
            if filing.basis in TRADEMARK_BASES
            else ProtectionKind.gi_protected_product
        )
        if needed not in kinds:
            raise InvalidParameter(
                f"This GI has no {needed.value} protection on record, so the basis {filing.basis.value} "
                "does not apply to it."
            )
        if existing is not None and authorizations.effective_status(existing, today) in (
            AuthorizationStatus.active,
            AuthorizationStatus.switch_required,
            AuthorizationStatus.suspended,
        ):
            raise Conflict(
                "This producer already holds an authorization for this GI; apply to renew or change it "
                "instead of applying for a first use."
            )
    else:
        if existing is None or existing.status == AuthorizationStatus.revoked:
            raise Conflict("A change application needs an authorization for this GI that is not revoked.")
        if filing.changes is None or not filing.changes.model_dump(exclude_none=True):
            raise InvalidParameter(
                "Say what changes: name, address, unified social credit code or legal representative."
            )
    open_now = session.exec(
        select(func.count())
        .select_from(MarkApplication)
        .where(
            MarkApplication.producer_id == producer.id,
            MarkApplication.indication_id == filing.indication_id,
            MarkApplication.kind == filing.kind,
            MarkApplication.status.in_(OPEN_STATES),
        )
    ).one()
    if open_now:
        raise Conflict(
            "An application of this kind for this GI is already open; answer or wait for that one."
        )
    return producer


def _initial_level(session: Session, filing: ApplicationIn) -> ReviewLevel:
    """The bureau the protection announcement names for the initial review; the city's when not on record."""
    kinds = (
        [ProtectionKind.gi_trademark]
        if filing.basis in TRADEMARK_BASES
        else [ProtectionKind.gi_protected_product, ProtectionKind.gi_trademark]
    )
    bureaus = session.exec(
        select(Protection.initial_review_bureau).where(
            Protection.indication_id == filing.indication_id, Protection.kind.in_(kinds)
        )
    ).all()
    return ReviewLevel.county if ReviewBureau.county in bureaus else ReviewLevel.city


def submit(
    session: Session,
    *,
    user: User,
    filing: ApplicationIn,
    uploads: list[Upload],
    evidence: list[Upload],
    idempotency_key: str | None,
    budget: Budget,
    today: date,
) -> tuple[MarkApplication, bool]:
    """File an application with its documents; returns it and whether the request was a replay.

    A GI trademark's user files the membership or licence evidence too (`evidence`), because the licence
    is filed with the trademark office before the special-mark application.
    """
    if idempotency_key is not None:
        earlier = session.exec(
            select(MarkApplication).where(
                MarkApplication.submitted_by == user.id, MarkApplication.idempotency_key == idempotency_key
            )
        ).first()
        if earlier is not None:
            if (earlier.kind, earlier.indication_id) != (filing.kind, filing.indication_id):
                raise InvalidParameter("This Idempotency-Key was already used for another application.")
            return earlier, True
    producer = _check_filing(session, user, filing, today)
    if filing.kind == ApplicationKind.first_use and filing.basis in TRADEMARK_BASES and not evidence:
        raise InvalidUpload(
            "Attach the membership or licence evidence (a GI trademark's users are its registrant's members "
            "or licensees filed with the trademark office)."
        )
    checked = renewals.check_uploads(uploads + evidence, budget.max_bytes, required=True)
    application = MarkApplication(
        kind=filing.kind,
        producer_id=producer.id,
        indication_id=filing.indication_id,
        basis=filing.basis if filing.kind == ApplicationKind.first_use else None,
        requested_changes=filing.changes.model_dump(exclude_none=True) if filing.changes else {},
        status=S.submitted,
        county_code=producer.county_code,
        initial_level=_initial_level(session, filing),
        review_due=add_workdays(today, INITIAL_WORKING_DAYS),
        lang=filing.lang,
        submitted_by=user.id,
        filed_by_official=user.role != Role.producer,
        idempotency_key=idempotency_key,
        synthetic=producer.synthetic,
    )
    written: list[Path] = []
    try:
        session.add(application)
        session.flush()
        _store(session, checked, application=application, user=user, root=budget.upload_root, written=written)
        filed = ChangeSet(actor=actor_of(user), reason="special-mark application filed")
        snapshot = application.model_dump(mode="json", exclude={"idempotency_key"})
        filed.created(session, APPLICATION, application.id, snapshot)
        _notify(session, application, S.submitted, filed.id)
        _commit_or_remove(session, written)
    except IntegrityError:
        session.rollback()
        for path in written:
            files.forget_if_unused(session, path)
        if idempotency_key is None:
            raise
        earlier = session.exec(
            select(MarkApplication).where(
                MarkApplication.submitted_by == user.id, MarkApplication.idempotency_key == idempotency_key
            )
        ).one()
        return earlier, True
    session.refresh(application)
    return application, False


def _notify(
    session: Session, application: MarkApplication, status: MarkApplicationStatus, event_id: str
) -> None:
    """The producer's accounts hear of the filing, a request for corrections and the decision, in the same
    transaction as the step (the outbox); acceptance and forwarding are steps of the bureaus' own."""
    params: dict = {
        "id": application.id,
        "path": f"/producer/mark-applications/{application.id}",
        "status": status.value,
        "status_enum": "MarkApplicationStatus",
        "reason": application.last_reason,
    }
    if status in (S.submitted, S.initial_review, S.provincial_review) and application.review_due:
        kind = MessageKind.application_received
        params["review_due"] = application.review_due.isoformat()
    elif status in (S.initial_corrections, S.provincial_corrections):
        kind = MessageKind.application_returned
    elif status in (S.approved, S.refused, S.not_accepted):
        kind = MessageKind.application_decided
    else:
        return
    reminders.enqueue_event(
        session, kind=kind, producer_id=application.producer_id, event_id=f"mark:{event_id}", params=params
    )


# --- the steps -------------------------------------------------------------------------------------------


def _move(
    session: Session, application: MarkApplication, target: MarkApplicationStatus, values: dict
) -> None:
    """Change the state only if no one changed it meanwhile: of two racing officials exactly one wins."""
    result = session.exec(
        update(MarkApplication)
        .where(MarkApplication.id == application.id, MarkApplication.status == application.status)
        .values(status=target, **values)
    )
    if result.rowcount != 1:
        session.rollback()
        raise Conflict("The application changed while you were deciding; reload it and decide again.")


def _conforming_check(session: Session, application_id: int) -> bool:
    latest = session.exec(
        select(SiteCheck).where(SiteCheck.application_id == application_id).order_by(SiteCheck.id.desc())
    ).first()
    return latest is not None and latest.outcome == SiteCheckOutcome.conforms


def take_step(
    session: Session, *, application_id: int, step_in: MarkStepIn, user: User, today: date
) -> MarkApplication:
    """An official's step (accept or not, ask for corrections, forward, approve, refuse): one transaction."""
    application = get_application(session, application_id, user)
    if step_in.step == MarkStep.resubmit:
        raise InvalidParameter("A resubmission is the producer's, with its documents (POST …/resubmit).")
    target, actor = next_state(application.kind, application.status, step_in.step)
    if actor not in roles_for(user, application):
        raise Forbidden(
            "This step is the "
            + (
                "provincial bureau's"
                if actor == PROVINCE
                else "bureau's with authority for the initial review"
            )
            + "; your account is not at that level or area."
        )
    if (application.kind, step_in.step) in NEEDS_SITE_CHECK and not _conforming_check(
        session, application.id
    ):
        raise Conflict("Record an on-site check that found the producer conforming before this step.")
    before = application.status
    level = ReviewLevel.province if actor == PROVINCE else application.initial_level
    values: dict = {"last_reason": step_in.reason, "last_reason_on": today, "last_reason_level": level}
    if step_in.step == MarkStep.accept:
        values["accepted_on"] = today
    if target in (S.initial_corrections, S.provincial_corrections):
        values["review_due"] = None  # 补正 stops the clock until the producer answers
    elif target == S.provincial_review:
        values["review_due"] = None  # the rules give the provincial review no period
    if target in (S.approved, S.refused, S.not_accepted):
        values["decided_at"] = utcnow()
    changes = ChangeSet(actor=actor_of(user), reason=step_in.reason)
    if step_in.step == MarkStep.approve and application.kind == ApplicationKind.first_use:
        values["announcement_id"] = _announce(session, application, step_in, user, changes, today)
    elif step_in.step == MarkStep.approve:
        _apply_requested_changes(session, application, changes)
    _move(session, application, target, values)
    changes.changed(session, APPLICATION, application.id, "status", before.value, target.value)
    if target not in (S.initial_review, S.provincial_review):  # not the bureaus' own steps
        session.flush()
        session.refresh(application)
        _notify(session, application, target, changes.id)
    session.commit()
    session.refresh(application)
    return application


def _announce(
    session: Session,
    application: MarkApplication,
    step_in: MarkStepIn,
    user: User,
    changes: ChangeSet,
    today: date,
) -> int:
    """The announcement (found by number or created) and the authorization it is the source of."""
    if not step_in.announcement_number or step_in.announced_on is None:
        raise InvalidParameter("Approval names the announcement: its number and date.")
    if step_in.announced_on > today:
        raise InvalidParameter("An announcement's date cannot be in the future.")
    announcement = session.exec(
        select(Announcement).where(Announcement.number == step_in.announcement_number)
    ).first()
    if announcement is None:
        announcement = Announcement(
            number=step_in.announcement_number,
            announced_on=step_in.announced_on,
            indication_id=application.indication_id,
            issued_by=PROVINCIAL_BUREAU,
            recorded_by=user.id,
            synthetic=application.synthetic,
        )
        session.add(announcement)
        session.flush()
        changes.created(session, ANNOUNCEMENT, announcement.id, announcement.model_dump(mode="json"))
    elif (
        announcement.indication_id != application.indication_id
        or announcement.announced_on != step_in.announced_on
    ):
        raise Conflict(
            f"Announcement {announcement.number} is on record for another GI or date; check the number."
        )
    elif announcement.synthetic != application.synthetic:
        raise Conflict("A demo announcement and a real one cannot share a number.")
    source = SourceIn(
        document=f"{PROVINCIAL_BUREAU}公告 {announcement.number}",
        publisher=PROVINCIAL_BUREAU,
        published=announcement.announced_on.isoformat(),
        confidence=Confidence.high,
        fields=["authorized", "announcement_number", "label_version", "status"],
        note=f"registry announcement record {announcement.id}",
    )
    existing = _authorization(session, application.producer_id, application.indication_id)
    values = {
        "label_version": LabelVersion.unified,
        "authorized": announcement.announced_on.isoformat(),
        "announcement_number": announcement.number,
        "status": AuthorizationStatus.active,
    }
    if existing is None:
        authorizations.create_authorization(
            session,
            authorization_in=AuthorizationCreate(
                producer_id=application.producer_id,
                indication_id=application.indication_id,
                reason="special-mark use approved and announced",
                sources=[source],
                **values,
            ),
            actor=changes.actor,
            changes=changes,
        )
    else:
        apply_changes(session, changes, "producer_link", existing, values)
    return announcement.id


def _apply_requested_changes(session: Session, application: MarkApplication, changes: ChangeSet) -> None:
    """A change application's approval writes the new details to the producer (the legal representative
    stays on the application: the registry does not hold one on the producer)."""
    producer = session.get(Producer, application.producer_id)
    wanted = {k: v for k, v in application.requested_changes.items() if k in ("name_zh", "address", "uscc")}
    if wanted.get("uscc"):
        clash = session.exec(
            select(Producer.id).where(Producer.uscc == wanted["uscc"], Producer.id != producer.id)
        ).first()
        if clash is not None:
            raise Conflict("Another producer on record has this unified social credit code.")
    apply_changes(session, changes, "producer", producer, wanted)


def record_site_check(
    session: Session,
    *,
    application_id: int,
    check_in: SiteCheckIn,
    photos: list[Upload],
    user: User,
    budget: Budget,
    today: date,
) -> SiteCheck:
    """An on-site check with its photos, by the bureau with authority or the county it delegated to."""
    application = get_application(session, application_id, user)
    if not may_record_site_check(user, application):
        raise Forbidden(
            "The on-site check is recorded by the bureau with authority for the initial review, or by the "
            "county bureau it was delegated to, while the application is in its initial review."
        )
    if check_in.checked_on > today:
        raise InvalidParameter("The date of an on-site check cannot be in the future.")
    if check_in.checked_on < application.submitted_at.date():
        raise InvalidParameter("The on-site check cannot predate the application.")
    checked = renewals.check_uploads(photos, budget.max_bytes, required=False)
    level = _level(user) or ReviewLevel.city
    check = SiteCheck(
        application_id=application.id,
        **check_in.model_dump(),
        bureau_level=level,
        bureau_area=_area(user) if level != ReviewLevel.province else "430000",
        recorded_by=user.id,
    )
    written: list[Path] = []
    session.add(check)
    session.flush()
    _store(
        session,
        checked,
        application=application,
        user=user,
        root=budget.upload_root,
        written=written,
        site_check_id=check.id,
    )
    ChangeSet(actor=actor_of(user), reason="on-site check recorded").created(
        session, SITE_CHECK, application.id, check.model_dump(mode="json")
    )
    _commit_or_remove(session, written)
    session.refresh(check)
    return check


def county_names(session: Session) -> dict[str, str]:
    """Yueyang's counties by code: where a check may be delegated, and whose bureau signs."""
    return {area.code: area.name_zh for area in geo_service.yueyang_counties(session)}


def delegate_site_check(
    session: Session, *, application_id: int, delegation: DelegationIn, user: User
) -> MarkApplication:
    """A city bureau hands the on-site check to a county bureau of Yueyang."""
    application = get_application(session, application_id, user)
    county_codes = set(county_names(session))
    if not may_delegate(user, application):
        raise Forbidden(
            "Only the city bureau with authority delegates the on-site check, during its initial review."
        )
    if delegation.county_code not in county_codes:
        raise InvalidParameter(f"{delegation.county_code} is not a county of Yueyang.")
    changes = ChangeSet(actor=actor_of(user), reason=delegation.reason)
    apply_changes(
        session, changes, APPLICATION, application, {"site_check_delegated_to": delegation.county_code}
    )
    session.commit()
    session.refresh(application)
    return application


def resubmit(
    session: Session, *, application_id: int, user: User, uploads: list[Upload], budget: Budget, today: date
) -> MarkApplication:
    """The producer answers a request for corrections; the clock of the level that asked starts again."""
    application = get_application(session, application_id, user)
    if user.role != Role.producer:
        raise Forbidden("Only the producer who applied resubmits its application.")
    target, _actor = next_state(application.kind, application.status, MarkStep.resubmit)
    checked = renewals.check_uploads(uploads, budget.max_bytes, required=True)
    before = application.status
    due = add_workdays(today, INITIAL_WORKING_DAYS) if target == S.initial_review else None
    _move(session, application, target, {"review_due": due})
    written: list[Path] = []
    session.refresh(application)
    _store(session, checked, application=application, user=user, root=budget.upload_root, written=written)
    resubmitted = ChangeSet(actor=actor_of(user), reason="application resubmitted with corrections")
    resubmitted.changed(session, APPLICATION, application.id, "status", before.value, target.value)
    _notify(session, application, target, resubmitted.id)
    _commit_or_remove(session, written)
    session.refresh(application)
    return application


# --- announcements ---------------------------------------------------------------------------------------


def _announcement_public(session: Session, announcement: Announcement) -> AnnouncementPublic:
    indication = session.get(Indication, announcement.indication_id)
    users = session.exec(
        select(Producer.id, Producer.name_zh, Producer.uscc)
        .join(MarkApplication, MarkApplication.producer_id == Producer.id)
        .where(MarkApplication.announcement_id == announcement.id)
        .order_by(Producer.name_zh)
    ).all()
    return AnnouncementPublic(
        **announcement.model_dump(include={"id", "number", "announced_on", "issued_by", "indication_id"}),
        indication_slug=indication.slug,
        indication_name_zh=indication.name_zh,
        users=[AnnouncedUser(producer_id=i, name_zh=n, uscc=u) for i, n, u in users],
    )


def list_announcements(
    session: Session, *, indication_id: int | None = None, include_synthetic: bool = False
) -> list[AnnouncementPublic]:
    """Announcements, newest first (demo ones only in demo mode)."""
    query = select(Announcement).order_by(Announcement.announced_on.desc(), Announcement.id.desc())
    if indication_id is not None:
        query = query.where(Announcement.indication_id == indication_id)
    if not include_synthetic:
        query = query.where(Announcement.synthetic == False)  # noqa: E712 - SQL expression
    return [_announcement_public(session, a) for a in session.exec(query).all()]


def get_announcement(
    session: Session, announcement_id: int, *, include_synthetic: bool = False
) -> AnnouncementPublic:
    """One announcement with the users it approved."""
    announcement = session.get(Announcement, announcement_id)
    if announcement is None or (announcement.synthetic and not include_synthetic):
        raise NotFound(f"No announcement with id {announcement_id}.")
    return _announcement_public(session, announcement)


def bureau_name(level: ReviewLevel | None, application: MarkApplication, county_names: dict[str, str]) -> str:
    """The bureau that speaks at a level, as its notices sign."""
    if level == ReviewLevel.province:
        return PROVINCIAL_BUREAU
    if level == ReviewLevel.county and application.county_code in county_names:
        return f"{county_names[application.county_code]}市场监督管理局"
    return CITY_BUREAU


def notice_bureau(kind: NoticeKind, application: MarkApplication, county_names: dict[str, str]) -> str:
    """Acceptance is the initial bureau's; review opinions come from the level that gave them."""
    if kind == NoticeKind.review_opinions:
        return bureau_name(application.last_reason_level, application, county_names)
    return bureau_name(application.initial_level, application, county_names)


def notice(
    session: Session, *, application_id: int, kind: NoticeKind, user: User, today: date
) -> tuple[bytes, str]:
    """A notice of one application as a DOCX file and its file name, for whoever may see the application."""
    application = get_application(session, application_id, user)
    public = to_public(session, application, today)
    names = county_names(session)
    content = notices.notice_docx(
        kind,
        public,
        producer_name=public.producer_name_zh,
        bureau=notice_bureau(kind, application, names),
        today=today,
    )
    return content, f"notice-{application.id}-{kind.value}.docx"


# --- what the pages read ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseView:
    """One application as a page shows it to this user: the record and what this user may do with it."""

    application: MarkApplicationPublic
    steps: list[MarkStep]
    may_record_site_check: bool
    may_delegate: bool
    may_resubmit: bool
    counties: dict[str, str]


def case_view(session: Session, *, application_id: int, user: User, today: date) -> CaseView:
    """The application page's facts and this user's allowed actions, from the same rules as the API."""
    application = get_application(session, application_id, user)
    return CaseView(
        application=to_public(session, application, today),
        steps=allowed_steps(user, application),
        may_record_site_check=may_record_site_check(user, application),
        may_delegate=may_delegate(user, application),
        may_resubmit=PRODUCER in roles_for(user, application)
        and MarkStep.resubmit in steps_from(application.kind, application.status, PRODUCER),
        counties=county_names(session),
    )


@dataclass(frozen=True)
class Choice:
    """One option of a filing form."""

    id: int
    name_zh: str
    name_en: str | None = None
    synthetic: bool = False


@dataclass(frozen=True)
class FilingChoices:
    """What a filing form offers: GIs with a protection the mark can be used under, and (for officials)
    the producers it can be filed for."""

    indications: list[Choice]
    producers: list[Choice]


def filing_choices(session: Session, user: User) -> FilingChoices:
    """The GIs whose special mark exists (a GI protected product or a GI trademark), and the producers."""
    usable = (ProtectionKind.gi_protected_product, ProtectionKind.gi_trademark)
    rows = session.exec(
        select(Indication.id, Indication.name_zh, Indication.name_en)
        .where(Indication.id.in_(select(Protection.indication_id).where(Protection.kind.in_(usable))))
        .order_by(Indication.name_zh)
    ).all()
    producers: list[Choice] = []
    if user.role != Role.producer:
        producers = [
            Choice(i, name, synthetic=synthetic)
            for i, name, synthetic in session.exec(
                select(Producer.id, Producer.name_zh, Producer.synthetic).order_by(Producer.name_zh)
            ).all()
        ]
    return FilingChoices(indications=[Choice(*row) for row in rows], producers=producers)


def mark_applications_of_producer(session: Session, user: User, today: date) -> list[MarkApplicationPublic]:
    """A producer's own special-mark applications, newest first."""
    return [to_public(session, a, today) for a in reversed(list_applications(session, user))]


def queue(
    session: Session,
    user: User,
    status: MarkApplicationStatus | None,
    *,
    today: date,
    include_synthetic: bool,
) -> list[MarkApplicationPublic]:
    """The applications an official may see, the most urgent first: overdue, then by the clock's last day,
    then those waiting for the producer or closed."""
    rows = [
        to_public(session, a, today)
        for a in list_applications(session, user, status, include_synthetic=include_synthetic)
    ]
    far = date.max
    rows.sort(
        key=lambda r: (
            not r.clock.overdue,
            r.status not in OPEN_STATES,
            r.clock.review_due or far,
            r.id,
        )
    )
    return rows
