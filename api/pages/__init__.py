"""Pages for people, served by the same service as the API: server-rendered HTML (Jinja2),
plain forms, one stylesheet, nothing from elsewhere (docs/pages.md)."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.pages import codes, docs, public, sessions
from api.services import Services


def install(app: FastAPI) -> None:
    static = resources.files("api.pages").joinpath("static")
    app.mount("/static/kezek", StaticFiles(directory=str(static)), name="kezek-static")
    docs.install(app)
    for module in (public,):
        app.include_router(module.router)


def setup(services: Services) -> None:
    """The pages' tables in the store (sessions, sign-in codes), at start-up."""
    sessions.create_table(services.database)
    codes.create_table(services.database)
