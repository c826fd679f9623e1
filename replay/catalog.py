"""Every projection Kezek maintains, at its live generation, and a ledger held with them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from domain.waiting_list import WaitingList
from projections.audit_trail import AuditTrail
from projections.database import ViewDatabase
from projections.deadline_monitor import DeadlineMonitor
from projections.notice_trail import NoticeTrail
from projections.position_history import PositionHistory
from projections.projection import Projection
from projections.queue import QueueProjection
from projections.rebuild import live
from projections.runner import CatchUpRunner
from replay.transparency import TransparencyLog

P = TypeVar("P", bound=Projection)

PROJECTIONS: tuple[type[Projection], ...] = (
    QueueProjection,
    PositionHistory,
    AuditTrail,
    DeadlineMonitor,
    NoticeTrail,
    TransparencyLog,
)


def live_projections(database: ViewDatabase, *, index: bool = True) -> list[Projection]:
    """Every projection at its live generation; `index=False`: the queue view without its
    in-memory index (a service process follows the table with one of its own)."""
    found = [live(projection, database) for projection in PROJECTIONS]
    return [
        QueueProjection(p.generation, keeps_index=False)
        if isinstance(p, QueueProjection) and not index
        else p
        for p in found
    ]


@dataclass
class LedgerViews:
    """A ledger, its views' database and a runner of some views: what a service process
    holds without the web part (api.services.Services), enough for replay.export."""

    waiting_list: WaitingList
    database: ViewDatabase
    runner: CatchUpRunner

    def view(self, kind: type[P]) -> P:
        """The runner's projection of `kind`."""
        return next(p for p in self.runner.projections if isinstance(p, kind))
