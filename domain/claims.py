"""One active application per citizen, provider and list, enforced across aggregates.

The claim's id is a keyed hash (HMAC-SHA256) of the IIN, provider and list: IINs are few and
guessable, so a plain hash or uuid5 of one would be reversible by enumeration. The claim stores
no personal data, only which application holds it.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.clock import Stamped
from domain.errors import DuplicateActiveApplication

MIN_KEY_BYTES = 32


class IdentityKey:
    """Derives identifiers from IINs with a secret key, so that they cannot be reversed."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_KEY_BYTES:
            raise ValueError(f"the identity key must have at least {MIN_KEY_BYTES} bytes")
        self._secret = secret

    def _digest(self, purpose: str, *parts: str) -> bytes:
        message = "\x1f".join((purpose, *parts)).encode()
        return hmac.new(self._secret, message, hashlib.sha256).digest()

    def claim_id(self, iin: str, provider: str, list_code: str) -> UUID:
        return UUID(bytes=self._digest("claim", iin, provider, list_code)[:16], version=4)

    def applicant_ref(self, iin: str) -> str:
        """The applicant's opaque reference: actor id in events, subject of their tokens."""
        return "app-" + self._digest("applicant", iin)[:16].hex()


class ApplicantClaim(Aggregate):
    class Opened(Stamped, Aggregate.Created):
        pass

    def __init__(self) -> None:
        self.holder: UUID | None = None

    @classmethod
    def open(cls, claim_id: UUID) -> ApplicantClaim:
        return cls._create(cls.Opened, id=claim_id)

    class Claimed(Stamped, Aggregate.Event):
        application_id: UUID

        def apply(self, aggregate: Any) -> None:
            aggregate.holder = self.application_id

    class Released(Stamped, Aggregate.Event):
        application_id: UUID

        def apply(self, aggregate: Any) -> None:
            aggregate.holder = None

    def claim(self, application_id: UUID) -> None:
        if self.holder is not None and self.holder != application_id:
            raise DuplicateActiveApplication(
                "the citizen already has an active application to this provider for this list"
            )
        if self.holder is None:
            self.trigger_event(self.Claimed, application_id=application_id)

    def release(self, application_id: UUID) -> None:
        if self.holder == application_id:
            self.trigger_event(self.Released, application_id=application_id)
