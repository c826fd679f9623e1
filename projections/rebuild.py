"""Rebuild a projection from position 0 into fresh tables while the live ones keep serving.

Generation n serves; generation n+1 is filled from the whole log, brought to exactly the live
generation's position, compared row for row, and only then made live; the old tables are
dropped. With `switch=False` it only verifies: the fresh tables are dropped after the
comparison. Interrupted, it is simply run again: the fresh generation resumes from its own
tracked position. `fill_fresh` first fills the next generation of several projections in one
pass over the log (or one per worker process with `jobs`), before their one-by-one comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.fill import fill
from projections.generations import create_generations_table, live_generation, set_live_generation
from projections.projection import Projection
from projections.runner import (
    BUILT,
    TRACKING,
    CatchUpRunner,
    built_version,
    create_tracking_table,
    tracking_row,
)

Progress = Callable[[int, int], None]


class RebuildMismatch(Exception):
    """The rebuilt view differs from the live one: the live one is left serving."""


@dataclass(frozen=True)
class RebuildReport:
    projection: str
    old_generation: int
    new_generation: int
    position: int
    switched: bool
    verdict: str = "equal to the live view"


def live(projection_class: type[Projection], database: ViewDatabase) -> Projection:
    with database.creating() as tx:
        create_generations_table(tx)
        return projection_class(generation=live_generation(tx, projection_class.name))


def rebuild(
    waiting_list: WaitingList,
    database: ViewDatabase,
    projection_class: type[Projection],
    *,
    switch: bool = True,
    force: bool = False,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> RebuildReport:
    """Fill the next generation, compare it with the live one, switch (see the module).

    When the live generation was filled by another `version` of the projection, its rows are
    expected to differ and are not compared. `force` switches even if they differ (after a
    change of definition made before versions were recorded)."""
    current = live(projection_class, database)
    fresh = projection_class(generation=current.generation + 1)
    catch_live = CatchUpRunner(waiting_list, [current], database, batch_size=batch_size)
    catch_live.setup()
    building = CatchUpRunner(waiting_list, [fresh], database, batch_size=batch_size)
    building.setup()
    head = building.head()
    while building.run_once(until=head):
        if progress is not None:
            progress(building.position(fresh), head)
    # Bring both to the same position, then compare in one read transaction.
    for _ in range(100):
        target = max(catch_live.head(), building.position(fresh))
        catch_live.catch_up(until=target)
        building.catch_up(until=target)
        with database.transaction() as tx:
            # Lock both tracking rows before touching any view table, in the runner's order.
            tracking_row(tx, current, lock=True)
            tracking_row(tx, fresh, lock=True)
            positions = {
                int(generation): int(position)
                for generation, position in tx.fetchall(
                    f"SELECT generation, position FROM {TRACKING} WHERE projection = ?",
                    (projection_class.name,),
                )
            }
            if positions.get(current.generation) != positions.get(fresh.generation):
                continue
            built = built_version(tx, current)
            if built is not None and built != fresh.version:
                verdict = f"not compared: the live view was built by version {built}"
            elif fresh.rows(tx) == current.rows(tx):
                verdict = RebuildReport.verdict
            elif force:
                verdict = "different from the live view, switched as asked (--force)"
            else:
                raise RebuildMismatch(
                    f"{projection_class.name}: generation {fresh.generation} differs from the "
                    f"live generation {current.generation} at position {target} (if the view's "
                    "definition changed, `kezek rebuild --force` switches anyway)"
                )
            if switch:
                set_live_generation(tx, fresh.name, fresh.generation, fresh.version)
            retired = current if switch else fresh
            retired.drop_tables(tx)
            for table in (TRACKING, BUILT):
                tx.execute(
                    f"DELETE FROM {table} WHERE projection = ? AND generation = ?",
                    (retired.name, retired.generation),
                )
            return RebuildReport(
                fresh.name, current.generation, fresh.generation, int(target), switch, verdict
            )
    raise RebuildMismatch(f"{projection_class.name}: the live view kept moving; run again")


def fill_fresh(
    waiting_list: WaitingList,
    database: ViewDatabase,
    projection_classes: Sequence[type[Projection]],
    *,
    jobs: int = 1,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> int:
    """Fill the next generation of every class up to the head of the log in one pass (one read
    of the log per worker, `jobs` workers), so that `rebuild` then only has the tail to catch
    up before it compares and switches. Returns the head it filled to."""
    fresh = [cls(generation=live(cls, database).generation + 1) for cls in projection_classes]
    head = waiting_list.recorder.max_notification_id() or 0
    fill(
        waiting_list,
        database,
        fresh,
        until=head,
        jobs=jobs,
        batch_size=batch_size,
        progress=progress,
    )
    return head


def ensure_tracking(database: ViewDatabase) -> None:
    with database.creating() as tx:
        create_tracking_table(tx)
        create_generations_table(tx)
