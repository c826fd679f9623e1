"""`/me`: the applicant's applications, each with its stage, the terms running and their
last days, the place on the list and why it changed, and the acts they may take now."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response

from api.pages.acting import Offered, offered
from api.pages.notices import own_notices
from api.pages.rendering import VisitDep
from api.pages.routing import PageRoute
from api.pages.signin import applications_of
from api.routes.views import reading
from domain.housing_application import HousingApplication
from domain.names import list_names, provider_names
from domain.values import Role
from projections.deadline_monitor import DeadlineMonitor, DeadlineRow
from projections.deadline_rules import APPLICANT, OPEN
from projections.position_history import PositionChange, PositionHistory
from projections.queue_index import Placement

router = APIRouter(route_class=PageRoute, include_in_schema=False)
HISTORY_SHOWN = 20


@dataclass(frozen=True)
class Account:
    app: HousingApplication
    provider_name: str
    list_name: str
    placed: Placement | None
    changes: list[PositionChange]
    terms: list[DeadlineRow]
    acts: list[Offered]

    def yours(self, term: DeadlineRow) -> bool:
        return term.party == APPLICANT


@router.get("/me")
def my_applications(visit: VisitDep, recorded: str = "") -> Response:
    principal = visit.require(Role.APPLICANT)
    services = visit.services
    accounts = []
    ids: list[UUID] = applications_of(services, principal.subject)
    with reading(services) as tx:
        for application_id in ids:
            app = services.waiting_list.application(application_id)
            changes = services.view(PositionHistory).history(tx, application_id)
            terms = services.view(DeadlineMonitor).for_application(tx, application_id)
            accounts.append(
                Account(
                    app,
                    provider_names(app.provider)[visit.lang],
                    list_names(app.form.list_code)[visit.lang],
                    services.queue.placement(application_id),
                    changes[-HISTORY_SHOWN:][::-1],
                    [t for t in terms if t.status == OPEN],
                    offered(principal, app),
                )
            )
    provider = accounts[0].app.provider if accounts else None
    notices = own_notices(services, principal.subject, visit.lang)
    return visit.render(
        "me.html",
        provider_tz=provider,
        accounts=accounts,
        notices=notices,
        unread=sum(1 for n in notices if n.opened_at is None),
        recorded=recorded[:40],
    )
