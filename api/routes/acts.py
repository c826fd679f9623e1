"""Every act of the procedure as an HTTP operation, made from its declaration (domain.acts).

One factory makes each route: its path, name (the OpenAPI operation), tag, status code,
docstring (the declaration's title), request model, and the path parameter it is aimed at
(a complaint, an offer). The flow is the same for all (api.routes.acting.Caller.perform).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path
from pydantic import BaseModel

from api.deps import ApplicationId
from api.routes.acting import Caller, CallerDep, UseCase
from api.schemas import ActPublic
from domain import acts
from domain.acts.definition import ActDefinition
from domain.receipts import Receipt
from replay.forwarding import forward_with_file

TARGETS: dict[str, Any] = {
    "offer_id": Annotated[
        str, Path(min_length=1, max_length=32, description="The offer's id, as the offer answered.")
    ],
    "complaint_id": Annotated[
        str,
        Path(min_length=1, max_length=32, description="The complaint's id, as filing answered."),
    ],
}


def forward(
    caller: Caller, app_id: UUID | None, act: ActDefinition, body: Any, target: dict[str, Any]
) -> Receipt:
    assert app_id is not None
    return forward_with_file(
        caller.services, app_id, actor=caller.principal.actor, request=body, **target
    )


# Acts whose use case does more than record the act (the rest: WaitingList.perform).
USE_CASES: dict[str, UseCase] = {acts.FORWARD_COMPLAINT.name: forward}


def endpoint_for(act: ActDefinition) -> Callable[..., ActPublic]:
    """A route function whose signature FastAPI reads: path parameters, body, caller."""
    use_case = USE_CASES.get(act.name)

    def endpoint(caller: Caller, body: BaseModel, **path: Any) -> ActPublic:
        app_id = path.pop("application_id", None)
        return caller.perform(act, app_id, body, path, use_case)

    kind = inspect.Parameter.KEYWORD_ONLY
    params = []
    if "{application_id}" in act.route:
        params.append(inspect.Parameter("application_id", kind, annotation=ApplicationId))
    if act.target is not None:
        params.append(inspect.Parameter(act.target, kind, annotation=TARGETS[act.target]))
    params += [
        inspect.Parameter("body", kind, annotation=act.request),
        inspect.Parameter("caller", kind, annotation=CallerDep),
    ]
    endpoint.__signature__ = inspect.Signature(params, return_annotation=ActPublic)  # type: ignore[attr-defined]
    endpoint.__name__ = endpoint.__qualname__ = act.operation
    endpoint.__doc__ = act.title
    return endpoint


def router_for(declared: tuple[ActDefinition, ...], **options: Any) -> APIRouter:
    router = APIRouter(prefix="/v1/applications", **options)
    for act in declared:
        router.add_api_route(
            act.route,
            endpoint_for(act),
            methods=["POST"],
            name=act.operation,
            tags=[act.tag],
            status_code=act.status_code,
            response_model=ActPublic,
        )
    return router


router = router_for(acts.ALL)
