"""The ledger's plumbing: configuration, transcodings, loading, saving and retrying."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from datetime import datetime
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
from domain.clock import Clock, SystemClock
from domain.errors import ApplicationNotFound, DomainError, TooManyConflicts
from domain.housing_application import HousingApplication
from domain.idempotency import (
    IdempotentRequest,
    KeptRecord,
    KeyedStore,
    KeyReusedForAnotherRequest,
    current_request,
)
from domain.notices import notices_of
from domain.queue_list import QueueList
from domain.receipts import Outcome, Receipt, local_lock, receipt_of_kept
from domain.store_url import DEFAULT_DATABASE_URL, persistence_env
from domain.transcodings import register_kezek_transcodings
from domain.values import Role

T = TypeVar("T")
MAX_ATTEMPTS = 60
CONFLICT_SECONDS = 20.0


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
    # False only for the benchmark's baseline (bench/cases/notices.py): acts without notices.
    writes_notices = True

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        identity_key: IdentityKey | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(env)
        self._identity = identity_key
        # The server's clock: the system's, unless an in-process scenario brings its own,
        # which then goes on from the last act the store recorded.
        self.clock: Clock = clock or SystemClock()
        if clock is not None:
            last = self._last_recorded()
            if last is not None:
                clock.committed(last)

    def close(self) -> None:
        # A store's own connections outside the library's pool (PostgreSQL's lock sessions)
        # close with the application, or every closed application leaves one open.
        release = getattr(self.recorder, "release", None)
        if release is not None:
            release()
        super().close()

    @property
    def identity(self) -> IdentityKey:
        """The key for identifiers derived from IINs; only acts that file or move a claim need
        it, so read-only processes (projection workers) run without the secret."""
        if self._identity is None:
            self._identity = _identity_key_from(self.env)
        return self._identity

    def _last_recorded(self) -> datetime | None:
        head = self.recorder.max_notification_id()
        if not head:
            return None
        (last,) = self.recorder.select_notifications(start=head, limit=1)
        event: Any = self.mapper.to_domain_event(last)
        moment: datetime = event.timestamp
        return moment

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

    def _change(
        self,
        application_id: UUID,
        run: Callable[[HousingApplication, Outcome], list[Any]],
        *,
        on_list: bool = False,
    ) -> Receipt:
        def attempt() -> Receipt:
            app = self.application(application_id)
            outcome = Outcome()
            others = run(app, outcome)
            return self._save(app, *others, outcome=outcome)

        if not on_list:
            return self._retrying(attempt)

        def in_turn() -> Receipt:
            app = self.application(application_id)
            with self._exclusive(app.provider, app.form.list_code):
                request = current_request()
                kept = None if request is None or request.known_new else self._kept(request)
                return kept if kept is not None else attempt()

        return self._retrying(in_turn)

    def _save(
        self, app: HousingApplication, *others: Any, outcome: Outcome | None = None
    ) -> Receipt:
        decided = outcome or Outcome()
        request = current_request()
        kwargs: dict[str, Any] = {}
        notices = notices_of(app, app.pending_events) if self.writes_notices else []
        if notices:
            kwargs["notices"] = notices  # the store's outbox, in the act's transaction
        if request is not None:
            events = tuple(
                (e.originator_id, e.originator_version)
                for agg in (app, *others)
                for e in agg.pending_events
            )
            kept = self._receipt(app, decided, 0, 0).kept()
            kwargs["idempotency"] = KeptRecord(request, kept, events)
        recordings = self.save(app, *others, **kwargs)
        own = [r.notification.id for r in recordings if r.domain_event.originator_id == app.id]
        return self._receipt(
            app,
            decided,
            own[-1] if own else recordings[-1].notification.id,
            max(r.notification.id for r in recordings),
        )

    @staticmethod
    def _receipt(
        app: HousingApplication, decided: Outcome, notification_id: int, log_position: int
    ) -> Receipt:
        return Receipt(
            application_id=app.id,
            version=app.version,
            notification_id=notification_id,
            log_position=log_position,
            status=app.status,
            queue_number=decided.queue_number,
            complaint_id=decided.complaint_id,
            offer_id=decided.offer_id,
            consequence=decided.consequence,
        )

    def _retrying(self, attempt: Callable[[], Receipt]) -> Receipt:
        request = current_request()
        deadline = time.monotonic() + CONFLICT_SECONDS
        attempt_number = 0
        while True:
            if request is not None and (attempt_number or not request.known_new):
                kept = self._kept(request)
                if kept is not None:
                    return kept
            try:
                return attempt()
            except DomainError:
                # The same key's first request may have been recorded meanwhile (by another
                # process): then this is its retry, not an act out of order.
                kept = None if request is None else self._kept(request)
                if kept is None:
                    raise
                return kept
            except RecordConflictError:
                # Another act saved first (or the same key did): back off, then decide again on
                # fresh state. The wait grows with each conflict; acts on one list are mostly
                # serialised before they get here (`_exclusive`), so this is rare.
                attempt_number += 1
                if attempt_number >= MAX_ATTEMPTS or time.monotonic() > deadline:
                    break
                pause = min(0.2, 0.002 * 2 ** min(attempt_number, 7))
                time.sleep(random.uniform(0, pause))  # noqa: S311
        raise TooManyConflicts(f"gave up after {attempt_number} conflicting attempts")

    def kept_receipt(self, request: IdempotentRequest) -> Receipt | None:
        """The receipt an earlier request with this key got, if its act was recorded (422 if
        the key came with another request)."""
        return self._kept(request)

    def _kept(self, request: IdempotentRequest) -> Receipt | None:
        """The receipt of the act an earlier request with this key recorded, if any."""
        store = self._keyed_store()
        if store is None:
            return None
        kept = store.kept_act(request.scope, request.key)
        if kept is None:
            return None
        if kept.fingerprint != request.fingerprint:
            raise KeyReusedForAnotherRequest(
                "this Idempotency-Key was used for another request; use a new key"
            )
        return receipt_of_kept(kept, store)

    def _keyed_store(self) -> KeyedStore | None:
        recorder = self.recorder
        return recorder if hasattr(recorder, "kept_act") else None  # type: ignore[return-value]

    def _exclusive(self, provider: str, list_code: str) -> AbstractContextManager[None]:
        """Serialise the acts on one list across every thread and process on the store, so
        that they wait in turn instead of conflicting and retrying (a writer beside busy
        servers would otherwise starve)."""
        store = self._keyed_store()
        name = f"list/{provider}/{list_code}"
        if store is None:
            return local_lock(name)
        return store.exclusive(name)

    def claim_of(self, iin: str, app: HousingApplication) -> ApplicantClaim:
        """The citizen's claim to a place on the application's list (opened if new)."""
        claim_id = self.identity.claim_id(iin, app.provider, app.form.list_code)
        try:
            claim: object = self.repository.get(claim_id)
        except AggregateNotFoundError:
            return ApplicantClaim.open(claim_id)
        assert isinstance(claim, ApplicantClaim)
        return claim

    def list_of(self, app: HousingApplication) -> QueueList:
        """The application's list (opened if new)."""
        queue = self.queue(app.provider, app.form.list_code)
        # Not `or`: an emptied list is falsy (len 0) but exists, and must be reused.
        return queue if queue is not None else QueueList.open(app.provider, app.form.list_code)


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
