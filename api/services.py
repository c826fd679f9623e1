"""What one service process holds: the ledger, the views, its own queue index, and (while it
holds the writer's lease) the runner that writes the persisted views."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from api.auth import TokenIssuer
from api.checkpoint_job import CheckpointJob
from api.revocations import RevocationList
from api.revocations import create_table as create_revocations
from config.settings import Settings, identity_key, token_keys
from domain.clock import Clock
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from projections.freshness import ViewsBehind
from projections.live_queue import LiveQueue, view_positions
from projections.projection import Projection
from projections.runner import CatchUpRunner
from projections.serving import ServingProcess
from replay.administrative_files import create_table
from replay.catalog import PROJECTIONS, live_projections
from replay.checkpoints import OperatorKey, load_signing_key

P = TypeVar("P", bound=Projection)
# The longest a read waits for `?at_least=` before a 503 (an act's `?wait=true` waits up to
# 5 s, then answers with projections_caught_up false: api.routes.acting).
MAX_WAIT_SECONDS = 10.0
# Idempotency-Keys are kept at least this long (the writer forgets older ones, hourly).
KEEP_KEYS_HOURS = 72.0
PURGE_EVERY_SECONDS = 3600.0


@dataclass
class Services:
    settings: Settings
    waiting_list: WaitingList
    database: ViewDatabase
    runner: CatchUpRunner
    tokens: TokenIssuer
    revocations: RevocationList
    queue: LiveQueue
    serving: ServingProcess
    _views: dict[tuple[str, int], Projection] = field(default_factory=dict)
    _signing_key: OperatorKey | None = None
    checkpoints: CheckpointJob | None = None

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        follow: bool = True,
        writes: bool = True,
        clock: Clock | None = None,
    ) -> Services:
        """Open the store. With `follow`, the index follows and the process takes the writer's
        lease when it is free (`writes=False`: never; some other process writes the views).
        The clock is the system's; only an in-process scenario (tests) passes another."""
        waiting_list = WaitingList(
            env={"KEZEK_DATABASE_URL": settings.database_url},
            identity_key=identity_key(settings),
            clock=clock,
        )
        database = ViewDatabase(settings.database_url)
        runner = CatchUpRunner(waiting_list, live_projections(database, index=False), database)
        runner.setup()  # every view's tables exist before anyone reads them
        create_table(database)  # the administrative files', likewise
        create_revocations(database)
        revocations = RevocationList(database)
        revocations.refresh()
        queue = LiveQueue(waiting_list, database)
        queue.warm()
        serving = ServingProcess(runner, database, queue=queue, writes=writes)
        serving.on_tick.append(_key_purger(waiting_list, serving))
        serving.on_tick.append(revocations.refresh)
        if follow:
            serving.start()
        tokens = token_issuer(settings)
        services = cls(
            settings, waiting_list, database, runner, tokens, revocations, queue, serving
        )
        if follow and settings.witness_urls and settings.checkpoint_seconds > 0:
            job = CheckpointJob(services, serving, settings.checkpoint_seconds)
            services.checkpoints = job
            job.start()
        return services

    @property
    def witness_urls(self) -> list[str]:
        return self.settings.witness_urls

    def signing_key(self) -> OperatorKey:
        """The operator's checkpoint key, loaded once (on first use: a service without a key
        still serves everything but the checkpoint)."""
        if self._signing_key is None:
            env = {**os.environ, "KEZEK_DATABASE_URL": self.settings.database_url}
            self._signing_key = load_signing_key(env)
        return self._signing_key

    def view(self, kind: type[P]) -> P:
        """The projection `kind` at its live generation (a rebuild may have switched it)."""
        generation = self.queue.live_generations.get(kind.name, 1)
        key = (kind.name, generation)
        found = self._views.get(key)
        if found is None:
            if kind not in PROJECTIONS:
                raise LookupError(kind.__name__)
            found = self._views[key] = kind(generation=generation)
        assert isinstance(found, kind)
        return found

    def reflected(self) -> int:
        """A log position every view this process reads from stands at or beyond (the index
        and the persisted views, as last seen)."""
        positions = self.queue.view_positions
        views = min(positions.values()) if positions else 0
        return min(self.queue.position, views)

    def wait_for(self, position: int, timeout: float) -> bool:
        """Wait, at most `timeout` seconds, until the index and every persisted view (whoever
        writes them) include the log up to `position`."""
        deadline = time.monotonic() + timeout
        while True:
            if self.queue.position >= position:
                with self.database.transaction(write=False) as tx:
                    positions = view_positions(tx)
                self.queue.view_positions = positions  # fresher than the follower's last look
                if positions and min(positions.values()) >= position:
                    return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if not self.queue.wait_for(position, min(remaining, 0.05)):
                continue
            time.sleep(min(remaining, 0.01))

    def require(self, position: int | None, timeout: float = MAX_WAIT_SECONDS) -> None:
        """`?at_least=`: wait until the views include `position`, or 503 past the bound."""
        if position is None or self.reflected() >= position:
            return
        head = self.waiting_list.recorder.max_notification_id() or 0
        if position > head:
            raise ViewsBehind(self.reflected(), position, beyond_head=True)
        if not self.wait_for(position, timeout):
            raise ViewsBehind(self.reflected(), position)

    def close(self) -> None:
        if self.checkpoints is not None:
            self.checkpoints.stop()
        self.serving.stop()
        self.database.close()
        self.waiting_list.close()


def token_issuer(settings: Settings) -> TokenIssuer:
    """The issuer of the configured key ring: it signs with the first key, reads with all."""
    current, *previous = token_keys(settings)
    return TokenIssuer(
        current, previous=previous, issuer=settings.token_issuer, hours=settings.token_hours
    )


def _key_purger(waiting_list: WaitingList, serving: ServingProcess) -> Callable[[], None]:
    """Once an hour, in the process that writes the views, forget keys past their keeping."""
    last = [time.monotonic()]

    def purge() -> None:
        forget = getattr(waiting_list.recorder, "forget_keys_older_than", None)
        if forget is None or not serving.writing:
            return
        if time.monotonic() - last[0] >= PURGE_EVERY_SECONDS:
            last[0] = time.monotonic()
            forget(KEEP_KEYS_HOURS)

    return purge
