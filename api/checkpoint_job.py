"""The periodic checkpoint inside `kezek serve`: sign the log when it grew, ask the witnesses.

Runs in a thread of its own (a witness may take seconds to answer; the views must not wait) and
only while this process holds the writer's lease, so one process signs. Every
`settings.checkpoint_seconds`: when the log has grown past the latest checkpoint, sign a new
one; then ask every witness that has not cosigned the latest checkpoint. Refusals are logged
as errors and kept (replay.cosigning), so /health reports them until a witness cosigns.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from projections.serving import ServingProcess
from replay.checkpoints import CheckpointRefused, latest_checkpoint, sign_checkpoint
from replay.cosigning import ask_witnesses, cosigned_note
from replay.transparency import TransparencyLog

if TYPE_CHECKING:
    from api.services import Services

log = logging.getLogger("kezek.checkpoints")


class CheckpointJob:
    def __init__(self, services: Services, serving: ServingProcess, interval: float) -> None:
        self.services = services
        self.serving = serving
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kezek-checkpoints", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=15)

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self.serving.writing:  # another process holds the lease: look again soon
                self._stop.wait(1.0)
                continue
            try:
                self.once()
            except Exception:  # the job keeps running; the error is logged
                log.exception("checkpoint job failed")
            self._stop.wait(self.interval)

    def once(self) -> None:
        """One round, when this process writes the views."""
        services = self.services
        if not self.serving.writing:
            return
        database, view = services.database, services.view(TransparencyLog)
        with database.transaction() as tx:
            latest = latest_checkpoint(tx)
            if latest is None or view.size(tx) > latest.size:
                try:
                    latest = sign_checkpoint(tx, view, services.signing_key())
                except CheckpointRefused as error:
                    log.error("checkpoint job: %s", error)
                    return
            cosigned = cosigned_note(tx, latest)[len(latest.note) :].count("\n")
        urls = services.settings.witness_urls
        if latest is None or cosigned >= len(urls):
            return
        for answer in ask_witnesses(database, view, latest, urls):
            if not answer.ok:
                log.error("checkpoint job: %s", answer.line())
