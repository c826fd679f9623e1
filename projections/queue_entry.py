"""One entry of the in-memory queue index as bytes: the priority key in 28 bytes that sort
exactly as the key does, then whose place it is.

Layout: list number (2 bytes, which list of the index holds the entry), the moment's 20 digits
as a 9-byte number (fixed width digits sort as numbers), the application id's 16 bytes (hex
digits sort as the bytes), the consent flag (1 byte); then the holder: nothing when unknown,
else a tag byte and the applicant reference's 16 bytes (or, for any other text, its UTF-8).
Two entries never share their first 28 bytes (they hold the application id), so the holder
after them never changes the order.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

# "YYYY-MM-DDTHH:MM:SS.ffffffZ|<32 hex digits>|<0 or 1>" (domain.priority)
_KEY = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\|[0-9a-f]{32}\|[01]")
KEY_BYTES = 28
# What domain.claims.IdentityKey.applicant_ref makes: kept as its 16 bytes.
_REFERENCE = re.compile(r"app-[0-9a-f]{32}")
_DIGEST, _TEXT = b"\x01", b"\x02"


def encode_holder(holder: str | None) -> bytes:
    """A tag byte, then an applicant reference's 16 bytes (or any other text as UTF-8)."""
    if holder is None:
        return b""
    if _REFERENCE.fullmatch(holder):
        return _DIGEST + bytes.fromhex(holder[4:])
    return _TEXT + holder.encode()


def decode_holder(entry: bytes) -> str | None:
    tail = entry[KEY_BYTES:]
    if not tail:
        return None
    return "app-" + tail[1:].hex() if tail[:1] == _DIGEST else tail[1:].decode()


def encode_key(list_number: int, key: str) -> bytes:
    """The key's 28 bytes (see the module's layout)."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"not a priority key: {key!r}")
    digits = key[0:4] + key[5:7] + key[8:10] + key[11:13] + key[14:16] + key[17:19] + key[20:26]
    return (
        list_number.to_bytes(2, "big")
        + int(digits).to_bytes(9, "big")
        + bytes.fromhex(key[28:60])
        + key[61].encode()
    )


def key_moment(entry: bytes) -> datetime:
    d = f"{int.from_bytes(entry[2:11], 'big'):020d}"
    return datetime(
        int(d[0:4]), int(d[4:6]), int(d[6:8]), int(d[8:10]), int(d[10:12]), int(d[12:14]),
        int(d[14:20]), tzinfo=UTC,
    )  # fmt: skip


def decode_key(entry: bytes) -> str:
    d = f"{int.from_bytes(entry[2:11], 'big'):020d}"
    stamp = f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}.{d[14:20]}Z"
    return f"{stamp}|{entry[11:27].hex()}|{entry[27:28].decode()}"


def application_of(entry: bytes) -> int:
    return int.from_bytes(entry[11:27], "big")
