"""`kezek bench ...` forwards to the benchmark harness (bench.runner) with the same options."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app as cli
from domain.clock import ScenarioClock
from domain.waiting_list import WaitingList


def test_kezek_bench_help_lists_the_harness_options_and_generate() -> None:
    result = CliRunner().invoke(cli, ["bench", "--help"])
    assert result.exit_code == 0, result.output
    for option in ("--applications", "--cases", "--database-url", "--lookup-entries",
                   "--memory-entries", "--json", "generate"):  # fmt: skip
        assert option in result.output


def test_kezek_bench_generate_help_takes_applications_and_a_database_url() -> None:
    result = CliRunner().invoke(cli, ["bench", "generate", "--help"])
    assert result.exit_code == 0, result.output
    assert "--applications" in result.output
    assert "--database-url" in result.output


def test_kezek_bench_runs_the_cases_given_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    args = ["bench", "--applications", "40", "--cases", "lookup", "--lookup-entries", "200",
            "--json", str(out)]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "QueueIndex" in result.output
    doc = json.loads(out.read_text())
    assert doc["applications"] == 40
    assert {r["case"] for r in doc["results"]} == {"lookup"}


def test_kezek_bench_generate_fills_the_store_it_is_given(tmp_path: Path) -> None:
    store = tmp_path / "bench.db"
    args = ["bench", "generate", "--applications", "20", "--database-url", f"sqlite:///{store}"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    ledger = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": f"sqlite:///{store}"})
    try:
        assert (ledger.recorder.max_notification_id() or 0) > 20
    finally:
        ledger.close()
