"""`kezek demo`: a synthetic district walked through every path of the procedure.

Three providers near Almaty keep all six lists. Each synthetic application follows one path of
order No. 441 (filed on the portal at any hour, accepted, checked, verified, registered or
refused, updated, withdrawn, taken off the list, passed on to the family, complained of) with
dates over 2024-2025 that respect every statutory term in working days. Housing is offered, at
times spread over the same years, to whoever heads a list then.

Every act goes through `WaitingList`, in the order of the moments they take effect (a heap of
the next act of every application and of the offer rounds), so the queue numbers stated at
registration are those of that moment. The demo never breaks a rule of the procedure: if the
domain refuses an act, that is a bug of the demo, reported with the case and the act.
"""

from __future__ import annotations

import heapq
import random
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

from api.synthetic import (
    IINRegistry,
    Sex,
    administrative_file,
    checks_for,
    complaint_body,
    document,
    documents_for,
    dwelling,
    head,
    household_form,
    mask_name,
    missing_items,
    officer,
    person_name,
)
from domain.actors import Actor
from domain.calendar import (
    add_working_days,
    end_of_day,
    is_working_day,
    local_day,
    reception_day,
    start_of_day,
    working_days_between,
    zone,
)
from domain.claims import IdentityKey
from domain.errors import DomainError
from domain.forms import ApplicationForm, DataUpdateForm, FamilyMember
from domain.housing_application import HousingApplication
from domain.iin import parse_iin
from domain.priority import key_accepts_smaller, key_application, key_moment
from domain.records import CheckResult, ComplaintForm, HearingNotice
from domain.reference import get_provider, list_kinds
from domain.store_url import sqlite_path
from domain.values import (
    Check,
    ComplaintBody,
    ComplaintOutcome,
    ComplaintSubject,
    DeregistrationGround,
    DocumentKind,
    HearingOutcome,
    RefusalGround,
    Relation,
    Remedy,
    Status,
    SuccessionCause,
)
from domain.waiting_list import Receipt, WaitingList

Echo = Callable[[str], None]

# The district: provider code, share of the applications, settlement, region.
PROVIDERS: tuple[tuple[str, float, str, str], ...] = (
    ("almaty", 0.45, "Almaty", "Almaty"),
    ("talgar-district", 0.33, "Talgar", "Almaty Region"),
    ("konaev-town", 0.22, "Konaev", "Almaty Region"),
)
# Relative sizes of the lists (Art. 74 para 2); a list added to the reference data gets 3.
LIST_WEIGHTS = {
    "socially_vulnerable": 56,
    "state_employees": 13,
    "large_families": 12,
    "orphans": 9,
    "emergency_housing": 8,
    "veterans": 2,
}

FIRST_FILING = date(2024, 1, 3)
LAST_FILING = date(2025, 11, 14)  # an application filed then is decided within 2025
LAST_FILING_WITH_SEQUEL = date(2025, 7, 31)  # paths that go on after registration
HORIZON = date(2025, 12, 31)  # no act falls later
FIRST_OFFER = date(2024, 5, 2)
LAST_OFFER = date(2025, 12, 5)
OFFER_SHARE = 0.05  # offer rounds per application
BELOW_NORM_SHARE = 0.2  # of the offer rounds: a dwelling below the norm (Art. 75)

MORNING = (9 * 60, 13 * 60)  # Std 7: 09:00-18:30, lunch 13:00-14:30
AFTERNOON = (14 * 60 + 30, 18 * 60 + 30)


class Route(Enum):
    """The paths of the procedure the demo walks; the value is how the summary names it."""

    REGISTERED = "complete, verified, registered"
    CORRECTED = "incomplete, corrected in time, registered"
    NOT_CORRECTED = "incomplete, not corrected, refused to consider further"
    HEARING_POSITIVE = "grounds found, hearing positive, registered"
    HEARING_REFUSED = "grounds found, hearing, refused"
    UPDATED = "registered, data updated (Appendix 3)"
    WITHDRAWN_BEFORE = "withdrawn before registration"
    WITHDRAWN_AFTER = "registered, then withdrawn"
    DEREGISTERED = "registered, then deregistered (Art. 73)"
    SUCCESSION = "registered, place passed to a family member"
    COMPLAINT_RESTORE = "deregistered, complaint forwarded, place restored"
    COMPLAINT_PRIORITY = "corrected, complaint forwarded, priority corrected"
    COMPLAINT_REJECTED = "refused, complaint to the quality body rejected"
    COMPLAINT_HEAD = "registered, complaint decided by the provider's head"
    COMPLAINT_SATISFIED = "registered, complaint satisfied by the provider"


# Share of the applications on each special path, and the least number walked (so that a small
# demo still covers every path); the rest are plain registrations. Listed in the order a demo too
# small for all of them gives them up: the last first.
SPECIAL_PATHS: tuple[tuple[Route, float, int], ...] = (
    (Route.CORRECTED, 0.07, 2),
    (Route.NOT_CORRECTED, 0.03, 1),
    (Route.HEARING_POSITIVE, 0.03, 1),
    (Route.HEARING_REFUSED, 0.025, 1),
    (Route.WITHDRAWN_BEFORE, 0.02, 1),
    (Route.WITHDRAWN_AFTER, 0.03, 1),
    (Route.DEREGISTERED, 0.035, 1),
    (Route.COMPLAINT_RESTORE, 0.004, 1),
    (Route.COMPLAINT_PRIORITY, 0.004, 1),
    (Route.UPDATED, 0.08, 2),
    (Route.SUCCESSION, 0.02, 1),
    (Route.COMPLAINT_REJECTED, 0.005, 1),
    (Route.COMPLAINT_HEAD, 0.004, 1),
    (Route.COMPLAINT_SATISFIED, 0.005, 1),
)
WITH_SEQUEL = frozenset(
    {
        Route.UPDATED,
        Route.WITHDRAWN_AFTER,
        Route.DEREGISTERED,
        Route.SUCCESSION,
        Route.COMPLAINT_RESTORE,
        Route.COMPLAINT_PRIORITY,
        Route.COMPLAINT_REJECTED,
        Route.COMPLAINT_HEAD,
        Route.COMPLAINT_SATISFIED,
    }
)
LEAVES_THE_LIST = frozenset({Route.WITHDRAWN_AFTER, Route.DEREGISTERED, Route.COMPLAINT_RESTORE})
STARTS_INCOMPLETE = frozenset({Route.CORRECTED, Route.NOT_CORRECTED, Route.COMPLAINT_PRIORITY})

FAILURE_DETAIL = {
    Check.PERMANENT_REGISTRATION: "no permanent registration in the locality for the period",
    Check.CATEGORY: "the category is not confirmed by the state information systems",
    Check.INCOME: "income above 3.1 subsistence minimums per family member a month",
    Check.NO_HOUSING_OWNED: "a dwelling is registered in the name of a family member",
    Check.NO_DELIBERATE_WORSENING: "a dwelling was given away within the last 5 years",
}
GROUND_FOR = {Check.CATEGORY: RefusalGround.UNRELIABLE_DOCUMENTS}
DEREGISTRATION_REASONS = {
    DeregistrationGround.GROUNDS_CEASED: "the family acquired a dwelling by purchase",
    DeregistrationGround.MOVED_AWAY: "permanent registration moved to another locality",
    DeregistrationGround.STATE_EMPLOYMENT_ENDED: "the employment in the state body ended",
    DeregistrationGround.FALSE_INFORMATION: "the state real estate register shows a flat owned",
    DeregistrationGround.DEATH: "death of the registered citizen, no family members remain",
}


# The case histories printed, in this order (the last two exclude each other).
SHOWCASE = (
    "deregistered, restored on a complaint",
    "incomplete, corrected, priority corrected on a complaint",
    "housing provided",
    "housing provided after an offer was declined",
)


class DemoBrokeARule(RuntimeError):
    """The domain refused an act of the demo: a bug in the demo's plan, not in the domain."""


@dataclass(frozen=True)
class Step:
    at: datetime
    act: str
    run: Callable[[], Receipt]
    leaves_list: bool = False  # the application leaves its list with this act


@dataclass(eq=False)
class Case:
    """One synthetic application as the walk follows it."""

    serial: int
    route: Route
    provider: str
    tz: str
    settlement: str
    form: ApplicationForm
    holder_iin: str
    family: list[FamilyMember]
    steps: deque[Step] = field(default_factory=deque)
    application_id: UUID | None = None
    version: int = 0
    complaint_id: str | None = None
    offer_id: str | None = None
    # What the case does once on the list, planned again when a leaving act has to wait.
    sequel: Callable[[Script], None] | None = None

    @property
    def id(self) -> UUID:
        assert self.application_id is not None, "the application is not filed yet"
        return self.application_id


@dataclass(frozen=True)
class OfferRound:
    """The provider has a dwelling for a list: it goes to whoever heads the list then."""

    provider: str
    list_code: str
    below_norm: bool


@dataclass
class DemoResult:
    """What the walk did. `iins` are personal data: for the checks of tests, never printed."""

    database_url: str
    applications: int = 0
    acts: int = 0
    application_events: int = 0
    store_events: int = 0
    seconds: float = 0.0
    application_ids: list[UUID] = field(default_factory=list)
    paths: Counter[Route] = field(default_factory=Counter)
    statuses: Counter[Status] = field(default_factory=Counter)
    complaints_filed: int = 0
    complaints_satisfied: int = 0
    remedies: Counter[Remedy] = field(default_factory=Counter)
    offers: int = 0
    offers_below_norm: int = 0
    offers_declined: int = 0
    housing_provided: int = 0
    offer_rounds_unmet: int = 0
    acts_deferred: int = 0  # leaving acts put off so that no list becomes empty
    sequels_given_up: int = 0
    showcase: dict[str, UUID] = field(default_factory=dict)  # title -> application id
    iins: set[str] = field(default_factory=set)


# -- moments -------------------------------------------------------------------------------


def _local(day: date, minute: int, tz: str) -> datetime:
    return start_of_day(day, tz) + timedelta(minutes=minute)


def office_moment(rng: random.Random, day: date, tz: str, after: datetime) -> datetime:
    """A moment within office hours on working day `day` (local), later than `after`.

    When the day's hours are used up, the officer stays a few minutes late: the act still
    falls on `day`, which is what every term counts.
    """
    if local_day(after, tz) > day:
        raise AssertionError(f"an act planned on {day} after {after.isoformat()}")
    earliest = after + timedelta(minutes=1)
    spans: list[tuple[datetime, datetime]] = []
    for start, end in (MORNING, AFTERNOON):
        lo, hi = max(_local(day, start, tz), earliest), _local(day, end, tz)
        if lo < hi:
            spans.append((lo, hi))
    if not spans:
        return after + timedelta(minutes=rng.randint(1, 15))
    # Most acts come early in the day; uniform over the free time, weighted by each span.
    total = sum((hi - lo).total_seconds() for lo, hi in spans)
    pick = rng.uniform(0, total) * rng.random()
    for lo, hi in spans:
        length = (hi - lo).total_seconds()
        if pick <= length:
            return (lo + timedelta(seconds=pick)).replace(microsecond=0) + timedelta(seconds=1)
        pick -= length
    return spans[-1][1]


def portal_moment(rng: random.Random, earliest: datetime, latest: datetime) -> datetime:
    """A moment on the portal (open around the clock) between the two, seconds precision."""
    if latest <= earliest:
        return earliest + timedelta(seconds=1)
    span = (latest - earliest).total_seconds()
    return earliest + timedelta(seconds=max(1, int(rng.uniform(0, span))))


def filing_moment(rng: random.Random, first: date, last: date, tz: str) -> datetime:
    """When a citizen files: any day, mostly in the daytime, sometimes at night."""
    day = date.fromordinal(rng.randint(first.toordinal(), last.toordinal()))
    daytime = rng.random() < 0.65
    minute = rng.randint(8 * 60, 20 * 60) if daytime else rng.randint(0, 24 * 60 - 1)
    return _local(day, minute, tz) + timedelta(seconds=rng.randint(0, 59))


def next_working_day(day: date) -> date:
    return day if is_working_day(day) else add_working_days(day, 1)


# -- the walk ------------------------------------------------------------------------------


class Walk:
    """Plans every application's path, then records all acts in the order of their moments."""

    def __init__(self, waiting_list: WaitingList, *, applications: int, seed: int) -> None:
        self.wl = waiting_list
        self.n = applications
        self.rng = random.Random(seed)
        self.iins = IINRegistry(self.rng)
        self.cases: list[Case] = []
        self.by_id: dict[UUID, Case] = {}
        self.heap: list[tuple[datetime, int, Case | OfferRound]] = []
        self.sequence = 0
        self.outcomes: Counter[str] = Counter()  # offer outcomes planned
        self.result = DemoResult(database_url="")

    # -- running ---------------------------------------------------------------------------

    def run(self) -> DemoResult:
        started = time.perf_counter()
        self._plan()
        while self.heap:
            at, _, item = heapq.heappop(self.heap)
            if isinstance(item, Case):
                self._step(item)
            else:
                self._offer_round(item, at)
        self.result.seconds = time.perf_counter() - started
        self.result.applications = len(self.cases)
        self.result.application_ids = [c.id for c in self.cases]
        self.result.iins = set(self.iins.issued)
        for case in self.cases:
            app = self.wl.application(case.id)
            self.result.statuses[app.status] += 1
            self.result.application_events += app.version
            self._showcase(case, app)
        return self.result

    def _showcase(self, case: Case, app: HousingApplication) -> None:
        """Three case histories worth reading: a restored place, a corrected priority, and
        housing provided (after an earlier offer was declined, if there is one)."""
        restored, priority, housed, housed_later = SHOWCASE
        shown = self.result.showcase
        if case.route is Route.COMPLAINT_RESTORE:
            shown.setdefault(restored, case.id)
        elif case.route is Route.COMPLAINT_PRIORITY:
            shown.setdefault(priority, case.id)
        if app.status is Status.HOUSED:
            if app.offers_made > 1 and housed_later not in shown:
                shown.pop(housed, None)
                shown[housed_later] = case.id
            elif housed_later not in shown:
                shown.setdefault(housed, case.id)

    def _push(self, at: datetime, item: Case | OfferRound) -> None:
        self.sequence += 1
        heapq.heappush(self.heap, (at, self.sequence, item))

    def _step(self, case: Case) -> None:
        step = case.steps.popleft()
        if step.leaves_list and self._would_empty_list(case):
            self._defer_sequel(case, step)
            return
        try:
            receipt = step.run()
        except DomainError as error:
            raise DemoBrokeARule(
                f"case {case.serial} ({case.route.name}), {step.act} at {step.at.isoformat()}: "
                f"{error}"
            ) from error
        self._note(case, receipt)
        if case.steps:
            self._push(case.steps[0].at, case)

    def _would_empty_list(self, case: Case) -> bool:
        """Whether the case is the last entry of its list.

        Works around a defect of domain.ledger_base (`_queue` opens a new QueueList when the
        stored one is empty, because an empty list is falsy): once a list is empty, no one
        can join it again. The demo therefore never lets a list become empty.
        """
        queue = self.wl.queue(case.provider, case.form.list_code)
        return queue is not None and len(queue) <= 1

    def _defer_sequel(self, case: Case, step: Step) -> None:
        """Plan the rest of the case again a month later, or give it up near the horizon."""
        start = step.at + timedelta(days=30)
        case.steps.clear()
        if case.sequel is None or local_day(start, case.tz) > HORIZON - timedelta(days=60):
            self.result.sequels_given_up += 1
            return
        self.result.acts_deferred += 1
        case.sequel(Script(self, case, start))
        self._push(case.steps[0].at, case)

    def _note(self, case: Case, receipt: Receipt) -> None:
        self.result.acts += 1
        if case.application_id is None:
            case.application_id = receipt.application_id
            self.by_id[receipt.application_id] = case
        case.version = receipt.version
        if receipt.complaint_id is not None:
            case.complaint_id = receipt.complaint_id
        if receipt.offer_id is not None:
            case.offer_id = receipt.offer_id

    # -- planning --------------------------------------------------------------------------

    def _plan(self) -> None:
        paths: list[Route] = []
        for path, share, least in SPECIAL_PATHS:
            paths += [path] * max(least, round(share * self.n))
        paths = paths[: self.n]
        paths += [Route.REGISTERED] * (self.n - len(paths))
        self.rng.shuffle(paths)
        codes = [code for code in list_kinds() if code in LIST_WEIGHTS] + [
            code for code in list_kinds() if code not in LIST_WEIGHTS
        ]
        weights = [LIST_WEIGHTS.get(code, 3) for code in codes]
        lists: Counter[tuple[str, str]] = Counter()
        for serial, path in enumerate(paths, start=1):
            provider, _, settlement, region = self.rng.choices(
                PROVIDERS, weights=[p[1] for p in PROVIDERS]
            )[0]
            list_code = self.rng.choices(codes, weights=weights)[0]
            if path in LEAVES_THE_LIST and "socially_vulnerable" in codes:
                # The largest list: leaving never empties it (see Walk._would_empty_list).
                list_code = "socially_vulnerable"
            case = self._new_case(serial, path, provider, settlement, region, list_code)
            self._plan_case(case)
            self.cases.append(case)
            self.result.paths[path] += 1
            lists[provider, list_code] += 1
            self._push(case.steps[0].at, case)
        rounds = max(4, round(OFFER_SHARE * self.n))
        where = list(lists)
        for _ in range(rounds):
            provider, list_code = self.rng.choices(where, weights=[lists[w] for w in where])[0]
            tz = get_provider(provider).tz
            day = next_working_day(
                date.fromordinal(self.rng.randint(FIRST_OFFER.toordinal(), LAST_OFFER.toordinal()))
            )
            at = office_moment(self.rng, day, tz, start_of_day(day, tz))
            below = self.rng.random() < BELOW_NORM_SHARE
            self._push(at, OfferRound(provider, list_code, below))

    def _new_case(
        self, serial: int, path: Route, provider: str, settlement: str, region: str, list_code: str
    ) -> Case:
        rng = self.rng
        needs_spouse = path is Route.SUCCESSION
        form = household_form(
            rng,
            self.iins,
            list_code=list_code,
            family_size=rng.randint(1, 4) if needs_spouse else None,
            with_spouse=True if needs_spouse else None,
            accepts_smaller=rng.random() < 0.85,
            settlement=settlement,
            region=region,
            missing_documents=rng.choice((1, 1, 2)) if path in STARTS_INCOMPLETE else 0,
        )
        return Case(
            serial=serial,
            route=path,
            provider=provider,
            tz=get_provider(provider).tz,
            settlement=settlement,
            form=form,
            holder_iin=form.applicant_iin,
            family=list(form.family),
        )

    def _plan_case(self, case: Case) -> None:
        last = LAST_FILING_WITH_SEQUEL if case.route in WITH_SEQUEL else LAST_FILING
        filed = filing_moment(self.rng, FIRST_FILING, last, case.tz)
        script = Script(self, case, filed)
        script.submit()
        path = case.route
        if path is Route.WITHDRAWN_BEFORE:
            script.accept()
            if self.rng.random() < 0.5:
                script.find_complete()
            script.withdraw(days=(0, 6), reasons="I no longer need to be registered")
            return
        if path is Route.NOT_CORRECTED:
            script.accept()
            script.notify_incomplete()
            script.refuse_further_consideration()
            return
        if path in {Route.HEARING_POSITIVE, Route.HEARING_REFUSED, Route.COMPLAINT_REJECTED}:
            script.accept()
            script.find_complete(within=1)
            script.verify(failing=True)
            script.hearing(positive=path is Route.HEARING_POSITIVE)
            if path is Route.HEARING_POSITIVE:
                script.register()
            else:
                script.refuse()
            if path is Route.COMPLAINT_REJECTED:
                script.complaint_to_quality_body_rejected()
            return
        script.accept()
        if path in STARTS_INCOMPLETE:
            script.notify_incomplete()
            script.correct()
        else:
            script.find_complete()
        script.verify()
        script.register()
        case.sequel = SEQUELS.get(path)
        if case.sequel is not None:
            case.sequel(script)

    # -- offers ----------------------------------------------------------------------------

    def _offer_round(self, offer: OfferRound, at: datetime) -> None:
        """Offer a dwelling to the head of the list (the first entry without an open offer)."""
        tz = get_provider(offer.provider).tz
        queue = self.wl.queue(offer.provider, offer.list_code)
        offered = set(queue.offered) if queue is not None else set()
        free = [k for k in (queue.keys if queue else []) if key_application(k).hex not in offered]
        if not free:
            self._postpone(offer, at + timedelta(days=30), tz)
            return
        key, below_norm = free[0], False
        if offer.below_norm:
            # Appendix 1 item 12: those ahead who refused smaller housing are passed over.
            accepting = next((k for k in free if key_accepts_smaller(k)), None)
            if accepting is not None:
                candidate = self.wl.application(key_application(accepting))
                if candidate.family:  # a flat below the norm for two or more
                    key, below_norm = accepting, True
        app_id = key_application(key)
        case = self.by_id.get(app_id) or self._adopt(app_id)
        if case.steps:
            # The head still has acts of their own to come: offer after the last of them.
            self._postpone(offer, case.steps[-1].at + timedelta(days=1), tz)
            return
        app = self.wl.application(app_id)
        if app.last_effective_at > at:
            # Its last act lies later (an application of an earlier demo in the same store).
            self._postpone(offer, app.last_effective_at + timedelta(days=1), tz)
            return
        home = dwelling(
            self.rng, persons=1 + len(app.family), settlement=case.settlement, below_norm=below_norm
        )
        try:
            receipt = self.wl.offer_housing(
                app_id, actor=officer(case.provider, 2), effective_at=at, dwelling=home
            )
        except DomainError as error:
            raise DemoBrokeARule(
                f"offer to case {case.serial} at {at.isoformat()}: {error}"
            ) from error
        self._note(case, receipt)
        self.result.offers += 1
        self.result.offers_below_norm += below_norm
        script = Script(self, case, at)
        # The first offer of the demo is declined and the next accepted; then mostly accepted.
        decline = self.outcomes["declined"] == 0 or (
            self.outcomes["provided"] > 0 and self.rng.random() < (0.6 if below_norm else 0.3)
        )
        if decline:
            self.outcomes["declined"] += 1
            script.decline_offer(below_norm)
        else:
            self.outcomes["provided"] += 1
            script.provide_housing()
        self._push(case.steps[0].at, case)

    def _postpone(self, offer: OfferRound, after: datetime, tz: str) -> None:
        day = next_working_day(local_day(after, tz))
        if day > LAST_OFFER:
            self.result.offer_rounds_unmet += 1
            return
        self._push(office_moment(self.rng, day, tz, start_of_day(day, tz)), offer)

    def _adopt(self, app_id: UUID) -> Case:
        """An application of an earlier demo in the same store (--no-fresh) heads the list."""
        app = self.wl.application(app_id)
        settlement = next((p[2] for p in PROVIDERS if p[0] == app.provider), "the district")
        case = Case(
            serial=0,
            route=Route.REGISTERED,
            provider=app.provider,
            tz=app.tz,
            settlement=settlement,
            form=app.form,
            holder_iin=app.holder_iin,
            family=list(app.family),
            application_id=app_id,
            version=app.version,
        )
        self.by_id[app_id] = case
        return case


class Script:
    """The acts of one case, planned in order. `self.t` is the moment of the act planned last."""

    def __init__(self, walk: Walk, case: Case, start: datetime) -> None:
        self.walk = walk
        self.wl = walk.wl
        self.rng = walk.rng
        self.case = case
        self.t = start
        self.received: date | None = None  # reception day (§7)
        self.checked_on: date | None = None  # completeness check or correction
        self.verified_on: date | None = None
        self.decided_on: date | None = None
        self.failing = Check.NO_HOUSING_OWNED  # the check that finds grounds for refusal
        self.ground = RefusalGround.NON_COMPLIANCE

    # -- helpers ---------------------------------------------------------------------------

    @property
    def tz(self) -> str:
        return self.case.tz

    @property
    def today(self) -> date:
        return local_day(self.t, self.tz)

    def _add(
        self, at: datetime, act: str, run: Callable[[], Receipt], *, leaves_list: bool = False
    ) -> None:
        if at < self.t:
            raise AssertionError(f"{act} planned at {at.isoformat()}, before {self.t.isoformat()}")
        self.t = at
        self.case.steps.append(Step(at, act, run, leaves_list))

    def _office(self, day: date) -> datetime:
        return office_moment(self.rng, next_working_day(day), self.tz, self.t)

    def _working_days(self, start: date, low: int, high: int) -> date:
        """A working day `low`..`high` working days after `start`, nearer the low end."""
        high = max(low, high)
        return add_working_days(start, min(high, low + int(self.rng.expovariate(0.6))))

    def _later_day(self, low: int, high: int, room: int = 10) -> date:
        """A calendar day `low`..`high` days after the last act, at least `room` days before
        the horizon (what follows it must still fit)."""
        latest = max((HORIZON - self.today).days - room, 1)
        low, high = min(low, latest), min(high, latest)
        return self.today + timedelta(days=self.rng.randint(low, max(low, high)))

    def _applicant(self) -> Actor:
        return self.wl.applicant(self.case.holder_iin)

    @property
    def _due(self) -> date:
        """The end of the 15 working days of consideration (§8, §12, Std 3)."""
        assert self.received is not None
        return add_working_days(self.received, 15)

    # -- filing and consideration ----------------------------------------------------------

    def submit(self) -> None:
        case, wl = self.case, self.wl
        at = self.t
        self.case.steps.append(
            Step(
                at,
                "submit",
                lambda: wl.submit(
                    case.form,
                    provider=case.provider,
                    actor=wl.applicant(case.form.applicant_iin),
                    filed_at=at,
                ),
            )
        )

    def accept(self) -> None:
        case, wl = self.case, self.wl
        self.received = reception_day(self.t, self.tz)
        at = self._office(self.received)
        actor = officer(case.provider, self.rng.randint(1, 4))
        self._add(at, "accept", lambda: wl.accept(case.id, actor=actor, effective_at=at))

    def find_complete(self, within: int = 2) -> None:
        case, wl = self.case, self.wl
        assert self.received is not None
        self.checked_on = self._working_days(self.received, 0, within)
        at = self._office(self.checked_on)
        actor = officer(case.provider, self.rng.randint(1, 4))
        self._add(
            at, "find complete", lambda: wl.find_complete(case.id, actor=actor, effective_at=at)
        )

    def notify_incomplete(self) -> None:
        case, wl = self.case, self.wl
        assert self.received is not None
        notice_day = self._working_days(self.received, 0, 2)
        at = self._office(notice_day)
        actor = officer(case.provider, self.rng.randint(1, 4))
        missing = missing_items(case.form)
        self._add(
            at,
            "notify incomplete",
            lambda: wl.notify_incomplete(case.id, actor=actor, effective_at=at, missing=missing),
        )

    def correct(self) -> None:
        """The applicant attaches what was missing, on the portal, before the 2 days end."""
        case, wl = self.case, self.wl
        due = add_working_days(self.today, 2)
        latest = min(end_of_day(due, self.tz), self.t + timedelta(days=2, hours=12))
        at = portal_moment(self.rng, self.t + timedelta(minutes=40), latest)
        missing = sorted(
            case.form.required_documents() - {d.kind for d in case.form.documents},
            key=lambda k: k.value,
        )
        documents = documents_for(missing, f"corrected {local_day(at, self.tz).isoformat()}")
        actor = self._applicant()
        self._add(
            at,
            "correct",
            lambda: wl.correct(case.id, actor=actor, effective_at=at, documents=documents),
        )
        self.checked_on = reception_day(at, self.tz)

    def refuse_further_consideration(self) -> None:
        case, wl = self.case, self.wl
        due = add_working_days(self.today, 2)
        at = self._office(self._working_days(due, 1, 2))
        reasons = (
            f"the documents named in the notice of {self.today.isoformat()} were not "
            f"provided by {due.isoformat()} (§11)"
        )
        actor = head(case.provider)
        self._add(
            at,
            "refuse to consider further",
            lambda: wl.refuse_further_consideration(
                case.id, actor=actor, effective_at=at, reasons=reasons
            ),
        )

    def verify(self, *, failing: bool = False) -> None:
        """All checks against the state systems within 10 working days (§11); when grounds
        are to be found, early enough for the hearing notice (§13)."""
        case, wl = self.case, self.wl
        assert self.received is not None
        assert self.checked_on is not None
        latest = min(
            add_working_days(self.checked_on, 10),
            add_working_days(self.received, 11 if failing else 14),
        )
        room = max(0, working_days_between(self.checked_on, latest))
        self.verified_on = self._working_days(self.checked_on, min(1, room), room)
        at = self._office(self.verified_on)
        check = self.rng.choice(sorted(checks_for(case.form, case.provider), key=str)).check
        checks = self._checks(check if failing else None)
        self.failing = check
        actor = officer(case.provider, self.rng.randint(1, 4))
        self._add(
            at, "verify", lambda: wl.verify(case.id, actor=actor, effective_at=at, checks=checks)
        )

    def _checks(self, failing: Check | None) -> list[CheckResult]:
        results = checks_for(self.case.form, self.case.provider, failing=failing)
        out: list[CheckResult] = []
        for result in results:
            if result.check is failing:
                years = self.rng.randint(1, 2) if result.residence_years is not None else None
                result = result.model_copy(
                    update={"detail": FAILURE_DETAIL[result.check], "residence_years": years}
                )
            out.append(result)
        return out

    def hearing(self, *, positive: bool) -> None:
        """Notice of the preliminary refusal at least 3 working days before the term ends, the
        hearing within 2 working days of the notice, then its outcome (§13)."""
        case, wl = self.case, self.wl
        assert self.verified_on is not None
        last_notice_day = add_working_days(self.received or self.today, 12)
        notice_day = self.verified_on
        if self.rng.random() < 0.5 and add_working_days(notice_day, 1) <= last_notice_day:
            notice_day = add_working_days(notice_day, 1)
        notice_at = self._office(notice_day)
        hearing_day = add_working_days(notice_day, self.rng.choice((1, 2)))
        hour = self.rng.choice((10 * 60, 11 * 60, 11 * 60 + 30, 15 * 60, 16 * 60))
        hearing_at = _local(hearing_day, hour, self.tz)
        place = self.rng.choice(
            (
                f"{get_provider(case.provider).name}, room {self.rng.randint(101, 420)}",
                "videoconference; the link is in the applicant's personal account",
            )
        )
        notice = HearingNotice(hearing_at=hearing_at, place=place)
        ground = GROUND_FOR.get(self.failing, RefusalGround.NON_COMPLIANCE)
        reasons = f"preliminary refusal: {FAILURE_DETAIL[self.failing]}"
        actor = officer(case.provider, 1)
        self._add(
            notice_at,
            "schedule hearing",
            lambda: wl.schedule_hearing(
                case.id,
                actor=actor,
                effective_at=notice_at,
                ground=ground,
                reasons=reasons,
                notice=notice,
            ),
        )
        held_at = hearing_at + timedelta(minutes=self.rng.randint(30, 80))
        outcome = HearingOutcome.POSITIVE if positive else HearingOutcome.REFUSAL
        if positive:
            position = "the applicant presented documents that answer the finding"
            why = "the finding of the state systems is refuted by the documents presented"
        else:
            position = "the applicant did not dispute the finding"
            why = f"the finding stands: {FAILURE_DETAIL[self.failing]}"
        self._add(
            held_at,
            "hold hearing",
            lambda: wl.hold_hearing(
                case.id,
                actor=actor,
                effective_at=held_at,
                applicant_position=position,
                outcome=outcome,
                reasons=why,
            ),
        )
        self.ground = ground

    def _decision_day(self) -> date:
        """The day of the decision: the same or the next working day, within the 15 days."""
        day = self.today if is_working_day(self.today) else next_working_day(self.today)
        if self.rng.random() < 0.4 and add_working_days(day, 1) <= self._due:
            day = add_working_days(day, 1)
        return day

    def register(self) -> None:
        case, wl = self.case, self.wl
        self.decided_on = self._decision_day()
        at = self._office(self.decided_on)
        actor = officer(case.provider, self.rng.randint(1, 4))
        self._add(at, "register", lambda: wl.register(case.id, actor=actor, effective_at=at))

    def refuse(self) -> None:
        case, wl = self.case, self.wl
        self.decided_on = self._decision_day()
        at = self._office(self.decided_on)
        ground = self.ground
        reasons = f"reasoned refusal after the hearing: {FAILURE_DETAIL[self.failing]} (Std 9)"
        actor = head(case.provider)
        self._add(
            at,
            "refuse",
            lambda: wl.refuse(
                case.id, actor=actor, effective_at=at, ground=ground, reasons=reasons
            ),
        )

    # -- life on the list ------------------------------------------------------------------

    def update_data(self, *, contacts_only: bool = False) -> None:
        """Appendix 3 within 15 working days of the grounds arising (§11, Std 8)."""
        case, wl, rng = self.case, self.wl, self.rng
        grounds_on = self._later_day(7, 240, room=30)
        latest = end_of_day(add_working_days(grounds_on, 15), self.tz)
        at = portal_moment(rng, max(self.t, start_of_day(grounds_on, self.tz)), latest)
        holder = case.holder_iin
        spouse = any(m.relation is Relation.SPOUSE for m in case.family)
        kind = "contacts" if contacts_only else rng.choice(("child", "child", "contacts", "spouse"))
        if kind == "spouse" and spouse:
            kind = "child"
        phone = f"+7707{rng.randrange(10**7):07d}"
        if kind == "contacts":
            update = DataUpdateForm(
                applicant_iin=holder,
                reason="change of the contact phone number",
                grounds_arose_on=grounds_on,
                documents=(document(DocumentKind.OTHER, f"contacts {grounds_on}"),),
                phone=phone,
            )
        else:
            sex: Sex
            if kind == "child":
                sex = "male" if rng.random() < 0.5 else "female"
                relation, born = Relation.CHILD, grounds_on
                reason, title = "birth of a child", "birth certificate"
            else:
                sex = "male" if parse_iin(holder).sex == "female" else "female"
                relation = Relation.SPOUSE
                born = parse_iin(holder).birth_date + timedelta(days=rng.randint(-900, 900))
                reason, title = "marriage", "marriage certificate"
            member = FamilyMember(
                iin=self.walk.iins.issue(born, sex),
                full_name=person_name(rng, sex),
                relation=relation,
            )
            case.family.append(member)
            update = DataUpdateForm(
                applicant_iin=holder,
                family_member_iin=member.iin,
                reason=reason,
                grounds_arose_on=grounds_on,
                documents=(document(DocumentKind.OTHER, f"{title} {grounds_on}"),),
                family=tuple(case.family),
            )
        actor = self._applicant()
        self._add(
            at,
            "update data",
            lambda: wl.update_data(case.id, actor=actor, effective_at=at, update=update),
        )

    def withdraw(self, *, days: tuple[int, int], reasons: str, leaves_list: bool = False) -> None:
        case, wl = self.case, self.wl
        day = self._later_day(*days)
        at = portal_moment(
            self.rng, max(self.t, start_of_day(day, self.tz)), end_of_day(day, self.tz)
        )
        actor = self._applicant()
        self._add(
            at,
            "withdraw",
            lambda: wl.withdraw(case.id, actor=actor, effective_at=at, reasons=reasons),
            leaves_list=leaves_list,
        )

    def deregister(self, ground: DeregistrationGround | None = None, *, room: int = 10) -> None:
        case, wl = self.case, self.wl
        if ground is None:
            grounds = [
                DeregistrationGround.GROUNDS_CEASED,
                DeregistrationGround.MOVED_AWAY,
                DeregistrationGround.FALSE_INFORMATION,
            ]
            if case.form.list_code == "state_employees":
                grounds += [DeregistrationGround.STATE_EMPLOYMENT_ENDED] * 3
            if not case.family:
                grounds.append(DeregistrationGround.DEATH)
            ground = self.rng.choice(grounds)
        at = self._office(self._later_day(20, 360, room))
        reasons = f"{DEREGISTRATION_REASONS[ground]} (Art. 73)"
        actor = head(case.provider)
        chosen = ground
        self._add(
            at,
            "deregister",
            lambda: wl.deregister(
                case.id, actor=actor, effective_at=at, ground=chosen, reasons=reasons
            ),
            leaves_list=True,
        )

    def pass_place(self) -> None:
        """Art. 73: the registered citizen died or moved away; the spouse takes the place."""
        case, wl = self.case, self.wl
        successor = next(m for m in case.family if m.relation is Relation.SPOUSE)
        cause = self.rng.choice(
            (SuccessionCause.DEATH, SuccessionCause.DEATH, SuccessionCause.MOVED_AWAY)
        )
        at = self._office(self._later_day(30, 360))
        what = "death" if cause is SuccessionCause.DEATH else "permanent move"
        reasons = f"{what} of the registered citizen; the place passes to the spouse (Art. 73)"
        actor = head(case.provider)
        successor_iin = successor.iin
        self._add(
            at,
            "pass place to family member",
            lambda: wl.pass_place_to_family_member(
                case.id,
                actor=actor,
                effective_at=at,
                cause=cause,
                successor_iin=successor_iin,
                reasons=reasons,
            ),
        )
        case.family = [m for m in case.family if m.iin != successor.iin]
        case.holder_iin = successor.iin  # from here on the successor acts as the applicant

    # -- complaints (§14) ------------------------------------------------------------------

    def _file_complaint(
        self, body: ComplaintBody, subject: ComplaintSubject, text: str, days: tuple[int, int]
    ) -> date:
        case, wl = self.case, self.wl
        day = self.today + timedelta(days=self.rng.randint(*days))
        at = portal_moment(
            self.rng, max(self.t, start_of_day(day, self.tz)), end_of_day(day, self.tz)
        )
        actor = self._applicant()

        def run() -> Receipt:
            complaint = ComplaintForm(
                subject=subject, filed_with=body, text=text, concerns_version=case.version
            )
            self.walk.result.complaints_filed += 1
            return wl.file_complaint(case.id, actor=actor, effective_at=at, complaint=complaint)

        self._add(at, "file complaint", run)
        return reception_day(at, self.tz)

    def _forward(self, received: date, to_body: ComplaintBody) -> date:
        """With the administrative file, within 3 working days of receipt (§14)."""
        case, wl = self.case, self.wl
        at = self._office(self._working_days(received, 1, 3))
        actor = officer(case.provider, 1)

        def run() -> Receipt:
            assert case.complaint_id is not None
            bundle = b"".join(
                record.state for record in wl.recorder.select_events(case.id, lte=case.version)
            )
            file = administrative_file(
                f"{case.provider}/{case.id}/{case.complaint_id}", bundle, case.version
            )
            return wl.forward_complaint(
                case.id,
                actor=actor,
                effective_at=at,
                complaint_id=case.complaint_id,
                to_body=to_body,
                administrative_file=file,
            )

        self._add(at, f"forward complaint to {to_body.value}", run)
        return reception_day(at, self.tz)

    def _decide(
        self,
        registered: date,
        actor: Actor,
        days: tuple[int, int],
        outcome: ComplaintOutcome,
        reasons: str,
        remedy: Remedy = Remedy.NONE,
        corrected_priority: datetime | None = None,
    ) -> None:
        case, wl = self.case, self.wl
        at = self._office(self._working_days(registered, *days))

        def run() -> Receipt:
            assert case.complaint_id is not None
            self.walk.result.remedies[remedy] += 1
            return wl.decide_complaint(
                case.id,
                actor=actor,
                effective_at=at,
                complaint_id=case.complaint_id,
                outcome=outcome,
                reasons=reasons,
                remedy=remedy,
                corrected_priority=corrected_priority,
            )

        self._add(at, f"decide complaint ({remedy.value})", run)

    def complaint_restore(self) -> None:
        received = self._file_complaint(
            ComplaintBody.PROVIDER,
            ComplaintSubject.DECISION,
            "The flat in the register was sold in 2017; the entry is outdated. "
            "I ask to be restored to the list.",
            (1, 12),
        )
        registered = self._forward(received, ComplaintBody.QUALITY_BODY)
        self._decide(
            registered,
            complaint_body("quality-assessment-body"),
            (3, 12),
            ComplaintOutcome.UPHELD,
            "the register entry was corrected; the citizen is restored with the original "
            "priority (Art. 74 para 1)",
            Remedy.RESTORE_PLACE,
        )

    def complaint_priority(self) -> None:
        filed_at = self.case.steps[0].at
        received = self._file_complaint(
            ComplaintBody.PROVIDER,
            ComplaintSubject.DECISION,
            "The document named as missing is held by the state information systems; it could "
            "not be demanded (§12). My priority runs from the filing.",
            (3, 40),
        )
        registered = self._forward(received, ComplaintBody.HIGHER_BODY)
        self._decide(
            registered,
            complaint_body("akimat-almaty-region"),
            (2, 12),
            ComplaintOutcome.PARTIALLY_UPHELD,
            "§12: the document was available from the state systems; the priority runs from "
            "the moment of filing (Art. 74 para 1)",
            Remedy.CORRECT_PRIORITY,
            corrected_priority=filed_at,
        )

    def complaint_to_quality_body_rejected(self) -> None:
        received = self._file_complaint(
            ComplaintBody.QUALITY_BODY,
            ComplaintSubject.DECISION,
            "The refusal is unfounded.",
            (2, 20),
        )
        self._decide(
            received,
            complaint_body("quality-assessment-body"),
            (5, 15),
            ComplaintOutcome.REJECTED,
            "the refusal rests on a ground of Std 9, stated after a hearing (§13)",
        )

    def complaint_decided_by_head(self) -> None:
        received = self._file_complaint(
            ComplaintBody.PROVIDER,
            ComplaintSubject.ACTION,
            "My queue number is lower than I expected.",
            (5, 90),
        )
        self._decide(
            received,
            head(self.case.provider),
            (2, 5),
            ComplaintOutcome.REJECTED,
            "the list is ordered by the moment of filing a complete application (Art. 74 para 1)",
        )

    def complaint_satisfied(self) -> None:
        case, wl = self.case, self.wl
        received = self._file_complaint(
            ComplaintBody.PROVIDER,
            ComplaintSubject.INACTION,
            "I did not receive the SMS with my queue number.",
            (1, 30),
        )
        at = self._office(self._working_days(received, 1, 3))
        actor = officer(case.provider, 3)

        def run() -> Receipt:
            assert case.complaint_id is not None
            self.walk.result.complaints_satisfied += 1
            return wl.satisfy_complaint(
                case.id,
                actor=actor,
                effective_at=at,
                complaint_id=case.complaint_id,
                action_taken="the notification with the queue number was sent again",
            )

        self._add(at, "satisfy complaint", run)

    # -- offers ----------------------------------------------------------------------------

    def decline_offer(self, below_norm: bool) -> None:
        case, wl = self.case, self.wl
        at = portal_moment(self.rng, self.t + timedelta(hours=2), self.t + timedelta(days=7))
        reasons = "the flat is smaller than we need" if below_norm else "the flat is too far away"
        actor = self._applicant()

        def run() -> Receipt:
            assert case.offer_id is not None
            self.walk.result.offers_declined += 1
            return wl.decline_offer(
                case.id, actor=actor, effective_at=at, offer_id=case.offer_id, reasons=reasons
            )

        self._add(at, "decline offer", run)

    def provide_housing(self) -> None:
        case, wl = self.case, self.wl
        at = self._office(self._working_days(self.today, 2, 8))
        actor = head(case.provider)

        def run() -> Receipt:
            assert case.offer_id is not None
            if self.walk._would_empty_list(case):
                # Housing the last entry would empty the list (see Walk._would_empty_list):
                # in this demo that family turns the flat down instead.
                self.walk.result.offers_declined += 1
                return wl.decline_offer(
                    case.id,
                    actor=self._applicant(),
                    effective_at=at,
                    offer_id=case.offer_id,
                    reasons="the family asked to wait for a flat nearer to school",
                )
            self.walk.result.housing_provided += 1
            return wl.provide_housing(
                case.id,
                actor=actor,
                effective_at=at,
                offer_id=case.offer_id,
                reasons="the offered dwelling is provided; the citizen leaves the list (Art. 73)",
            )

        self._add(at, "provide housing", run)


def _updated(script: Script) -> None:
    script.update_data()
    if script.rng.random() < 0.3:
        script.update_data()


def _succession(script: Script) -> None:
    script.pass_place()
    if script.rng.random() < 0.6:
        script.update_data(contacts_only=True)


def _restored(script: Script) -> None:
    script.deregister(ground=DeregistrationGround.FALSE_INFORMATION, room=50)
    script.complaint_restore()


# What each route does once the citizen is on the list.
SEQUELS: dict[Route, Callable[[Script], None]] = {
    Route.UPDATED: _updated,
    Route.WITHDRAWN_AFTER: lambda s: s.withdraw(
        days=(20, 300), reasons="the family found housing of its own", leaves_list=True
    ),
    Route.DEREGISTERED: lambda s: s.deregister(),
    Route.SUCCESSION: _succession,
    Route.COMPLAINT_RESTORE: _restored,
    Route.COMPLAINT_PRIORITY: lambda s: s.complaint_priority(),
    Route.COMPLAINT_HEAD: lambda s: s.complaint_decided_by_head(),
    Route.COMPLAINT_SATISFIED: lambda s: s.complaint_satisfied(),
}


# -- entry point and report -----------------------------------------------------------------


def fresh_start(database_url: str) -> list[Path]:
    """Delete the SQLite file of an earlier demo (and its WAL files). Never touches
    PostgreSQL: there the demo needs an empty database or schema to be repeatable."""
    name = sqlite_path(database_url)
    if name is None or name == ":memory:" or name.startswith("file:"):
        return []
    removed: list[Path] = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = Path(name + suffix)
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def run_demo(
    *,
    database_url: str,
    key: IdentityKey,
    applications: int = 1200,
    seed: int = 7,
    fresh: bool = True,
    echo: Echo = print,
) -> DemoResult:
    """Walk the synthetic district into the ledger at `database_url` and print the summary."""
    if fresh:
        for path in fresh_start(database_url):
            echo(f"Removed the earlier demo file {path}")
    waiting_list = WaitingList(env={"KEZEK_DATABASE_URL": database_url}, identity_key=key)
    try:
        before = waiting_list.recorder.max_notification_id() or 0
        if before:
            echo(f"The store already holds {before:,} events; the demo adds to them.")
        echo(
            f"Kezek demo: {applications:,} synthetic applications to {len(PROVIDERS)} providers "
            f"(seed {seed}), store {redacted(database_url)}"
        )
        # Another run into the same store draws other citizens (the same ones would already
        # hold a place on the list).
        walk = Walk(waiting_list, applications=applications, seed=seed * 1_000_003 + before)
        result = walk.run()
        result.database_url = redacted(database_url)
        result.store_events = waiting_list.recorder.max_notification_id() or 0
        report(waiting_list, result, echo)
    finally:
        waiting_list.close()
    return result


def redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def local_text(moment: datetime, tz: str) -> str:
    return moment.astimezone(zone(tz)).isoformat(sep=" ", timespec="minutes")


def holder_name(app: HousingApplication) -> str:
    """Who holds the place now (the applicant, or a family member it passed to)."""
    if app.holder_iin == app.form.applicant_iin:
        return app.form.applicant_name
    for member in (*app.form.family, *app.family):
        if member.iin == app.holder_iin:
            return member.full_name
    return "?"


def report(waiting_list: WaitingList, result: DemoResult, echo: Echo = print) -> None:
    """The summary: counts, every list's head, three case histories. Names are masked and no
    IIN is ever printed."""
    rate = result.acts / result.seconds if result.seconds else 0.0
    echo(
        f"Walked {result.applications:,} applications in {result.seconds:.1f} s: "
        f"{result.acts:,} acts recorded ({rate:,.0f} a second)."
    )
    echo(
        f"Events: {result.application_events:,} of the applications, {result.store_events:,} "
        "in the store (with the lists' and the claims' events)."
    )
    echo("")
    echo("Paths walked:")
    for path in Route:
        if result.paths[path]:
            echo(f"  {result.paths[path]:>6,}  {path.value}")
    echo("")
    echo("Final status of the applications:")
    for status in Status:
        if result.statuses[status]:
            echo(f"  {result.statuses[status]:>6,}  {status.value}")
    echo("")
    decided = ", ".join(f"{r.value} {result.remedies[r]}" for r in Remedy)
    echo(
        f"Complaints: {result.complaints_filed} filed; {result.complaints_satisfied} satisfied "
        f"by the provider; decided with remedy {decided}."
    )
    echo(
        f"Housing: {result.offers} offers to the head of a list ({result.offers_below_norm} "
        f"below the area norm), {result.offers_declined} declined, "
        f"{result.housing_provided} provided."
    )
    echo("")
    echo("Waiting lists (head of each list; names masked):")
    for lines in list_heads(waiting_list):
        for line in lines:
            echo(line)
    if result.acts_deferred or result.sequels_given_up:
        echo(
            f"({result.acts_deferred} leaving acts were put off, and {result.sequels_given_up} "
            "given up, so that no list became empty.)"
        )
    order = list(SHOWCASE)
    shown = sorted(result.showcase.items(), key=lambda item: order.index(item[0]))
    for title, application_id in shown:
        echo("")
        for line in case_history(waiting_list, application_id, title):
            echo(line)


def list_heads(waiting_list: WaitingList, size: int = 5) -> Iterator[list[str]]:
    for provider, *_ in PROVIDERS:
        tz = get_provider(provider).tz
        for code in list_kinds():
            queue = waiting_list.queue(provider, code)
            if queue is None or not len(queue):
                continue
            lines = [f"  {provider} / {code}: {len(queue):,} on the list"]
            lines.append(f"    {'pos':>4}  {'name':<12} {'priority moment':<23} application")
            for position, key in enumerate(queue.keys[:size], start=1):
                app = waiting_list.application(key_application(key))
                name = mask_name(holder_name(app))
                moment = local_text(key_moment(key), tz)
                lines.append(f"    {position:>4}  {name:<12} {moment:<23} {app.id}")
            yield lines


def case_history(waiting_list: WaitingList, application_id: UUID, title: str) -> list[str]:
    app = waiting_list.application(application_id)
    where = f"{app.provider} / {app.form.list_code}"
    position = waiting_list.position(application_id)
    now = app.status.value + (f", number {position[0]} of {position[1]}" if position else "")
    lines = [
        f"Case history: {title}",
        f"  application {application_id} ({where}; holder {mask_name(holder_name(app))}); "
        f"now {now}",
        f"  {'v':>3}  {'event':<27} {'effective at (local)':<23} {'actor':<15} {'basis':<24} "
        "detail",
    ]
    for event in waiting_list.repository.event_store.get(application_id):
        item: Any = event
        lines.append(
            f"  {item.originator_version:>3}  {type(item).__name__:<27} "
            f"{local_text(item.effective_at, app.tz):<23} {item.actor.role.value:<15} "
            f"{item.basis:<24} {_detail(item, app.tz)}".rstrip()
        )
    return lines


def _detail(event: Any, tz: str) -> str:
    """A short, IIN-free note on what the event decided."""
    name = type(event).__name__
    if name == "Accepted":
        return f"term ends {event.consideration_due.due_on}"
    if name == "NotifiedIncomplete":
        kinds = ", ".join(m.document.value for m in event.missing if m.document is not None)
        return f"missing {kinds}; correct by {event.correction_due.due_on}"
    if name == "Corrected":
        return "complete from now: priority moment"
    if name == "Verified":
        failed = [c.check.value for c in event.checks if c.outcome.value == "failed"]
        return f"grounds found: {', '.join(failed)}" if event.grounds_found else "no grounds"
    if name == "HearingScheduled":
        return f"{event.ground.value}; hearing {local_text(event.notice.hearing_at, tz)}"
    if name == "HearingHeld":
        return str(event.outcome.value)
    if name == "Registered":
        return f"queue number {event.queue_number}"
    if name in {"Refused", "Deregistered"}:
        return str(event.ground.value)
    if name == "ComplaintFiled":
        return f"{event.complaint_id} with the {event.complaint.filed_with.value}"
    if name == "ComplaintForwarded":
        return f"{event.complaint_id} to the {event.to_body.value}, due {event.decision_due.due_on}"
    if name == "ComplaintSatisfied":
        return str(event.complaint_id)
    if name == "ComplaintDecided":
        text = f"{event.complaint_id} {event.outcome.value}, remedy {event.remedy.value}"
        if event.queue_number is not None:
            text += f", queue number {event.queue_number}"
        if event.priority_moment is not None:
            text += f", priority from {local_text(event.priority_moment, tz)}"
        return text
    if name == "DataUpdated":
        return str(event.update.reason)
    if name == "PlacePassedToFamilyMember":
        return f"cause {event.cause.value}"
    if name == "HousingOffered":
        home = event.dwelling
        norm = ", below the norm" if event.below_norm else ""
        rooms = f"{home.rooms} room{'s' if home.rooms > 1 else ''}"
        return f"{event.offer_id}: {rooms}, {home.useful_area_m2} m2{norm}"
    if name in {"OfferDeclined", "HousingProvided"}:
        return str(event.offer_id)
    return ""
