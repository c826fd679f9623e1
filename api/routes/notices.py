"""The personal account: the applicant's own notices, and the moment they open one.

Only an applicant's token reads here, and only the notices addressed to its keyed reference
(any other role: 403; another applicant's notice: 404, as if it did not exist). Opening is an
act of the applicant: recorded once, as an event (domain.notifying.open_notice).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path

from api import problems
from api.deps import CurrentPrincipal, ServicesDep
from api.idempotency import IdempotencyDep
from api.paging import DEFAULT_LIMIT, NOTICES, Limit, NoticesCursor
from api.problems import NotFound
from api.schemas_notices import NoticePublic, NoticesPublic, OpenedPublic
from domain.notifying import UnknownNotice, open_notice
from domain.values import Role

router = APIRouter(prefix="/v1/me/notices", tags=["personal account"])
NoticeId = Annotated[UUID, Path(description="The notice's id (from the list of notices).")]


@router.get("", response_model=NoticesPublic)
def read_my_notices(
    services: ServicesDep,
    principal: CurrentPrincipal,
    cursor: NoticesCursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> NoticesPublic:
    """The applicant's own notices, newest first, with the number not yet opened."""
    principal.require(Role.APPLICANT)
    outbox = services.waiting_list.recorder.outbox  # type: ignore[attr-defined]
    before = NOTICES.decode(cursor)
    found = outbox.account(principal.subject, before, limit + 1)
    rows, next_cursor = NOTICES.page(found, limit, lambda r: [int(r["seq"])])
    return NoticesPublic(
        notices=[NoticePublic.of(r) for r in rows],
        unread=outbox.unread(principal.subject),
        next_cursor=next_cursor,
        limit=limit,
    )


@router.post("/{notice_id}/read", response_model=OpenedPublic, responses=problems.responses(413))
def read_notice(
    notice_id: NoticeId,
    services: ServicesDep,
    principal: CurrentPrincipal,
    _: IdempotencyDep,
) -> OpenedPublic:
    """Record that the applicant opened the notice (once; again: the first moment)."""
    principal.require(Role.APPLICANT)
    try:
        opened = open_notice(services.waiting_list, notice_id, principal.subject)
    except UnknownNotice:
        raise NotFound(f"no notice {notice_id} in this personal account") from None
    return OpenedPublic(notice_id=notice_id, opened_at=opened)
