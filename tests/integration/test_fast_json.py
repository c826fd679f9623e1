"""Stored events read through orjson (store.transcoder, replay.canonical) read as the library's
own JSON transcoder and the stdlib parser read them: the same events, the same leaf bytes, so
no store written before needs a migration (the stored fixture of 2026-12-05 and every shape
the property tests draw)."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.actors import Actor
from domain.clock import ScenarioClock
from domain.transcodings import register_kezek_transcodings
from domain.values import Role
from domain.waiting_list import WaitingList
from replay.canonical import canonical_event, parse_state
from store.transcoder import FastJSONTranscoder

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store-2026-12-05.sqlite.gz"


def _registered(transcoder: JSONTranscoder) -> JSONTranscoder:
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    register_kezek_transcodings(transcoder)
    return transcoder


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


def test_a_store_written_before_decodes_to_equal_events_through_orjson(
    stored: WaitingList,
) -> None:
    assert isinstance(stored.mapper.transcoder, FastJSONTranscoder)
    library = Mapper[Any](transcoder=_registered(JSONTranscoder()))
    notifications = stored.recorder.select_notifications(1, 100_000)
    assert len(notifications) >= 564
    for n in notifications:
        ours, theirs = stored.mapper.to_domain_event(n), library.to_domain_event(n)
        assert type(ours) is type(theirs)
        assert ours.__dict__ == theirs.__dict__, n.topic


def test_a_store_written_before_keeps_its_leaf_bytes(stored: WaitingList) -> None:
    """Transparency log, format 1: the RFC 8785 reference over the stdlib's parse."""
    for n in stored.recorder.select_notifications(1, 100_000):
        assert parse_state(n.state) == json.loads(n.state)
        reference = {
            "position": n.id,
            "originator_id": str(n.originator_id),
            "originator_version": n.originator_version,
            "topic": n.topic,
            "state": json.loads(n.state),
        }
        assert canonical_event(n) == rfc8785.dumps(reference)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400)
@given(JSON_VALUES)
def test_any_json_the_library_prints_decodes_as_the_library_decodes_it(value: Any) -> None:
    printed = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()
    library = JSONTranscoder().decode(printed)
    ours = FastJSONTranscoder().decode(printed)
    assert json.dumps(ours) == json.dumps(library)  # NaN != NaN: compare the prints


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


def test_typed_values_decode_as_the_library_decodes_them_and_equal_models_are_shared() -> None:
    library, ours = _registered(JSONTranscoder()), _registered(FastJSONTranscoder())
    actor = Actor(id="c-1", role=Role.APPLICANT)
    event = {"by": actor, "also": [actor, {"on": date(2026, 1, 5)}], "n": 2**70, "x": 1.5}
    printed = library.encode(event)
    assert ours.decode(printed) == library.decode(printed) == event
    first, second = ours.decode(library.encode([actor])), ours.decode(library.encode([actor]))
    assert first[0] is second[0]  # frozen and hashable: decoded once


def test_an_unknown_type_name_is_refused_as_the_library_refuses_it() -> None:
    printed = b'{"a":{"_type_":"no_such_type","_data_":"x"}}'
    with pytest.raises(TranscodingNotRegisteredError):
        FastJSONTranscoder().decode(printed)
    with pytest.raises(TranscodingNotRegisteredError):
        JSONTranscoder().decode(printed)
