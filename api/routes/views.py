"""Queries of the views: position history, audit trail, public lists, deadlines, and health.

Each read goes to one projection in one read transaction; the views may trail the log by
the lag /health reports (a write answered with ?wait=true is already in them).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Annotated, Any

import psycopg
from eventsourcing.persistence import ConnectionPoolClosedError, OperationalError, PersistenceError
from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import AfterValidator

from api import problems
from api.deps import ApplicationId, CurrentPrincipal, FreshViews, ServicesDep
from api.paging import (
    AUDIT,
    DEADLINES,
    DEFAULT_LIMIT,
    HISTORY,
    AuditCursor,
    DeadlinesCursor,
    HistoryCursor,
    Limit,
)
from api.problems import NotFound
from api.routes.reading import require_readable
from api.schemas_views import (
    AuditEntryPublic,
    AuditTrailPublic,
    HealthPublic,
    PositionChangePublic,
    PositionHistoryPublic,
    ProcessPublic,
    ProviderDeadlinePublic,
    ProviderDeadlinesPublic,
    QueueLinePublic,
    QueuePagePublic,
    WitnessPublic,
)
from api.services import Services
from domain.calendar import local_day, working_days_between
from domain.reference import UnknownReference, get_list_kind, get_provider
from domain.values import Role
from projections.audit_trail import AuditTrail
from projections.database import Tx
from projections.deadline_monitor import DeadlineMonitor, key_of
from projections.live_queue import view_positions
from projections.notice_trail import NoticeTrail
from projections.position_history import PositionHistory
from projections.processes import live_processes
from projections.queue import MAX_PAGE_SIZE
from replay.cosigning import witness_states

log = logging.getLogger(__name__)
router = APIRouter()

PROBLEM = {"model": dict[str, Any], "content": {problems.MEDIA_TYPE: {}}}
OVERSIGHT = (Role.OFFICER, Role.HEAD, Role.COMPLAINT_BODY, Role.COURT, Role.AUDITOR)
# What a store that cannot be reached raises, through the library or our own view connections.
UNREACHABLE = (PersistenceError, ConnectionPoolClosedError, psycopg.Error, sqlite3.Error, OSError)

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
Provider = Annotated[str, Path(description="A service provider's code.", examples=["almaty"])]
ListCode = Annotated[
    str, Path(description="A list of Art. 74 para 2.", examples=["socially_vulnerable"])
]


@contextmanager
def reading(services: Services) -> Iterator[Tx]:
    """A read transaction on the views; a connection that fails is a 503 (the library's
    OperationalError, which api.problems maps), not a 500."""
    try:
        with services.database.transaction(write=False) as tx:
            yield tx
    except (psycopg.OperationalError, sqlite3.OperationalError) as error:
        raise OperationalError(str(error)) from error


def within_calendar(day: date | None) -> date | None:
    """A day the working-day calendar can count to in microseconds, not seconds."""
    if day is not None and not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"the day must fall between {FIRST_DAY} and {LAST_DAY}")
    return day


def known_provider(code: str) -> str:
    """The provider's time zone; 404 for a code the reference data does not know."""
    try:
        return get_provider(code).tz
    except UnknownReference as error:
        raise NotFound(str(error)) from None


@router.get(
    "/v1/applications/{application_id}/history",
    response_model=PositionHistoryPublic,
    tags=["reading"],
)
def read_history(
    application_id: ApplicationId,
    services: ServicesDep,
    principal: CurrentPrincipal,
    _: FreshViews,
    cursor: HistoryCursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> PositionHistoryPublic:
    """Every change of the application's position, oldest first, each with its cause."""
    require_readable(services, principal, application_id)
    after = HISTORY.decode(cursor) or 0  # the seq (log position) of the last change returned
    with reading(services) as tx:
        found = services.view(PositionHistory).history(
            tx, application_id, after=after, limit=limit + 1
        )
    changes, next_cursor = HISTORY.page(found, limit, lambda c: [c.seq])
    return PositionHistoryPublic(
        application_id=application_id,
        changes=[PositionChangePublic.of(c) for c in changes],
        next_cursor=next_cursor,
        limit=limit,
    )


@router.get(
    "/v1/applications/{application_id}/audit",
    response_model=AuditTrailPublic,
    tags=["reading"],
)
def read_audit(
    application_id: ApplicationId,
    services: ServicesDep,
    principal: CurrentPrincipal,
    _: FreshViews,
    cursor: AuditCursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> AuditTrailPublic:
    """Who did what to the application, when, on what basis, whether on time; oldest first."""
    require_readable(services, principal, application_id)
    after = AUDIT.decode(cursor) or 0  # the version of the last act returned
    with reading(services) as tx:
        found = services.view(AuditTrail).trail(tx, application_id, after=after, limit=limit + 1)
        sent = {n.version: n for n in services.view(NoticeTrail).of_application(tx, application_id)}
    entries, next_cursor = AUDIT.page(found, limit, lambda e: [e.version])
    return AuditTrailPublic(
        application_id=application_id,
        acts=[AuditEntryPublic.of(e, sent.get(e.version)) for e in entries],
        next_cursor=next_cursor,
        limit=limit,
    )


@router.get(
    "/v1/queues/{provider}/{list_code}",
    response_model=QueuePagePublic,
    tags=["public"],
    openapi_extra={"security": []},
    responses={404: PROBLEM, 422: PROBLEM},
)
def read_queue_page(
    provider: Provider,
    list_code: ListCode,
    services: ServicesDep,
    _: FreshViews,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="From 1.")] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Lines a page.")] = 50,
) -> QueuePagePublic:
    """A page of a waiting list, as published: public, no token needed, no IIN, no name."""
    known_provider(provider)
    try:
        get_list_kind(list_code)
    except UnknownReference as error:
        raise NotFound(str(error)) from None
    queue = services.queue
    with reading(services) as tx:
        lines = queue.public_page(tx, provider, list_code, page, size)
    total = queue.length(provider, list_code)
    return QueuePagePublic(
        provider=provider,
        list_code=list_code,
        page=page,
        size=size,
        total=total,
        pages=-(-total // size),
        lines=[QueueLinePublic.of(line) for line in lines],
    )


@router.get(
    "/v1/providers/{provider}/deadlines",
    response_model=ProviderDeadlinesPublic,
    tags=["oversight"],
)
def read_deadlines(
    provider: Provider,
    services: ServicesDep,
    principal: CurrentPrincipal,
    _: FreshViews,
    overdue: Annotated[
        bool, Query(description="true: only the overdue terms; false: every running term.")
    ] = False,
    as_of: Annotated[
        date | None,
        Query(description="Judge against this day (default: today, the provider's local day)."),
        AfterValidator(within_calendar),
    ] = None,
    cursor: DeadlinesCursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> ProviderDeadlinesPublic:
    """The provider's running terms, or only the overdue ones with days overdue; soonest first."""
    principal.require(*OVERSIGHT)
    principal.require_provider(provider)
    today = as_of or local_day(datetime.now(UTC), known_provider(provider))
    after = DEADLINES.decode(cursor)  # (due day, application, kind, ref) of the last returned
    monitor = services.view(DeadlineMonitor)
    with reading(services) as tx:
        if overdue:
            late, next_cursor = DEADLINES.page(
                monitor.overdue(tx, provider, today, after=after, limit=limit + 1),
                limit,
                lambda o: key_of(o.deadline),
            )
            found = [ProviderDeadlinePublic.of(o.deadline, o.overdue_by) for o in late]
        else:
            rows, next_cursor = DEADLINES.page(
                monitor.running(tx, provider, after=after, limit=limit + 1), limit, key_of
            )
            found = [
                ProviderDeadlinePublic.of(
                    row, working_days_between(row.due_on, today) if row.due_on < today else None
                )
                for row in rows
            ]
    return ProviderDeadlinesPublic(
        provider=provider,
        overdue=overdue,
        as_of=today,
        deadlines=found,
        next_cursor=next_cursor,
        limit=limit,
    )


@router.get(
    "/health",
    response_model=HealthPublic,
    tags=["service"],
    openapi_extra={"security": []},
    responses={503: {**PROBLEM, "description": "The database cannot be reached."}},
)
def health(services: ServicesDep) -> HealthPublic | JSONResponse:
    """The store, the head of the log, each view's lag, and every process's index and lag."""
    runner = services.runner
    try:
        with services.database.transaction(write=False) as tx:
            positions = view_positions(tx)
            peers = live_processes(tx)
            witnesses = witness_states(tx) if services.witness_urls else []
        head = runner.head()
    except UNREACHABLE as error:
        log.warning("health: store unreachable: %s", type(error).__name__)
        return problems.problem(
            503, "unavailable", "Service unavailable", "the database is unreachable"
        )
    stopped = runner.error or services.queue.error
    now = time.time()
    refused = any(not w.ok for w in witnesses)
    return HealthPublic(
        status="ok" if stopped is None and not refused else "degraded",
        store=services.database.dialect,
        head=head,
        projection_lag={name: max(head - done, 0) for name, done in positions.items()},
        runner_error=None if stopped is None else type(stopped).__name__,
        process_id=services.serving.process_id,
        writer=services.serving.writing,
        index_position=services.queue.position,
        index_lag=max(head - services.queue.position, 0),
        processes=[
            ProcessPublic.copied(
                p,
                index_lag=max(head - p.index_position, 0) if p.kind == "serve" else 0,
                seen_seconds_ago=round(max(now - p.seen_at, 0.0), 3),
            )
            for p in peers
        ],
        witnesses=[
            WitnessPublic(url=w.url, cosigned=w.ok, size=w.size, detail=w.detail) for w in witnesses
        ],
    )
