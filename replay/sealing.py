"""Leaf format 2: the transparency log commits to personal values through salted digests.

A format-1 leaf is the RFC 8785 JSON of the whole stored event (replay.canonical), so a bundle
that leaves out an IIN no longer hashes to its leaf. A format-2 leaf is the same document with
`"leaf_format": 2` and each personal value (the paths of `FIELDS`, by topic) replaced by

    {"_sealed_": hex SHA-256(salt || RFC 8785 JSON of the value)}

where the salt (32 bytes) is HMAC-SHA256 of the event's originator, version and the value's
path under the log's seal key (replay.leaf_formats keeps it beside the checkpoints). A bundle
then carries each sealed value in one of two forms, and either reduces to the leaf's bytes:

    opened:   {"_sealed_": d, "salt": hex, "value": the value}       the whole case (courts)
    redacted: {"_sealed_": d, "redacted_for": role, "shown": text}   IIN as a keyed reference,
                                                                     a name as initials, or null

A format-1 event that holds personal values cannot be cut that way: a bundle made for a role
that must not see them carries it withheld (`"withheld_for": role`, each personal value
`{"redacted_for": role, "shown": ...}`); its leaf hash and inclusion proof still show where it
stands in the signed log, but its content is the operator's signed word only.

`FIELDS` is part of format 2: a leaf once written must be recomputable, so a new personal path
is a new format (a new row in the log's formats), never an edit here. Only the standard
library and replay.canonical: the offline verifier reads bundles through this module.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from replay.canonical import canonical_json

FORMAT_KEY = "leaf_format"
SEALED = "_sealed_"
SALT = "salt"
VALUE = "value"
REDACTED_FOR = "redacted_for"
SHOWN = "shown"
WITHHELD_FOR = "withheld_for"
DOCUMENT = frozenset({"position", "originator_id", "originator_version", "topic", "state"})

Kind = Literal["iin", "name", "contact", "address", "signature"]

_APP = "domain.housing_application:HousingApplication."
_FORM = "form/_data_/"
_UPDATE = "update/_data_/"
FIELDS: Mapping[str, tuple[tuple[str, Kind], ...]] = {
    _APP + "Applied": (
        (_FORM + "applicant_iin", "iin"),
        (_FORM + "applicant_name", "name"),
        (_FORM + "family/*/iin", "iin"),
        (_FORM + "family/*/full_name", "name"),
        (_FORM + "income/*/member_iin", "iin"),
        (_FORM + "pregnant_over_22_weeks/*", "iin"),
        (_FORM + "children_with_disability/*", "iin"),
        (_FORM + "disability_elderly_or_serious_disease/*", "iin"),
        (_FORM + "musculoskeletal_disability/*", "iin"),
        (_FORM + "guardian/iin", "iin"),
        (_FORM + "phone", "contact"),
        (_FORM + "email", "contact"),
        (_FORM + "signature", "signature"),
        (_FORM + "emergency_housing/cadastral_number", "address"),
        (_FORM + "emergency_housing/street", "address"),
        (_FORM + "emergency_housing/house", "address"),
        (_FORM + "emergency_housing/building", "address"),
        (_FORM + "emergency_housing/apartment", "address"),
    ),
    _APP + "DataUpdated": (
        (_UPDATE + "applicant_iin", "iin"),
        (_UPDATE + "family_member_iin", "iin"),
        (_UPDATE + "family/*/iin", "iin"),
        (_UPDATE + "family/*/full_name", "name"),
        (_UPDATE + "phone", "contact"),
        (_UPDATE + "email", "contact"),
    ),
    _APP + "PlacePassedToFamilyMember": (("successor_iin", "iin"),),
}


@dataclass(frozen=True)
class Found:
    """A personal value in a stored state: where it is, what it is, and its container."""

    path: str  # concrete: "form/_data_/family/0/iin"
    kind: Kind
    container: dict[str, Any] | list[Any]
    key: str | int

    @property
    def value(self) -> Any:
        return self.container[self.key]  # type: ignore[index]

    def replace(self, new: Any) -> None:
        self.container[self.key] = new  # type: ignore[index]


def personal_values(topic: str, state: Any) -> list[Found]:
    """The personal values of a stored state (parsed JSON), by `FIELDS`; null and absent values
    are none (nothing to protect)."""
    found: list[Found] = []
    for parts, kind in _SPLIT.get(topic, ()):
        found.extend(_walk(state, parts, [], kind))
    return found


_SPLIT = {
    topic: tuple((pattern.split("/"), kind) for pattern, kind in fields)
    for topic, fields in FIELDS.items()
}


def _walk(node: Any, parts: list[str], at: list[str], kind: Kind) -> Iterator[Found]:
    head, rest = parts[0], parts[1:]
    if head == "*":
        keys: list[str | int] = list(range(len(node))) if isinstance(node, list) else []
    else:
        keys = [head] if isinstance(node, dict) and node.get(head) is not None else []
    for key in keys:
        child = node[key]
        if rest:
            yield from _walk(child, rest, [*at, str(key)], kind)
        elif child is not None:
            yield Found("/".join([*at, str(key)]), kind, node, key)


def salt(key: bytes, originator_id: str, version: int, path: str) -> bytes:
    message = "\x1f".join(("kezek-seal", originator_id, str(version), path)).encode()
    return hmac.digest(key, message, "sha256")  # one-shot: the same bytes as hmac.new


def digest(salt: bytes, value: Any) -> str:
    return hashlib.sha256(salt + canonical_json(value)).hexdigest()


@dataclass(frozen=True)
class Seal:
    """One sealed value: the object now standing in the state for it, and how to open it."""

    path: str
    kind: Kind
    value: Any
    salt: bytes
    placed: dict[str, Any]  # {"_sealed_": digest}, in the state

    def open(self) -> None:
        self.placed.update({SALT: self.salt.hex(), VALUE: self.value})

    def redact(self, role: str, shown: str | None) -> None:
        self.placed.update({REDACTED_FOR: role, SHOWN: shown})


def seal(document: dict[str, Any], key: bytes) -> list[Seal]:
    """Make an event document (replay.canonical.event_document) a format-2 leaf document, in
    place; the seals let the caller open or redact each value afterwards."""
    seals = []
    originator, version = document["originator_id"], document["originator_version"]
    for found in personal_values(document["topic"], document["state"]):
        pepper = salt(key, originator, version, found.path)
        placed = {SEALED: digest(pepper, found.value)}
        seals.append(Seal(found.path, found.kind, found.value, pepper, placed))
        found.replace(placed)
    document[FORMAT_KEY] = 2
    return seals


# -- the reader's side: a bundle's event document back to its leaf bytes ---------------------


@dataclass
class Reading:
    """What an event file of a bundle is: its leaf bytes (None when withheld), the paths
    redacted in it, and what is wrong with it."""

    leaf: bytes | None
    withheld_for: str | None = None
    redacted: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_document(document: dict[str, Any], data: bytes, made_for: str | None) -> Reading:
    """`document` is the parsed `data` of an event file (its members already checked to be
    `DOCUMENT` plus at most one of `leaf_format` or `withheld_for`)."""
    if FORMAT_KEY in document:
        reading = Reading(None)
        if document[FORMAT_KEY] != 2:
            reading.problems.append(f"leaf format {document[FORMAT_KEY]!r} is unknown (not 2)")
            return reading
        if _MARKS[0] not in data and _MARKS[1] not in data:
            reading.leaf = data  # nothing sealed in it: the file is its leaf's bytes
            return reading
        state = _reduce(document["state"], [], made_for, reading)
        reading.leaf = canonical_json({**document, "state": state})
        return reading
    if WITHHELD_FOR in document:
        role = document[WITHHELD_FOR]
        reading = Reading(None, withheld_for=role)
        if role != made_for:
            reading.problems.append(
                f"withheld for {role!r}, but the bundle is made for {made_for!r}"
            )
        _reduce(document["state"], [], made_for, reading)
        return reading
    return Reading(data)


_MARKS = (f'"{SEALED}"'.encode(), f'"{REDACTED_FOR}"'.encode())


def _reduce(node: Any, at: list[str], made_for: str | None, reading: Reading) -> Any:
    """The leaf's form of `node`: every sealed object back to its digest alone."""
    if isinstance(node, list):
        return [_reduce(item, [*at, str(i)], made_for, reading) for i, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    if SEALED in node or REDACTED_FOR in node:
        return _sealed(node, "/".join(at), made_for, reading)
    return {k: _reduce(v, [*at, k], made_for, reading) for k, v in node.items()}


def _sealed(node: dict[str, Any], path: str, made_for: str | None, reading: Reading) -> Any:
    sealed = node.get(SEALED)
    withheld = reading.withheld_for is not None
    if set(node) == {SEALED, SALT, VALUE} and not withheld:
        try:
            pepper = bytes.fromhex(node[SALT])
        except (TypeError, ValueError):
            pepper = b""
        if len(pepper) != 32 or digest(pepper, node[VALUE]) != sealed:
            reading.problems.append(f"{path} does not match its sealed digest (value altered?)")
    elif set(node) == ({REDACTED_FOR, SHOWN} if withheld else {SEALED, REDACTED_FOR, SHOWN}):
        if node[REDACTED_FOR] != made_for:
            reading.problems.append(
                f"{path} is redacted for {node[REDACTED_FOR]!r}, but the bundle is made for "
                f"{made_for!r}"
            )
        reading.redacted.append(path)
    else:
        reading.problems.append(f"{path} is neither an opened nor a redacted sealed value")
    return {SEALED: sealed}
