"""`python -m bench`: generate the national data set in bulk, run the cases, print a table,
write JSON. Every figure is a ratio against a baseline measured in the same run.

    python -m bench --applications 2000 [--cases append,rebuild,lookup,memory]
        [--database-url URL] [--lookup-entries 45000,1000000] [--memory-entries N]
        [--library-events N] [--json out.json]
    python -m bench generate --applications N [--database-url URL] [--workers N]
    python -m bench --reuse --database-url URL?schema=S ...   (cases on a generated data set)

Without --database-url the store is a SQLite file in a temporary folder. A PostgreSQL URL
without `?schema=` gets throwaway schemas (bench_<random>), dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from bench.cases import (
    append,
    contention,
    exports,
    http,
    lookup,
    memory,
    notices,
    rebuild,
    timetravel,
)
from bench.cases.common import Result, dialect, raw_connection
from bench.generate import generate

CASES = ("append", "rebuild", "lookup", "memory", "http", "asof", "contend", "notices")


@contextmanager
def throwaway_store(base: str | None, folder: Path, name: str) -> Iterator[str]:
    """A fresh store: a SQLite file in `folder`, or a new schema on the PostgreSQL of `base`."""
    if base is None or dialect(base) == "sqlite":
        yield f"sqlite:///{folder / (name + '.db')}"
        return
    if "schema=" in base:
        yield base
        return
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    with raw_connection(base) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}schema={schema}"
    finally:
        with raw_connection(base) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def run(
    *,
    applications: int,
    cases: list[str],
    database_url: str | None = None,
    lookup_entries: list[int] | None = None,
    memory_entries: int | None = None,
    append_acts: int = 400,
    http_seconds: float = 5.0,
    library_events: int = rebuild.LIBRARY_EVENTS,
    export_history: int = exports.HISTORY,
    workers: int | None = None,
    reuse: bool = False,
    echo: Any = print,
) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        folder = Path(tmp)
        report: Any = None
        if reuse:
            if database_url is None:
                raise SystemExit("--reuse needs --database-url (a store made by `generate`)")
            url = database_url
            echo(f"reusing the data set in {dialect(url)} (no generation, no bulk figure)")
        else:
            url = stack.enter_context(throwaway_store(database_url, folder, "data"))
            echo(f"generating {applications:,} applications into {dialect(url)} ...")
            report = generate(url, applications, workers=workers, progress=lambda m: echo("  " + m))
            echo(
                f"  {report.events:,} events in {report.seconds:.1f} s "
                f"({report.events_per_second:,.0f} events/s), {report.on_lists:,} on "
                f"{report.lists} lists"
            )
        for case in cases:
            started = time.perf_counter()
            echo(f"case {case} ...")
            if case == "append":
                results += append.run(url, count=append_acts, bulk=report)
            elif case == "rebuild":
                results += rebuild.run(url, library_events=library_events)
            elif case == "lookup":
                for n in lookup_entries or [applications]:
                    results += lookup.run(url, entries=n)
            elif case == "http":
                results += http.run(url, seconds=http_seconds)
            elif case == "asof":
                results += timetravel.run(url, history=export_history)
            elif case == "contend":
                with throwaway_store(database_url, folder, "contend") as contend_url:
                    results += contention.run(
                        contend_url, registrations=min(150, max(12, applications // 10))
                    )
            elif case == "notices":
                with throwaway_store(database_url, folder, "notices") as notices_url:
                    results += notices.run(notices_url, count=append_acts)
            elif case == "memory":
                with throwaway_store(database_url, folder, "memory") as mem_url:
                    results += memory.run(mem_url, entries=memory_entries or applications)
            else:
                raise SystemExit(f"unknown case {case!r}; known: {', '.join(CASES)}")
            echo(f"  {time.perf_counter() - started:.1f} s")
    return results


def table(results: list[Result]) -> str:
    head = (
        f"{'case':<8} {'backend':<8} {'size':>9} {'metric':<44} {'value':>12} "
        f"{'baseline':<52} {'base value':>12} {'ratio':>8} {'goal':>8} {'':<6}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        ratio = f"{r.ratio:.3g}x" if r.ratio is not None else ""
        base = f"{r.baseline_value:,.1f}" if r.baseline_value is not None else ""
        goal = f">={r.goal:g}x" if r.goal is not None else ""
        lines.append(
            f"{r.case:<8} {r.backend:<8} {r.size:>9,} {r.metric[:44]:<44} {r.value:>12,.1f} "
            f"{r.baseline[:52]:<52} {base:>12} {ratio:>8} {goal:>8} {r.verdict:<6}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", choices=("run", "generate"), default="run")
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--lookup-entries", default=None, help="comma-separated list sizes")
    parser.add_argument("--memory-entries", type=int, default=None)
    parser.add_argument("--append-acts", type=int, default=400)
    parser.add_argument("--http-seconds", type=float, default=5.0)
    parser.add_argument(
        "--library-events",
        type=int,
        default=rebuild.LIBRARY_EVENTS,
        help="prefix of the log the library's ProjectionRunner rebuilds (rebuild case)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="generator processes (default: 1 below 10,000 applications, else 2)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="run the cases on the data set already at --database-url (from `generate`)",
    )
    parser.add_argument("--json", dest="json_path", default=None)
    args = parser.parse_args(argv)
    if args.command == "generate":
        url = args.database_url or "sqlite:///var/bench.db"
        Path("var").mkdir(exist_ok=True)
        report = generate(url, args.applications, workers=args.workers, progress=print)
        print(report, f"{report.events_per_second:,.0f} events/s")
        return
    started = time.perf_counter()
    results = run(
        applications=args.applications,
        cases=[c for c in args.cases.split(",") if c],
        database_url=args.database_url,
        lookup_entries=[int(n) for n in args.lookup_entries.split(",")]
        if args.lookup_entries
        else None,
        memory_entries=args.memory_entries,
        append_acts=args.append_acts,
        http_seconds=args.http_seconds,
        library_events=args.library_events,
        workers=args.workers,
        reuse=args.reuse,
    )
    print(table(results))
    elapsed = time.perf_counter() - started
    print(f"total {elapsed:.1f} s")
    if args.json_path:
        doc = {
            "machine": {"python": platform.python_version(), "platform": platform.platform()},
            "applications": args.applications,
            "seconds": elapsed,
            "results": [r.as_dict() for r in results],
        }
        Path(args.json_path).write_text(json.dumps(doc, indent=2, default=str))
