"""The flow every act's endpoint shares: check the role, load the application and check the
caller's scope against it, call the use case, answer with the receipt.

The checks here are the API's (role and scope of the token: 403, unknown id: 404); the domain
checks again who may sign what and answers 409 with the rule it enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Query, Response
from pydantic import BaseModel

from api.auth import Forbidden, Principal
from api.deps import CurrentPrincipal, ServicesDep, load_application
from api.idempotency import REPLAYED_HEADER, IdempotencyDep
from api.schemas import ActPublic
from api.services import Services
from domain.actors import over_http
from domain.acts.definition import ActDefinition, Scope
from domain.complaints import body_of
from domain.housing_application import HousingApplication
from domain.idempotency import IdempotentRequest, idempotent
from domain.receipts import Receipt
from domain.values import Role

# An act's use case where it does more than record the act (api.routes.acts.USE_CASES).
UseCase = Callable[["Caller", UUID | None, ActDefinition, BaseModel, dict[str, Any]], Receipt]
Wait = Annotated[
    bool,
    Query(description="Wait (up to 5 s) until the views, in every process, include this act."),
]
WAIT_SECONDS = 5.0


def answer(services: Services, receipt: Receipt, wait: bool) -> ActPublic:
    """The act's receipt; with `wait`, once the views include the whole act (its last event:
    the list's or the claim's, where it saved them) through whichever process writes them."""
    caught_up = services.wait_for(receipt.log_position, WAIT_SECONDS) if wait else None
    return ActPublic.of(receipt, receipt.status.value, caught_up)


@dataclass(frozen=True)
class Caller:
    """Who calls, with what services, under which Idempotency-Key, and whether they wait."""

    services: Services
    principal: Principal
    wait: bool
    request: IdempotentRequest | None
    response: Response

    def perform(
        self,
        act: ActDefinition,
        application_id: UUID | None,
        body: BaseModel,
        target: dict[str, Any],
        use_case: UseCase | None = None,
    ) -> ActPublic:
        """Perform the act on the application if the token's role and scope allow it."""
        services = self.services
        self.principal.require(*over_http(act.roles))
        if application_id is None:  # filing: the form names the applicant
            form = body.form  # type: ignore[attr-defined]
            self.principal.require_applicant(
                services.waiting_list.identity.applicant_ref(form.applicant_iin)
            )
        else:
            app = load_application(services, application_id)
            self.principal.require_provider(app.provider)
            self.principal.require_applicant(app.applicant_ref)
            if act.scope is Scope.DECIDING_BODY:
                self.require_deciding_body(app, target.get("complaint_id", ""))
        kept = self.kept()
        if kept is not None:
            return kept
        if use_case is not None:
            return self.record(lambda: use_case(self, application_id, act, body, target))
        return self.record(
            lambda: services.waiting_list.perform(
                act, application_id, actor=self.principal.actor, request=body, **target
            )
        )

    def require_deciding_body(self, app: HousingApplication, complaint_id: str) -> None:
        """A complaint body's token decides only the complaints before that body (§14)."""
        case = app.complaints.get(complaint_id)
        if self.principal.role is not Role.COMPLAINT_BODY or case is None:
            return
        if body_of(self.principal.actor) is not case.body:
            raise Forbidden("the token is for another body than the one the complaint is before")

    def kept(self) -> ActPublic | None:
        """The first answer again, if an earlier request with this key recorded its act."""
        if self.request is None:
            return None
        receipt = self.services.waiting_list.kept_receipt(self.request)
        return None if receipt is None else self.answer(receipt)

    def record(self, use_case: Callable[[], Receipt]) -> ActPublic:
        """Run the use case with this request's key (kept in the act's transaction)."""
        with idempotent(self.request):
            receipt = use_case()
        return self.answer(receipt)

    def answer(self, receipt: Receipt) -> ActPublic:
        if receipt.replayed:
            self.response.headers[REPLAYED_HEADER] = "true"
        return answer(self.services, receipt, self.wait)


def get_caller(
    services: ServicesDep,
    principal: CurrentPrincipal,
    request: IdempotencyDep,
    response: Response,
    wait: Wait = False,
) -> Caller:
    return Caller(
        services=services, principal=principal, wait=wait, request=request, response=response
    )


CallerDep = Annotated[Caller, Depends(get_caller)]
