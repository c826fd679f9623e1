"""Bearer tokens (JWT, HS256) and who they let do what.

A token carries a role and a scope: an applicant's keyed reference (never their IIN), an
officer's or head's provider, a complaint body's code. Every endpoint checks both; the domain
checks again that the act is the right person's (who signs what is a rule of the procedure).

A token lives no longer than its role allows (`MAX_LIFETIME`), names the key that signed it
(`kid`, from a ring of the current key and the previous ones still accepted) and carries a
random id (`jti`), so that one token can be revoked and one key retired (api.revocations;
the operator's steps: docs/security.md, "Tokens").
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from domain.actors import PROVIDER_ROLES, Actor
from domain.values import Role

ALGORITHM = "HS256"
# How far the clocks of the machine that minted a token and the one reading it may disagree:
# `exp`, `nbf` and `iat` are all checked with it. More than a minute is a wrong clock.
CLOCK_SKEW = timedelta(seconds=60)
# The longest a token of each role may live, minting and reading alike. Staff, bodies, courts
# and auditors sign in for a working week at most; an applicant's portal session lasts half a
# day, and so does the portal's own credential, which files for applicants (its integration
# mints a new one before the last expires). SYSTEM (domain.actors.IN_PROCESS_ONLY) acts in
# process and gets no token at all.
STAFF_SESSION = timedelta(days=7)
APPLICANT_SESSION = timedelta(hours=12)
MAX_LIFETIME: dict[Role, timedelta] = {
    Role.APPLICANT: APPLICANT_SESSION,
    Role.PORTAL: APPLICANT_SESSION,
    Role.OFFICER: STAFF_SESSION,
    Role.HEAD: STAFF_SESSION,
    Role.COMPLAINT_BODY: STAFF_SESSION,
    Role.COURT: STAFF_SESSION,
    Role.AUDITOR: STAFF_SESSION,
}
REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "sub", "jti"]


class NotAuthenticated(Exception):
    """No token, or one that is malformed, expired, revoked or not ours: 401."""


class Forbidden(Exception):
    """A valid token whose role or scope does not allow this: 403."""


class TokenRefused(ValueError):
    """A token the rules do not let anyone mint: too long for its role, or for a role that gets
    none."""


def key_id(key: bytes) -> str:
    """A key's public name, the `kid` of the tokens it signs: derived from the key, so a ring of
    keys needs no names, and one-way, so it tells nothing of the key."""
    return hashlib.sha256(b"kezek token key id\x00" + key).hexdigest()[:16]


def _key_id_of(token: str) -> object:
    """The `kid` of the token's header, unverified: it only picks the key that then verifies
    the whole token, header included. (PyJWT's get_unverified_header decodes all three parts,
    a third of a verification.)"""
    header = token.split(".", 1)[0]
    decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
    return decoded.get("kid")


def max_lifetime(role: Role) -> timedelta:
    maximum = MAX_LIFETIME.get(role)
    if maximum is None:
        raise TokenRefused(f"the role {role.value} acts in process only: no token is issued for it")
    return maximum


def describe(lifetime: timedelta) -> str:
    hours = lifetime / timedelta(hours=1)
    days = f" ({lifetime.days} days)" if lifetime.days and not lifetime.seconds else ""
    return f"{hours:g} hours{days}"


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    provider: str | None = None

    @property
    def actor(self) -> Actor:
        return Actor(id=self.subject, role=self.role, provider=self.provider)

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            allowed = ", ".join(r.value for r in roles)
            raise Forbidden(f"this needs the role {allowed}; the token is for {self.role.value}")

    def require_provider(self, provider: str) -> None:
        """Staff act and read only for their own provider."""
        if self.role in PROVIDER_ROLES and self.provider != provider:
            raise Forbidden("the token is for staff of another service provider")

    def require_applicant(self, applicant_ref: str) -> None:
        if self.role is Role.APPLICANT and self.subject != applicant_ref:
            raise Forbidden("an applicant sees and acts on their own applications only")


@dataclass(frozen=True)
class VerifiedToken:
    """A token whose signature and claims hold: whom it speaks for, its ids, and the last
    moment (epoch seconds, skew included) it is accepted."""

    principal: Principal
    jti: str
    kid: str
    accepted_until: float


@dataclass(frozen=True)
class Revoked:
    """The token ids revoked and the key ids retired (api.revocations keeps them)."""

    jtis: frozenset[str] = frozenset()
    kids: frozenset[str] = frozenset()

    def check(self, token: VerifiedToken) -> None:
        if token.kid in self.kids:
            raise NotAuthenticated("the key that signed the token was retired")
        if token.jti in self.jtis:
            raise NotAuthenticated("the token was revoked")


NOTHING_REVOKED = Revoked()


class TokenIssuer:
    """Mints tokens with the current key; reads those of every key of the ring."""

    def __init__(
        self,
        key: bytes,
        *,
        previous: Sequence[bytes] = (),
        issuer: str = "kezek",
        hours: int = 12,
    ) -> None:
        self._key = key
        self.kid = key_id(key)
        self._keys = {key_id(k): k for k in (key, *previous)}
        self.issuer = issuer
        self.hours = hours

    @property
    def key_ids(self) -> tuple[str, ...]:
        """The ids of the keys accepted, the current one first."""
        return tuple(self._keys)

    def lifetime(self, role: Role, hours: int | None = None) -> timedelta:
        """`hours`, if the role allows so long; by default the configured hours, capped at the
        role's maximum."""
        maximum = max_lifetime(role)
        if hours is None:
            return min(timedelta(hours=self.hours), maximum)
        if hours <= 0:
            raise TokenRefused("a token lives a positive number of hours")
        if timedelta(hours=hours) > maximum:
            raise TokenRefused(
                f"a token for the role {role.value} lives at most {describe(maximum)};"
                f" {hours} hours asked"
            )
        return timedelta(hours=hours)

    def issue(
        self, principal: Principal, *, hours: int | None = None, now: datetime | None = None
    ) -> str:
        lifetime = self.lifetime(principal.role, hours)
        now = now or datetime.now(UTC)
        claims: dict[str, object] = {
            "iss": self.issuer,
            "sub": principal.subject,
            "role": principal.role.value,
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "jti": secrets.token_hex(
                16
            ),  # never starts with "-", which a command line takes for an option
        }
        if principal.provider is not None:
            claims["provider"] = principal.provider
        return jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"kid": self.kid})

    def verify(self, token: str) -> VerifiedToken:
        """The token's principal and ids; NotAuthenticated for a token that is malformed, not
        signed by a key of the ring, expired, not yet valid, or longer-lived than its role
        allows (an old long-lived token signed with our key)."""
        try:
            kid = _key_id_of(token)
            key = self._keys.get(kid) if isinstance(kid, str) else None
            if key is None:
                raise NotAuthenticated("the token names no key this service accepts (kid)")
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                leeway=CLOCK_SKEW,
                options={"require": REQUIRED_CLAIMS},
            )
            role = Role(claims["role"])
            issued, expires = float(claims["iat"]), float(claims["exp"])
        except (jwt.PyJWTError, KeyError, ValueError, TypeError, AttributeError) as error:
            raise NotAuthenticated(f"the bearer token is not valid: {error}") from None
        assert isinstance(kid, str)
        # PyJWT before 2.10 lets an `iat` in the future pass.
        if issued > time.time() + CLOCK_SKEW.total_seconds():
            raise NotAuthenticated("the bearer token is not valid: it was issued in the future")
        maximum = MAX_LIFETIME.get(role)
        if maximum is None:
            raise NotAuthenticated(f"no token is issued for the role {role.value}")
        if expires - issued > maximum.total_seconds():
            raise NotAuthenticated(
                f"the token lives longer than the role {role.value} allows: {describe(maximum)}"
            )
        jti = claims["jti"]
        if not isinstance(jti, str) or not jti:
            raise NotAuthenticated("the bearer token is not valid: its jti is not a string")
        provider = claims.get("provider")
        if role in {Role.OFFICER, Role.HEAD} and not isinstance(provider, str):
            raise NotAuthenticated("a staff token must name its provider")
        principal = Principal(subject=str(claims["sub"]), role=role, provider=provider)
        return VerifiedToken(principal, jti, kid, expires + CLOCK_SKEW.total_seconds())

    def read(self, token: str, revoked: Revoked = NOTHING_REVOKED) -> Principal:
        verified = self.verify(token)
        revoked.check(verified)
        return verified.principal
