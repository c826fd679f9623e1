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


def live_projections(database: ViewDatabase) -> list[Projection]:
    return [live(projection, database) for projection in PROJECTIONS]
