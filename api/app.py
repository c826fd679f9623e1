"""The FastAPI application: one WaitingList, one queue index and (while this process holds
the writer's lease) the projection runner, per process: docs/scaling.md."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import pages, problems
from api.body_limit import BodyLimit
from api.routes import acts as acting_routes
from api.routes import exports, notices, oversight, reading, reference, replaying, views
from api.services import Services
from config.settings import Settings
from domain.clock import Clock


def create_app(
    settings: Settings | None = None, *, follow: bool = True, clock: Clock | None = None
) -> FastAPI:
    """The service; `clock` is for in-process scenarios only (no setting reaches it)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services.open(settings, follow=follow, writes=settings.write_views, clock=clock)
        pages.setup(app, services)
        app.state.services = services
        try:
            yield
        finally:
            services.close()

    app = FastAPI(
        title="Kezek",
        version="1",
        summary="The ledger of Kazakhstan's waiting list for housing from the state stock.",
        lifespan=lifespan,
        docs_url=None,  # api.pages.docs serves it, with its assets, offline
        redoc_url=None,
    )
    problems.install(app)
    app.add_middleware(BodyLimit)  # before any route reads the body
    writes = problems.responses(401, 403, 404, 409, 413, 422, 503)
    reads = problems.responses(401, 403, 404, 422, 503)
    for module, declared in (
        (acting_routes, writes),
        (reading, reads),
        (notices, problems.responses(401, 403, 404, 422, 503)),
        (views, reads),
        (oversight, reads),
        (replaying, reads),
        (reference, {}),
        (exports, problems.responses(401, 403, 404, 409, 422, 503)),
    ):
        app.include_router(module.router, responses=declared)
    pages.install(app)

    return app
