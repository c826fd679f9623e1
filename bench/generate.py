"""The national synthetic data set, loaded in bulk: `python -m bench generate --applications N`.

Every event is what the domain produces: the demo's paths of the procedure (`api.demo`: every
route, complaints, deregistrations, succession, offers, working days and holidays of the
calendar) are planned for households drawn over all providers of the reference data, with a
skew of their sizes, and recorded through the real `WaitingList` use cases. Only persistence
differs: `BulkLedger` keeps the aggregates in memory (list registrations are serialised per
list by construction: one process, one live `QueueList` per list) and buffers their events in
the order of the acts; every `chunk` events go to the store with one `save(...)` call, one
transaction.

Cases are planned in windows of `window` applications (each spanning the demo's two years, so
windows after the first are recorded "late": their acts take effect before acts recorded
earlier; queue numbers stay those of the ledger's order). After each window the finished
applications leave memory; an act on one of them later (an offer) reads it from the store.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from api.demo.cases import Case
from api.demo.district import SPECIAL_PATHS, STARTS_INCOMPLETE, Route
from api.demo.paths import plan_path
from api.demo.plan import plan_offer_rounds
from api.demo.result import DemoResult
from api.demo.scheduler import Scheduler
from api.demo.script import Setting
from api.synthetic import IDENTITY_KEY_HEX, IINRegistry, household_form
from domain.claims import ApplicantClaim, IdentityKey
from domain.errors import ApplicationNotFound
from domain.housing_application import HousingApplication
from domain.queue_list import QueueList
from domain.reference import providers
from domain.waiting_list import WaitingList

# Relative sizes of the six lists (Art. 74 para 2), nationally.
LIST_WEIGHTS = {
    "socially_vulnerable": 56,
    "state_employees": 13,
    "large_families": 12,
    "orphans": 9,
    "emergency_housing": 8,
    "veterans": 2,
}
BIG_CITIES = {"almaty": 9.0, "astana": 8.0, "shymkent": 5.0}


def national_providers() -> list[tuple[str, float, str, str, str]]:
    """(code, weight, settlement, region, tz) of every provider: cities of republican
    significance dominate, the rest follow a Zipf-like tail (rank r weighs 3 / (r + 2))."""
    out: list[tuple[str, float, str, str, str]] = []
    for rank, (code, p) in enumerate(sorted(providers().items())):
        weight = BIG_CITIES.get(code, 3.0 / (rank % 25 + 2))
        out.append((code, weight, p.region, p.region, p.tz))
    return out


class BulkLedger(WaitingList):
    """A WaitingList whose aggregates live in memory and whose events are written in bulk."""

    name = "WaitingList"  # the same tables as the ledger (a subclass would get its own)

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        identity_key: IdentityKey | None = None,
        chunk: int = 5000,
    ) -> None:
        super().__init__(env, identity_key=identity_key)
        self.chunk = chunk
        self.live: dict[UUID, Any] = {}
        self.evicted: set[UUID] = set()  # in the store only: read back if an act needs them
        self.buffer: list[Any] = []
        self.written = 0
        self.transactions = 0
        self.write_seconds = 0.0
        self._next = self.recorder.max_notification_id() or 0
        select_events = self.recorder.select_events

        def flushing_select_events(*args: Any, **kwargs: Any) -> Any:
            self.flush()  # the demo's complaint files read the stored events
            return select_events(*args, **kwargs)

        self.recorder.select_events = flushing_select_events  # type: ignore[method-assign]

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        for obj in objs:
            self.live[obj.id] = obj
            self.buffer.extend(obj.collect_events())
        self._next += 1
        if len(self.buffer) >= self.chunk:
            self.flush()
        return [SimpleNamespace(notification=SimpleNamespace(id=self._next))]

    def flush(self) -> None:
        if not self.buffer:
            return
        events, self.buffer = self.buffer, []
        started = time.perf_counter()
        WaitingList.save(self, *events)  # one transaction, events in the order of the acts
        self.write_seconds += time.perf_counter() - started
        self.written += len(events)
        self.transactions += 1

    def _stored(self, aggregate_id: UUID) -> Any:
        self.flush()
        obj: Any = self.repository.get(aggregate_id)
        self.live[aggregate_id] = obj
        return obj

    def application(self, application_id: UUID) -> HousingApplication:
        app = self.live.get(application_id)
        if app is None:
            try:
                app = self._stored(application_id)
            except AggregateNotFoundError:
                raise ApplicationNotFound(str(application_id)) from None
        if not isinstance(app, HousingApplication):
            raise ApplicationNotFound(str(application_id))
        return app

    def queue(self, provider: str, list_code: str) -> QueueList | None:
        queue = self.live.get(QueueList.id_for(provider, list_code))
        assert queue is None or isinstance(queue, QueueList)
        return queue

    def _claim(self, iin: str, provider: str, list_code: str) -> ApplicantClaim:
        claim_id = self.identity.claim_id(iin, provider, list_code)
        claim = self.live.get(claim_id)
        if claim is None:
            if claim_id not in self.evicted:
                return ApplicantClaim.open(claim_id)
            try:
                claim = self._stored(claim_id)
            except AggregateNotFoundError:
                return ApplicantClaim.open(claim_id)
        assert isinstance(claim, ApplicantClaim)
        return claim

    def forget_applications(self) -> None:
        """Keep only the lists in memory (their events are flushed first)."""
        self.flush()
        self.evicted.update(k for k, v in self.live.items() if not isinstance(v, QueueList))
        self.live = {k: v for k, v in self.live.items() if isinstance(v, QueueList)}


@dataclass
class GenerateReport:
    applications: int
    acts: int
    events: int
    transactions: int
    seconds: float
    write_seconds: float
    lists: int
    on_lists: int

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def plan_national(
    setting: Setting,
    count: int,
    first_serial: int,
    where: list[tuple[str, float, str, str, str]],
) -> list[Case]:
    """Like the demo's plan_cases, over every provider and the six lists."""
    rng = setting.rng
    paths: list[Route] = []
    for path, share, least in SPECIAL_PATHS:
        paths += [path] * max(least if count >= 60 else 0, round(share * count))
    paths = paths[:count]
    paths += [Route.REGISTERED] * (count - len(paths))
    rng.shuffle(paths)
    codes = list(LIST_WEIGHTS)
    list_weights = [LIST_WEIGHTS[c] for c in codes]
    provider_weights = [w[1] for w in where]
    cases = []
    for serial, path in enumerate(paths, start=first_serial):
        code, _, settlement, region, tz = rng.choices(where, weights=provider_weights)[0]
        list_code = rng.choices(codes, weights=list_weights)[0]
        needs_spouse = path is Route.SUCCESSION
        form = household_form(
            rng,
            setting.iins,
            list_code=list_code,
            family_size=rng.randint(1, 4) if needs_spouse else None,
            with_spouse=True if needs_spouse else None,
            accepts_smaller=rng.random() < 0.85,
            settlement=settlement,
            region=region,
            missing_documents=rng.choice((1, 1, 2)) if path in STARTS_INCOMPLETE else 0,
        )
        case = Case(
            serial=serial,
            route=path,
            provider=code,
            tz=tz,
            settlement=settlement,
            form=form,
            holder_iin=form.applicant_iin,
            family=list(form.family),
        )
        plan_path(setting, case)
        cases.append(case)
    return cases


def generate(
    database_url: str,
    applications: int,
    *,
    seed: int = 2024,
    chunk: int = 5000,
    window: int = 20_000,
    key: IdentityKey | None = None,
    progress: Any = None,
) -> GenerateReport:
    """Load `applications` applications into the store at `database_url`, in bulk."""
    # The library's cache stays fast-forwarding: an application read back from the store after
    # it left memory may have been read (and cached) before, at an older version.
    env = {"KEZEK_DATABASE_URL": database_url}
    ledger = BulkLedger(
        env, identity_key=key or IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX)), chunk=chunk
    )
    rng = random.Random(seed)
    setting = Setting(ledger, rng, IINRegistry(rng), DemoResult(database_url=""))
    where = national_providers()
    started = time.perf_counter()
    done = 0
    try:
        while done < applications:
            count = min(window, applications - done)
            cases = plan_national(setting, count, done + 1, where)
            scheduler = Scheduler(setting, cases)
            for at, offer in plan_offer_rounds(setting, cases):
                scheduler.push(at, offer)
            scheduler.run()
            ledger.forget_applications()
            done += count
            if progress is not None:
                elapsed = time.perf_counter() - started
                progress(
                    f"{done:,} applications, {ledger.written:,} events, "
                    f"{ledger.written / elapsed:,.0f} events/s"
                )
        ledger.flush()
        seconds = time.perf_counter() - started
        lists = [q for q in ledger.live.values() if isinstance(q, QueueList)]
        return GenerateReport(
            applications=applications,
            acts=setting.result.acts,
            events=ledger.written,
            transactions=ledger.transactions,
            seconds=seconds,
            write_seconds=ledger.write_seconds,
            lists=len(lists),
            on_lists=sum(len(q) for q in lists),
        )
    finally:
        ledger.close()
