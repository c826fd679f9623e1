"""Every benchmark case at a tiny size: the harness runs and its figures are sane. SQLite runs
every case; PostgreSQL runs the two whose baselines differ there (the library's
ProjectionRunner, which cannot read a SQLite store, and the export of a long case)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.cases.common import Result
from bench.runner import CASES, main, run, table
from tests.conftest import POSTGRES_URL

LIBRARY = "library ProjectionRunner"


def sane(results: list[Result]) -> None:
    for r in results:
        assert r.value > 0, r
        if r.baseline_value is None:
            continue  # only the library's runner, on a store it cannot read (checked below)
        assert r.baseline_value > 0, r


def test_every_case_runs_at_a_tiny_size(tmp_path: Path) -> None:
    results = run(
        applications=120,
        cases=list(CASES),
        database_url=f"sqlite:///{tmp_path / 'bench.db'}",
        lookup_entries=[300],
        memory_entries=300,
        append_acts=20,
        http_seconds=0.5,
        library_events=500,
        export_history=40,
        echo=lambda _: None,
    )
    assert {r.case for r in results} == set(CASES)
    sane(results)
    library = [r for r in results if r.baseline.startswith(LIBRARY)]
    assert len(library) == 2
    assert [r for r in results if r.baseline_value is None] == library
    for r in library:  # the library's SQLite recorder cannot subscribe: said, not failed
        assert "not available" in r.baseline
        assert "does not support subscriptions" in r.notes
    assert "QueueIndex" in table(results)


@pytest.mark.postgres
def test_on_postgresql_the_library_runner_builds_our_queue_view_and_a_long_case_exports() -> None:
    results = run(
        applications=40,
        cases=["rebuild", "asof"],
        database_url=POSTGRES_URL,
        library_events=300,
        export_history=30,
        echo=lambda _: None,
    )
    sane(results)
    library = [r for r in results if r.baseline.startswith(LIBRARY)]
    assert len(library) == 2
    for r in library:
        assert r.baseline_value is not None, r
        assert r.size == 300
        assert "both views equal row for row" in r.notes
    exported = [r for r in results if r.metric.startswith(("export", "offline verify"))]
    assert len(exported) == 2
    for r in exported:
        assert r.extra["events"] >= 30
        assert r.extra["bundle_bytes"] > 0


def test_the_cli_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    main(["--applications", "60", "--cases", "lookup", "--lookup-entries", "200",
          "--json", str(out)])  # fmt: skip
    doc = json.loads(out.read_text())
    assert doc["results"][0]["case"] == "lookup"
    assert doc["results"][0]["ratio"] > 1
