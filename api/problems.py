"""Every error as RFC 9457 problem+json, in one place.

Malformed input 422 (naming the field), a rule of the procedure broken 409 (naming the rule
and its paragraph), no or bad token 401, wrong role or scope 403, unknown id 404, a body over
the stated limit 413 (api/body_limit.py), database unreachable 503 with Retry-After. A failed
request has written nothing.

Answers are bounded whatever was sent (domain/limits.py): a 422 lists at most the first
PROBLEMS_LISTED problems (and says how many there were), each field and message cut short, and
no detail is longer than DETAIL_CHARS; a bad value itself is never echoed.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.auth import Forbidden, NotAuthenticated
from api.idempotency import BadIdempotencyKey
from domain import limits
from domain.calendar import NaiveDatetimeError
from domain.errors import (
    ApplicationNotFound,
    DomainError,
    TimeNotYours,
    TooManyConflicts,
    UnknownComplaint,
    UnknownNoticeNamed,
    UnknownOffer,
    UnknownProvider,
)
from domain.idempotency import KeyReusedForAnotherRequest
from domain.rules import MomentOutOfRange
from projections.freshness import ViewsBehind
from replay.asof_moment import NaiveMoment
from replay.export import ExportError

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
BASE = "https://kezek.kz/problems/"


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "rule": {"type": "string"},
        "paragraph": {"type": "string"},
    },
    "additionalProperties": True,
}
_MEANING = {
    400: "Bad request",
    401: "No valid bearer token",
    403: "Wrong role or scope",
    404: "Unknown id",
    409: "A rule of the procedure forbids the act (names the rule and its paragraph)",
    413: f"The request body is over {limits.BODY_BYTES:,} bytes (refused before it is read)",
    422: "Malformed input (names the field)",
    503: "The database is unreachable; retry",
}


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of the problem+json answers a route can give."""
    return {
        code: {"description": _MEANING[code], "content": {MEDIA_TYPE: {"schema": PROBLEM_SCHEMA}}}
        for code in codes
    }


class NotFound(Exception):
    """Something named in the URL does not exist."""


def shortened(text: str, limit: int) -> str:
    """`text` to show: cut to `limit` characters (marked by an ellipsis), and any character that
    is not printable (a control, a bidirectional override...) shown as "?"."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text if text.isprintable() else "".join(c if c.isprintable() else "?" for c in text)


def problem(status: int, kind: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    detail = shortened(detail, limits.DETAIL_CHARS)
    body = {"type": BASE + kind, "title": title, "status": status, "detail": detail, **extra}
    headers = {"Retry-After": "1" if kind == "views-behind" else "5"} if status == 503 else None
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _listed(found: list[Any]) -> list[dict[str, str]]:
    """The first problems, each cut short, as many as fit the stated bounds."""
    listed: list[dict[str, str]] = []
    room = limits.PROBLEMS_BYTES
    for e in found[: limits.PROBLEMS_LISTED]:
        # The location may hold a name the caller made up (an unknown field): cut like the rest.
        entry = {
            "field": shortened(".".join(str(p) for p in e.get("loc", ())), limits.PROBLEM_CHARS),
            "message": shortened(str(e.get("msg", "")), limits.PROBLEM_CHARS),
        }
        room -= len(json.dumps(entry, ensure_ascii=False).encode())
        if room < 0:
            break
        listed.append(entry)
    return listed


def _validation(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    found = list(error.errors())
    listed = _listed(found)
    detail = "; ".join(f"{f['field']}: {f['message']}" for f in listed)
    if len(found) > len(listed):
        detail = f"{len(found)} problems, the first {len(listed)} listed: {detail}"
    return problem(
        422, "malformed-input", "Malformed input", detail, errors=listed, problems=len(found)
    )


def _domain(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    return problem(
        409,
        "rule-broken/" + type(error).__name__,
        "A rule of the procedure forbids this act",
        error.detail,
        rule=error.rule,
        paragraph=error.paragraph,
        error=type(error).__name__,
    )


def _time_not_yours(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, TimeNotYours)
    detail = str(error)
    return problem(
        422, "malformed-input", "Malformed input", detail,
        errors=[{"field": f"body.{error.field}", "message": detail}],
    )  # fmt: skip


def _export_refused(_: Request, error: Exception) -> JSONResponse:
    return problem(409, "export-refused", "The export cannot be made", str(error))


def _bad_value(_: Request, error: Exception) -> JSONResponse:
    return problem(422, "malformed-input", "Malformed input", str(error))


def _unauthenticated(_: Request, error: Exception) -> JSONResponse:
    response = problem(401, "unauthenticated", "Not authenticated", str(error))
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


def _forbidden(_: Request, error: Exception) -> JSONResponse:
    return problem(403, "forbidden", "Forbidden", str(error))


def _not_found(_: Request, error: Exception) -> JSONResponse:
    if isinstance(error, ApplicationNotFound):
        what = f"no application {error}"
    elif isinstance(error, DomainError):
        what = error.detail
    else:
        what = str(error)
    return problem(404, "not-found", "Not found", what or "no such resource")


def _unavailable(_: Request, error: Exception) -> JSONResponse:
    log.warning("store unavailable: %s", type(error).__name__)
    return problem(503, "unavailable", "Service unavailable", "the database is unreachable")


def _key_problem(_: Request, error: Exception) -> JSONResponse:
    return problem(422, "idempotency-key", "Unusable Idempotency-Key", str(error))


def _behind(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ViewsBehind)
    if error.beyond_head:  # no act was ever answered with that position: malformed input
        return problem(422, "malformed-input", "Malformed input", str(error), field="at_least")
    return problem(
        503,
        "views-behind",
        "The views have not reached that position yet",
        str(error),
        position=error.position,
        wanted=error.wanted,
    )


def _busy(_: Request, error: Exception) -> JSONResponse:
    return problem(503, "busy", "Service busy", "concurrent acts kept conflicting; retry")


def _http(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    if error.status_code == 400:
        # A body that is not JSON at all (FastAPI's 400) is malformed input like any other.
        return problem(422, "malformed-input", "Malformed input", str(error.detail))
    titles = {404: "Not found", 405: "Method not allowed", 401: "Not authenticated"}
    return problem(
        error.status_code,
        f"http-{error.status_code}",
        titles.get(error.status_code, "Error"),
        str(error.detail),
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(TimeNotYours, _time_not_yours)
    app.add_exception_handler(UnknownProvider, _bad_value)
    app.add_exception_handler(NaiveDatetimeError, _bad_value)
    app.add_exception_handler(NaiveMoment, _bad_value)
    app.add_exception_handler(MomentOutOfRange, _bad_value)
    app.add_exception_handler(ExportError, _export_refused)
    app.add_exception_handler(NotAuthenticated, _unauthenticated)
    app.add_exception_handler(Forbidden, _forbidden)
    app.add_exception_handler(ApplicationNotFound, _not_found)
    app.add_exception_handler(NotFound, _not_found)
    # Complaint and offer ids come from the URL: an unknown one is a 404, not a broken rule.
    app.add_exception_handler(UnknownComplaint, _not_found)
    app.add_exception_handler(UnknownNoticeNamed, _not_found)
    app.add_exception_handler(UnknownOffer, _not_found)
    app.add_exception_handler(OperationalError, _unavailable)
    app.add_exception_handler(InterfaceError, _unavailable)
    app.add_exception_handler(psycopg.OperationalError, _unavailable)
    app.add_exception_handler(sqlite3.OperationalError, _unavailable)
    app.add_exception_handler(TooManyConflicts, _busy)
    app.add_exception_handler(KeyReusedForAnotherRequest, _key_problem)
    app.add_exception_handler(BadIdempotencyKey, _key_problem)
    app.add_exception_handler(ViewsBehind, _behind)
    app.add_exception_handler(HTTPException, _http)
