"""Every projection Kezek maintains, at its live generation."""

from __future__ import annotations

from projections.audit_trail import AuditTrail
from projections.database import ViewDatabase
from projections.deadline_monitor import DeadlineMonitor
from projections.position_history import PositionHistory
from projections.projection import Projection
from projections.queue import QueueProjection
from projections.rebuild import live
from replay.transparency import TransparencyLog

PROJECTIONS: tuple[type[Projection], ...] = (
    QueueProjection,
    PositionHistory,
    AuditTrail,
    DeadlineMonitor,
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
