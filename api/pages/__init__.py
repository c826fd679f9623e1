"""Pages for people, served by the same service as the API: server-rendered HTML (Jinja2),
plain forms, one stylesheet, nothing from elsewhere (docs/pages.md)."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.pages import (
    account,
    acting,
    case,
    codes,
    docs,
    notices,
    public,
    sessions,
    signin,
    staff,
    verifying,
)
from api.services import Services
from config.settings import token_keys


def install(app: FastAPI) -> None:
    static = resources.files("api.pages").joinpath("static")
    app.mount("/static/kezek", StaticFiles(directory=str(static)), name="kezek-static")
    docs.install(app)
    for module in (public, signin, account, notices, acting, staff, case, verifying):
        app.include_router(module.router)


def setup(app: FastAPI, services: Services, sender: codes.CodeSender | None = None) -> None:
    """The pages' tables in the store (sessions, sign-in codes) and the code book that sends
    through `sender` (by default the notices' outbox and SMS gateway), at start-up."""
    sessions.create_tables(services.database, sessions.SCHEMA + codes.SCHEMA)
    key = token_keys(services.settings)[0]
    app.state.signin_codes = codes.SignInCodes(
        services.database, key, sender or codes.OutboxSms(services.waiting_list)
    )
