"""Bearer tokens (JWT, HS256) and who they let do what.

A token carries a role and a scope: an applicant's keyed reference (never their IIN), an
officer's or head's provider, a complaint body's code. Every endpoint checks both; the domain
checks again that the act is the right person's (who signs what is a rule of the procedure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from domain.actors import PROVIDER_ROLES, Actor
from domain.values import Role

ALGORITHM = "HS256"


class NotAuthenticated(Exception):
    """No token, or one that is malformed, expired or not ours: 401."""


class Forbidden(Exception):
    """A valid token whose role or scope does not allow this: 403."""


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


class TokenIssuer:
    def __init__(self, key: bytes, *, issuer: str = "kezek", hours: int = 12) -> None:
        self._key = key
        self.issuer = issuer
        self.hours = hours

    def issue(self, principal: Principal, *, hours: int | None = None) -> str:
        now = datetime.now(UTC)
        claims = {
            "iss": self.issuer,
            "sub": principal.subject,
            "role": principal.role.value,
            "iat": now,
            "exp": now + timedelta(hours=hours or self.hours),
        }
        if principal.provider is not None:
            claims["provider"] = principal.provider
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)

    def read(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                options={"require": ["exp", "iat", "iss", "sub"]},
            )
            role = Role(claims["role"])
        except (jwt.PyJWTError, KeyError, ValueError) as error:
            raise NotAuthenticated(f"the bearer token is not valid: {error}") from None
        provider = claims.get("provider")
        if role in {Role.OFFICER, Role.HEAD} and not isinstance(provider, str):
            raise NotAuthenticated("a staff token must name its provider")
        return Principal(subject=str(claims["sub"]), role=role, provider=provider)
