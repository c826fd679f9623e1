"""Response models of the replay routes: checkpoints, proofs, answers as of a moment."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import Field

from api.schemas import Schema


class CheckpointPublic(Schema):
    """A signed tree head: verify `note` offline with `verifier_key` (C2SP signed note)."""

    size: int
    root_hash: str
    time: str
    origin: str
    key_id: str
    note: str = Field(
        description="The signed note with the witnesses' cosignatures (C2SP tlog-cosignature)."
    )
    verifier_key: str
    cosigned_by: list[str] = Field(
        default_factory=list, description="The names of the witnesses whose cosignature it holds."
    )


class InclusionProofPublic(Schema):
    position: int
    leaf_index: int
    tree_size: int
    leaf_hash: str
    path: list[str]


class ConsistencyProofPublic(Schema):
    old_size: int
    new_size: int
    path: list[str]


class PositionAsOfPublic(Schema):
    application_id: UUID
    at: datetime
    by: str
    position: int
    out_of: int
    provider: str
    list_code: str
    priority_moment: datetime


class ListEntryAsOf(Schema):
    position: int
    application_id: UUID
    priority_moment: datetime
    offer_open: bool


class ListAsOfPublic(Schema):
    provider: str
    list_code: str
    at: datetime
    by: str
    total: int
    lines: list[ListEntryAsOf]
