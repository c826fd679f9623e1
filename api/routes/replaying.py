"""The transparency log (checkpoints, proofs) and answers as of a past moment."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AfterValidator, AwareDatetime

from api.deps import ApplicationId, CurrentPrincipal, ServicesDep
from api.problems import NotFound
from api.routes.reading import require_readable
from api.schemas import ApplicationPublic
from api.schemas_replay import (
    CheckpointPublic,
    ConsistencyProofPublic,
    InclusionProofPublic,
    ListAsOfPublic,
    ListEntryAsOf,
    PositionAsOfPublic,
)
from domain.reference import UnknownReference, get_list_kind, get_provider
from replay.asof import AsOf, application_as_of, state_as_of
from replay.asof_place import place_as_of
from replay.checkpoints import latest_checkpoint
from replay.cosigning import cosigned_note
from replay.transparency import LogError, TransparencyLog, consistency_proof, inclusion_proof

router = APIRouter(tags=["replay"])


def _plausible(moment: datetime) -> datetime:
    """A moment the ledger can hold: years 1900-2200, so no arithmetic overflows."""
    if not 1900 <= moment.year <= 2200:
        raise ValueError("the moment must fall between the years 1900 and 2200")
    return moment


At = Annotated[
    AwareDatetime,
    AfterValidator(_plausible),
    Query(description="The moment (ISO 8601 with an offset)."),
]
MAX_INT = 2**63 - 1
By = Annotated[
    Literal["effective", "recorded"],
    Query(description="effective: business time of the acts; recorded: when they were recorded."),
]


def known_list(provider: str, list_code: str) -> None:
    """404 for a provider or a list the reference data does not know."""
    try:
        get_provider(provider)
        get_list_kind(list_code)
    except UnknownReference as error:
        raise NotFound(str(error).strip("'\"")) from None


def _log(services: ServicesDep) -> TransparencyLog:
    return services.view(TransparencyLog)


@router.get("/v1/transparency/checkpoint", response_model=CheckpointPublic)
def read_checkpoint(services: ServicesDep) -> CheckpointPublic:
    """The latest signed checkpoint of the transparency log (public)."""
    with services.database.transaction(write=False) as tx:
        checkpoint = latest_checkpoint(tx)
        note = None if checkpoint is None else cosigned_note(tx, checkpoint)
    if checkpoint is None or note is None:
        raise NotFound("no checkpoint has been signed yet (kezek checkpoint)")
    cosigners = [line[2:].split(" ")[0] for line in note[len(checkpoint.note) :].splitlines()]
    key = services.signing_key()
    return CheckpointPublic.copied(
        checkpoint, note=note, verifier_key=key.verifier_key, cosigned_by=cosigners
    )


@router.get("/v1/transparency/inclusion", response_model=InclusionProofPublic)
def read_inclusion_proof(
    services: ServicesDep,
    position: Annotated[int, Query(ge=1, le=MAX_INT, description="The event's notification id.")],
    size: Annotated[int, Query(ge=1, le=MAX_INT, description="The tree size of a checkpoint.")],
) -> InclusionProofPublic:
    """An RFC 9162 inclusion proof of one event in the tree of a given size (public)."""
    with services.database.transaction(write=False) as tx:
        try:
            proof = inclusion_proof(tx, _log(services), position, size)
        except LogError as error:
            raise NotFound(str(error)) from None
    return InclusionProofPublic(
        position=proof.position,
        leaf_index=proof.leaf_index,
        tree_size=proof.tree_size,
        leaf_hash=proof.leaf_hash,
        path=list(proof.path),
    )


@router.get("/v1/transparency/consistency", response_model=ConsistencyProofPublic)
def read_consistency_proof(
    services: ServicesDep,
    old: Annotated[int, Query(ge=1, le=MAX_INT, description="The earlier tree size.")],
    new: Annotated[int, Query(ge=1, le=MAX_INT, description="The later tree size.")],
) -> ConsistencyProofPublic:
    """An RFC 9162 consistency proof that the tree of size `new` extends that of size `old`."""
    with services.database.transaction(write=False) as tx:
        log = _log(services)
        if not old <= new <= log.size(tx):
            raise NotFound(f"no consistency proof from {old} to {new} in a tree of this size")
        proof = consistency_proof(tx, log, old, new)
    return ConsistencyProofPublic(old_size=old, new_size=new, path=list(proof.path))


@router.get("/v1/applications/{application_id}/as-of", response_model=ApplicationPublic)
def read_application_as_of(
    application_id: ApplicationId,
    services: ServicesDep,
    principal: CurrentPrincipal,
    at: At,
    by: By = "effective",
) -> ApplicationPublic:
    """The state of an application as it stood at a past moment."""
    require_readable(services, principal, application_id)
    past = application_as_of(services.waiting_list, application_id, AsOf(at, by))
    if past is None:
        raise NotFound(f"application {application_id} had not been filed at {at.isoformat()}")
    return ApplicationPublic.of(past)


@router.get("/v1/applications/{application_id}/position/as-of", response_model=PositionAsOfPublic)
def read_position_as_of(
    application_id: ApplicationId,
    services: ServicesDep,
    principal: CurrentPrincipal,
    at: At,
    by: By = "effective",
) -> PositionAsOfPublic:
    """The application's position on its list at a past moment."""
    require_readable(services, principal, application_id)
    found = place_as_of(services, application_id, AsOf(at, by))
    if found is None:
        raise NotFound(f"application {application_id} was not on a list at {at.isoformat()}")
    return PositionAsOfPublic.copied(
        found,
        application_id=application_id,
        at=at,
        by=by,
        out_of=found.length,
        priority_moment=found.priority_moment,
    )


@router.get("/v1/queues/{provider}/{list_code}/as-of", response_model=ListAsOfPublic)
def read_list_as_of(
    provider: str,
    list_code: str,
    services: ServicesDep,
    at: At,
    by: By = "effective",
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ListAsOfPublic:
    """A list's whole order as it stood at a past moment, masked like the public list."""
    known_list(provider, list_code)
    state = state_as_of(services.waiting_list, provider, list_code, AsOf(at, by))
    return ListAsOfPublic(
        provider=provider,
        list_code=list_code,
        at=at,
        by=by,
        total=len(state),
        lines=[ListEntryAsOf.copied(e) for e in state.entries(offset, limit)],
    )
