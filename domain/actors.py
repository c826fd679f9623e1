"""Who performs an act: every event names its actor."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from domain.values import Role

# The one place that says who counts as staff of a service provider. SYSTEM is the provider's
# own batch and scheduler: it acts in process (the demo, bulk loads), never through the HTTP API.
STAFF: tuple[Role, ...] = (Role.OFFICER, Role.HEAD, Role.SYSTEM)
PROVIDER_ROLES = frozenset(STAFF)
IN_PROCESS_ONLY = frozenset({Role.SYSTEM})
# Who signs decisions that end or refuse (the head), who acts as the citizen.
SIGNATORY: tuple[Role, ...] = (Role.HEAD,)
APPLICANT: tuple[Role, ...] = (Role.APPLICANT,)
# Who files: the applicant, or the e-government portal's own system forwarding their filing.
FILERS: tuple[Role, ...] = (Role.APPLICANT, Role.PORTAL)
# A complaint is decided by a complaint body, or by the provider's head (§14).
COMPLAINT_DECIDERS: tuple[Role, ...] = (Role.COMPLAINT_BODY, Role.HEAD)
# A court's decision (§15) is recorded by the court's own token, or by the provider's staff
# from the decision they received (its number, date and court stated).
COURT_RECORDERS: tuple[Role, ...] = (Role.COURT, Role.OFFICER, Role.HEAD)


def over_http(roles: tuple[Role, ...]) -> tuple[Role, ...]:
    """The roles a token may carry to perform an act: SYSTEM never calls an endpoint."""
    return tuple(r for r in roles if r not in IN_PROCESS_ONLY)


class Actor(BaseModel):
    """The person or system that performed an act.

    `id` is an opaque reference (a staff number, a body's code, or for an applicant the keyed
    hash of their IIN): never the IIN itself, which must stay out of identifiers.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=128)
    role: Role
    provider: str | None = Field(default=None, max_length=64)
