"""Annotated dependencies of the routes.

They do no I/O, so they are `async`: FastAPI runs a plain `def` dependency in its thread pool,
a hand-over that costs more than the dependency itself.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.auth import NotAuthenticated, Principal
from api.services import Services
from api.verified_tokens import verified_tokens
from domain.housing_application import HousingApplication


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
    return verified_tokens(services.tokens).read(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
ApplicationId = Annotated[UUID, Path(description="The application's id (a random UUID).")]


def load_application(services: Services, application_id: UUID) -> HousingApplication:
    return services.waiting_list.application(application_id)
