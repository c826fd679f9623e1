"""Reads for those who oversee the ledger as a whole: the auditors' report of acts recorded
apart from when they took effect (who dated them, and why)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AfterValidator

from api.deps import CurrentPrincipal, FreshViews, ServicesDep
from api.paging import DEFAULT_LIMIT, GAPS, Limit, cursor_query
from api.routes.views import known_provider, reading
from api.schemas_views import RecordedApartPublic, TimedActPublic
from domain.values import Role
from projections.audit_trail import AuditTrail

router = APIRouter()
# Those who oversee every provider: the report spans them all.
AUDITORS = (Role.AUDITOR, Role.COURT, Role.COMPLAINT_BODY)

GapsCursor = Annotated[str | None, cursor_query(), AfterValidator(GAPS.check)]
ProviderQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=64, description="Only acts by this provider's staff."),
]


@router.get("/v1/audit/recorded-apart", response_model=RecordedApartPublic, tags=["reading"])
def read_recorded_apart(
    services: ServicesDep,
    principal: CurrentPrincipal,
    _: FreshViews,
    provider: ProviderQuery = None,
    cursor: GapsCursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> RecordedApartPublic:
    """Acts whose effective and recorded times differ by more than an hour: who and why."""
    principal.require(*AUDITORS)
    if provider is not None:
        known_provider(provider)
    after = GAPS.decode(cursor) or 0  # the log position of the last act returned
    with reading(services) as tx:
        found = services.view(AuditTrail).recorded_apart(
            tx, provider=provider, after=after, limit=limit + 1
        )
    acts, next_cursor = GAPS.page(found, limit, lambda e: [e.seq])
    return RecordedApartPublic(
        acts=[TimedActPublic.of_entry(e) for e in acts], next_cursor=next_cursor, limit=limit
    )
