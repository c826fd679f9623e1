"""What a projection is: named, versioned tables, and a handler of batches of events."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.utils import get_topic

from projections.database import Tx


@dataclass(frozen=True)
class Recorded:
    """One event as the runner hands it over: its place in the log, the decoded event, and the
    stored notification it came from (whose bytes the transparency log hashes). `event` is None
    when no projection of the runner decodes that topic."""

    notification_id: int
    event: Any
    stored: Any = None


def topics_of(classes: Sequence[type[Any]]) -> frozenset[str]:
    """The stored topics of these event classes and of their subclasses."""
    found: set[str] = set()
    pending = list(classes)
    while pending:
        cls = pending.pop()
        found.add(get_topic(cls))
        pending.extend(cls.__subclasses__())
    return frozenset(found)


class Projection(ABC):
    """A view derived only from the event log.

    Its tables are named `<table>_g<generation>`: a rebuild fills a fresh generation while the
    live one keeps serving, then the live pointer moves (see projections.generations). Bump
    `version` when the handler or the tables change, so that deployments know to rebuild.
    """

    name: str
    version: int = 1
    tables: Sequence[str] = ()
    # The event classes (subclasses included) the projection handles; None: every event. The
    # runner hands a projection only these, and decodes a notification only if a projection
    # of its own reads it: a runner of views that read few events pays little decoding.
    reads: tuple[type[Any], ...] | None = None
    # False: the projection uses only `Recorded.stored` (the stored bytes), never the event.
    decodes: bool = True

    def __init__(self, generation: int = 1) -> None:
        self.generation = generation

    def topics(self) -> frozenset[str] | None:
        """The stored topics of the events it reads (None: every topic)."""
        return None if self.reads is None else topics_of(self.reads)

    def at_generation(self, generation: int) -> Projection:
        """The same projection, configured alike, on another generation's tables."""
        return type(self)(generation=generation)

    def table(self, base: str) -> str:
        return f"{base}_g{self.generation}"

    @abstractmethod
    def create_tables(self, tx: Tx) -> None:
        """CREATE TABLE IF NOT EXISTS ... for this generation."""

    @abstractmethod
    def apply(self, batch: Sequence[Recorded], tx: Tx) -> None:
        """Write what `batch` changes, inside the runner's transaction."""

    def committed(self, batch: Sequence[Recorded]) -> None:  # noqa: B027 (optional hook)
        """After the batch's transaction committed: advance in-memory state (indexes)."""

    def drop_tables(self, tx: Tx) -> None:
        for base in self.tables:
            tx.execute(f"DROP TABLE IF EXISTS {self.table(base)}")

    def rows(self, tx: Tx) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, in a stable order: what a rebuild is compared by."""
        return {
            base: sorted(
                (
                    tuple(str(v) for v in row)
                    for row in tx.fetchall(f"SELECT * FROM {self.table(base)}")
                ),
            )
            for base in self.tables
        }
