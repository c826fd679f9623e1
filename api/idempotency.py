"""The `Idempotency-Key` request header (IETF draft "The Idempotency-Key HTTP Header Field").

Every write accepts it. The key is scoped to the caller (role, provider and subject of the
token) and fingerprinted with what was asked (method, path and the body's JSON, keys sorted),
then handed to the use case, which keeps it in the act's own transaction. A repeat with the
same key and the same request, through any process, answers the first answer again (same
status and body, with `Idempotent-Replayed: true`); the same key with another request is 422.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

from fastapi import Depends, Header, Request

from api.auth import Principal
from api.deps import CurrentPrincipal
from domain.idempotency import MAX_KEY_LENGTH, IdempotentRequest, KeyReusedForAnotherRequest

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KeyHeader = Annotated[
    str | None,
    Header(
        alias=KEY_HEADER,
        description="Any unique string (a UUID is good) per intended act, at most"
        f" {MAX_KEY_LENGTH} printable ASCII characters: a retry with the same key and body"
        " answers the first answer again, through any process, for at least 24 hours.",
    ),
]


class BadIdempotencyKey(ValueError):
    """The header is not a key Kezek can keep (malformed input: 422)."""


def parse_key(raw: str) -> str:
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':  # a structured-field string
        key = key[1:-1]
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not all(" " <= c <= "~" for c in key):
        raise BadIdempotencyKey(f"{KEY_HEADER} is 1 to {MAX_KEY_LENGTH} printable ASCII characters")
    return key


def scope_of(principal: Principal) -> str:
    return f"{principal.role.value}/{principal.provider or ''}/{principal.subject}"


def fingerprint(method: str, path: str, body: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


async def get_idempotent_request(
    request: Request, principal: CurrentPrincipal, key: KeyHeader = None
) -> IdempotentRequest | None:
    if key is None:
        return None
    body = await request.body()
    return IdempotentRequest(
        scope=scope_of(principal),
        key=parse_key(key),
        fingerprint=fingerprint(request.method, request.url.path, body),
    )


IdempotencyDep = Annotated[IdempotentRequest | None, Depends(get_idempotent_request)]

__all__ = [
    "REPLAYED_HEADER",
    "BadIdempotencyKey",
    "IdempotencyDep",
    "KeyReusedForAnotherRequest",
]
