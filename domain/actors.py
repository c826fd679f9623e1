"""Who performs an act: every event names its actor."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from domain.values import Role

PROVIDER_ROLES = frozenset({Role.OFFICER, Role.HEAD, Role.SYSTEM})


class Actor(BaseModel):
    """The person or system that performed an act.

    `id` is an opaque reference (a staff number, a body's code, or for an applicant the keyed
    hash of their IIN): never the IIN itself, which must stay out of identifiers.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=128)
    role: Role
    provider: str | None = Field(default=None, max_length=64)
