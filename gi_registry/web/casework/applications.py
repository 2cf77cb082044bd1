"""Applications on the officials' desk: the queue, one application with its documents, clock and
history, and the steps its state allows (review, approve, reject, return), each with a reason."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from gi_registry.auth.models import User
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import Conflict, InvalidParameter, InvalidTransition, NotFound
from gi_registry.core.i18n import Lang, enum_label, t
from gi_registry.labels import authorizations, renewals
from gi_registry.labels.models import Decision, DecisionIn, RenewalStatus
from gi_registry.labels.workflow import REVIEW_WORKING_DAYS, TRANSITIONS
from gi_registry.web.casework.views import case_page, form_state, gate, history, local_time, saved
from gi_registry.web.dependencies import LangDep
from gi_registry.web.rendering import not_found
from gi_registry.web.session import WebUser, check_csrf, render_form

router = APIRouter(include_in_schema=False)

IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
# Most urgent first: what an official must act on, overdue before due.
ORDER = [RenewalStatus.submitted, RenewalStatus.under_review, RenewalStatus.returned]


def allowed_decisions(status: RenewalStatus) -> list[Decision]:
    """The steps an official may take from this state (the workflow's own table)."""
    return [step for (state, step) in TRANSITIONS if state == status and isinstance(step, Decision)]


@router.get("/officials/applications", response_class=HTMLResponse, response_model=None)
def application_queue(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    status: RenewalStatus | None = None,
) -> Response:
    """Every application, filtered by state, the most urgent first."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    today = date.today()
    demo = request.app.state.settings.demo_mode
    listed = renewals.list_renewals(session, user, status, include_synthetic=demo)
    rows = [renewals.to_public(session, r, today) for r in listed]
    rank = {state: n for n, state in enumerate(ORDER)}
    rows.sort(key=lambda r: (not r.clock.overdue, rank.get(r.status, len(ORDER)), r.clock.review_due, r.id))
    names = authorizations.names_of(session, {r.authorization_id for r in rows})
    context = {
        "user": user,
        "rows": rows,
        "names": names,
        "status": status,
        "statuses": list(RenewalStatus),
        "submitted_at": {r.id: local_time(r.submitted_at) for r in rows},
    }
    return render_form(request, "casework/applications.html", lang, context)


def _case_context(session: Session, user: User, renewal_id: int, lang: Lang) -> dict:
    today = date.today()
    renewal = renewals.to_public(session, renewals.get_renewal(session, renewal_id, user), today)
    authorization = authorizations.to_public(
        session, authorizations.get_authorization(session, renewal.authorization_id), today=today
    )
    return {
        "user": user,
        "renewal": renewal,
        "authorization": authorization,
        "decisions": allowed_decisions(renewal.status),
        "history": history(session, "renewal", renewal.id, lang),
        "submitted_at": local_time(renewal.submitted_at),
        "working_days": REVIEW_WORKING_DAYS,
        **form_state(),
    }


@router.get("/officials/applications/{renewal_id}", response_class=HTMLResponse, response_model=None)
def application_case(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, renewal_id: IdPath
) -> Response:
    """One application: who, which GI, the documents, the clock, the history and the allowed steps."""
    return gate(request, user) or case_page(
        request,
        lang,
        "casework/application.html",
        lambda: _case_context(session, user, renewal_id, lang),
        "application_not_found",
    )


@router.post("/officials/applications/{renewal_id}", response_class=HTMLResponse, response_model=None)
def decide_application(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    renewal_id: IdPath,
    decision: Annotated[str, Form(max_length=20)],
    seen_status: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Take one step with its reason; the same service function as POST /api/v1/renewals/{id}/decision."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, csrf)
    try:
        context = _case_context(session, user, renewal_id, lang)
    except NotFound:
        return not_found(request, lang, t("application_not_found", lang))
    context["typed"] = {"decision": decision, "reason": reason}
    current = context["renewal"].status
    if seen_status != current.value:
        # Someone else moved it after this official opened the page: explain instead of acting on it.
        context["message"] = t("cw_changed_meanwhile", lang).format(state=enum_label(current, lang))
        return render_form(request, "casework/application.html", lang, context, status_code=409)
    try:
        decision_in = DecisionIn(decision=decision, reason=reason.strip())
    except ValidationError as error:
        fields = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
        context["errors"] = {
            name: t("err_too_short", lang).format(n=3) if name == "reason" else t("err_choice", lang)
            for name in fields
        }
        return render_form(request, "casework/application.html", lang, context, status_code=422)
    try:
        renewals.decide(
            session, renewal_id=renewal_id, decision_in=decision_in, user=user, today=date.today()
        )
    except (InvalidTransition, InvalidParameter):
        # Lost a race with another official between loading this page and deciding.
        session.rollback()
        context = _case_context(session, user, renewal_id, lang) | {"typed": context["typed"]}
        state = enum_label(context["renewal"].status, lang)
        context["message"] = t("cw_changed_meanwhile", lang).format(state=state)
        return render_form(request, "casework/application.html", lang, context, status_code=409)
    except Conflict:
        session.rollback()
        context["message"] = t("cw_authorization_suspended", lang)
        return render_form(request, "casework/application.html", lang, context, status_code=409)
    return saved(f"/officials/applications/{renewal_id}", lang)
