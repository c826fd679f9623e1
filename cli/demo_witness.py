"""A witness beside the demo service (`kezek serve --demo` without KEZEK_WITNESSES): the demo's
checkpoints come cosigned, as a complaint body's witness would cosign them in production
(docs/transparency.md). It runs in the service's process, on 127.0.0.1 only."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import uvicorn

from api.witness_app import create_witness_app
from cli.witness import load_or_make_key
from config.settings import Settings
from replay.checkpoints import MissingSigningKey, load_signing_key
from replay.signed_notes import Key
from replay.witness import Witness

NAME = "witness.demo/local"
KEY_FILE = Path("var/witness.key")
CHECKPOINT_SECONDS = 10.0


def with_demo_witness(settings: Settings) -> tuple[Settings, list[str]]:
    """`settings` naming a demo witness started here (and what to tell the user), or the same
    settings when witnesses are configured or the log has no signing key to witness."""
    if settings.witness_urls:
        return settings, []
    try:
        operator = load_signing_key({**os.environ, "KEZEK_DATABASE_URL": settings.database_url})
    except MissingSigningKey:
        return settings, []
    key = load_or_make_key(KEY_FILE, NAME)
    state = Witness(key, [Key.parse(operator.verifier_key)], KEY_FILE.with_suffix(".db"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    config = uvicorn.Config(
        create_witness_app(state), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, name="kezek-demo-witness", daemon=True).start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    url = f"http://127.0.0.1:{port}"
    witnessed = settings.model_copy(
        update={"witnesses": url, "checkpoint_seconds": CHECKPOINT_SECONDS}
    )
    return witnessed, [
        f"A demo witness cosigns each checkpoint at {url} (its key, for `kezek verify"
        f" --witness-key`: {key.verifier_key}); the cosigned checkpoint:"
        " /v1/transparency/checkpoint",
    ]
