"""The memory of verified tokens answers as a fresh verification would: never past `exp` (and
the clock skew), never for another key, never for a token that did not verify, never for a
token revoked or a key retired since it was remembered."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from api.auth import ALGORITHM, CLOCK_SKEW, NotAuthenticated, Principal, Revoked, TokenIssuer
from api.verified_tokens import VerifiedTokens, verified_tokens
from domain.values import Role

KEY = b"k" * 32
AUDITOR = Principal(subject="auditor-1", role=Role.AUDITOR)


def token_accepted_until(moment: int, issuer: TokenIssuer) -> str:
    """A one-hour token whose last accepted moment (its `exp` plus the skew) is `moment`."""
    issued = datetime.fromtimestamp(moment, UTC) - timedelta(hours=1) - CLOCK_SKEW
    return issuer.issue(AUDITOR, hours=1, now=issued)


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    issuer = TokenIssuer(KEY)
    last = math.ceil(time.time()) + 1
    token = token_accepted_until(last, issuer)
    tokens = VerifiedTokens(issuer)
    assert tokens.read(token) == AUDITOR
    assert tokens.read(token) == AUDITOR
    while time.time() < last:  # no timing is asserted: this only waits for `exp` to pass
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
    issuer = TokenIssuer(KEY)
    tokens = VerifiedTokens(issuer, size=3)
    genuine = jwt.decode(issuer.issue(AUDITOR), options={"verify_signature": False})
    # Our key's id in the header, another key's signature.
    forged = jwt.encode(genuine, b"f" * 32, algorithm=ALGORITHM, headers={"kid": issuer.kid})
    for _ in range(2):
        with pytest.raises(NotAuthenticated, match="Signature"):
            tokens.read(forged)
    issued = [issuer.issue(Principal(subject=f"auditor-{n}", role=Role.AUDITOR)) for n in range(5)]
    assert [tokens.read(t).subject for t in issued] == [f"auditor-{n}" for n in range(5)]
    assert len(tokens._known) == 3  # the bound is the point of this check


def test_a_remembered_token_is_refused_once_revoked_or_its_key_retired() -> None:
    old, new = b"o" * 32, b"n" * 32
    issuer = TokenIssuer(new, previous=[old])
    tokens = VerifiedTokens(issuer)
    by_old, by_new = TokenIssuer(old).issue(AUDITOR), issuer.issue(AUDITOR)
    assert tokens.read(by_old) == tokens.read(by_new) == AUDITOR  # both remembered now
    jti = jwt.decode(by_new, options={"verify_signature": False})["jti"]
    with pytest.raises(NotAuthenticated, match="revoked"):
        tokens.read(by_new, Revoked(jtis=frozenset({jti})))
    with pytest.raises(NotAuthenticated, match="retired"):
        tokens.read(by_old, Revoked(kids=frozenset({TokenIssuer(old).kid})))
    assert tokens.read(by_old, Revoked(jtis=frozenset({jti}))) == AUDITOR
