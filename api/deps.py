"""Annotated dependencies of the routes.

They do no I/O, so they are `async`: FastAPI runs a plain `def` dependency in its thread pool,
a hand-over that costs more than the dependency itself.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import NotAuthenticated, Principal
from api.services import Services
from api.verified_tokens import verified_tokens
from domain.housing_application import HousingApplication
from projections.freshness import POSITION_HEADER, ViewsBehind


async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
_bearer = HTTPBearer(auto_error=False, description="A token from `kezek token`.")


async def get_principal(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise NotAuthenticated("a bearer token is required")
    revocations = services.revocations
    if revocations.stale():  # the serving tick keeps it fresh; else read it here, off the loop
        await run_in_threadpool(revocations.fresh)
    return verified_tokens(services.tokens).read(credentials.credentials, revocations.current)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
ApplicationId = Annotated[UUID, Path(description="The application's id (a random UUID).")]


def load_application(services: Services, application_id: UUID) -> HousingApplication:
    return services.waiting_list.application(application_id)


AtLeast = Annotated[
    int | None,
    Query(
        ge=0,
        le=2**62,
        description="Answer only once the views include this log position (an act's"
        " `log_position`, through any process); waits at most 10 s, then 503 with Retry-After.",
    ),
]


def fresh_views(services: ServicesDep, response: Response, at_least: AtLeast = None) -> int:
    """A read of the persisted views: wait for `at_least`, then say what the read reflects."""
    services.require(at_least)
    position = services.reflected()
    response.headers[POSITION_HEADER] = str(position)
    return position


async def fresh_index(services: ServicesDep, response: Response, at_least: AtLeast = None) -> int:
    """A read of this process's queue index alone (no I/O unless it must wait)."""
    queue = services.queue
    if at_least is not None and queue.position < at_least:
        await run_in_threadpool(services.require, at_least)
    if at_least is not None and queue.position < at_least:
        raise ViewsBehind(queue.position, at_least)
    response.headers[POSITION_HEADER] = str(queue.position)
    return queue.position


def fresh_log(services: ServicesDep, response: Response, at_least: AtLeast = None) -> int:
    """A read of the log itself (an aggregate): it reflects the head, which `at_least` may not
    pass."""
    head = services.waiting_list.recorder.max_notification_id() or 0
    if at_least is not None and at_least > head:
        raise ViewsBehind(head, at_least, beyond_head=True)
    response.headers[POSITION_HEADER] = str(head)
    return head


FreshViews = Annotated[int, Depends(fresh_views)]
FreshIndex = Annotated[int, Depends(fresh_index)]
FreshLog = Annotated[int, Depends(fresh_log)]
