"""The public pages: the lists as published, with "find my place" and the list's movement.

No name and no IIN appears: a line is its position, the application's number (its id), the
priority moment and the category, as `GET /v1/queues/...` publishes them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, NamedTuple
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.pages.chart import chart
from api.pages.rendering import VisitDep
from api.pages.routing import PageRoute
from api.problems import NotFound
from api.routes.views import reading
from domain.calendar import local_day
from domain.names import category_names, list_names, provider_names
from domain.reference import UnknownReference, get_list_kind, get_provider, list_kinds, providers
from projections.movement import movement
from projections.position_history import PositionHistory


class Paging(NamedTuple):
    page: int
    pages: int
    total: int


class Finding(NamedTuple):
    asked: str
    position: int | None
    missing: bool


router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 25


@router.get("/")
def home(visit: VisitDep) -> Response:
    services = visit.services
    lists = [
        (p, k, services.queue.length(p.code, k.code))
        for p in providers().values()
        for k in list_kinds().values()
    ]
    return visit.render(
        "home.html",
        lists=[
            (p.code, provider_names(p.code), k.code, list_names(k.code), n)
            for p, k, n in lists
            if n > 0
        ],
        providers=[(p.code, provider_names(p.code)) for p in providers().values()],
        kinds=[(k.code, list_names(k.code)) for k in list_kinds().values()],
    )


@router.get("/queues")
def choose_list(visit: VisitDep, provider: str = "", list_code: str = "") -> Response:
    """The home page's form: to the list it names."""
    try:
        get_provider(provider)
        get_list_kind(list_code)
    except UnknownReference as error:
        raise NotFound(str(error)) from None
    return visit.redirect(f"/queues/{provider}/{list_code}")


@router.get("/queues/{provider}/{list_code}")
def queue_page(
    visit: VisitDep,
    provider: str,
    list_code: str,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    find: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    try:
        get_provider(provider)
        get_list_kind(list_code)
    except UnknownReference as error:
        raise NotFound(str(error)) from None
    services = visit.services
    queue = services.queue
    found, not_found = None, False
    if find.strip():
        try:
            placed = queue.placement(UUID(find.strip()))
        except ValueError:
            placed = None
        if placed is not None and (placed.provider, placed.list_code) == (provider, list_code):
            found = placed.position
            page = (placed.position - 1) // PAGE_SIZE + 1
        else:
            not_found = True
    total = queue.length(provider, list_code)
    pages = max(1, -(-total // PAGE_SIZE))
    writer = visit.writer(provider)
    today = local_day(datetime.now(UTC), get_provider(provider).tz)
    with reading(services) as tx:
        lines = queue.public_page(tx, provider, list_code, page, PAGE_SIZE)
        months = movement(tx, services.view(PositionHistory), provider, list_code, today)
    return visit.render(
        "queue.html",
        provider_tz=provider,
        provider=provider,
        list_code=list_code,
        provider_name=provider_names(provider)[visit.lang],
        list_name=list_names(list_code)[visit.lang],
        categories={
            c.code: category_names(c.code)[visit.lang] for c in get_list_kind(list_code).categories
        },
        lines=lines,
        paging=Paging(page, pages, total),
        finding=Finding(find.strip(), found, not_found),
        months=months,
        chart=chart(months, [writer.month(m.first_day) for m in months]),
    )
