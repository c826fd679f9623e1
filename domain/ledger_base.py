"""The ledger's plumbing: configuration, transcodings, loading, saving and retrying."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    ApplicationRecorder,
    EventStore,
    IntegrityError,
    InternalError,
    JSONTranscoder,
    ProgrammingError,
    RecordConflictError,
)
from eventsourcing.utils import Environment

from domain.actors import Actor
from domain.claims import ApplicantClaim, IdentityKey
from domain.errors import ApplicationNotFound, TooManyConflicts
from domain.housing_application import HousingApplication
from domain.queue_list import QueueList
from domain.store_url import DEFAULT_DATABASE_URL, persistence_env
from domain.transcodings import register_kezek_transcodings
from domain.values import Role

T = TypeVar("T")
MAX_ATTEMPTS = 30


@dataclass(frozen=True)
class Receipt:
    """What a recorded act returns: where the application now stands in the log."""

    application_id: UUID
    version: int
    notification_id: int
    queue_number: int | None = None
    complaint_id: str | None = None
    offer_id: str | None = None


class LedgerBase(Application[UUID]):
    env = {
        "AGGREGATE_CACHE_MAXSIZE": "50000",
        "AGGREGATE_CACHE_FASTFORWARD": "y",
        "DEEPCOPY_FROM_AGGREGATE_CACHE": "y",
        "SQLITE_LOCK_TIMEOUT": "30",
    }
    # A list's snapshot holds every key (about 3 MB for Almaty's 45,000) and the library keeps
    # them all, so they are rare; a running process keeps lists warm in its cache anyway.
    snapshotting_intervals = {QueueList: 10_000}

    def __init__(
        self, env: Mapping[str, str] | None = None, *, identity_key: IdentityKey | None = None
    ) -> None:
        super().__init__(env)
        self._identity = identity_key

    @property
    def identity(self) -> IdentityKey:
        """The key for identifiers derived from IINs; only acts that file or move a claim need
        it, so read-only processes (projection workers) run without the secret."""
        if self._identity is None:
            self._identity = _identity_key_from(self.env)
        return self._identity

    def construct_env(self, name: str, env: Mapping[str, str] | None = None) -> Environment:
        given = dict(os.environ)
        given.update(env or {})
        if "PERSISTENCE_MODULE" not in given:
            url = given.get("KEZEK_DATABASE_URL", DEFAULT_DATABASE_URL)
            settings = persistence_env(url)
            if "SQLITE_DBNAME" in settings:
                Path(settings["SQLITE_DBNAME"]).parent.mkdir(parents=True, exist_ok=True)
            given.update(settings)
        return super().construct_env(name, given)

    def construct_recorder(self) -> ApplicationRecorder:
        return _creating_tables(super().construct_recorder)

    def construct_snapshot_store(self) -> EventStore[UUID]:
        return _creating_tables(super().construct_snapshot_store)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_kezek_transcodings(transcoder)

    # -- queries -----------------------------------------------------------------------

    def application(self, application_id: UUID) -> HousingApplication:
        try:
            app: object = self.repository.get(application_id)
        except AggregateNotFoundError:
            raise ApplicationNotFound(str(application_id)) from None
        if not isinstance(app, HousingApplication):
            raise ApplicationNotFound(str(application_id))
        return app

    def queue(self, provider: str, list_code: str) -> QueueList | None:
        try:
            queue: object = self.repository.get(QueueList.id_for(provider, list_code))
        except AggregateNotFoundError:
            return None
        assert isinstance(queue, QueueList)
        return queue

    def position(self, application_id: UUID) -> tuple[int, int] | None:
        """(position, length) on the list, or None when not on it."""
        app = self.application(application_id)
        queue = self.queue(app.provider, app.form.list_code)
        if queue is None or not app.on_the_list:
            return None
        return queue.position_of(app.priority_key), len(queue)

    def applicant(self, iin: str) -> Actor:
        """The actor an applicant acts as: their keyed reference, never their IIN."""
        return Actor(id=self.identity.applicant_ref(iin), role=Role.APPLICANT)

    # -- plumbing ----------------------------------------------------------------------

    def _act(self, application_id: UUID, command: Callable[[HousingApplication], Any]) -> Receipt:
        def run(app: HousingApplication, extra: dict[str, Any]) -> list[Any]:
            command(app)
            return []

        return self._change(application_id, run)

    def _change(
        self,
        application_id: UUID,
        run: Callable[[HousingApplication, dict[str, Any]], list[Any]],
    ) -> Receipt:
        def attempt() -> Receipt:
            app = self.application(application_id)
            extra: dict[str, Any] = {}
            others = run(app, extra)
            return self._save(app, *others, **extra)

        return self._retrying(attempt)

    def _save(self, app: HousingApplication, *others: Any, **extra: Any) -> Receipt:
        recordings = self.save(app, *others)
        return Receipt(
            application_id=app.id,
            version=app.version,
            notification_id=recordings[-1].notification.id,
            **extra,
        )

    def _retrying(self, attempt: Callable[[], T]) -> T:
        for attempt_number in range(MAX_ATTEMPTS):
            try:
                return attempt()
            except RecordConflictError:
                # Another act saved first: back off a little, then decide again on fresh state.
                time.sleep(random.uniform(0, 0.002 * (attempt_number + 1)))  # noqa: S311
        raise TooManyConflicts(f"gave up after {MAX_ATTEMPTS} conflicting attempts")

    def _claim(self, iin: str, provider: str, list_code: str) -> ApplicantClaim:
        claim_id = self.identity.claim_id(iin, provider, list_code)
        try:
            claim: object = self.repository.get(claim_id)
        except AggregateNotFoundError:
            return ApplicantClaim.open(claim_id)
        assert isinstance(claim, ApplicantClaim)
        return claim

    def _queue(self, provider: str, list_code: str) -> QueueList:
        queue = self.queue(provider, list_code)
        # Not `or`: an emptied list is falsy (len 0) but exists, and must be reused.
        return queue if queue is not None else QueueList.open(provider, list_code)


def _creating_tables(construct: Callable[[], T]) -> T:
    """Run a constructor that creates tables, tolerating processes that start at the same time.

    PostgreSQL refuses concurrent `CREATE OR REPLACE FUNCTION` / `CREATE TABLE IF NOT EXISTS` of
    the same object ("tuple concurrently updated"); once the other process commits, trying again
    finds everything in place.
    """
    for attempt in range(1, 8):
        try:
            return construct()
        except (InternalError, IntegrityError, ProgrammingError):
            if attempt == 7:
                raise
            time.sleep(0.05 * attempt)
    raise AssertionError("unreachable")


def _identity_key_from(env: Mapping[str, str]) -> IdentityKey:
    secret = env.get("KEZEK_IDENTITY_KEY")
    if not secret:
        raise ValueError(
            "set KEZEK_IDENTITY_KEY (at least 64 hex digits) or pass identity_key: identifiers "
            "derived from IINs are keyed hashes"
        )
    return IdentityKey(bytes.fromhex(secret))
