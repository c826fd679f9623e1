"""Every act's HTTP operation is made from its declaration: one route per act, with the
declared path, operation, tag, status code, request model and title."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute

from api.routes.acts import router
from domain import acts
from domain.actors import over_http
from domain.acts.definition import ActDefinition
from domain.values import Role

ROUTES = {r.path: r for r in router.routes if isinstance(r, APIRoute)}
APPLICANT_ACTS = {a.name for a in acts.ALL if a.roles == (Role.APPLICANT,)}


def test_the_router_holds_one_route_per_act_and_nothing_else() -> None:
    assert sorted(ROUTES) == sorted(f"/v1/applications{a.route}" for a in acts.ALL)


@pytest.mark.parametrize("act", acts.ALL, ids=lambda a: a.name)
def test_each_route_is_the_declared_operation(act: ActDefinition) -> None:
    route = ROUTES[f"/v1/applications{act.route}"]
    assert route.methods == {"POST"}
    assert route.name == act.operation
    assert route.tags == [act.tag]
    assert route.status_code == act.status_code
    assert route.description == act.title
    assert route.body_field is not None
    assert route.body_field.field_info.annotation is act.request
    params = {p.name for p in route.dependant.path_params}
    assert params == ({"application_id"} if "{application_id}" in act.route else set()) | (
        {act.target} if act.target else set()
    )


def test_no_token_can_carry_the_system_role_for_an_act() -> None:
    for act in acts.ALL:
        assert Role.SYSTEM not in over_http(act.roles), act.name


def _problem(answer: Any) -> str:
    return str(answer.json().get("detail", ""))


@pytest.mark.parametrize("name", sorted(APPLICANT_ACTS - {acts.FILE.name}))
def test_staff_cannot_perform_an_applicants_act(name: str, client: Any, tokens: Any) -> None:
    act = acts.BY_NAME[name]
    path = "/v1/applications" + act.route.format(
        application_id="00000000-0000-4000-8000-000000000000", offer_id="o1", complaint_id="c1"
    )
    answer = client.post(path, json={}, headers=tokens.staff(Role.OFFICER))
    # The body is checked first (422) or the role (403): never a write, never a 500.
    assert answer.status_code in {403, 422}, _problem(answer)
