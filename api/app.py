"""The FastAPI application: one WaitingList and one projection runner per process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from api import problems
from api.routes import filing, reading
from api.services import Services
from api.settings import Settings


def create_app(settings: Settings | None = None, *, follow: bool = True) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services.open(settings, follow=follow)
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
    )
    problems.install(app)
    for module in (filing, reading):
        app.include_router(module.router)

    @app.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        """The store and how far each projection lags behind the log."""
        services: Services = app.state.services
        lag = services.runner.lag()
        return {
            "status": "ok" if services.runner.error is None else "degraded",
            "store": services.database.dialect,
            "head": services.runner.head(),
            "projection_lag": lag,
        }

    return app
