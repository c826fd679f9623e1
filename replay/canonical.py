"""The canonical bytes of a stored event: what the transparency log hashes and a court re-hashes
(leaf format 1; format 2 seals the personal values of this same document first: replay.sealing).

    JCS({"position": <notification id>, "originator_id": "<uuid>", "originator_version": <int>,
         "topic": "<module:Class.Event>", "state": <the stored state, parsed as JSON>})

JCS is RFC 8785: object members sorted by their UTF-16 code units, no insignificant whitespace,
strings escaped minimally, numbers as ECMAScript prints doubles. The `rfc8785` package is the
reference; it is pure Python and was 70 % of the transparency log's rebuild, so a value made
only of the parts on which `orjson` (sorted keys; compact, no ASCII escaping, the same escapes)
prints the very same bytes goes through that compiled encoder instead: ASCII member names (code
point order = UTF-16 order), integers within 2**53 - 1, strings, booleans, null. Anything else
(a float, a big integer, a non-ASCII name, a lone surrogate) takes the reference path. A
property test holds both to the same bytes. Parsing takes `orjson` too when its own print of
what it read is the input, byte for byte: such input has no member named twice (the parsed
object keeps one, so its print is shorter), no NaN (refused) and no number read inexactly (a
big integer read as a float prints otherwise); any other input takes the strict stdlib
parser, which names the fault. The
state is the library's stored bytes (its JSON transcoder's output, `_type_`/`_data_` wrappers
included) parsed with nothing but a JSON parser, so an offline verifier recomputes the same
bytes from an export without any of Kezek's classes. `originator_id` is the UUID in its
lowercase 8-4-4-4-12 form whatever the store returns (SQLite keeps 32 hex digits, PostgreSQL
a uuid).

Input that has no single canonical form is refused rather than silently rounded: integers
beyond 2**53 - 1 in magnitude, NaN and infinities, duplicate member names, lone surrogates,
state that is not JSON (a compressed or encrypted store: the log must hash the plaintext).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol
from uuid import UUID

import orjson
import rfc8785

_HEX_UUID = re.compile(r"^[0-9a-fA-F]{32}$|^[0-9a-fA-F-]{36}$")


class NotCanonicalizable(ValueError):
    """The stored event has no canonical form (see the module docstring for what is refused)."""


class StoredEventLike(Protocol):
    """What a stored notification offers (eventsourcing's `Notification`)."""

    @property
    def id(self) -> int: ...

    @property
    def originator_id(self) -> UUID | str: ...

    @property
    def originator_version(self) -> int: ...

    @property
    def topic(self) -> str: ...

    @property
    def state(self) -> bytes: ...


def strict_loads(
    text: str, twice: Callable[[str], Exception], not_a_number: Callable[[str], Exception]
) -> Any:
    """JSON parsed refusing what has no single canonical form: a member named twice (raises
    `twice(name)`), NaN or an infinity (raises `not_a_number(name)`). Both the log's hashing
    and the offline verifier read JSON through this, so they refuse the same documents."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise twice(key)
            result[key] = value
        return result

    def constant(name: str) -> Any:
        raise not_a_number(name)

    try:
        fast = _plain_loads(text.encode("utf-8"))
    except UnicodeEncodeError:
        fast = _NOT_PLAIN
    if fast is not _NOT_PLAIN:
        return fast
    return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)


_NOT_PLAIN = object()


def _plain_loads(data: bytes) -> Any:
    """The JSON value of `data` if `data` is exactly orjson's compact print of it (see the
    module docstring), else `_NOT_PLAIN`."""
    try:
        value = orjson.loads(data)
        if orjson.dumps(value) == data:
            return value
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        pass
    return _NOT_PLAIN


def parse_state(state: bytes) -> Any:
    """The stored state as plain JSON values (dict, list, str, int, float, bool, None)."""
    value = _plain_loads(state)  # the library's transcoder prints what orjson prints
    if value is not _NOT_PLAIN:
        return value
    try:
        text = state.decode("utf-8")
    except UnicodeDecodeError:
        raise NotCanonicalizable(
            "the stored state is not UTF-8 JSON (a compressed or encrypted store?)"
        ) from None
    try:
        return strict_loads(
            text,
            twice=lambda key: NotCanonicalizable(
                f"duplicate member name {key!r} in the stored state"
            ),
            not_a_number=lambda name: NotCanonicalizable(f"{name} is not a JSON number"),
        )
    except json.JSONDecodeError as error:
        raise NotCanonicalizable(f"the stored state is not JSON: {error}") from None


def originator_text(originator_id: UUID | str) -> str:
    if isinstance(originator_id, UUID):
        return str(originator_id)
    if _HEX_UUID.match(originator_id):
        try:
            return str(UUID(originator_id))
        except ValueError:
            pass
    return originator_id


def event_document(
    *, position: int, originator_id: UUID | str, originator_version: int, topic: str, state: Any
) -> dict[str, Any]:
    """The JSON document that is canonicalized (state already parsed)."""
    return {
        "position": position,
        "originator_id": originator_text(originator_id),
        "originator_version": originator_version,
        "topic": topic,
        "state": state,
    }


# Types orjson would print on its own (datetimes, dataclasses, str/int subclasses) are refused
# instead, and then take the reference path, which refuses them too.
_ORJSON_CANONICAL = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_STRICT_INTEGER
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def _dumps_alike(value: Any) -> bool:
    """True if orjson prints `value` exactly as RFC 8785 does (see the module docstring).
    Integers beyond 2**53 - 1 are left to orjson, which refuses them (OPT_STRICT_INTEGER)."""
    kind = type(value)
    if kind is dict:
        for key in value:
            if type(key) is not str or not key.isascii():
                return False
        return _members_alike(value.values())
    if kind is list:
        return _members_alike(value)
    return kind is str or kind is int or kind is bool or value is None


def _members_alike(members: Iterable[Any]) -> bool:
    """True if every member of a dict or list is printed alike (see `_dumps_alike`)."""
    for member in members:
        member_kind = type(member)
        if member_kind is str or member_kind is int or member_kind is bool or member is None:
            continue
        if (member_kind is dict or member_kind is list) and _dumps_alike(member):
            continue
        return False
    return True


def canonical_json(value: Any) -> bytes:
    """RFC 8785 bytes of any JSON value."""
    try:
        alike = _dumps_alike(value)
    except RecursionError:
        alike = False  # nested past the stack: the reference path decides
    if alike:
        try:
            return orjson.dumps(value, option=_ORJSON_CANONICAL)
        except orjson.JSONEncodeError:
            pass  # a lone surrogate: the reference path refuses it with its own message
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as error:
        raise NotCanonicalizable(f"no canonical JSON form: {error}") from None


def canonical_document(document: Mapping[str, Any]) -> bytes:
    """Canonical bytes of an exported event document (what an offline verifier holds)."""
    missing = {"position", "originator_id", "originator_version", "topic", "state"} - set(document)
    if missing:
        raise NotCanonicalizable(f"the event document lacks {', '.join(sorted(missing))}")
    return canonical_json(
        event_document(
            position=document["position"],
            originator_id=document["originator_id"],
            originator_version=document["originator_version"],
            topic=document["topic"],
            state=document["state"],
        )
    )


def canonical_event(stored: StoredEventLike) -> bytes:
    """Canonical bytes of a stored notification, position included."""
    try:
        state = parse_state(stored.state)
    except NotCanonicalizable as error:
        raise NotCanonicalizable(f"event at position {stored.id}: {error}") from None
    document = event_document(
        position=stored.id,
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=state,
    )
    try:
        return canonical_json(document)
    except NotCanonicalizable as error:
        raise NotCanonicalizable(f"event at position {stored.id}: {error}") from None
