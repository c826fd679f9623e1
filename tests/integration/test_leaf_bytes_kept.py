"""Leaves parsed and printed through orjson (replay.canonical) equal what the stdlib parser and
the RFC 8785 reference make of the same stored bytes: a store written before keeps every leaf
(the stored fixture of 2026-12-05), and so does every shape the property test draws."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.clock import ScenarioClock
from domain.waiting_list import WaitingList
from replay.canonical import canonical_event, parse_state
from tests.unit.test_canonical import json_values

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store-2026-12-05.sqlite.gz"


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[WaitingList]:
    path = tmp_path / "kezek.db"
    with gzip.open(FIXTURE) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    wl = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": f"sqlite:///{path}"})
    try:
        yield wl
    finally:
        wl.close()


def test_a_store_written_before_keeps_its_leaf_bytes(stored: WaitingList) -> None:
    """Transparency log, format 1: the RFC 8785 reference over the stdlib's parse."""
    notifications = stored.recorder.select_notifications(1, 100_000)
    assert len(notifications) >= 564
    for n in notifications:
        assert parse_state(n.state) == json.loads(n.state)
        reference = {
            "position": n.id,
            "originator_id": str(n.originator_id),
            "originator_version": n.originator_version,
            "topic": n.topic,
            "state": json.loads(n.state),
        }
        assert canonical_event(n) == rfc8785.dumps(reference)


JSON_VALUES = json_values(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    size=4,
    leaves=20,
)


@settings(max_examples=300)
@given(JSON_VALUES)
def test_parsing_a_state_reads_what_the_stdlib_reads(value: Any) -> None:
    printed = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    try:
        expected = json.dumps(json.loads(printed))
    except ValueError:
        return
    if "NaN" in expected or "Infinity" in expected:
        return  # refused by both (tests/unit/test_canonical.py)
    assert json.dumps(parse_state(printed)) == expected
