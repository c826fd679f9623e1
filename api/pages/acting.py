"""The acts a person may take now, each a form made from its declaration, performed through
the same flow as the API (api.routes.acting.Caller: role, scope, Idempotency-Key, the use
case, the views caught up before the answer).

Which acts are offered follows the declarations (domain.acts): the roles, the scope (the
applicant's own application, the staff's provider, the body a complaint is before) and the
stages each is allowed from, with one form per open complaint or open offer it is aimed at.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from uuid import UUID

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.auth import Principal
from api.idempotency import fingerprint, scope_of
from api.pages import forms, sessions
from api.pages.rendering import Visit, VisitDep
from api.pages.routing import PageRoute
from api.problems import NotFound
from api.routes.acting import Caller
from api.routes.acts import USE_CASES
from api.routes.reading import may_read
from domain import acts
from domain.actors import over_http
from domain.acts.definition import ActDefinition, Scope
from domain.complaints import body_of
from domain.errors import DomainError
from domain.housing_application import HousingApplication
from domain.idempotency import IdempotentRequest, KeyReusedForAnotherRequest
from domain.values import ComplaintBody, ComplaintStatus, Role

router = APIRouter(route_class=PageRoute, include_in_schema=False)
BY_NAME = {act.name: act for act in acts.ALL}
CLOSED_COMPLAINTS = {ComplaintStatus.SATISFIED, ComplaintStatus.DECIDED}


@dataclass(frozen=True)
class Offered:
    """An act the principal may take now on the application, aimed at `target` if any."""

    act: ActDefinition
    target: str | None

    @property
    def href(self) -> str:
        return f"acts/{self.act.name}" + (f"?target={self.target}" if self.target else "")


def _in_scope(principal: Principal, act: ActDefinition, app: HousingApplication) -> bool:
    if principal.role not in over_http(act.roles):
        return False
    if act.scope is Scope.OWN:
        return principal.role is Role.APPLICANT and principal.subject == app.applicant_ref
    if principal.role is Role.APPLICANT:
        return False
    if principal.role in (Role.OFFICER, Role.HEAD):
        return principal.provider == app.provider
    return act.scope in (Scope.DECIDING_BODY, Scope.COURT_OR_PROVIDER)


def _targets(principal: Principal, act: ActDefinition, app: HousingApplication) -> list[str]:
    if act.target == "offer_id":
        return [app.open_offer] if app.open_offer else []
    if act.target != "complaint_id":
        return [""]
    body = body_of(principal.actor)
    return [
        cid
        for cid, case in app.complaints.items()
        if case.status not in CLOSED_COMPLAINTS
        and (principal.role is not Role.COMPLAINT_BODY or case.body is body)
        and (act is not acts.FORWARD_COMPLAINT or case.body is not ComplaintBody.PROVIDER)
    ]


def offered(principal: Principal, app: HousingApplication) -> list[Offered]:
    """The acts `principal` may take now on `app`, by the declarations (the domain still
    judges each when it is taken, and refuses with its rule)."""
    found = []
    for act in acts.ALL:
        if act.effect.value == "files" or not _in_scope(principal, act, app):
            continue
        if act.from_stages is not None and app.status not in act.from_stages:
            continue
        found += [Offered(act, t or None) for t in _targets(principal, act, app)]
    return found


def load(visit: Visit, application_id: UUID) -> HousingApplication:
    return visit.services.waiting_list.application(application_id)


def _act(name: str) -> ActDefinition:
    act = BY_NAME.get(name)
    if act is None or act.effect.value == "files":
        raise NotFound(f"no act {name[:40]!r}")
    return act


def _form_page(
    visit: Visit, app: HousingApplication, act: ActDefinition, target: str | None, **extra: object
) -> Response:
    return visit.render(
        "act.html",
        status=int(str(extra.pop("status", 200))),
        provider_tz=app.provider,
        app=app,
        act=act,
        target=target,
        controls=forms.controls(act.request),
        key=secrets.token_hex(16),
        **extra,
    )


@router.get("/cases/{application_id}/acts/{name}")
def act_form(visit: VisitDep, application_id: UUID, name: str, target: str = "") -> Response:
    act = _act(name)
    principal = visit.require(*over_http(act.roles))
    app = load(visit, application_id)
    may_read(principal, app)  # another provider's or applicant's case shows nothing
    return _form_page(visit, app, act, target or None)


@router.post("/cases/{application_id}/acts/{name}")
async def take_act(visit: VisitDep, application_id: UUID, name: str) -> Response:
    """Refused before anything is read further without this browser's CSRF token, and by
    the same checks as the API (role, scope) before anything is written."""
    posted = await visit.request.form()
    sessions.check_csrf(visit.request, visit.session, posted.get("csrf"))
    act = _act(name)
    principal = visit.require(*over_http(act.roles))
    app = await run_in_threadpool(load, visit, application_id)
    target_value = str(posted.get("target") or "")[:32]
    target = {act.target: target_value} if act.target else {}
    try:
        body = await forms.read(act.request, forms.controls(act.request), posted, app.tz)
    except forms.FormProblem as problem:
        return _form_page(visit, app, act, target_value, status=422, problems=problem.problems)
    key = str(posted.get("idempotency_key") or secrets.token_hex(16))[:64]
    path = visit.request.url.path + f"#{target_value}"
    request = IdempotentRequest(
        scope_of(principal), key, fingerprint("POST", path, body.model_dump_json().encode())
    )
    caller = Caller(visit.services, principal, wait=True, request=request, response=Response())
    try:
        await run_in_threadpool(
            caller.perform, act, application_id, body, target, USE_CASES.get(act.name)
        )
    except (DomainError, KeyReusedForAnotherRequest) as error:
        rule = getattr(error, "rule", ""), getattr(error, "paragraph", "")
        detail = getattr(error, "detail", str(error))
        return _form_page(visit, app, act, target_value, status=409, refused=(detail, *rule))
    done = "/me" if principal.role is Role.APPLICANT else f"/cases/{application_id}"
    return visit.redirect(f"{done}?recorded={act.name}")
