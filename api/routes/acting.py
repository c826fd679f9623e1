"""The flow every act's endpoint shares: check the role, load the application and check the
caller's scope against it, call the use case, answer with the receipt.

The checks here are the API's (role and scope of the token: 403, unknown id: 404); the domain
checks again who may sign what and answers 409 with the rule it enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query

from api.auth import Principal
from api.deps import CurrentPrincipal, ServicesDep, load_application
from api.schemas import ActCreate, ActPublic
from api.services import Services
from domain.actors import Actor
from domain.ledger_base import Receipt
from domain.values import Role
from domain.waiting_list import WaitingList

STAFF = (Role.OFFICER, Role.HEAD)
HEAD = (Role.HEAD,)
APPLICANT = (Role.APPLICANT,)
COMPLAINT_DECIDERS = (Role.COMPLAINT_BODY, Role.HEAD)

UseCase = Callable[[WaitingList, Actor], Receipt]
Wait = Annotated[bool, Query(description="Wait (up to 5 s) until the views include this act.")]
WAIT_SECONDS = 5.0


def now() -> datetime:
    return datetime.now(UTC)


def answer(services: Services, receipt: Receipt, wait: bool) -> ActPublic:
    caught_up = services.runner.wait_for(receipt.notification_id, WAIT_SECONDS) if wait else None
    app = services.waiting_list.application(receipt.application_id)
    return ActPublic.of(receipt, app.status.value, caught_up)


@dataclass(frozen=True)
class Caller:
    """Who calls, with what services, and whether they wait for the views."""

    services: Services
    principal: Principal
    wait: bool

    def act(self, application_id: UUID, roles: tuple[Role, ...], use_case: UseCase) -> ActPublic:
        """Perform `use_case` on the application if the token's role and scope allow it."""
        self.principal.require(*roles)
        app = load_application(self.services, application_id)
        self.principal.require_provider(app.provider)
        self.principal.require_applicant(app.applicant_ref)
        receipt = use_case(self.services.waiting_list, self.principal.actor)
        return answer(self.services, receipt, self.wait)


def get_caller(services: ServicesDep, principal: CurrentPrincipal, wait: Wait = False) -> Caller:
    return Caller(services=services, principal=principal, wait=wait)


CallerDep = Annotated[Caller, Depends(get_caller)]


def effective(body: ActCreate) -> datetime:
    """When the act takes effect: as the body says, or now."""
    return body.effective_at or now()
