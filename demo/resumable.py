"""The demo's ledger: every act under an Idempotency-Key, so that a walk can be resumed.

The walk is a function of its seed, so its n-th act is the same act in every run with that
seed. Each act is kept under the key `<walk seed>/<n>`: a walk interrupted (a crash, Ctrl-C,
a writer that gave up) and run again with the same walk seed answers the acts already
recorded from their kept receipts and records the rest; nothing is recorded twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from domain.claims import IdentityKey
from domain.clock import ScenarioClock
from domain.idempotency import IdempotentRequest, idempotent
from domain.receipts import Receipt
from domain.waiting_list import WaitingList

SCOPE = "system/demo/kezek-demo"


class ResumableWaitingList(WaitingList):
    name = "WaitingList"  # the library names tables after the class otherwise: the same ledger

    def __init__(
        self, env: Mapping[str, str], *, identity_key: IdentityKey, walk_seed: int
    ) -> None:
        # The demo writes a simulated history: the server's clock stands at each act's moment.
        super().__init__(env, identity_key=identity_key, clock=ScenarioClock())
        self.walk_seed = walk_seed
        self.acts = 0
        self._replaying = True
        self._subject = "a filing"

    def _change(self, application_id: UUID, run: Any, *, on_list: bool = False) -> Receipt:
        # The act's application is part of its fingerprint: a resumed walk that planned
        # another act at this number (the store changed meanwhile) stops with a 422-like
        # error instead of taking another act's receipt.
        self._subject = str(application_id)
        try:
            return super()._change(application_id, run, on_list=on_list)
        finally:
            self._subject = "a filing"

    def _retrying(self, attempt: Callable[[], Receipt]) -> Receipt:
        # Every use case runs `_retrying` once: the act's number in the walk names its key.
        self.acts += 1
        key = f"{self.walk_seed}/{self.acts}"
        fingerprint = f"walk {self.walk_seed}: {self._subject}"
        request = IdempotentRequest(
            SCOPE, key, fingerprint=fingerprint, known_new=not self._replaying
        )
        with idempotent(request):
            receipt = super()._retrying(attempt)
        # A resumed walk replays the acts recorded before; the first one not kept ends that.
        self._replaying = self._replaying and receipt.replayed
        return receipt
