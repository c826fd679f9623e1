"""Events of a court bundle forged every way a forger would (altered, dropped, reordered,
renumbered, appended), each caught offline with a precise line.

The bundle is tests/unit/bundle_fixtures.py's synthetic one; the forgeries are
tests/unit/forgeries.py's, which tests/integration/test_export.py applies to a real export.
"""

from __future__ import annotations

from replay.bundle import event_file
from replay.verify import Trust, verify_bundle_bytes
from tests.unit.bundle_fixtures import APP, KEY, failures, synthetic_bundle
from tests.unit.forgeries import (
    statement_line,
    tamper_alter_field,
    tamper_append,
    tamper_drop,
    tamper_renumber,
    tamper_reorder,
    tamper_swap_contents,
)


def test_a_sound_bundle_verifies_and_the_same_input_makes_the_same_bytes(bundle: bytes) -> None:
    report = verify_bundle_bytes(bundle, KEY.verifier_key)
    assert report.ok, report.failures
    assert report.warnings == []
    assert report.lines()[-1].startswith(f"OK: application {APP}: 5 events, versions 1..5")
    assert synthetic_bundle() == bundle
    trusting = verify_bundle_bytes(bundle, Trust(embedded=True))
    assert trusting.ok
    assert trusting.warnings[0].startswith("NOT pinned: checking with the key the bundle")


NOT_IN_THE_LOG = (
    "inclusion proof does not lead to the checkpoint's root (event not in the signed log: forged?)"
)


def assert_caught_as_not_in_the_log(forged: bytes, event: str, detail: str = "") -> None:
    """Exactly two lines: the statement's signature, and `event`'s proof leading nowhere."""
    found = failures(forged)
    assert found[0] == statement_line(forged)
    assert found[1].startswith(f"{event}: {NOT_IN_THE_LOG}{detail}")
    assert len(found) == 2


def test_one_field_of_one_event_altered(bundle: bytes) -> None:
    assert failures(tamper_alter_field(bundle, 3)) == [
        "events/0003.json: SHA-256 does not match the manifest (file altered?)",
        "events/0003.json: leaf hash does not match the inclusion proof (event altered?)",
    ]
    thorough = tamper_alter_field(bundle, 3, thorough=True)
    assert_caught_as_not_in_the_log(
        thorough, "events/0003.json", ": leaf 9 is not in the tree of size 20"
    )


def test_an_event_dropped(bundle: bytes) -> None:
    dropped = tamper_drop(bundle, 3)
    assert failures(dropped) == [
        statement_line(dropped),
        "manifest: version 3 missing (history incomplete)",
    ]
    assert failures(tamper_drop(bundle, 3, from_manifest=False)) == [
        "events/0003.json: listed in the manifest but missing from the bundle (file removed?)"
    ]
    cut_short = tamper_drop(bundle, 5)  # the last: no gap, only the operator's word tells
    assert failures(cut_short) == [statement_line(cut_short)]


def test_two_events_reordered(bundle: bytes) -> None:
    reordered = tamper_reorder(bundle, 3, 4)
    assert failures(reordered) == [
        statement_line(reordered),
        "manifest: version 4 listed before version 3 (out of order)",
    ]
    assert failures(tamper_swap_contents(bundle, 3, 4)) == [
        "events/0003.json: SHA-256 does not match the manifest (file altered?)",
        "events/0004.json: SHA-256 does not match the manifest (file altered?)",
        "events/0003.json: holds version 4, the manifest lists version 3 (events swapped?)",
        "events/0003.json: at position 17, the manifest says 11",
        "events/0003.json: leaf hash does not match the inclusion proof (event altered?)",
        "events/0004.json: holds version 3, the manifest lists version 4 (events swapped?)",
        "events/0004.json: at position 11, the manifest says 17",
        "events/0004.json: leaf hash does not match the inclusion proof (event altered?)",
    ]


def test_two_acts_renumbered_to_swap_their_order(bundle: bytes) -> None:
    renumbered = tamper_renumber(bundle, 3, 4)
    proof = "inclusion proof does not lead to the checkpoint's root (event not in the signed log"
    found = failures(renumbered)
    assert found[:2] == [
        statement_line(renumbered),
        "events/0004.json: version 4 at position 11 is not after version 3 at position 17 "
        "(events reordered?)",
    ]
    assert [line.split(": ", 1)[0] for line in found[2:]] == [event_file(3), event_file(4)]
    assert all(line.split(": ", 1)[1].startswith(proof) for line in found[2:])


def test_a_forged_event_appended(bundle: bytes) -> None:
    assert_caught_as_not_in_the_log(tamper_append(bundle), "events/0006.json")
