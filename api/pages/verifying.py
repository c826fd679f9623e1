"""`/verify`: upload a court export bundle and paste the operator's key; the same verifier as
`kezek verify` (replay.verify) says what holds and what does not. Open to anyone: a bundle
is checked offline, against the key the visitor pins, and nothing is kept."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from api.pages import sessions
from api.pages.rendering import VisitDep
from api.pages.routing import PageRoute
from replay.verify import verify_bundle_bytes

router = APIRouter(route_class=PageRoute, include_in_schema=False)
MAX_KEY_CHARS = 4096


@router.get("/verify")
def verify_page(visit: VisitDep) -> Response:
    return visit.render("verify.html")


@router.post("/verify")
async def verify_upload(visit: VisitDep) -> Response:
    posted = await visit.request.form()
    sessions.check_csrf(visit.request, visit.session, posted.get("csrf"))
    bundle, key = posted.get("bundle"), posted.get("key")
    if not isinstance(bundle, UploadFile) or not isinstance(key, str) or not key.strip():
        return visit.render("verify.html", status=422, incomplete=True)
    data = await bundle.read()
    report = await run_in_threadpool(verify_bundle_bytes, data, key.strip()[:MAX_KEY_CHARS])
    return visit.render("verify.html", report=report, name=(bundle.filename or "")[:120])
