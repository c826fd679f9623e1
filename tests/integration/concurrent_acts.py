"""Work done by concurrent threads or processes, each with its own WaitingList (own pool, cache)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from demo.synthetic import head, officer
from domain import acts
from domain.claims import IdentityKey
from domain.clock import ScenarioClock
from domain.values import DeregistrationGround
from domain.waiting_list import WaitingList
from tests.keys import IDENTITY_KEY_HEX


def open_list(url: str) -> WaitingList:
    return WaitingList(
        clock=ScenarioClock(),
        env={"KEZEK_DATABASE_URL": url, "POSTGRES_POOL_SIZE": "2"},
        identity_key=IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX)),
    )


def register_all(url: str, app_ids: list[str], at: datetime) -> list[int]:
    """Register each application; deregister those whose id is marked with a leading '-'."""
    wl = open_list(url)
    numbers = []
    try:
        for marked in app_ids:
            app_id = UUID(marked.lstrip("-"))
            if marked.startswith("-"):
                wl.perform(
                    acts.DEREGISTER,
                    app_id,
                    actor=head("almaty"),
                    effective_at=at,
                    ground=DeregistrationGround.MOVED_AWAY,
                    reasons="moved",
                )
            else:
                receipt = wl.perform(
                    acts.REGISTER, app_id, actor=officer("almaty"), effective_at=at
                )
                assert receipt.queue_number is not None
                numbers.append(receipt.queue_number)
    finally:
        wl.close()
    return numbers
