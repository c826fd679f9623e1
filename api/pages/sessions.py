"""The pages' sessions: a random id in an HttpOnly cookie, the session itself in the store.

A session is kept in a table beside the views (so every process of the service agrees, and
sign-out ends it everywhere): the hash of its id, whom it speaks for, the token id it came
from (a revoked token ends its sessions), its CSRF token and when it ends. The cookie is
`HttpOnly`, `SameSite=Lax`, `Secure` when the request came over HTTPS, and lives no longer
than the session: 30 minutes for an applicant signed in with a code, at most 8 hours (and no
longer than the token) for staff. No token ever appears in a URL; every form carries the CSRF
token, and a POST without the right one is refused before it is read further.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Final

from fastapi import Request, Response

from api.auth import Principal
from domain.values import Role
from projections.database import ViewDatabase

TABLE: Final = "kezek_page_sessions"
SESSION_COOKIE: Final = "kezek_session"
ANONYMOUS_COOKIE: Final = "kezek_visitor"  # carries the CSRF secret of the sign-in forms
APPLICANT_SECONDS: Final = 30 * 60
STAFF_SECONDS: Final = 8 * 3600


class CsrfRefused(Exception):
    """A form posted without this browser's CSRF token: 403, nothing written."""


@dataclass(frozen=True)
class Session:
    principal: Principal
    jti: str
    csrf: str
    expires_at: int


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


SCHEMA: Final = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (id_hash TEXT PRIMARY KEY, subject TEXT NOT NULL,"
    " role TEXT NOT NULL, provider TEXT, jti TEXT NOT NULL, csrf TEXT NOT NULL,"
    " expires_at BIGINT NOT NULL)",
)


def create_tables(database: ViewDatabase, schema: tuple[str, ...] = SCHEMA) -> None:
    """The tables of `schema`, at start-up (api.pages.setup)."""
    with database.creating() as tx:
        for statement in schema:
            tx.execute(statement)


def start(
    database: ViewDatabase, principal: Principal, *, jti: str, until: float | None = None
) -> tuple[str, Session]:
    """A new session for `principal`: its cookie value and the session."""
    now = int(time.time())
    longest = APPLICANT_SECONDS if principal.role is Role.APPLICANT else STAFF_SECONDS
    ends = now + longest if until is None else min(now + longest, int(until))
    sid = secrets.token_urlsafe(32)
    session = Session(principal, jti, secrets.token_urlsafe(32), ends)
    with database.transaction() as tx:
        tx.execute(f"DELETE FROM {TABLE} WHERE expires_at < ?", (now,))
        tx.execute(
            f"INSERT INTO {TABLE} (id_hash, subject, role, provider, jti, csrf, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                _digest(sid),
                principal.subject,
                principal.role.value,
                principal.provider,
                jti,
                session.csrf,
                ends,
            ),
        )
    return sid, session


def find(database: ViewDatabase, sid: str | None) -> Session | None:
    if not sid or len(sid) > 128:
        return None
    with database.transaction(write=False) as tx:
        row = tx.fetchone(
            f"SELECT subject, role, provider, jti, csrf, expires_at FROM {TABLE}"
            " WHERE id_hash = ? AND expires_at >= ?",
            (_digest(sid), int(time.time())),
        )
    if row is None:
        return None
    subject, role, provider, jti, csrf, expires_at = row
    return Session(Principal(str(subject), Role(role), provider), str(jti), str(csrf), expires_at)


def end(database: ViewDatabase, sid: str | None) -> None:
    if sid:
        with database.transaction() as tx:
            tx.execute(f"DELETE FROM {TABLE} WHERE id_hash = ?", (_digest(sid),))


def set_cookie(request: Request, response: Response, name: str, value: str, seconds: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=seconds,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def visitor_secret(request: Request) -> tuple[str, bool]:
    """The anonymous visitor's secret (for the sign-in forms' CSRF token), and whether it is
    new (then the response sets its cookie)."""
    kept = request.cookies.get(ANONYMOUS_COOKIE, "")
    if 20 <= len(kept) <= 64:
        return kept, False
    return secrets.token_urlsafe(24), True


def csrf_token(session: Session | None, visitor: str) -> str:
    if session is not None:
        return session.csrf
    return _digest("kezek csrf\x00" + visitor)


def check_csrf(request: Request, session: Session | None, posted: object) -> None:
    """Refuse a form whose CSRF token is not this browser's."""
    visitor = request.cookies.get(ANONYMOUS_COOKIE, "")
    expected = [csrf_token(None, visitor)] if visitor else []
    if session is not None:
        expected = [session.csrf]
    if not isinstance(posted, str) or not any(
        hmac.compare_digest(posted.encode(), e.encode()) for e in expected
    ):
        raise CsrfRefused("the form's CSRF token is missing or not this browser's")
