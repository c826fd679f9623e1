"""Canonical bytes of stored events: RFC 8785's own examples, and what the log refuses."""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replay.canonical import (
    NotCanonicalizable,
    canonical_document,
    canonical_event,
    canonical_json,
    parse_state,
)

# RFC 8785 Appendix B: IEEE 754 double (hex) -> its JCS serialization.
NUMBERS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize(("ieee", "expected"), NUMBERS)
def test_numbers_serialize_as_rfc_8785_appendix_b(ieee: str, expected: str) -> None:
    value = struct.unpack(">d", bytes.fromhex(ieee))[0]
    assert canonical_json(value) == expected.encode()


@pytest.mark.parametrize("ieee", ["7fffffffffffffff", "7ff0000000000000"])
def test_nan_and_infinity_have_no_canonical_form(ieee: str) -> None:
    with pytest.raises(NotCanonicalizable):
        canonical_json(struct.unpack(">d", bytes.fromhex(ieee))[0])


def test_rfc_8785_section_3_2_2_example() -> None:
    source = (
        '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        '\n  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
        '\n  "literals": [null, true, false]\n}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonical_json(parse_state(source.encode())) == expected.encode()


def test_members_sort_by_utf16_code_units_as_rfc_8785_section_3_2_3() -> None:
    source = (
        '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", '
        '"\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", '
        '"\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", '
        '"\\u00f6": "Latin Small Letter O With Diaeresis"}'
    )
    ordered = list(json.loads(canonical_json(parse_state(source.encode()))))
    assert ordered == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


@dataclass(frozen=True)
class Stored:
    id: int
    originator_id: UUID | str
    originator_version: int
    topic: str
    state: bytes


APP = UUID("0b7e3f5c-2c1a-4d6e-9f00-123456789abc")
TOPIC = "domain.housing_application:HousingApplication.Registered"


def test_an_event_document_carries_its_position_and_reads_alike_from_either_store() -> None:
    state = b'{"queue_number": 7, "effective_at": {"_type_": "datetime", "_data_": "x"}}'
    from_postgres = Stored(12, APP, 3, TOPIC, state)
    from_sqlite = Stored(12, APP.hex, 3, TOPIC, state)
    expected = (
        '{"originator_id":"0b7e3f5c-2c1a-4d6e-9f00-123456789abc","originator_version":3,'
        '"position":12,"state":{"effective_at":{"_data_":"x","_type_":"datetime"},'
        f'"queue_number":7}},"topic":"{TOPIC}"}}'
    ).encode()
    assert canonical_event(from_postgres) == expected
    assert canonical_event(from_sqlite) == expected
    assert canonical_document(json.loads(expected)) == expected
    assert canonical_event(Stored(13, APP, 3, TOPIC, state)) != expected


@given(
    st.dictionaries(
        st.text(max_size=8),
        st.recursive(
            st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner),
            max_leaves=12,
        ),
    )
)
def test_the_stored_layout_does_not_matter_only_the_values(state: dict[str, object]) -> None:
    compact = json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode()
    spaced = json.dumps(dict(reversed(state.items())), indent=2, ensure_ascii=True).encode()
    assert canonical_event(Stored(1, APP, 1, TOPIC, compact)) == canonical_event(
        Stored(1, APP, 1, TOPIC, spaced)
    )


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        (b'{"a": 1, "a": 2}', "duplicate member name 'a'"),
        (b'{"n": 9007199254740993}', "no canonical JSON form"),
        (b'{"n": NaN}', "NaN is not a JSON number"),
        (b"\x1f\x8b\x08\x00compressed", "not UTF-8 JSON"),
        (b"{not json", "not JSON"),
    ],
)
def test_state_without_a_single_canonical_form_is_refused(state: bytes, reason: str) -> None:
    with pytest.raises(NotCanonicalizable, match=f"event at position 5: .*{reason}"):
        canonical_event(Stored(5, APP, 1, TOPIC, state))


def test_a_document_missing_a_member_is_refused() -> None:
    with pytest.raises(NotCanonicalizable, match="lacks position"):
        canonical_document(
            {"originator_id": str(APP), "originator_version": 1, "topic": TOPIC, "state": {}}
        )


def json_values(scalars: st.SearchStrategy[Any], size: int, leaves: int) -> st.SearchStrategy[Any]:
    """`scalars` nested in arrays and objects (keys up to 6 characters) of up to `size` members."""
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=size)
            | st.dictionaries(st.text(max_size=6), children, max_size=size)
        ),
        max_leaves=leaves,
    )


JSON_VALUES = json_values(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) - 5, max_value=2**53 + 5)
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    size=5,
    leaves=25,
)


def _assert_printed_as_the_reference_prints(value: object) -> None:
    import rfc8785

    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:
        with pytest.raises(NotCanonicalizable):
            canonical_json(value)
    else:
        assert canonical_json(value) == expected


@settings(max_examples=400)
@given(JSON_VALUES)
def test_the_fast_canonical_path_prints_what_the_reference_prints(value: object) -> None:
    _assert_printed_as_the_reference_prints(value)


@pytest.mark.parametrize(
    "value",
    [
        {"\U0001f600": 1, "\ufb01": 2},  # UTF-16 order differs from code point order
        {"a": "\ud800"},  # a lone surrogate
        {"z": '\x00\x1f\x7f\u2028"\\/'},
        [2**53, -(2**53)],
    ],
)
def test_values_off_the_fast_path_print_as_the_reference_does(value: object) -> None:
    _assert_printed_as_the_reference_prints(value)
