"""Random sequences of acts, valid and invalid mixed, through a real WaitingList on a real store.

A hypothesis state machine files applications for a small pool of citizens with two providers
(Almaty, with the 3-year residence rule of §5, and Talgar district) and two lists, so that many
applications compete on the same lists, then drives every act of the procedure on them: with
the right actor or a wrong one, on a date after the application's last act (minutes to weeks,
across Nauryz, the May holidays of 2024 with the worked Saturday 4 May and the day off 8 May,
and New Year 2025 with the worked Sunday 5 January), before it, or in the future.

For every act the machine predicts from the rules of the procedure (roles, provider, chronology,
status, documents, checks, deadlines in working days, reasons, the order of the list, claims)
whether it must be refused or must be recorded, and checks the ledger against the prediction:

- an act either is recorded or raises a DomainError; anything else fails the test;
- a refused act writes nothing: the notification log does not grow and the application, its
  list and its claim load from the store exactly as before;
- a recorded act adds one event to the application, in the expected status, with the number on
  the list the test computed independently.

Invariants after every step: each application replayed from the store equals the cached one and
the machine's copy; every list holds exactly the registered (or offered) applications, each once,
at positions 1..n in priority order; at most one open application per citizen, provider and list,
and the citizen's claim names it; and the notification log, replayed in order into sorted lists
of priority keys built from the application events alone (never from QueueList), agrees with
every queue number the ledger stated (Registered, ComplaintDecided with RESTORE_PLACE) and with
every position in the QueueList events. At teardown a second WaitingList on the same database
loads everything afresh and must agree.

Application ids come from a seeded generator (patched `uuid4` of domain.waiting_list) so that a
failing example replays exactly: ties between equal priority moments are broken by the id.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import uuid
from bisect import bisect_left, insort
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock
from uuid import UUID

import pytest
from eventsourcing.application import AggregateNotFoundError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from api.synthetic import (
    IDENTITY_KEY_HEX,
    checks_for,
    complaint_body,
    document,
    head,
    iin_for,
    make_form,
    officer,
)
from domain import ledger_base
from domain import waiting_list as waiting_list_module
from domain.actors import Actor
from domain.calendar import add_working_days, reception_day, working_days_between, zone
from domain.claims import ApplicantClaim, IdentityKey
from domain.errors import ApplicationNotFound, DomainError
from domain.forms import ApplicationForm, DataUpdateForm, FamilyMember
from domain.housing_application import HousingApplication
from domain.priority import key_accepts_smaller, key_application, priority_key
from domain.queue_list import QueueList
from domain.records import (
    AREA_NORM_M2_PER_PERSON,
    AdministrativeFile,
    CheckResult,
    ComplaintForm,
    Dwelling,
    HearingNotice,
    MissingItem,
)
from domain.reference import get_provider
from domain.values import (
    CLOSED,
    ON_THE_LIST,
    Check,
    CheckOutcome,
    ComplaintBody,
    ComplaintOutcome,
    ComplaintStatus,
    ComplaintSubject,
    DeregistrationGround,
    DocumentKind,
    HearingOutcome,
    HousingCondition,
    RefusalGround,
    Relation,
    Remedy,
    Role,
    Status,
    SuccessionCause,
)
from domain.waiting_list import WaitingList
from tests.conftest import BACKENDS, POSTGRES_URL, postgres_connect

PROVIDERS = ("almaty", "talgar-district")  # almaty: the 3-year rule of §5
LISTS = ("socially_vulnerable", "orphans")  # with and without the income test
POOL = range(1, 7)  # citizens: few, so that duplicates and competition happen
STAFF = frozenset({Role.OFFICER, Role.HEAD, Role.SYSTEM})
APPLICANT = frozenset({Role.APPLICANT})
HEAD = frozenset({Role.HEAD})
OPEN = frozenset(Status) - CLOSED
# Acts are dated no later than this (in the past, and the same on every run: reproducible).
CEILING = min(datetime(2026, 6, 30, tzinfo=UTC), datetime.now(UTC) - timedelta(days=1))
FAR = 10**9  # `repository.get(id, version=FAR)` replays from the store, bypassing the cache
ZONES = (UTC, zone("Asia/Almaty"), zone("Asia/Aqtobe"), timezone(timedelta(hours=5)))
# Windows around the holidays of 2024-2025 (first day, length in days).
HOLIDAY_WINDOWS = (
    (date(2024, 3, 5), 5),  # 8 March
    (date(2024, 3, 18), 9),  # Nauryz 21-23 March (a Thursday to Saturday) + observed days off
    (date(2024, 4, 29), 14),  # 1, 4 (worked Saturday), 7, 8 (day off), 9 May
    (date(2024, 12, 13), 6),  # Independence Day
    (date(2024, 12, 27), 13),  # New Year, 3 January off, 5 January (Sunday) worked, 7 January
    (date(2025, 3, 18), 10),  # Nauryz on a weekend
    (date(2025, 4, 29), 14),
    (date(2025, 8, 28), 5),
    (date(2025, 10, 23), 5),
)

days = st.one_of(
    st.sampled_from(HOLIDAY_WINDOWS).flatmap(
        lambda w: st.integers(0, w[1]).map(lambda i, first=w[0]: first + timedelta(days=i))
    ),
    st.dates(date(2024, 1, 1), date(2025, 12, 31)),
)
filing_moments = st.builds(
    lambda day, minute, tz: (
        datetime.combine(day, time(minute // 60, minute % 60))
        .replace(tzinfo=zone("Asia/Almaty"))
        .astimezone(tz)
    ),
    days,
    st.integers(0, 24 * 60 - 1),
    st.sampled_from(ZONES),
)
blank_or_text = st.sampled_from(["reasons stated", "reasons stated", "reasons stated", "  "])


NEXT_ACTS: dict[Status, tuple[str, ...]] = {
    Status.SUBMITTED: ("accept", "accept", "accept", "accept", "withdraw"),
    Status.ACCEPTED: ("find_complete", "find_complete", "notify_incomplete"),
    Status.INCOMPLETE: ("correct", "correct", "refuse_further_consideration"),
    Status.COMPLETE: ("verify",),
    Status.VERIFIED: ("register", "register", "register", "schedule_hearing"),
    Status.GROUNDS_FOUND: ("schedule_hearing",),
    Status.HEARING_SCHEDULED: ("hold_hearing",),
    Status.HEARING_HELD: ("register", "refuse"),
    Status.REGISTERED: (
        "offer_housing",
        "offer_housing",
        "update_data",
        "deregister",
        "pass_place_to_family_member",
        "file_complaint",
        "withdraw",
    ),
    Status.OFFERED: (
        "decline_offer",
        "provide_housing",
        "deregister",
        "withdraw",
        "file_complaint",
    ),
    Status.REFUSED: ("file_complaint",),
    Status.DEREGISTERED: ("file_complaint",),
    Status.NOT_CONSIDERED: ("withdraw", "file_complaint", "correct"),
    Status.WITHDRAWN: ("withdraw", "file_complaint", "accept"),
    Status.HOUSED: ("provide_housing", "file_complaint", "offer_housing"),
}


OPEN_COMPLAINT = frozenset({ComplaintStatus.FILED, ComplaintStatus.FORWARDED})
REMEDIABLE = frozenset({Status.DEREGISTERED, Status.REFUSED, *ON_THE_LIST})
ADVANCEABLE = OPEN | {Status.DEREGISTERED, Status.REFUSED}
FAST_TRACK = frozenset(
    {Status.SUBMITTED, Status.ACCEPTED, Status.INCOMPLETE, Status.COMPLETE, Status.VERIFIED}
)


def _some(*statuses: Status) -> Callable[[Any], bool]:
    """Precondition: some application is in one of these states (the act can do something)."""
    return lambda machine: any(a.status in statuses for a in machine.model.values())


def _some_complaint(*statuses: ComplaintStatus) -> Callable[[Any], bool]:
    return lambda machine: any(
        c.status in statuses for a in machine.model.values() for c in a.complaints.values()
    )


def _below_norm(area: Decimal, app: HousingApplication) -> bool:
    """Art. 75: less than 15 m2 of useful area a person of the household."""
    return area < AREA_NORM_M2_PER_PERSON * (1 + len(app.family))


def _local_day(moment: datetime, tz: str) -> date:
    return moment.astimezone(zone(tz)).date()


class Expectation:
    """What the rules say about an act: the rules it breaks (none: it must be recorded)."""

    def __init__(self) -> None:
        self.broken: list[str] = []
        self.detail = ""  # shown when the ledger disagrees

    def require(self, condition: bool, rule_name: str) -> None:
        if not condition:
            self.broken.append(rule_name)


@dataclass
class Replayed:
    """One application as seen by the independent replay of the notification log."""

    provider: str
    list_code: str
    accepts_smaller: bool
    moment: datetime
    last_effective_at: datetime
    on_list: bool = False
    versions: list[int] = field(default_factory=list)

    def key(self, app_id: UUID) -> str:
        return priority_key(self.moment, app_id, self.accepts_smaller)


class LedgerMachine(RuleBasedStateMachine):
    backend = "sqlite"

    applications = Bundle("applications")

    def __init__(self) -> None:
        super().__init__()
        self._tmpdir: str | None = None
        self._schema: str | None = None
        if self.backend == "sqlite":
            self._tmpdir = tempfile.mkdtemp(prefix="kezek-stateful-")
            self.url = f"sqlite:///{Path(self._tmpdir) / 'kezek.db'}"
        else:
            self._schema = f"kezek_stateful_{uuid.uuid4().hex[:12]}"
            with postgres_connect() as conn:
                conn.execute(f"CREATE SCHEMA {self._schema}")
            self.url = f"{POSTGRES_URL}?schema={self._schema}"
        self.key = IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX))
        self.wl = WaitingList(env={"KEZEK_DATABASE_URL": self.url}, identity_key=self.key)
        ids = random.Random(20240321)  # reproducible ids: ties are broken by the id
        self._uuid_patch = mock.patch.object(
            waiting_list_module,
            "uuid4",
            side_effect=lambda: UUID(int=ids.getrandbits(128), version=4),
        )
        # One actor at a time: any write conflict is a bug, so do not wait through 30 retries.
        self._retry_patch = mock.patch.object(ledger_base, "MAX_ATTEMPTS", 2)
        self._uuid_patch.start()
        self._retry_patch.start()
        self.order: list[UUID] = []  # applications in filing order
        self.model: dict[UUID, HousingApplication] = {}
        # The independent replay of the notification log.
        self.cursor = 0
        self.replayed: dict[UUID, Replayed] = {}
        self.lists: dict[tuple[str, str], list[str]] = {
            (p, c): [] for p in PROVIDERS for c in LISTS
        }
        self.left_at: dict[str, int] = {}  # key -> position it had when its application left
        self.moved_from: dict[str, int] = {}  # old key -> position before a corrected priority
        # application -> the list event its last act must be saved with (same transaction)
        self.awaiting: dict[UUID, type[Any]] = {}
        self._forced: UUID | None = None  # set while `advance` drives one application
        self._cooperative = False  # set while `fast_track`: the right actor, soon after

    def teardown(self) -> None:
        try:
            if self.order:
                self._check_with_fresh_ledger()
        finally:
            self.wl.close()
            self._uuid_patch.stop()
            self._retry_patch.stop()
            if self._tmpdir is not None:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
            if self._schema is not None:
                with postgres_connect() as conn:
                    conn.execute(f"DROP SCHEMA {self._schema} CASCADE")

    # -- helpers -------------------------------------------------------------------------

    def _fresh(self, aggregate_id: UUID) -> Any:
        """The aggregate replayed from the store, bypassing the cache."""
        return self.wl.repository.get(aggregate_id, version=FAR)

    def _fresh_or_none(self, aggregate_id: UUID) -> Any:
        try:
            return self._fresh(aggregate_id)
        except AggregateNotFoundError:
            return None

    def _pick(self, data: st.DataObject, app_id: UUID, statuses: frozenset[Status]) -> UUID:
        """Mostly an application in a state where the act makes sense; else the bundle's."""
        if self._forced is not None:
            return self._forced
        if data.draw(st.integers(0, 3), label="steer") < 3:
            fitting = [i for i in self.order if self.model[i].status in statuses]
            if fitting:
                return data.draw(st.sampled_from(fitting), label="steered")
        return app_id

    def _actor(self, data: st.DataObject, app: HousingApplication, right: tuple[str, ...]) -> Actor:
        kinds = (
            "officer",
            "head",
            "system",
            "applicant",
            "other_officer",
            "other_head",
            "other_applicant",
            "body",
        )
        if self._cooperative:
            kind = data.draw(st.sampled_from(right), label="actor")
        else:
            kind = data.draw(
                st.sampled_from(right)
                if data.draw(st.integers(0, 4)) < 4
                else st.sampled_from(kinds),
                label="actor",
            )
        other = PROVIDERS[1 - PROVIDERS.index(app.provider)]
        if kind == "officer":
            return officer(app.provider, data.draw(st.integers(1, 2)))
        if kind == "head":
            return head(app.provider)
        if kind == "system":
            return Actor(id="batch", role=Role.SYSTEM, provider=app.provider)
        if kind == "applicant":
            return self.wl.applicant(app.holder_iin)
        if kind == "other_officer":
            return officer(other)
        if kind == "other_head":
            return head(other)
        if kind == "other_applicant":
            serial = data.draw(st.sampled_from(POOL))
            return self.wl.applicant(iin_for(serial))
        return complaint_body()

    def _when(self, data: st.DataObject, app: HousingApplication) -> datetime:
        """The application's last effective time plus minutes to weeks; sometimes before it,
        rarely in the future; otherwise never after CEILING."""
        # Hypothesis shrinks towards the first choices: the usual case first.
        kind = data.draw(st.integers(0, 21 if self._cooperative else 39), label="when")
        last = app.last_effective_at
        if kind < 22:
            at = last + timedelta(minutes=data.draw(st.integers(0, 3 * 24 * 60)))
        elif kind < 36:
            at = last + timedelta(hours=data.draw(st.integers(0, 25 * 24)))
        elif kind < 39:
            at = last - timedelta(hours=data.draw(st.integers(1, 30 * 24)))
        elif data.draw(st.booleans(), label="future"):
            at = datetime.now(UTC) + timedelta(days=1)
        else:
            kind = 0
            at = last
        if kind < 39:
            at = min(at, CEILING)
        return at.astimezone(data.draw(st.sampled_from(ZONES)))

    @staticmethod
    def _check_actor(
        expect: Expectation, actor: Actor, app: HousingApplication, roles: frozenset[Role]
    ) -> None:
        expect.require(actor.role in roles, f"role {actor.role.value}")
        if actor.role in STAFF:
            expect.require(actor.provider == app.provider, "own provider")
        if actor.role is Role.APPLICANT:
            expect.require(actor.id == app.applicant_ref, "the applicant")

    @staticmethod
    def _check_time(expect: Expectation, at: datetime, app: HousingApplication) -> None:
        expect.require(at >= app.last_effective_at, "chronology")
        expect.require(at <= datetime.now(UTC) + timedelta(minutes=5), "not in the future")

    def _begin(
        self,
        data: st.DataObject,
        app_id: UUID,
        statuses: frozenset[Status],
        right: tuple[str, ...],
        roles: frozenset[Role],
    ) -> tuple[HousingApplication, Actor, datetime, Expectation]:
        app = self.model[self._pick(data, app_id, statuses)]
        actor = self._actor(data, app, right)
        at = self._when(data, app)
        expect = Expectation()
        self._check_actor(expect, actor, app, roles)
        self._check_time(expect, at, app)
        return app, actor, at, expect

    def _claim_holder(self, iin: str, provider: str, list_code: str) -> UUID | None:
        claim = self._fresh_or_none(self.key.claim_id(iin, provider, list_code))
        assert claim is None or isinstance(claim, ApplicantClaim)
        return None if claim is None else claim.holder

    def _open_holder(self, iin: str, provider: str, list_code: str) -> UUID | None:
        for i in self.order:
            a = self.model[i]
            if (
                a.holder_iin == iin
                and a.provider == provider
                and a.form.list_code == list_code
                and not a.is_closed
            ):
                return i
        return None

    def _attempt(
        self,
        act: str,
        app: HousingApplication,
        call: Callable[[], Any],
        expect: Expectation,
        expected_status: Status | None,
        at: datetime,
    ) -> tuple[Any, HousingApplication] | None:
        """Run the act; check it against the expectation; on refusal check nothing was written."""
        list_id = QueueList.id_for(app.provider, app.form.list_code)
        claim_id = self.key.claim_id(app.holder_iin, app.provider, app.form.list_code)
        before_max = self.wl.recorder.max_notification_id()
        before_app = self._fresh(app.id)
        before_list = self._fresh_or_none(list_id)
        before_claim = self._fresh_or_none(claim_id)
        receipt, error = _outcome(call)
        if error is not None:
            assert expect.broken, (
                f"{act} refused although every rule was met: {error!r} {expect.detail}"
            )
            assert self.wl.recorder.max_notification_id() == before_max, (
                f"refused {act} wrote to the log: {error!r}"
            )
            assert self._fresh(app.id) == before_app, f"refused {act} changed the application"
            assert self._fresh_or_none(list_id) == before_list, f"refused {act} changed the list"
            assert self._fresh_or_none(claim_id) == before_claim, f"refused {act} changed a claim"
            assert self.wl.application(app.id) == before_app, f"refused {act} left the cache stale"
            return None
        assert not expect.broken, (
            f"{act} recorded although it breaks: {expect.broken} {expect.detail}"
        )
        after = self.wl.application(app.id)
        assert after == self._fresh(app.id)
        assert after.version == before_app.version + 1, f"{act} wrote more than one event"
        assert after.last_effective_at == at.astimezone(UTC)
        assert receipt.application_id == app.id
        assert receipt.version == after.version
        assert receipt.notification_id == self.wl.recorder.max_notification_id()
        if expected_status is not None:
            assert after.status is expected_status, (
                f"{act}: {after.status.value}, expected {expected_status.value}"
            )
        self.model[app.id] = after
        return receipt, after

    def _expected_number(self, app: HousingApplication) -> int:
        self._catch_up()
        keys = self.lists[(app.provider, app.form.list_code)]
        return bisect_left(keys, app.priority_key) + 1

    # -- filing --------------------------------------------------------------------------

    def _form(self, data: st.DataObject, serial: int, list_code: str) -> ApplicationForm:
        base = make_form(
            serial,
            list_code=list_code,
            family_size=data.draw(st.integers(0, 2), label="family"),
            accepts_smaller=data.draw(st.booleans(), label="accepts_smaller"),
            with_documents=False,
        )
        family = list(base.family)
        if data.draw(st.integers(0, 2), label="relative_in_pool") == 2:
            # A relative who is also a citizen of the pool: succession meets their claim.
            relative = data.draw(st.sampled_from([s for s in POOL if s != serial]))
            family.append(
                FamilyMember(
                    iin=iin_for(relative),
                    full_name=f"Relative {relative}",
                    relation=Relation.SIBLING,
                )
            )
        conditions = data.draw(
            st.sampled_from(
                [(), (), (HousingCondition.SANITARY,), (HousingCondition.SHARED_NON_ISOLATED,)]
            ),
            label="conditions",
        )
        draft = ApplicationForm.model_validate(
            {
                **base.model_dump(),
                "family": [m.model_dump() for m in family],
                "housing_conditions": list(conditions),
            }
        )
        required = sorted(draft.required_documents(), key=lambda k: k.value)
        attach = data.draw(st.sampled_from(["all", "all", "none", "first"]), label="documents")
        kinds = required if attach == "all" else required[:1] if attach == "first" else []
        return draft.model_copy(update={"documents": tuple(document(k) for k in kinds)})

    @initialize(target=applications, data=st.data())
    def first_applications(self, data: st.DataObject) -> Any:
        """A few applications from the start, most of them taken onto their list, so that every
        run has a list to work on."""
        ids = [self._submit(data) for _ in range(data.draw(st.integers(1, 6), label="first"))]
        filed = [i for i in ids if i is not None]
        for app_id in filed:
            if data.draw(st.integers(0, 3), label="fast") < 3:
                self._fast_track(app_id, data)
        return multiple(*filed)

    @rule(target=applications, data=st.data())
    def submit(self, data: st.DataObject) -> Any:
        app_id = self._submit(data)
        return multiple() if app_id is None else app_id

    def _submit(
        self, data: st.DataObject, *, provider: str | None = None, list_code: str | None = None
    ) -> UUID | None:
        serial = data.draw(st.sampled_from(POOL), label="citizen")
        if provider is None:
            # Mostly the first provider and list, so that lists grow long enough to compete on.
            provider = data.draw(st.sampled_from(PROVIDERS[:1] * 3 + PROVIDERS), label="provider")
        if list_code is None:
            list_code = data.draw(st.sampled_from(LISTS[:1] * 3 + LISTS), label="list")
        form = self._form(data, serial, list_code)
        filed_at = data.draw(filing_moments, label="filed_at")
        who = "self"
        if data.draw(st.integers(0, 7), label="wrong_filer") == 7:
            who = data.draw(st.sampled_from(["other", "officer"]), label="filer")
        if who == "self":
            actor = self.wl.applicant(form.applicant_iin)
        elif who == "other":
            actor = self.wl.applicant(iin_for(serial % len(POOL) + 1))
        else:
            actor = officer(provider)
        expect = Expectation()
        expect.require(who == "self", "the applicant files")
        expect.require(
            self._open_holder(form.applicant_iin, provider, list_code) is None,
            "one open application per citizen, provider and list",
        )
        before_max = self.wl.recorder.max_notification_id()
        receipt, error = _outcome(
            lambda: self.wl.submit(form, provider=provider, actor=actor, filed_at=filed_at)
        )
        if error is not None:
            assert expect.broken, f"submission refused although every rule was met: {error!r}"
            assert self.wl.recorder.max_notification_id() == before_max
            return None
        assert not expect.broken, f"submission recorded although it breaks {expect.broken}"
        app = self.wl.application(receipt.application_id)
        assert app == self._fresh(app.id)
        assert app.version == 1
        assert app.status is Status.SUBMITTED
        assert app.filed_at == app.priority_moment == filed_at.astimezone(UTC)
        assert receipt.notification_id == self.wl.recorder.max_notification_id()
        self.order.append(app.id)
        self.model[app.id] = app
        return app.id

    @rule(data=st.data())
    def act_on_unknown_application(self, data: st.DataObject) -> None:
        unknown = UUID(int=data.draw(st.integers(0, 2**64)), version=4)
        before_max = self.wl.recorder.max_notification_id()
        with pytest.raises(ApplicationNotFound):
            self.wl.accept(unknown, actor=officer("almaty"), effective_at=CEILING)
        assert self.wl.recorder.max_notification_id() == before_max

    # -- acceptance, completeness, verification -----------------------------------------

    @precondition(_some(Status.SUBMITTED))
    @rule(app_id=applications, data=st.data())
    def accept(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.SUBMITTED}), ("officer", "system"), STAFF
        )
        expect.require(app.status is Status.SUBMITTED, "status")
        expect.require(
            _local_day(at, app.tz) >= reception_day(app.filed_at, app.tz), "reception day"
        )
        self._attempt(
            "accept",
            app,
            lambda: self.wl.accept(app.id, actor=actor, effective_at=at),
            expect,
            Status.ACCEPTED,
            at,
        )

    @precondition(_some(Status.ACCEPTED))
    @rule(app_id=applications, data=st.data())
    def notify_incomplete(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.ACCEPTED}), ("officer",), STAFF
        )
        missing = data.draw(
            st.sampled_from(
                [
                    [MissingItem(document=DocumentKind.SANITARY_CONCLUSION, description="scan")],
                    [MissingItem(description="unreadable scan")],
                    [],
                ]
            )
        )
        expect.require(app.status is Status.ACCEPTED, "status")
        expect.require(bool(missing), "names what is missing")
        self._attempt(
            "notify_incomplete",
            app,
            lambda: self.wl.notify_incomplete(
                app.id, actor=actor, effective_at=at, missing=missing
            ),
            expect,
            Status.INCOMPLETE,
            at,
        )

    @precondition(_some(Status.ACCEPTED))
    @rule(app_id=applications, data=st.data())
    def find_complete(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.ACCEPTED}), ("officer",), STAFF
        )
        expect.require(app.status is Status.ACCEPTED, "status")
        expect.require(
            app.form.required_documents() <= {d.kind for d in app.documents}, "documents"
        )
        self._attempt(
            "find_complete",
            app,
            lambda: self.wl.find_complete(app.id, actor=actor, effective_at=at),
            expect,
            Status.COMPLETE,
            at,
        )

    @precondition(_some(Status.INCOMPLETE))
    @rule(app_id=applications, data=st.data())
    def correct(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.INCOMPLETE}), ("applicant",), APPLICANT
        )
        required = sorted(app.form.required_documents(), key=lambda k: k.value)
        which = data.draw(
            st.sampled_from(["all"] if self._cooperative else ["all", "all", "none", "other"]),
            label="correction",
        )
        kinds = required if which == "all" else [DocumentKind.OTHER] if which == "other" else []
        documents = [document(k, "corrected") for k in kinds]
        expect.require(app.status is Status.INCOMPLETE, "status")
        if app.correction_due is not None:
            expect.require(_local_day(at, app.tz) <= app.correction_due.due_on, "in time")
        expect.require(
            app.form.required_documents()
            <= {d.kind for d in app.documents} | {d.kind for d in documents},
            "documents",
        )
        result = self._attempt(
            "correct",
            app,
            lambda: self.wl.correct(app.id, actor=actor, effective_at=at, documents=documents),
            expect,
            Status.COMPLETE,
            at,
        )
        if result is not None:
            assert result[1].priority_moment == at.astimezone(UTC), "Art. 74: priority runs anew"

    @precondition(_some(Status.INCOMPLETE))
    @rule(app_id=applications, data=st.data())
    def refuse_further_consideration(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.INCOMPLETE}), ("head",), HEAD
        )
        reasons = data.draw(blank_or_text)
        expect.require(app.status is Status.INCOMPLETE, "status")
        if app.correction_due is not None:
            expect.require(_local_day(at, app.tz) > app.correction_due.due_on, "after the term")
        expect.require(bool(reasons.strip()), "reasons")
        self._attempt(
            "refuse_further_consideration",
            app,
            lambda: self.wl.refuse_further_consideration(
                app.id, actor=actor, effective_at=at, reasons=reasons
            ),
            expect,
            Status.NOT_CONSIDERED,
            at,
        )

    @precondition(_some(Status.COMPLETE))
    @rule(app_id=applications, data=st.data())
    def verify(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.COMPLETE}), ("officer", "system"), STAFF
        )
        three_years = get_provider(app.provider).three_year_residence
        variant = data.draw(
            st.sampled_from(
                ["pass"] * 9 + ["fail"]
                if self._cooperative
                else ["pass"] * 4 + ["fail"] * 2 + ["missing", "twice", "no_years", "short"]
            ),
            label="checks",
        )
        checks = checks_for(app.form, app.provider)
        if variant == "fail":
            failing = data.draw(st.sampled_from([c.check for c in checks]))
            checks = checks_for(app.form, app.provider, failing=failing)
        elif variant == "missing":
            checks = checks[1:]
        elif variant == "twice":
            checks = [*checks, checks[0]]
        elif variant in {"no_years", "short"}:
            years = None if variant == "no_years" else 2
            checks = [
                CheckResult(
                    check=c.check, outcome=c.outcome, source=c.source, residence_years=years
                )
                if c.check is Check.PERMANENT_REGISTRATION
                else c
                for c in checks
            ]
        expect.require(app.status is Status.COMPLETE, "status")
        expect.require(variant not in {"missing", "twice"}, "every check once")
        expect.require(not (three_years and variant in {"no_years", "short"}), "§5 three years")
        grounds = any(c.outcome is CheckOutcome.FAILED for c in checks)
        self._attempt(
            "verify",
            app,
            lambda: self.wl.verify(app.id, actor=actor, effective_at=at, checks=checks),
            expect,
            Status.GROUNDS_FOUND if grounds else Status.VERIFIED,
            at,
        )

    # -- hearing, registration, refusal --------------------------------------------------

    @precondition(_some(Status.VERIFIED, Status.GROUNDS_FOUND))
    @rule(app_id=applications, data=st.data())
    def schedule_hearing(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data,
            app_id,
            frozenset({Status.VERIFIED, Status.GROUNDS_FOUND}),
            ("officer",),
            STAFF,
        )
        hearing_at = at + timedelta(hours=data.draw(st.integers(-2, 80), label="hearing_in"))
        reasons = data.draw(blank_or_text)
        ground = data.draw(st.sampled_from(RefusalGround))
        expect.require(app.status in {Status.VERIFIED, Status.GROUNDS_FOUND}, "status")
        if app.consideration_due is not None:
            notice_day = _local_day(at, app.tz)
            expect.require(
                working_days_between(notice_day, app.consideration_due.due_on) >= 3,
                "3 working days before the term",
            )
            expect.require(
                hearing_at >= at
                and _local_day(hearing_at, app.tz) <= add_working_days(notice_day, 2),
                "hearing within 2 working days",
            )
        expect.require(bool(reasons.strip()), "reasons")
        notice = HearingNotice(hearing_at=hearing_at, place="Akimat, room 101")
        self._attempt(
            "schedule_hearing",
            app,
            lambda: self.wl.schedule_hearing(
                app.id, actor=actor, effective_at=at, ground=ground, reasons=reasons, notice=notice
            ),
            expect,
            Status.HEARING_SCHEDULED,
            at,
        )

    @precondition(_some(Status.HEARING_SCHEDULED))
    @rule(app_id=applications, data=st.data())
    def hold_hearing(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.HEARING_SCHEDULED}), ("officer", "head"), STAFF
        )
        outcome = data.draw(st.sampled_from(HearingOutcome))
        reasons = data.draw(blank_or_text)
        expect.require(app.status is Status.HEARING_SCHEDULED, "status")
        if app.hearing_due is not None:
            expect.require(_local_day(at, app.tz) <= app.hearing_due.due_on, "in time")
        expect.require(bool(reasons.strip()), "reasons")
        result = self._attempt(
            "hold_hearing",
            app,
            lambda: self.wl.hold_hearing(
                app.id,
                actor=actor,
                effective_at=at,
                applicant_position="objects",
                outcome=outcome,
                reasons=reasons,
            ),
            expect,
            Status.HEARING_HELD,
            at,
        )
        if result is not None:
            assert result[1].hearing_outcome is outcome

    @precondition(_some(Status.VERIFIED, Status.HEARING_HELD))
    @rule(app_id=applications, data=st.data())
    def register(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data,
            app_id,
            frozenset({Status.VERIFIED, Status.HEARING_HELD}),
            ("officer", "head", "system"),
            STAFF,
        )
        expect.require(
            app.status is Status.VERIFIED
            or (
                app.status is Status.HEARING_HELD and app.hearing_outcome is HearingOutcome.POSITIVE
            ),
            "cleared by verification or hearing",
        )
        number = self._expected_number(app)
        length = len(self.lists[self._list_of(app)])
        result = self._attempt(
            "register",
            app,
            lambda: self.wl.register(app.id, actor=actor, effective_at=at),
            expect,
            Status.REGISTERED,
            at,
        )
        if result is not None:
            receipt, after = result
            assert receipt.queue_number == after.queue_number == number, (
                f"registered as number {receipt.queue_number}, the list says {number}"
            )
            assert self.wl.position(app.id) == (number, length + 1)

    @precondition(_some(Status.HEARING_HELD))
    @rule(app_id=applications, data=st.data())
    def refuse(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.HEARING_HELD}), ("head",), HEAD
        )
        reasons = data.draw(blank_or_text)
        expect.require(
            app.status is Status.HEARING_HELD and app.hearing_outcome is HearingOutcome.REFUSAL,
            "a hearing ended in refusal",
        )
        expect.require(bool(reasons.strip()), "reasons")
        self._attempt(
            "refuse",
            app,
            lambda: self.wl.refuse(
                app.id,
                actor=actor,
                effective_at=at,
                ground=RefusalGround.NON_COMPLIANCE,
                reasons=reasons,
            ),
            expect,
            Status.REFUSED,
            at,
        )

    # -- life on the list ----------------------------------------------------------------

    @precondition(_some(*ON_THE_LIST))
    @rule(app_id=applications, data=st.data())
    def update_data(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(data, app_id, ON_THE_LIST, ("applicant",), APPLICANT)
        family = list(app.family)
        change = data.draw(
            st.sampled_from(["none", "none", "drop", "add_pool", "add_self"]), label="family"
        )
        new_family: tuple[FamilyMember, ...] | None = None
        if change == "drop":
            new_family = tuple(family[1:])
        elif change == "add_pool":
            serial = data.draw(st.sampled_from(POOL))
            new_family = (
                *family,
                FamilyMember(iin=iin_for(serial), full_name="In-law", relation=Relation.PARENT),
            )
        elif change == "add_self":
            # Appendix 3 gives "the family as it is now": here it wrongly names the applicant.
            new_family = (
                *family,
                FamilyMember(iin=app.holder_iin, full_name="Self", relation=Relation.SPOUSE),
            )
        household = {app.holder_iin, *(m.iin for m in family)}
        if new_family is not None:
            household |= {m.iin for m in new_family}
        member = data.draw(
            st.sampled_from([None, *sorted(household), iin_for(999)]), label="member"
        )
        applicant_iin = data.draw(
            st.sampled_from([app.holder_iin] * 4 + [iin_for(998)]), label="update_applicant"
        )
        update = DataUpdateForm(
            applicant_iin=applicant_iin,
            family_member_iin=member,
            reason="family changed",
            grounds_arose_on=_local_day(app.last_effective_at, app.tz),
            documents=(document(DocumentKind.OTHER, "appendix 3"),),
            family=new_family,
        )
        expect.require(app.status in ON_THE_LIST, "on the list")
        expect.require(applicant_iin == app.holder_iin, "the applicant's form")
        expect.require(member is None or member in household, "a member of the family")
        if new_family is not None:
            members = [m.iin for m in new_family]
            expect.require(app.holder_iin not in members, "the family never names the applicant")
            expect.require(len(members) == len(set(members)), "each member once")
        result = self._attempt(
            "update_data",
            app,
            lambda: self.wl.update_data(app.id, actor=actor, effective_at=at, update=update),
            expect,
            app.status,
            at,
        )
        if result is not None and new_family is not None:
            assert result[1].family == new_family

    @precondition(_some(*OPEN))
    @rule(app_id=applications, data=st.data())
    def withdraw(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(data, app_id, OPEN, ("applicant",), APPLICANT)
        expect.require(app.status not in CLOSED, "open")
        self._attempt(
            "withdraw",
            app,
            lambda: self.wl.withdraw(app.id, actor=actor, effective_at=at),
            expect,
            Status.WITHDRAWN,
            at,
        )

    @precondition(_some(*ON_THE_LIST))
    @rule(app_id=applications, data=st.data())
    def deregister(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(data, app_id, ON_THE_LIST, ("head",), HEAD)
        ground = data.draw(st.sampled_from(DeregistrationGround))
        reasons = data.draw(blank_or_text)
        expect.require(app.status in ON_THE_LIST, "on the list")
        expect.require(bool(reasons.strip()), "reasons")
        self._attempt(
            "deregister",
            app,
            lambda: self.wl.deregister(
                app.id, actor=actor, effective_at=at, ground=ground, reasons=reasons
            ),
            expect,
            Status.DEREGISTERED,
            at,
        )

    @precondition(_some(*ON_THE_LIST))
    @rule(app_id=applications, data=st.data())
    def pass_place_to_family_member(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(data, app_id, ON_THE_LIST, ("head",), HEAD)
        members = [m.iin for m in app.family]
        successor = data.draw(
            st.sampled_from([*members, *members, iin_for(997), app.holder_iin]), label="successor"
        )
        reasons = data.draw(blank_or_text)
        expect.require(app.status in ON_THE_LIST, "on the list")
        expect.require(successor in members, "a member of the family")
        expect.require(bool(reasons.strip()), "reasons")
        taken = self._claim_holder(successor, app.provider, app.form.list_code)
        expect.require(taken in {None, app.id}, "the successor's claim is free")
        expect.require(successor != app.holder_iin, "another member of the family")
        cause = data.draw(st.sampled_from(SuccessionCause))
        result = self._attempt(
            "pass_place_to_family_member",
            app,
            lambda: self.wl.pass_place_to_family_member(
                app.id,
                actor=actor,
                effective_at=at,
                cause=cause,
                successor_iin=successor,
                reasons=reasons,
            ),
            expect,
            app.status,
            at,
        )
        if result is not None:
            after = result[1]
            assert after.holder_iin == successor
            assert after.applicant_ref == self.key.applicant_ref(successor)
            assert after.priority_key == app.priority_key, "the place passes with its priority"
            assert self._claim_holder(successor, *self._list_of(app)) == app.id
            assert self._claim_holder(app.holder_iin, *self._list_of(app)) is None

    # -- housing -------------------------------------------------------------------------

    @precondition(_some(Status.REGISTERED))
    @rule(app_id=applications, data=st.data())
    def offer_housing(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.REGISTERED}), ("officer", "head"), STAFF
        )
        area = data.draw(
            st.sampled_from([Decimal(90), Decimal(40), Decimal(120), Decimal("12.50"), Decimal(20)])
        )
        dwelling = Dwelling(address="Abay 1, apt 5", rooms=2, useful_area_m2=area)
        below = _below_norm(area, app)
        expect.require(app.status is Status.REGISTERED, "registered without an open offer")
        expect.require(not below or app.form.accepts_smaller_housing, "accepts smaller housing")
        if app.status is Status.REGISTERED:
            self._catch_up()
            keys = self.lists[self._list_of(app)]
            self.lists_hold_exactly_the_registered()
            ahead = keys[: bisect_left(keys, app.priority_key)]
            # Ahead may be those with an open offer, and those who refused smaller housing
            # when the dwelling is below *their* norm (Appendix 1 item 12, Art. 75).
            first = all(
                self.model[key_application(k)].status is Status.OFFERED
                or (
                    not key_accepts_smaller(k) and _below_norm(area, self.model[key_application(k)])
                )
                for k in ahead
            )
            expect.require(first, "head of the list (Art. 74)")
            queue = self.wl.queue(*self._list_of(app))
            expect.detail = (
                f"list {keys}, statuses {[self.model[key_application(k)].status for k in keys]}, "
                f"offered {None if queue is None else queue.offered}, below norm {below}, "
                f"offering {app.priority_key} (app status {app.status})"
            )
        result = self._attempt(
            "offer_housing",
            app,
            lambda: self.wl.offer_housing(app.id, actor=actor, effective_at=at, dwelling=dwelling),
            expect,
            Status.OFFERED,
            at,
        )
        if result is not None:
            assert result[0].offer_id == result[1].open_offer

    def _offer_act(self, data: st.DataObject, app: HousingApplication) -> str:
        return data.draw(
            st.sampled_from([app.open_offer] * 4 + ["o9"])
            if app.open_offer
            else st.just(f"o{app.offers_made}"),
            label="offer_id",
        )

    @precondition(_some(Status.OFFERED))
    @rule(app_id=applications, data=st.data())
    def decline_offer(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.OFFERED}), ("applicant",), APPLICANT
        )
        offer_id = self._offer_act(data, app)
        expect.require(app.status is Status.OFFERED and app.open_offer == offer_id, "open offer")
        self._attempt(
            "decline_offer",
            app,
            lambda: self.wl.decline_offer(app.id, actor=actor, effective_at=at, offer_id=offer_id),
            expect,
            Status.REGISTERED,
            at,
        )

    @precondition(_some(Status.OFFERED))
    @rule(app_id=applications, data=st.data())
    def provide_housing(self, app_id: UUID, data: st.DataObject) -> None:
        app, actor, at, expect = self._begin(
            data, app_id, frozenset({Status.OFFERED}), ("head",), HEAD
        )
        offer_id = self._offer_act(data, app)
        reasons = data.draw(blank_or_text)
        expect.require(app.status is Status.OFFERED and app.open_offer == offer_id, "open offer")
        expect.require(bool(reasons.strip()), "reasons")
        self._attempt(
            "provide_housing",
            app,
            lambda: self.wl.provide_housing(
                app.id, actor=actor, effective_at=at, offer_id=offer_id, reasons=reasons
            ),
            expect,
            Status.HOUSED,
            at,
        )

    # -- complaints ----------------------------------------------------------------------

    def _with_complaint(self, data: st.DataObject, app_id: UUID, statuses: set[Any]) -> UUID:
        if self._forced is not None:
            return self._forced
        if data.draw(st.integers(0, 3), label="steer_complaint") < 3:
            fitting = [
                i
                for i in self.order
                if any(c.status in statuses for c in self.model[i].complaints.values())
            ]
            # Mostly where a remedy can apply: taken off, refused, or on the list.
            remediable = [i for i in fitting if self.model[i].status in REMEDIABLE]
            if remediable and data.draw(st.integers(0, 2), label="remediable") < 2:
                fitting = remediable
            if fitting:
                return data.draw(st.sampled_from(fitting))
        return app_id

    def _complaint_id(self, data: st.DataObject, app: HousingApplication) -> str:
        ids = sorted(app.complaints)
        still_open = [i for i in ids if app.complaints[i].status in OPEN_COMPLAINT]
        return data.draw(
            st.sampled_from([*still_open, *still_open, *still_open, *ids, "c9"]),
            label="complaint",
        )

    @rule(app_id=applications, data=st.data())
    def file_complaint(self, app_id: UUID, data: st.DataObject) -> None:
        steer = frozenset({Status.DEREGISTERED, Status.REFUSED, Status.REGISTERED, Status.OFFERED})
        app, actor, at, expect = self._begin(data, app_id, steer, ("applicant",), APPLICANT)
        concerns = data.draw(st.sampled_from([None, app.version, app.version + 1]))
        complaint = ComplaintForm(
            subject=data.draw(st.sampled_from(ComplaintSubject)),
            filed_with=data.draw(st.sampled_from(ComplaintBody)),
            text="the decision is wrong",
            concerns_version=concerns,
        )
        expect.require(concerns is None or concerns <= app.version, "an act that happened")
        result = self._attempt(
            "file_complaint",
            app,
            lambda: self.wl.file_complaint(
                app.id, actor=actor, effective_at=at, complaint=complaint
            ),
            expect,
            app.status,
            at,
        )
        if result is not None:
            receipt, after = result
            case = after.complaints[receipt.complaint_id]
            assert case.status is ComplaintStatus.FILED
            assert case.body is complaint.filed_with

    @precondition(_some_complaint(ComplaintStatus.FILED))
    @rule(app_id=applications, data=st.data())
    def forward_complaint(self, app_id: UUID, data: st.DataObject) -> None:
        app_id = self._with_complaint(data, app_id, {ComplaintStatus.FILED})
        app = self.model[app_id]
        actor = self._actor(data, app, ("officer",))
        at = self._when(data, app)
        expect = Expectation()
        self._check_actor(expect, actor, app, STAFF)
        self._check_time(expect, at, app)
        complaint_id = self._complaint_id(data, app)
        to_body = data.draw(st.sampled_from(ComplaintBody))
        self._check_complaint_before_provider(expect, app, complaint_id, at)
        expect.require(to_body is not ComplaintBody.PROVIDER, "to another body")
        file = AdministrativeFile(
            reference="adm-file-1", sha256="a" * 64, up_to_version=max(1, app.version)
        )
        result = self._attempt(
            "forward_complaint",
            app,
            lambda: self.wl.forward_complaint(
                app.id,
                actor=actor,
                effective_at=at,
                complaint_id=complaint_id,
                to_body=to_body,
                administrative_file=file,
            ),
            expect,
            app.status,
            at,
        )
        if result is not None:
            case = result[1].complaints[complaint_id]
            assert case.status is ComplaintStatus.FORWARDED
            assert case.body is to_body

    @staticmethod
    def _check_complaint_before_provider(
        expect: Expectation, app: HousingApplication, complaint_id: str, at: datetime
    ) -> None:
        case = app.complaints.get(complaint_id)
        expect.require(case is not None, "a complaint filed")
        if case is None:
            return
        expect.require(
            case.body is ComplaintBody.PROVIDER and case.status is ComplaintStatus.FILED,
            "before the provider",
        )
        if case.forward_due is not None:
            expect.require(_local_day(at, app.tz) <= case.forward_due.due_on, "3 working days")

    @precondition(_some_complaint(ComplaintStatus.FILED))
    @rule(app_id=applications, data=st.data())
    def satisfy_complaint(self, app_id: UUID, data: st.DataObject) -> None:
        app_id = self._with_complaint(data, app_id, {ComplaintStatus.FILED})
        app = self.model[app_id]
        actor = self._actor(data, app, ("officer", "head"))
        at = self._when(data, app)
        expect = Expectation()
        self._check_actor(expect, actor, app, STAFF)
        self._check_time(expect, at, app)
        complaint_id = self._complaint_id(data, app)
        action = data.draw(blank_or_text)
        self._check_complaint_before_provider(expect, app, complaint_id, at)
        expect.require(bool(action.strip()), "action stated")
        result = self._attempt(
            "satisfy_complaint",
            app,
            lambda: self.wl.satisfy_complaint(
                app.id, actor=actor, effective_at=at, complaint_id=complaint_id, action_taken=action
            ),
            expect,
            app.status,
            at,
        )
        if result is not None:
            assert result[1].complaints[complaint_id].status is ComplaintStatus.SATISFIED

    @precondition(_some_complaint(ComplaintStatus.FILED, ComplaintStatus.FORWARDED))
    @rule(app_id=applications, data=st.data())
    def decide_complaint(self, app_id: UUID, data: st.DataObject) -> None:
        app_id = self._with_complaint(
            data, app_id, {ComplaintStatus.FILED, ComplaintStatus.FORWARDED}
        )
        app = self.model[app_id]
        complaint_id = self._complaint_id(data, app)
        case = app.complaints.get(complaint_id)
        right = ("head",) if case is not None and case.body is ComplaintBody.PROVIDER else ("body",)
        actor = self._actor(data, app, right)
        at = self._when(data, app)
        # Steer the remedy to the application's state, so that remedies are really applied.
        if app.status in {Status.DEREGISTERED, Status.REFUSED}:
            likely = [Remedy.RESTORE_PLACE] * 3
        elif app.status in ON_THE_LIST:
            likely = [Remedy.CORRECT_PRIORITY] * 3
        else:
            likely = [Remedy.NONE] * 3
        remedy = data.draw(st.sampled_from([*likely, *Remedy]), label="remedy")
        outcome = data.draw(
            st.sampled_from([ComplaintOutcome.UPHELD] * 3 + list(ComplaintOutcome)),
            label="outcome",
        )
        corrected: datetime | None = None
        if remedy is Remedy.CORRECT_PRIORITY or data.draw(st.integers(0, 5)) == 5:
            kind = data.draw(st.integers(0, 9), label="corrected_kind")
            rivals = [
                self.model[i].priority_moment
                for i in self.order
                if i != app.id and self._list_of(self.model[i]) == self._list_of(app)
            ]
            if kind < 5 or (kind < 8 and not rivals):
                corrected = datetime.combine(data.draw(days), time(10, 0)).replace(
                    tzinfo=zone("Asia/Almaty")
                )
            elif kind < 8:
                # Exactly another citizen's moment: the tie is broken by the application id.
                corrected = data.draw(st.sampled_from(rivals), label="tie")
            elif kind == 8:
                corrected = None
            else:
                corrected = at + timedelta(days=1)
        reasons = data.draw(blank_or_text)
        expect = Expectation()
        self._check_time(expect, at, app)
        expect.require(case is not None, "a complaint filed")
        if case is not None:
            expect.require(
                case.status in {ComplaintStatus.FILED, ComplaintStatus.FORWARDED}, "still open"
            )
            wanted = Role.HEAD if case.body is ComplaintBody.PROVIDER else Role.COMPLAINT_BODY
            expect.require(actor.role is wanted, "the deciding body")
        if actor.role in STAFF:
            expect.require(actor.provider == app.provider, "own provider")
        expect.require(bool(reasons.strip()), "reasons")
        if remedy is Remedy.NONE:
            expect.require(corrected is None, "no corrected priority without the remedy")
        else:
            expect.require(outcome is not ComplaintOutcome.REJECTED, "a remedy needs success")
        if remedy is Remedy.RESTORE_PLACE:
            expect.require(app.status in {Status.DEREGISTERED, Status.REFUSED}, "taken off")
            taken = self._claim_holder(app.holder_iin, app.provider, app.form.list_code)
            expect.require(taken in {None, app.id}, "the citizen's claim is free")
        if remedy is Remedy.CORRECT_PRIORITY:
            expect.require(app.status in ON_THE_LIST, "on the list")
            expect.require(corrected is not None, "the corrected moment")
            expect.require(corrected is None or corrected <= at, "not after the decision")
        number = self._expected_number(app) if remedy is Remedy.RESTORE_PLACE else None
        length = len(self.lists[self._list_of(app)])
        expected_status = Status.REGISTERED if remedy is Remedy.RESTORE_PLACE else app.status
        result = self._attempt(
            f"decide_complaint({remedy.value})",
            app,
            lambda: self.wl.decide_complaint(
                app.id,
                actor=actor,
                effective_at=at,
                complaint_id=complaint_id,
                outcome=outcome,
                reasons=reasons,
                remedy=remedy,
                corrected_priority=corrected,
            ),
            expect,
            expected_status,
            at,
        )
        if result is None:
            return
        receipt, after = result
        assert after.complaints[complaint_id].status is ComplaintStatus.DECIDED
        if remedy is Remedy.RESTORE_PLACE:
            assert receipt.queue_number == after.queue_number == number, (
                f"restored as number {receipt.queue_number}, the list says {number}"
            )
            assert self.wl.position(app.id) == (number, length + 1)
        elif remedy is Remedy.CORRECT_PRIORITY:
            assert corrected is not None
            assert after.priority_moment == corrected.astimezone(UTC)
            self._catch_up()  # replays the move: the list now holds the new key
            keys = [k for k in self.lists[self._list_of(app)] if k != after.priority_key]
            moved_to = bisect_left(keys, after.priority_key) + 1
            assert receipt.queue_number == moved_to
            assert self.wl.position(app.id) == (moved_to, len(keys) + 1)

    # -- the course of the procedure ------------------------------------------------------

    def _advance(self, app_id: UUID, data: st.DataObject, *, steer: bool = True) -> Any:
        """The act that comes next in the application's course (or one of them), still with a
        random actor and date: without it, few applications would reach the list in 40 steps.
        When the applications run out, another citizen applies to the same list."""
        if steer:
            app_id = self._pick(data, app_id, ADVANCEABLE)
        app = self.model[app_id]
        few = sum(1 for a in self.model.values() if not a.is_closed) < 4
        chance = data.draw(st.integers(0, 3), label="new_applicant")
        if (app.status not in ADVANCEABLE and chance < 2) or (few and chance == 0):
            new_id = self._submit(data, provider=app.provider, list_code=app.form.list_code)
            return multiple() if new_id is None else new_id
        open_complaints = any(
            c.status in {ComplaintStatus.FILED, ComplaintStatus.FORWARDED}
            for c in app.complaints.values()
        )
        choices = list(NEXT_ACTS[app.status])
        if open_complaints:
            choices = [*choices, "decide_complaint", "forward_complaint"]
            if app.status in REMEDIABLE:
                choices = ["decide_complaint"] * len(choices) + choices
        act = data.draw(st.sampled_from(choices), label="next act")
        self._forced = app_id
        try:
            getattr(self, act)(app_id=app_id, data=data)
        finally:
            self._forced = None
        return multiple()

    @rule(target=applications, app_id=applications, data=st.data())
    def advance(self, app_id: UUID, data: st.DataObject) -> Any:
        return self._advance(app_id, data)

    @rule(target=applications, app_id=applications, data=st.data())
    def advance_further(self, app_id: UUID, data: st.DataObject) -> Any:
        return self._advance(app_id, data)

    @rule(target=applications, app_id=applications, data=st.data())
    def advance_a_stretch(self, app_id: UUID, data: st.DataObject) -> Any:
        """Several acts in a row on one application: the deeper states (offers, restored
        places, corrected priorities) within a few dozen steps."""
        results = []
        app_id = self._pick(data, app_id, ADVANCEABLE)
        for _ in range(data.draw(st.integers(2, 6), label="stretch")):
            result = self._advance(app_id, data, steer=False)
            if not isinstance(result, MultipleResults):
                results.append(result)
        return multiple(*results)

    @precondition(_some(*FAST_TRACK))
    @rule(data=st.data())
    def fast_track(self, data: st.DataObject) -> None:
        """An application taken along the main course towards the list by the right people
        within days (each act still checked): without it, lists would stay short."""
        fitting = [i for i in self.order if self.model[i].status in FAST_TRACK]
        self._fast_track(data.draw(st.sampled_from(fitting), label="fast"), data)

    def _fast_track(self, app_id: UUID, data: st.DataObject) -> None:
        self._forced, self._cooperative = app_id, True
        try:
            for _ in range(8):
                app = self.model[app_id]
                if app.status not in FAST_TRACK:
                    break
                act = NEXT_ACTS[app.status][0]
                if act == "find_complete" and not (
                    app.form.required_documents() <= {d.kind for d in app.documents}
                ):
                    act = "notify_incomplete"
                getattr(self, act)(app_id=app_id, data=data)
        finally:
            self._forced, self._cooperative = None, False

    @precondition(_some(*REMEDIABLE))
    @rule(data=st.data())
    def complain_then_decide(self, data: st.DataObject) -> None:
        """A complaint by a citizen taken off the list, refused, or on it, and its decision:
        the remedies (RESTORE_PLACE, CORRECT_PRIORITY) that move others on the list."""
        fitting = [i for i in self.order if self.model[i].status in REMEDIABLE]
        app_id = data.draw(st.sampled_from(fitting), label="complainant")
        self._forced = app_id
        try:
            self.file_complaint(app_id=app_id, data=data)
            self.decide_complaint(app_id=app_id, data=data)
        finally:
            self._forced = None

    # -- invariants ----------------------------------------------------------------------

    @staticmethod
    def _list_of(app: HousingApplication) -> tuple[str, str]:
        return (app.provider, app.form.list_code)

    @invariant()
    def store_cache_and_model_agree(self) -> None:
        for app_id in self.order:
            cached = self.wl.application(app_id)
            stored = self.wl.repository.get(app_id, version=cached.version)
            assert stored == cached, f"application {app_id} differs between cache and store"
            assert not list(self.wl.repository.event_store.get(app_id, gt=cached.version))
            assert cached == self.model[app_id], f"application {app_id} changed behind the act"

    @invariant()
    def log_replays_to_the_stated_queue_numbers(self) -> None:
        self._catch_up()

    def _catch_up(self) -> None:
        """Replay the new part of the notification log into independent sorted lists."""
        while True:
            batch = self.wl.recorder.select_notifications(start=self.cursor + 1, limit=500)
            if not batch:
                break
            for notification in batch:
                assert notification.id > self.cursor, "notification ids go up"
                self.cursor = notification.id
                self._replay(self.wl.mapper.to_domain_event(notification))
        assert not self.awaiting, f"acts recorded without their list event: {self.awaiting}"

    def _replay(self, event: Any) -> None:
        if isinstance(event, QueueList.Change):
            self._replay_queue_event(event)
            return
        if not isinstance(event, HousingApplication.Applied | HousingApplication.Act):
            return
        app_id = event.originator_id
        if isinstance(event, HousingApplication.Applied):
            assert app_id not in self.replayed
            self.replayed[app_id] = Replayed(
                provider=event.provider,
                list_code=event.form.list_code,
                accepts_smaller=event.form.accepts_smaller_housing,
                moment=event.effective_at,
                last_effective_at=event.effective_at,
            )
            self.replayed[app_id].versions.append(event.originator_version)
            return
        seen = self.replayed[app_id]
        assert not self.awaiting, f"an act recorded without its list event: {self.awaiting}"
        assert event.originator_version == seen.versions[-1] + 1, "application versions in order"
        if isinstance(event, HousingApplication.HousingOffered):
            self.awaiting[app_id] = QueueList.OfferOpened
        elif isinstance(event, HousingApplication.OfferDeclined):
            self.awaiting[app_id] = QueueList.OfferClosed
        seen.versions.append(event.originator_version)
        seen.last_effective_at = event.effective_at
        keys = self.lists[(seen.provider, seen.list_code)]
        if isinstance(event, HousingApplication.Corrected):
            assert not seen.on_list
            seen.moment = event.priority_moment
        elif isinstance(event, HousingApplication.Registered):
            assert not seen.on_list, "registered while on the list"
            assert event.priority_moment == seen.moment, "registered with another priority"
            assert event.list_code == seen.list_code
            key = seen.key(app_id)
            true_number = bisect_left(keys, key) + 1
            assert event.queue_number == true_number, (
                f"Registered states number {event.queue_number}; at that point in the log the "
                f"application is number {true_number}"
            )
            insort(keys, key)
            seen.on_list = True
            self.awaiting[app_id] = QueueList.Joined
        elif isinstance(event, HousingApplication.ComplaintDecided):
            if event.remedy is Remedy.RESTORE_PLACE:
                assert not seen.on_list, "restored while on the list"
                key = seen.key(app_id)
                true_number = bisect_left(keys, key) + 1
                assert event.queue_number == true_number, (
                    f"ComplaintDecided(restore) states number {event.queue_number}; at that point "
                    f"in the log the application is number {true_number}"
                )
                insort(keys, key)
                seen.on_list = True
                self.awaiting[app_id] = QueueList.Joined
            elif event.remedy is Remedy.CORRECT_PRIORITY:
                assert seen.on_list, "priority corrected off the list"
                old = seen.key(app_id)
                index = bisect_left(keys, old)
                assert keys[index] == old
                del keys[index]
                self.moved_from[old] = index + 1
                seen.moment = event.priority_moment
                insort(keys, seen.key(app_id))
                self.awaiting[app_id] = QueueList.Moved
        elif isinstance(
            event,
            HousingApplication.Withdrawn
            | HousingApplication.Deregistered
            | HousingApplication.HousingProvided,
        ):
            if isinstance(
                event, HousingApplication.HousingProvided | HousingApplication.Deregistered
            ):
                assert seen.on_list, f"{type(event).__name__} of an application not on the list"
            if seen.on_list:
                key = seen.key(app_id)
                index = bisect_left(keys, key)
                assert keys[index] == key
                del keys[index]
                self.left_at[key] = index + 1
                seen.on_list = False
                self.awaiting[app_id] = QueueList.Left

    def _replay_queue_event(self, event: Any) -> None:
        """QueueList events follow the application's event in the same transaction: their
        positions must agree with the independent lists."""
        if isinstance(event, QueueList.Opened):
            return
        seen = self.replayed[event.application_id]
        awaited = self.awaiting.pop(event.application_id, None)
        assert awaited is type(event), f"{type(event).__name__} where {awaited} was due"
        assert event.application_version == seen.versions[-1], "caused by the latest act"
        assert event.effective_at == seen.last_effective_at, "dated as the act that caused it"
        keys = self.lists[(seen.provider, seen.list_code)]
        assert QueueList.id_for(seen.provider, seen.list_code) == event.originator_id
        if isinstance(event, QueueList.Joined):
            assert seen.on_list
            assert event.key == seen.key(event.application_id)
            assert event.position == bisect_left(keys, event.key) + 1, "Joined at a wrong position"
        elif isinstance(event, QueueList.Left):
            assert not seen.on_list
            assert event.position == self.left_at.pop(event.key), "Left from a wrong position"
        elif isinstance(event, QueueList.Moved):
            assert event.new_key == seen.key(event.application_id)
            assert event.old_position == self.moved_from.pop(event.old_key), "Moved from where?"
            new_position = bisect_left(keys, event.new_key) + 1
            assert event.new_position == new_position, (
                f"Moved states position {event.new_position}; the list says {new_position}"
            )

    @invariant()
    def lists_hold_exactly_the_registered(self) -> None:
        self._catch_up()
        for provider, list_code in self.lists:
            on = {
                i: self.model[i]
                for i in self.order
                if self._list_of(self.model[i]) == (provider, list_code)
                and self.model[i].status in ON_THE_LIST
            }
            queue = self.wl.queue(provider, list_code)
            keys = [] if queue is None else list(queue.keys)
            assert keys == sorted(set(keys)), "a list is sorted, without repeats"
            assert len(keys) == len(on)
            assert {key_application(k) for k in keys} == set(on), "the list holds the registered"
            for k in keys:
                assert k == on[key_application(k)].priority_key
            stated = [self.wl.position(i) for i in on]
            assert all(p is not None and p[1] == len(on) for p in stated)
            positions = sorted(p[0] for p in stated if p is not None)
            assert positions == list(range(1, len(on) + 1)), "positions are 1..n"
            assert keys == self.lists[(provider, list_code)], "the replay agrees with the list"
            offered = set() if queue is None else set(queue.offered)
            assert offered == {i.hex for i, a in on.items() if a.status is Status.OFFERED}

    @invariant()
    def one_open_application_per_citizen(self) -> None:
        holders: dict[tuple[str, str, str], list[UUID]] = {}
        for i in self.order:
            a = self.model[i]
            if not a.is_closed:
                holders.setdefault((a.holder_iin, *self._list_of(a)), []).append(i)
        for (iin, provider, list_code), ids in holders.items():
            assert len(ids) == 1, f"{len(ids)} open applications for one citizen and list"
            claim = self._claim_holder(iin, provider, list_code)
            assert claim == ids[0], "the citizen's claim names their open application"

    # -- teardown: a second ledger on the same store ---------------------------------------

    def _check_with_fresh_ledger(self) -> None:
        self._catch_up()
        other = WaitingList(env={"KEZEK_DATABASE_URL": self.url}, identity_key=self.key)
        try:
            for app_id in self.order:
                assert other.application(app_id) == self.wl.application(app_id)
            for provider, list_code in self.lists:
                assert other.queue(provider, list_code) == self.wl.queue(provider, list_code)
            iins = {iin_for(s) for s in POOL} | {self.model[i].holder_iin for i in self.order}
            for iin in iins:
                for provider in PROVIDERS:
                    for list_code in LISTS:
                        claim_id = self.key.claim_id(iin, provider, list_code)
                        assert self._fresh_or_none(claim_id) == _get_or_none(other, claim_id)
        finally:
            other.close()


def _outcome(call: Callable[[], Any]) -> tuple[Any, DomainError | None]:
    """Run an act: its receipt, or the DomainError that refused it (any other error fails)."""
    try:
        return call(), None
    except DomainError as error:
        return None, error


def _get_or_none(app: WaitingList, aggregate_id: UUID) -> Any:
    try:
        return app.repository.get(aggregate_id)
    except AggregateNotFoundError:
        return None


SETTINGS = {
    "sqlite": settings(
        max_examples=50,
        stateful_step_count=40,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    ),
    "postgres": settings(
        max_examples=15,
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    ),
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_random_acts_keep_the_ledger_consistent(backend: str) -> None:
    machine = type(f"LedgerMachine_{backend}", (LedgerMachine,), {"backend": backend})
    run_state_machine_as_test(machine, settings=SETTINGS[backend])


@pytest.mark.parametrize(
    "corrected",
    [datetime(999, 6, 1, tzinfo=UTC), datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))],
    ids=["year-999", "year-1"],
)
def test_a_corrected_priority_far_in_the_past_is_refused_or_first(
    waiting_list: WaitingList, corrected: datetime
) -> None:
    """Found by the state machine's remedies: CORRECT_PRIORITY accepts any moment before the
    decision. Either the domain refuses an implausible moment, or the citizen is first."""
    start = datetime(2024, 3, 4, 10, tzinfo=UTC)
    ids = []
    for serial in (1, 2):
        form = make_form(serial)
        at = start + timedelta(hours=10 * serial)
        app_id = waiting_list.submit(
            form, provider="almaty", actor=waiting_list.applicant(form.applicant_iin), filed_at=at
        ).application_id
        acts: list[Callable[[datetime], Any]] = [
            lambda t, i=app_id: waiting_list.accept(i, actor=officer("almaty"), effective_at=t),
            lambda t, i=app_id: waiting_list.find_complete(
                i, actor=officer("almaty"), effective_at=t
            ),
            lambda t, i=app_id, f=form: waiting_list.verify(
                i, actor=officer("almaty"), effective_at=t, checks=checks_for(f, "almaty")
            ),
            lambda t, i=app_id: waiting_list.register(i, actor=officer("almaty"), effective_at=t),
        ]
        for hour, act in enumerate(acts, start=1):
            act(at + timedelta(hours=hour))
        ids.append((app_id, form))
    second, form = ids[1]
    at = start + timedelta(days=2)
    complaint_id = waiting_list.file_complaint(
        second,
        actor=waiting_list.applicant(form.applicant_iin),
        effective_at=at,
        complaint=ComplaintForm(
            subject=ComplaintSubject.DECISION,
            filed_with=ComplaintBody.QUALITY_BODY,
            text="my priority is earlier",
        ),
    ).complaint_id
    try:
        receipt = waiting_list.decide_complaint(
            second,
            actor=complaint_body(),
            effective_at=at + timedelta(hours=1),
            complaint_id=complaint_id,
            outcome=ComplaintOutcome.UPHELD,
            reasons="the priority was due earlier",
            remedy=Remedy.CORRECT_PRIORITY,
            corrected_priority=corrected,
        )
    except DomainError:
        return  # refused: fine
    assert receipt.queue_number == 1
    assert waiting_list.position(second) == (1, 2)
