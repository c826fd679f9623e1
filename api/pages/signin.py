"""`/signin` and `/signout`: an applicant with their IIN and a one-time code sent by SMS to
the phone on their application; staff, complaint bodies, courts and auditors with a token of
the operator's identity provider (today `kezek token`). Either way the session is a cookie
(api.pages.sessions); the token itself is read once and kept nowhere but in its session's id.
"""

from __future__ import annotations

import time
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.auth import NotAuthenticated, Principal
from api.pages import sessions
from api.pages.codes import SignInCodes
from api.pages.rendering import Visit, VisitDep
from api.pages.routing import PageRoute
from api.services import Services
from domain.iin import parse_iin
from domain.values import Role
from projections.queue import QueueProjection

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Csrf = Annotated[str, Form(max_length=128)]
HOME: dict[Role, str] = {
    Role.APPLICANT: "/me",
    Role.OFFICER: "/work",
    Role.HEAD: "/sign",
    Role.COMPLAINT_BODY: "/complaints",
    Role.COURT: "/cases",
    Role.AUDITOR: "/cases",
}


def sign_in_codes(visit: Visit) -> SignInCodes:
    """The process's code book (api.pages.setup made it, with its SMS sender)."""
    found: SignInCodes = visit.request.app.state.signin_codes
    return found


def applications_of(services: Services, holder: str) -> list[UUID]:
    """The applications whose holder is `holder` (a keyed reference), oldest first."""
    holders = services.view(QueueProjection).holders
    with services.database.transaction(write=False) as tx:
        rows = tx.fetchall(
            f"SELECT application_id FROM {holders} WHERE applicant_ref = ? ORDER BY 1",
            (holder,),
        )
    return [UUID(str(row[0])) for row in rows]


def phone_of(services: Services, holder: str) -> str | None:
    """The phone on the holder's latest application, if any."""
    found = [services.waiting_list.application(a) for a in applications_of(services, holder)]
    found.sort(key=lambda app: app.filed_at)
    return found[-1].phone if found else None


@router.get("/signin")
def signin_page(visit: VisitDep) -> Response:
    return visit.render("signin.html")


def _holder(visit: Visit, iin: str) -> str | None:
    try:
        parse_iin(iin.strip())
    except ValueError:
        return None
    return visit.services.waiting_list.identity.applicant_ref(iin.strip())


@router.post("/signin/code")
def send_code(
    visit: VisitDep, csrf: Csrf, iin: Annotated[str, Form(max_length=12)] = ""
) -> Response:
    sessions.check_csrf(visit.request, visit.session, csrf)
    holder = _holder(visit, iin)
    if holder is None:
        return visit.render("signin.html", status=422, iin_problem=True)
    services = visit.services
    text = visit.gettext("Kezek sign-in code: {code}. It works for {minutes} minutes. Tell no one.")
    sign_in_codes(visit).issue(holder, phone_of(services, holder), text)
    return visit.render("signin_code.html", iin=iin.strip())


@router.post("/signin/verify")
def verify_code(
    visit: VisitDep,
    csrf: Csrf,
    iin: Annotated[str, Form(max_length=12)] = "",
    code: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    sessions.check_csrf(visit.request, visit.session, csrf)
    holder = _holder(visit, iin)
    if holder is None or not sign_in_codes(visit).redeem(holder, code.strip()):
        return visit.render("signin_code.html", status=401, iin=iin.strip(), wrong=True)
    principal = Principal(subject=holder, role=Role.APPLICANT)
    return _start(visit, principal, jti=f"code:{holder}", until=None)


@router.post("/signin/token")
async def token_signin(
    visit: VisitDep, csrf: Csrf, token: Annotated[str, Form(max_length=4096)] = ""
) -> Response:
    sessions.check_csrf(visit.request, visit.session, csrf)
    services = visit.services
    try:
        verified = services.tokens.verify(token.strip())
        revoked = await run_in_threadpool(services.revocations.fresh)
        revoked.check(verified)
    except NotAuthenticated as error:
        return visit.render("signin.html", status=401, token_problem=str(error))
    principal = verified.principal
    return await run_in_threadpool(
        _start, visit, principal, jti=verified.jti, until=verified.accepted_until
    )


def _start(visit: Visit, principal: Principal, *, jti: str, until: float | None) -> Response:
    sessions.end(visit.services.database, visit.sid)  # a new session id at every sign-in
    sid, session = sessions.start(visit.services.database, principal, jti=jti, until=until)
    visit.extra_cookies.append(
        (sessions.SESSION_COOKIE, sid, session.expires_at - int(time.time()))
    )
    return visit.redirect(HOME.get(principal.role, "/"))


@router.post("/signout")
def signout(visit: VisitDep, csrf: Csrf) -> Response:
    sessions.check_csrf(visit.request, visit.session, csrf)
    sessions.end(visit.services.database, visit.sid)
    visit.extra_cookies.append((sessions.SESSION_COOKIE, "", 0))
    visit.session = None
    return visit.redirect("/")
