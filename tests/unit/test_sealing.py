"""Leaf format 2 (replay.sealing): an opened value and its redaction reduce to the same leaf, a
value altered is told from one redacted, and the table of sealed fields is frozen."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from replay import sealing
from replay.canonical import canonical_json
from replay.leaf_formats import LeafFormats
from replay.redaction import initials

KEY = b"k" * 32
PASSED = "domain.housing_application:HousingApplication.PlacePassedToFamilyMember"
APPLIED = "domain.housing_application:HousingApplication.Applied"


def _document(topic: str, state: dict[str, Any]) -> dict[str, Any]:
    return {
        "position": 12,
        "originator_id": "3f6c2a4e-8d1b-4c5a-9e7f-0a1b2c3d4e5f",
        "originator_version": 7,
        "topic": topic,
        "state": state,
    }


def _form(**members: Any) -> dict[str, Any]:
    return {"form": {"_type_": "model:ApplicationForm", "_data_": members}}


def _read(document: dict[str, Any], made_for: str = "court") -> sealing.Reading:
    data = canonical_json(document)
    return sealing.read_document(copy.deepcopy(document), data, made_for)


def test_the_sealed_fields_of_leaf_format_2_never_change() -> None:
    # Format-2 leaves already logged are recomputed from this table: a new personal field is
    # a new format (a new row of kezek_leaf_formats), never an edit of this one.
    table = {topic: [list(field) for field in fields] for topic, fields in sealing.FIELDS.items()}
    assert hashlib.sha256(canonical_json(table)).hexdigest() == (
        "e1924646469908da33738e8e5d844f5da6e641f711f1c0cbc04bee3b4af08477"
    )


def test_an_opened_value_and_its_redaction_reduce_to_the_same_leaf() -> None:
    document = _document(PASSED, {"successor_iin": "900101300123", "reasons": "death"})
    seals = sealing.seal(document, KEY)
    leaf = canonical_json(document)
    assert b"900101300123" not in leaf
    assert [s.path for s in seals] == ["successor_iin"]

    opened = copy.deepcopy(document)
    opened["state"]["successor_iin"].update(salt=seals[0].salt.hex(), value="900101300123")
    reading = _read(opened)
    assert (reading.leaf, reading.problems, reading.redacted) == (leaf, [], [])

    seals[0].redact("auditor", "app-0123")
    reading = _read(document, "auditor")
    assert (reading.leaf, reading.problems, reading.redacted) == (leaf, [], ["successor_iin"])


def test_a_value_altered_is_told_from_a_value_redacted() -> None:
    document = _document(PASSED, {"successor_iin": "900101300123"})
    seals = sealing.seal(document, KEY)
    seals[0].open()
    document["state"]["successor_iin"]["value"] = "900101300124"
    assert _read(document).problems == [
        "successor_iin does not match its sealed digest (value altered?)"
    ]

    redacted = _document(PASSED, {"successor_iin": "900101300123"})
    sealing.seal(redacted, KEY)[0].redact("auditor", None)
    assert _read(redacted, "court").problems == [
        "successor_iin is redacted for 'auditor', but the bundle is made for 'court'"
    ]
    redacted["state"]["successor_iin"]["shown"] = "x"
    redacted["state"]["successor_iin"]["extra"] = 1
    assert _read(redacted, "auditor").problems == [
        "successor_iin is neither an opened nor a redacted sealed value"
    ]


def test_every_listed_path_is_sealed_and_null_values_are_left_as_they_are() -> None:
    family = [{"iin": "900101300123", "full_name": "Aizhan Tsoi", "relation": "spouse"}]
    state = _form(applicant_iin="850505400321", applicant_name="Serik Tsoi", family=family,
                  email=None, guardian=None, pregnant_over_22_weeks=["900101300123"])  # fmt: skip
    document = _document(APPLIED, state)
    paths = sorted(s.path for s in sealing.seal(document, KEY))
    assert paths == [
        "form/_data_/applicant_iin",
        "form/_data_/applicant_name",
        "form/_data_/family/0/full_name",
        "form/_data_/family/0/iin",
        "form/_data_/pregnant_over_22_weeks/0",
    ]
    assert document["state"]["form"]["_data_"]["email"] is None
    assert document[sealing.FORMAT_KEY] == 2
    # Salts differ by path, so the same IIN twice gives two unrelated digests.
    data = document["state"]["form"]["_data_"]
    assert data["family"][0]["iin"] != data["pregnant_over_22_weeks"][0]


def test_a_format_1_document_is_its_own_leaf() -> None:
    document = _document(PASSED, {"successor_iin": "900101300123"})
    data = canonical_json(document)
    assert sealing.read_document(document, data, "court").leaf is data


def test_positions_before_the_format_row_are_format_1() -> None:
    formats = LeafFormats((40,), ((2, KEY),))
    assert [formats.at(p)[0] for p in (1, 39, 40, 41)] == [1, 1, 2, 2]
    assert LeafFormats().at(5) == (1, b"")


def test_a_name_is_shown_as_its_initials() -> None:
    assert initials("Aizhan Tsoi-Kim") == "A. T."
    assert initials("  Madina  ") == "M."
