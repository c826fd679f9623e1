"""Rebuild: events/s of our runner filling every view from nothing, against a raw sequential
read + decode of the whole log (the floor any projection pays)."""

from __future__ import annotations

from api.synthetic import IDENTITY_KEY_HEX
from bench.cases.common import Result, dialect, timed
from domain.claims import IdentityKey
from domain.waiting_list import WaitingList
from projections.catalog import PROJECTIONS
from projections.database import ViewDatabase
from projections.runner import TRACKING, CatchUpRunner

BENCH_GENERATION = 9001  # tables <view>_g9001: never a live generation


def run(url: str, *, batch_size: int = 1000) -> list[Result]:
    backend = dialect(url)
    wl = WaitingList(
        env={"KEZEK_DATABASE_URL": url}, identity_key=IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX))
    )
    database = ViewDatabase(url)
    try:
        head = wl.recorder.max_notification_id() or 0
        to_event = wl.mapper.to_domain_event

        def read_decode() -> int:
            start, seen = 1, 0
            while True:
                got = wl.recorder.select_notifications(start=start, limit=batch_size)
                if not got:
                    return seen
                for n in got:
                    to_event(n)
                seen += len(got)
                start = got[-1].id + 1

        raw_seconds, seen = timed(read_decode)
        projections = [cls(generation=BENCH_GENERATION) for cls in PROJECTIONS]
        runner = CatchUpRunner(wl, projections, database, batch_size=batch_size)
        runner.setup()
        seconds, total = timed(runner.catch_up)
        with database.transaction() as tx:
            for projection in projections:
                projection.drop_tables(tx)
            tx.execute(f"DELETE FROM {TRACKING} WHERE generation = ?", (BENCH_GENERATION,))  # noqa: S608
        return [
            Result(
                "rebuild",
                f"every view ({len(projections)}) rebuilt, events/s",
                total / seconds,
                "events/s",
                "raw sequential read + decode of the log",
                seen / raw_seconds,
                target=">= 40% of raw read+decode",
                size=head,
                backend=backend,
                notes=f"{total} events in {seconds:.1f} s (read+decode {raw_seconds:.1f} s)",
            )
        ]
    finally:
        database.close()
        wl.close()
