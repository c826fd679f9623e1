"""The memory of verified tokens answers as a fresh verification would: never past `exp`, never
for another key, never for a token that did not verify."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime

import jwt
import pytest

from api.auth import ALGORITHM, NotAuthenticated, Principal, TokenIssuer
from api.verified_tokens import VerifiedTokens, verified_tokens
from domain.values import Role

KEY = b"k" * 32
AUDITOR = Principal(subject="auditor-1", role=Role.AUDITOR)


def token_expiring_at(expires: int, key: bytes = KEY) -> str:
    claims = {"iss": "kezek", "sub": "auditor-1", "role": "auditor", "iat": datetime.now(UTC)}
    return jwt.encode({**claims, "exp": expires}, key, algorithm=ALGORITHM)


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    expires = math.ceil(time.time()) + 1
    token = token_expiring_at(expires)
    tokens = VerifiedTokens(TokenIssuer(KEY))
    assert tokens.read(token) == AUDITOR
    assert tokens.read(token) == AUDITOR
    while time.time() < expires:  # no timing is asserted: this only waits for `exp` to pass
        time.sleep(0.05)
    with pytest.raises(NotAuthenticated, match="expired"):
        tokens.read(token)


def test_a_token_verified_under_one_key_is_not_taken_under_another() -> None:
    token = TokenIssuer(KEY).issue(AUDITOR)
    mine, other = TokenIssuer(KEY), TokenIssuer(b"o" * 32)
    assert verified_tokens(mine).read(token) == AUDITOR
    assert verified_tokens(mine) is verified_tokens(mine)
    with pytest.raises(NotAuthenticated):
        verified_tokens(other).read(token)


def test_a_bad_token_is_never_remembered_and_the_memory_stays_small() -> None:
    tokens = VerifiedTokens(TokenIssuer(KEY), size=3)
    forged = token_expiring_at(math.ceil(time.time()) + 3600, key=b"f" * 32)
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            tokens.read(forged)
    issuer = TokenIssuer(KEY)
    issued = [issuer.issue(Principal(subject=f"auditor-{n}", role=Role.AUDITOR)) for n in range(5)]
    assert [tokens.read(t).subject for t in issued] == [f"auditor-{n}" for n in range(5)]
    assert len(tokens._known) == 3  # the bound is the point of this check
