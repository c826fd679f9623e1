"""The witness over HTTP (C2SP tlog-witness): `POST /add-checkpoint` and the monitors' `GET
/<sha256(origin) hex>/checkpoint`. The protocol and the state are replay.witness; this only
carries bytes in and out. `kezek witness serve` runs it (cli/witness.py).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response

from api.body_limit import BodyLimit
from replay.witness import Witness

# An add-checkpoint body is 63 hashes and a checkpoint with a few signatures: a few KiB.
BODY_LIMIT = 64 * 1024


def create_witness_app(witness: Witness) -> FastAPI:
    app = FastAPI(title="Kezek witness", version="1", docs_url=None, redoc_url=None)
    app.add_middleware(BodyLimit, limit=BODY_LIMIT)

    # A plain `def` body runs in the thread pool: the state's SQLite lock may make it wait.
    def add(body: bytes) -> Response:
        answer = witness.add_checkpoint(body)
        return Response(answer.body, status_code=answer.status, media_type=answer.content_type)

    @app.post("/add-checkpoint", response_class=PlainTextResponse)
    async def add_checkpoint(request: Request) -> Response:
        """Cosign a checkpoint consistent with the last one this witness cosigned."""
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(add, await request.body())

    @app.get("/{origin_hash}/checkpoint", response_class=PlainTextResponse)
    def latest(origin_hash: str) -> Response:
        """The latest checkpoint this witness cosigned of the log, with its cosignature."""
        origin = witness.origin_for_hash(origin_hash)
        state = None if origin is None else witness.latest(origin)
        if state is None:
            return PlainTextResponse("no checkpoint cosigned for this log\n", status_code=404)
        return PlainTextResponse(state.note)

    @app.get("/health")
    def health() -> dict[str, object]:
        return {"witness": witness.key.verifier_key, "logs": sorted(witness.logs)}

    return app
