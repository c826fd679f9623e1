"""Operator commands: rebuild projections with a progress bar, sign a checkpoint."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence

import typer

from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.projection import Projection
from projections.rebuild import RebuildMismatch, ensure_tracking, fill_fresh, live, rebuild
from replay.catalog import PROJECTIONS
from replay.checkpoints import load_signing_key, sign_checkpoint
from replay.cosigning import ask_witnesses, cosigned_note
from replay.index_check import check_indexes
from replay.transparency import TransparencyLog

Echo = Callable[[str], None]


class _Progress:
    """Rate and time left for one projection's rebuild, on one line."""

    def __init__(self, name: str, echo: Echo) -> None:
        self.name = name
        self.echo = echo
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.shown < 0.5 and done < total:
            return
        self.shown = now
        rate = done / max(now - self.started, 1e-6)
        left = (total - done) / rate if rate else 0.0
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        self.echo(
            f"\r{self.name:<17} [{bar}] {done:>9,}/{total:,} {rate:>9,.0f} ev/s  "
            f"{left:>6.1f} s left"
        )


def _chosen(names: Sequence[str]) -> tuple[list[type[Projection]], list[str]]:
    """The projections `names` names (every one when it names none), and the names unknown."""
    known = {p.name: p for p in PROJECTIONS}
    chosen = [known[n] for n in names if n in known] or list(PROJECTIONS)
    return chosen, [n for n in names if n not in known]


def _fill(
    waiting_list: WaitingList,
    database: ViewDatabase,
    chosen: list[type[Projection]],
    echo: Echo,
    jobs: int,
) -> None:
    """Fill a fresh generation of each of `chosen` in one pass over the log, with a progress bar."""
    ensure_tracking(database)
    label = "all views" if len(chosen) > 1 else chosen[0].name
    fill_fresh(waiting_list, database, chosen, jobs=jobs, progress=_Progress(label, echo))
    echo("\n")


def rebuild_projections(
    waiting_list: WaitingList,
    database: ViewDatabase,
    names: Sequence[str],
    echo: Echo,
    *,
    jobs: int = 1,
    force: bool = False,
) -> int:
    chosen, unknown = _chosen(names)
    if unknown:
        names_known = ", ".join(p.name for p in PROJECTIONS)
        echo(f"kezek rebuild: unknown projection(s) {', '.join(unknown)}; known: {names_known}\n")
        return 2
    # One pass over the log fills every fresh generation; each is then compared and switched.
    _fill(waiting_list, database, chosen, echo, jobs)
    status = 0
    for projection in chosen:
        before = live(projection, database).generation
        try:
            report = rebuild(
                waiting_list,
                database,
                projection,
                force=force,
                progress=_Progress(projection.name, echo),
            )
        except RebuildMismatch as error:
            echo(f"\nkezek rebuild: {error}; the live view keeps serving\n")
            status = 1
            continue
        echo(
            f"\n{projection.name}: generation {before} -> {report.new_generation}, "
            f"{report.verdict} at position {report.position:,}; switched, old tables dropped\n"
        )
    return status


def check_projections(
    waiting_list: WaitingList,
    database: ViewDatabase,
    names: Sequence[str],
    echo: Echo,
    *,
    jobs: int = 1,
) -> int:
    """Rebuild into fresh tables and compare, switching nothing; then compare the in-memory
    index of every live service process with a fresh fold of the log. 0: no drift anywhere."""
    chosen, unknown = _chosen(names)
    if unknown:
        echo(f"kezek rebuild --check: unknown projection(s) {', '.join(unknown)}\n")
        return 2
    _fill(waiting_list, database, chosen, echo, jobs)
    status = 0
    for projection in chosen:
        try:
            report = rebuild(waiting_list, database, projection, switch=False)
        except RebuildMismatch as error:
            drop_fresh(database, projection)
            echo(f"{projection.name}: DRIFT: {error}\n")
            status = 1
            continue
        echo(f"{projection.name}: {report.verdict} at position {report.position:,}\n")
    verdicts = check_indexes(waiting_list, database)
    if not verdicts:
        echo("no service process reported an index in the last 10 s\n")
    for verdict in verdicts:
        echo(verdict.line() + "\n")
        if verdict.drifted:
            status = 1
    echo(
        "no drift\n" if status == 0 else "drift found: `kezek rebuild` (or a restart) repairs it\n"
    )
    return status


def drop_fresh(database: ViewDatabase, projection: type[Projection]) -> None:
    """Drop the generation a check filled (the one after the live one), and its tracking."""
    from projections.runner import BUILT, TRACKING

    fresh = projection(generation=live(projection, database).generation + 1)
    with database.transaction() as tx:
        fresh.drop_tables(tx)
        for table in (TRACKING, BUILT):
            tx.execute(
                f"DELETE FROM {table} WHERE projection = ? AND generation = ?",  # noqa: S608
                (fresh.name, fresh.generation),
            )


def sign(
    waiting_list: WaitingList,
    database: ViewDatabase,
    echo: Echo,
    *,
    witnesses: Sequence[str] = (),
    quorum: int = 0,
) -> int:
    """Bring the transparency log up to date, sign a checkpoint of it, and have `witnesses`
    cosign it: 1 when fewer than `quorum` do."""
    from projections.runner import CatchUpRunner

    log = live(TransparencyLog, database)
    assert isinstance(log, TransparencyLog)
    runner = CatchUpRunner(waiting_list, [log], database)
    runner.setup()
    runner.catch_up()
    url = database.url
    key = load_signing_key({**os.environ, "KEZEK_DATABASE_URL": url})
    with database.transaction() as tx:
        checkpoint = sign_checkpoint(tx, log, key)
    answers = ask_witnesses(database, log, checkpoint, witnesses)
    with database.transaction(write=False) as tx:
        echo(cosigned_note(tx, checkpoint))
    echo(f"verifier key: {key.verifier_key}\n")
    for answer in answers:
        echo(answer.line() + "\n")
    cosigned = sum(answer.ok for answer in answers)
    if cosigned < quorum:
        echo(f"QUORUM NOT MET: {cosigned} of the {quorum} cosignatures needed\n")
        return 1
    return 0


def exit_with(status: int) -> None:
    if status:
        raise typer.Exit(status)
