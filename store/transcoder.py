"""The stored events' transcoder: the library's JSON format, read with orjson.

Writing is the library's own `JSONTranscoder.encode`, so every stored byte stays what it was.
Reading parses with orjson, then replaces each `{"_type_": name, "_data_": data}` object by
its decoded value bottom-up, exactly as the library's `object_hook` does (`_decode_obj`), so a
store decodes to equal events whichever transcoder reads it (tests/unit/test_transcoder.py,
tests/integration/test_stored_fixture.py). Where orjson and the stdlib parser could read the
same bytes differently, the stdlib reads them: a float anywhere (orjson reads an integer too
big for 64 bits as a float), and anything orjson refuses (NaN, infinities).

Decoded models that are hashable (frozen pydantic models of immutable fields: actors,
deadlines, checks) are immutable, so equal data decodes once and is shared: the same officer
acts, and the same checks come back, across thousands of events. Named by topic in
`domain.store_url`, like the recorders, so the domain imports none of this.
"""

from __future__ import annotations

from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder

TYPE, DATA = "_type_", "_data_"
MEMO_SIZE = 8192  # decoded values kept; all dropped at once when full (cheap, rarely)


class _NotPlain(Exception):
    """The stdlib must read these bytes (see the module docstring)."""


class FastJSONTranscoder(JSONTranscoder):
    def __init__(self) -> None:
        super().__init__()
        self._memo: dict[tuple[str, bytes], Any] = {}
        self._unshareable: set[str] = set()

    def decode(self, data: bytes) -> Any:
        try:
            return self._value(orjson.loads(data))
        except (orjson.JSONDecodeError, _NotPlain):
            return super().decode(data)

    def _value(self, node: Any) -> Any:
        kind = type(node)
        if kind is dict:
            return self._dict(node)
        if kind is list:
            return self._list(node)
        if kind is float:
            raise _NotPlain
        return node

    def _list(self, node: list[Any]) -> list[Any]:
        for index, item in enumerate(node):
            kind = type(item)
            if kind is dict:
                node[index] = self._dict(item)
            elif kind is list:
                self._list(item)
            elif kind is float:
                raise _NotPlain
        return node

    def _dict(self, node: dict[str, Any]) -> Any:
        if len(node) == 2 and TYPE in node and DATA in node:
            name, data = node[TYPE], node[DATA]
            data_kind = type(data)
            if data_kind is str and type(name) is str:
                transcoding = self.names.get(name)
                if transcoding is not None:
                    return transcoding.decode(data)
            elif data_kind is dict and type(name) is str and name not in self._unshareable:
                key = (name, orjson.dumps(data))
                try:
                    return self._memo[key]
                except KeyError:
                    pass
                node[DATA] = self._dict(data)
                value = self._decode_obj(node)
                self._keep(name, key, value)
                return value
            node[DATA] = self._value(data)
            return self._decode_obj(node)  # also the library's error for an unknown name
        for member, item in node.items():
            kind = type(item)
            if kind is dict:
                node[member] = self._dict(item)
            elif kind is list:
                self._list(item)
            elif kind is float:
                raise _NotPlain
        return node

    def _keep(self, name: str, key: tuple[str, bytes], value: Any) -> None:
        try:
            hash(value)
        except TypeError:
            self._unshareable.add(name)  # mutable parts: never shared
            return
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = value
