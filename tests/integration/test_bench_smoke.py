"""Every benchmark case at a tiny size on SQLite: the harness runs and its figures are sane."""

from __future__ import annotations

import json
from pathlib import Path

from bench.runner import CASES, main, run, table


def test_every_case_runs_at_a_tiny_size(tmp_path: Path) -> None:
    results = run(
        applications=120,
        cases=list(CASES),
        database_url=f"sqlite:///{tmp_path / 'bench.db'}",
        lookup_entries=[300],
        memory_entries=300,
        append_acts=20,
        http_seconds=0.5,
        echo=lambda _: None,
    )
    assert {r.case for r in results} == set(CASES)
    for r in results:
        assert r.value > 0, r
        assert r.baseline_value is not None, r
        assert r.baseline_value > 0, r
    assert "QueueIndex" in table(results)


def test_the_cli_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    main(["--applications", "60", "--cases", "lookup", "--lookup-entries", "200",
          "--json", str(out)])  # fmt: skip
    doc = json.loads(out.read_text())
    assert doc["results"][0]["case"] == "lookup"
    assert doc["results"][0]["ratio"] > 1
