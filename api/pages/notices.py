"""The notices on the pages: the applicant's own in `/me` (read or not, and the button that
records the opening, domain.notifying.open_notice), and on a case's timeline the notice each
act sent with when it reached the account, whether its SMS went, and when it was opened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Form
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.notice_texts import account_text
from api.pages import sessions
from api.pages.rendering import VisitDep
from api.pages.routing import PageRoute
from api.problems import NotFound
from api.services import Services
from domain.names import Language
from domain.notifying import UnknownNotice, open_notice
from domain.values import Channel, Role

router = APIRouter(route_class=PageRoute, include_in_schema=False)
SHOWN = 50


def _moment(value: object) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class Notice:
    notice_id: UUID
    application_id: UUID | None
    act_version: int | None
    subject: str
    title: str
    body: str
    delivered_at: datetime | None
    opened_at: datetime | None
    channel: str = Channel.ACCOUNT.value
    status: str = ""


def _notices(row: dict[str, Any], lang: Language) -> list[Notice]:
    """An outbox row (one notice: store.outbox) as the personal account's notice, and its SMS
    when it has one."""
    title, body = account_text(row, lang)
    notice = UUID(row["notice_id"])
    app = UUID(row["application_id"]) if row["application_id"] else None
    version, subject = row["version"], str(row["subject"])
    found = [
        Notice(notice, app, version, subject, title, body, _moment(row["recorded_at"]),
               _moment(row["opened_at"]), Channel.ACCOUNT.value, "delivered"),
    ]  # fmt: skip
    if row["sms_status"]:
        found.append(
            Notice(notice, app, version, subject, "", "", _moment(row["sms_delivered_at"]),
                   None, Channel.SMS.value, str(row["sms_status"]))
        )  # fmt: skip
    return found


def _outbox(services: Services) -> Any:
    return services.waiting_list.recorder.outbox  # type: ignore[attr-defined]


def own_notices(services: Services, addressee: str, lang: Language) -> list[Notice]:
    """The applicant's notices in the personal account, newest first."""
    return [_notices(row, lang)[0] for row in _outbox(services).account(addressee, None, SHOWN)]


def case_notices(
    services: Services, application_id: UUID, lang: Language
) -> dict[int, list[Notice]]:
    """The notices of a case by the version of the act that sent them (every channel)."""
    found: dict[int, list[Notice]] = {}
    for row in _outbox(services).of_application(application_id):
        if row["version"] is not None:
            found.setdefault(int(row["version"]), []).extend(_notices(row, lang))
    return found


@router.post("/me/notices/{notice_id}/read")
async def mark_read(visit: VisitDep, notice_id: UUID, csrf: str = Form(max_length=128)) -> Response:
    """Record that the applicant opened the notice (once: the first moment stands)."""
    sessions.check_csrf(visit.request, visit.session, csrf)
    principal = visit.require(Role.APPLICANT)
    try:
        await run_in_threadpool(
            open_notice, visit.services.waiting_list, notice_id, principal.subject
        )
    except UnknownNotice:
        raise NotFound("no such notice in your account") from None
    return visit.redirect("/me#notices")
