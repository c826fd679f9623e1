"""Cursor paging of the list-like reads (history, audit trail, deadlines).

A cursor is opaque to the caller: base64url, unpadded, of the compact JSON `[read, *key]`,
the read it belongs to and the stable sort key of the last item of the page it came with.
The next page is the items after that key, asked of the projection in SQL (`WHERE key > ?
ORDER BY key LIMIT limit + 1`; the one extra item only tells that there is a next page).
Items appended meanwhile after the key come on a later page: none is repeated or skipped.
A cursor that does not decode, or belongs to another read, is a 422 (malformed input).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any, Final, Generic, TypeVar
from uuid import UUID

from fastapi import Query
from pydantic import AfterValidator

from domain.values import DeadlineKind
from projections.deadline_monitor import DeadlineKey

MAX_CURSOR_LENGTH: Final = 200
DEFAULT_LIMIT: Final = 100
MAX_LIMIT: Final = 500

_ALPHABET: Final = re.compile(r"[A-Za-z0-9_-]+")
K = TypeVar("K")
T = TypeVar("T")


class BadCursor(ValueError):
    """Not a cursor this read gave out."""


class Cursor(Generic[K]):
    """The cursors of one read: `parse` turns the decoded key (a JSON list) into the key."""

    def __init__(self, read: str, parse: Callable[[list[Any]], K]) -> None:
        self.read = read
        self.parse = parse

    def encode(self, key: Sequence[int | str]) -> str:
        text = json.dumps([self.read, *key], separators=(",", ":"), ensure_ascii=True)
        token = base64.urlsafe_b64encode(text.encode("ascii")).rstrip(b"=").decode("ascii")
        assert len(token) <= MAX_CURSOR_LENGTH, token
        return token

    def decode(self, token: str | None) -> K | None:
        """The key the cursor names; None for the first page (no cursor)."""
        if token is None:
            return None
        if not _ALPHABET.fullmatch(token):
            raise BadCursor("not a cursor of this read")
        try:
            raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
            found = json.loads(raw.decode("ascii"))
        except (binascii.Error, ValueError) as error:  # JSON and Unicode errors are ValueErrors
            raise BadCursor("not a cursor of this read") from error
        if not isinstance(found, list) or not found or found[0] != self.read:
            raise BadCursor("not a cursor of this read")
        try:
            return self.parse(found[1:])
        except (TypeError, ValueError) as error:
            raise BadCursor("not a cursor of this read") from error

    def check(self, token: str | None) -> str | None:
        """A query parameter's validator: the token, if it decodes (else a 422)."""
        self.decode(token)
        return token

    def page(
        self, found: Sequence[T], limit: int, key: Callable[[T], Sequence[int | str]]
    ) -> tuple[list[T], str | None]:
        """The first `limit` items of `found` (asked with `limit + 1`) and the next cursor,
        None when `found` held no more than `limit` (the last page)."""
        if len(found) <= limit:
            return list(found), None
        return list(found[:limit]), self.encode(key(found[limit - 1]))


def _position(key: list[Any]) -> int:
    """A position in the event log or a version: one non-negative integer."""
    (value,) = key
    if type(value) is not int or not 0 <= value < 2**62:
        raise ValueError("not a position")
    return value


def _deadline(key: list[Any]) -> DeadlineKey:
    """(due day, application id, kind, ref), as the deadlines are ordered."""
    due_on, application_id, kind, ref = key
    if not all(isinstance(part, str) for part in key) or len(ref) > 64:
        raise ValueError("not a deadline key")
    return (
        date.fromisoformat(due_on).isoformat(),
        str(UUID(application_id)),
        DeadlineKind(kind).value,
        ref,
    )


HISTORY: Final = Cursor("h", _position)
AUDIT: Final = Cursor("a", _position)
GAPS: Final = Cursor("g", _position)
DEADLINES: Final = Cursor("d", _deadline)
NOTICES: Final = Cursor("n", _position)  # newest first: the next page is before the key

_CURSOR_TEXT = (
    "The `next_cursor` of the page before (opaque, at most 200 characters); none for the"
    " first page."
)


def cursor_query() -> Any:
    return Query(min_length=1, max_length=MAX_CURSOR_LENGTH, description=_CURSOR_TEXT)


HistoryCursor = Annotated[str | None, cursor_query(), AfterValidator(HISTORY.check)]
AuditCursor = Annotated[str | None, cursor_query(), AfterValidator(AUDIT.check)]
DeadlinesCursor = Annotated[str | None, cursor_query(), AfterValidator(DEADLINES.check)]
NoticesCursor = Annotated[str | None, cursor_query(), AfterValidator(NOTICES.check)]
Limit = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_LIMIT,
        description=f"Items a page: 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
    ),
]
