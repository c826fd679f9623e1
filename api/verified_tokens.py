"""A small per-process memory of bearer tokens already verified, until they expire.

Checking a token's HS256 signature and claims costs about 45 us, a tenth of a cheap request;
clients send the same token many times. A token that verified once stays valid, with the same
principal, until its `exp` (a token is immutable, and its key and issuer belong to one
`TokenIssuer`), so a hit only compares `exp` with the clock, as PyJWT does (`exp <= now`
is expired; no leeway). The memory is kept per `TokenIssuer`: a token verified under one key
is never taken by an app holding another.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict

import jwt

from api.auth import Principal, TokenIssuer

MAX_TOKENS = 1024


class VerifiedTokens:
    def __init__(self, issuer: TokenIssuer, size: int = MAX_TOKENS) -> None:
        self._issuer = issuer
        self._size = size
        self._lock = threading.Lock()
        self._known: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    def read(self, token: str) -> Principal:
        """The token's principal; NotAuthenticated when it is not valid (or no longer)."""
        with self._lock:
            known = self._known.get(token)
            if known is not None:
                principal, expires = known
                if time.time() < expires:
                    self._known.move_to_end(token)
                    return principal
                del self._known[token]
        principal = self._issuer.read(token)  # raises for a bad or expired token
        # Verified just above, so only the expiry is read back here.
        expires = float(jwt.decode(token, options={"verify_signature": False})["exp"])
        with self._lock:
            self._known[token] = (principal, expires)
            while len(self._known) > self._size:
                self._known.popitem(last=False)
        return principal


_by_issuer: weakref.WeakKeyDictionary[TokenIssuer, VerifiedTokens] = weakref.WeakKeyDictionary()
_by_issuer_lock = threading.Lock()


def verified_tokens(issuer: TokenIssuer) -> VerifiedTokens:
    """The memory of `issuer`'s tokens (made on first use; gone with the issuer)."""
    with _by_issuer_lock:
        tokens = _by_issuer.get(issuer)
        if tokens is None:
            tokens = _by_issuer[issuer] = VerifiedTokens(issuer)
        return tokens
