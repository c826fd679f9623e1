"""Acts that can be retried: what a caller's `Idempotency-Key` asks of the ledger.

The key is kept with the act, in the transaction that records it (the store's recorder writes
it beside the events), so a retry after a crash or a timeout finds either nothing (the act was
not recorded: it is decided again) or the kept receipt (the act was recorded: its answer is
given again). The domain only states what is kept and when it is consulted; the store keeps it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from domain.in_force import InForce

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class IdempotentRequest:
    """A request that carries a key: who asks (`scope`), their key, and a digest of what they
    asked (`fingerprint`), so that the same key with another request is told apart."""

    scope: str
    key: str
    fingerprint: str
    # The caller knows no earlier request used the key (a walk past the point it resumed
    # from): the store is not asked first, only on a conflict.
    known_new: bool = False


@dataclass(frozen=True)
class KeptAct:
    """What the store kept of an act recorded under a key: the request's digest, the receipt's
    fields (the log positions are looked up again from the events themselves), and the
    (aggregate id, version) of every event of its transaction."""

    fingerprint: str
    receipt: dict[str, object]
    events: tuple[tuple[UUID, int], ...]


@dataclass(frozen=True)
class KeptRecord:
    """What the recorder writes beside the events of an act recorded under a key."""

    request: IdempotentRequest
    receipt: dict[str, object]
    events: tuple[tuple[UUID, int], ...]


class KeyedStore(Protocol):
    """The part of the store that keeps keys and serialises acts on one list."""

    def kept_act(self, scope: str, key: str) -> KeptAct | None: ...

    def notification_ids(self, events: tuple[tuple[UUID, int], ...]) -> list[int]: ...

    def exclusive(self, name: str) -> AbstractContextManager[None]: ...


class KeyReusedForAnotherRequest(ValueError):
    """The same Idempotency-Key came with another request: malformed input (422), not a rule of
    the procedure. Nothing was written."""


_REQUEST: InForce[IdempotentRequest] = InForce("kezek_idempotent_request")


def idempotent(request: IdempotentRequest | None) -> AbstractContextManager[None]:
    """Within this block, the act a use case records is kept under `request`'s key."""
    return _REQUEST.during(request)


def current_request() -> IdempotentRequest | None:
    return _REQUEST.get()
